"""The one Settings object: defaults < ``[tool.docbot]`` < environment < flags/inputs.

Validated once, at the edge; the core never reads the environment.  Every field's
environment variable is ``DOCBOT_<NAME>`` unless ``_ENV_ALIASES`` names the standard
variable the platform already uses.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.errors import ConfigError

Provider = Literal["template", "azure", "openai"]
Style = Literal["google", "numpy", "sphinx", "auto"]
Scope = Literal["signature", "touched"]
FailOn = Literal["never", "error", "undocumented"]
DeliveryMode = Literal["review", "commit", "pull-request"]
Problem = Literal["missing", "stale"]
StaleCheck = Literal["returns", "yields", "raises", "types"]


class Price(BaseModel):
    """USD per one million tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    input: float = Field(ge=0)
    cached_input: float = Field(ge=0)
    output: float = Field(ge=0)


class Settings(BaseModel):
    """Everything a run can be told, validated; field docs are the README's settings table."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    # what to look at
    provider: Provider | None = Field(
        None,
        description="Who writes docstrings; unset: azure or openai when configured, else template.",
    )
    style: Style = Field(
        "auto",
        description="Docstring style; auto follows the changed modules' existing docstrings.",
    )
    scope: Scope = Field(
        "signature",
        description="signature: the header has an added line; touched: any line of it does.",
    )
    include_magic: bool = Field(False, description="Also document magic methods (D105).")
    include_init: bool = Field(False, description="Also document __init__ (D107).")
    include_private: bool = Field(False, description="Also document private names.")
    include_modules: bool = Field(False, description="Also document modules (D100).")
    include: tuple[str, ...] = Field(
        (),
        description="Globs of paths to consider; a match overrides the test-path exclusions.",
    )
    exclude: tuple[str, ...] = Field(
        (), description="Globs of paths to leave out, on top of the default test paths."
    )
    line_length: int | None = Field(
        None,
        ge=40,
        le=400,
        description="Wrap width; unset: ruff's or black's line-length, else 88.",
    )

    # the LLM
    azure_endpoint: str | None = Field(
        None, description="https://RESOURCE.openai.azure.com, or the .../openai/v1/ route."
    )
    azure_api_key: SecretStr | None = Field(
        None, description="Azure OpenAI key; unset: keyless Entra ID (azure-identity)."
    )
    azure_deployment: str | None = Field(None, description="Azure deployment name.")
    api_version: str = Field(
        "2024-10-21",
        description="Azure api-version; 2024-08-01-preview or later has structured outputs.",
    )
    openai_api_key: SecretStr | None = Field(None, description="Key for the openai provider.")
    openai_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server."
    )
    model: str = Field(
        "gpt-4o", description="Model name, for token counting, context window and prices."
    )
    max_completion_tokens: int = Field(
        1024, ge=64, le=32768, description="Completion allowance per docstring."
    )
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    context_window: int | None = Field(
        None, ge=1024, description="Model context window; unset: known per model."
    )
    concurrency: int = Field(4, ge=1, le=64, description="LLM requests in flight at once.")
    rpm: int | None = Field(None, ge=1, description="Requests per minute quota to stay under.")
    tpm: int | None = Field(None, ge=1, description="Tokens per minute quota to stay under.")
    max_retries: int = Field(6, ge=0, le=20, description="Retries of a retryable LLM error.")
    timeout_s: float = Field(60.0, gt=0, description="Timeout of one LLM request, in seconds.")
    batch: bool = Field(True, description="Ask for several targets of one file in one request.")
    tools: bool = Field(False, description="Let the model call read-only context tools.")
    tool_rounds: int = Field(2, ge=0, le=5, description="At most this many rounds of tool calls.")
    prices: dict[str, Price] = Field(
        default_factory=dict, description="Price overrides per model, USD per 1M tokens."
    )
    max_cost_usd: float | None = Field(
        None, ge=0, description="Skip targets once a run would cost more than this."
    )

    # the cache
    cache: bool = Field(True, description="Reuse answers already paid for.")
    cache_dir: Path = Field(
        Path(".docbot-cache"),
        description="File cache folder (restore and save it with actions/cache).",
    )
    cache_ttl_days: float = Field(30.0, gt=0, description="Days an answer stays in the cache.")
    cache_max_mb: float = Field(
        64.0, gt=0, description="File cache size cap; least recently used entries go first."
    )
    redis_url: SecretStr | None = Field(
        None, description="redis:// URL of a shared cache; unreachable means the file cache."
    )

    # the action
    github_token: SecretStr | None = Field(
        None, description="Token for the GitHub API (the workflow token)."
    )
    pr_number: int | None = Field(
        None, ge=1, description="Pull request to review (workflow_dispatch)."
    )
    dry_run: bool = Field(False, description="Write the job summary instead of posting a review.")
    fail_on: FailOn = Field(
        "never", description="never, error (a target failed) or undocumented (any target left)."
    )
    # GitHub answers 502 or a secondary rate limit to reviews of more than a few dozen
    # comments; the rest wait for the next push, listed in the summary meanwhile.
    max_suggestions: int | None = Field(
        50,
        ge=0,
        description="Post at most this many suggestions a run; the rest go to the summary.",
    )
    include_drafts: bool = Field(False, description="Review draft pull requests too.")
    bot_login: str = Field(
        "github-actions[bot]",
        min_length=1,
        description="Login docbot posts as; only its comments count (a GitHub App: APP[bot]).",
    )
    delivery: DeliveryMode = Field(
        "review",
        description="review (suggestion comments), commit (one commit on the pull request's "
        "branch) or pull-request (docbot/<number> into it).",
    )

    # backfill through the Azure OpenAI Batch API
    batch_api: bool = Field(
        False, description="Ask through the Azure OpenAI Batch API: half price, within 24 h."
    )
    batch_deployment: str | None = Field(
        None, description="Global or Data Zone Batch deployment; unset: azure-deployment."
    )
    batch_poll_s: float = Field(
        60.0, gt=0, description="Seconds between looks at a batch job (Azure asks >= 60)."
    )
    batch_wait_s: float | None = Field(
        None,
        ge=0,
        description="Stop waiting on a batch job after this many seconds; a rerun collects it.",
    )

    mode: Literal["changes", "backfill"] = Field(
        "changes",
        description="changes: the pull request's; backfill: the code on the branch the "
        "workflow ran on, as pull requests into it.",
    )
    paths: tuple[str, ...] = Field(
        (), description="backfill: files or folders to document (comma-separated); none: all."
    )
    max_files: int = Field(
        50, ge=1, description="backfill: at most this many files per pull request."
    )

    languages: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "More file suffixes per language, e.g. .es6 = javascript;"
            " an empty name turns a suffix off."
        ),
    )

    @field_validator("paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(p.strip() for p in value.replace("\n", ",").split(",") if p.strip())
        return value

    problems: tuple[Problem, ...] = Field(
        ("missing", "stale"),
        min_length=1,
        description="What to look for: missing docstrings, stale ones (arguments), or both.",
    )

    @field_validator("problems", "stale_checks", mode="before")
    @classmethod
    def _problem_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    stale_checks: tuple[StaleCheck, ...] = Field(
        (),
        description=(
            "Stale checks beyond arguments (pydoclint's): returns (DOC201/DOC202),"
            " yields (DOC402/DOC403), raises (DOC501-DOC503), types (DOC105/DOC203/DOC404)."
            " Off by default."
        ),
    )

    @field_validator("azure_endpoint", "openai_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value

    def resolved_provider(self) -> Provider:
        """The provider to use: the configured one, else the first one with credentials."""
        if self.provider is not None:
            return self.provider
        if self.azure_endpoint:
            return "azure"
        if self.openai_api_key:
            return "openai"
        return "template"


# Settings that say where credentials go may not come from pyproject.toml: a pull
# request can edit that file, and pull_request_target runs with secrets.
_NOT_FROM_FILE = frozenset(
    {
        "azure_endpoint",
        "azure_api_key",
        "openai_api_key",
        "openai_base_url",
        "redis_url",
        "github_token",
    }
)

_ENV_ALIASES: Mapping[str, str] = {
    "AZURE_OPENAI_ENDPOINT": "azure_endpoint",
    "AZURE_OPENAI_API_KEY": "azure_api_key",
    "AZURE_OPENAI_DEPLOYMENT": "azure_deployment",
    "OPENAI_API_VERSION": "api_version",
    "OPENAI_API_KEY": "openai_api_key",
    "OPENAI_BASE_URL": "openai_base_url",
}


def env_name(field: str) -> str:
    """The ``DOCBOT_*`` environment variable of a settings field."""
    return "DOCBOT_" + field.upper()


def from_pyproject(root: Path) -> dict[str, Any]:
    """``[tool.docbot]`` of ``root/pyproject.toml``, keys normalised to field names."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("tool", {}).get("docbot", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.docbot] must be a table")
    values = {key.replace("-", "_"): value for key, value in table.items()}
    refused = sorted(_NOT_FROM_FILE & values.keys())
    if refused:
        raise ConfigError(
            f"{path}: [tool.docbot] may not set {', '.join(refused)}; "
            "set credentials and endpoints in the environment or action inputs"
        )
    return values


def project_line_length(root: Path) -> int | None:
    """The project's line length as its formatter knows it: ruff's, else black's."""
    for name, table in (
        ("ruff.toml", ()),
        (".ruff.toml", ()),
        ("pyproject.toml", ("tool", "ruff")),
    ):
        value = _toml_get(root / name, table, "line-length")
        if value is not None:
            return value
    return _toml_get(root / "pyproject.toml", ("tool", "black"), "line-length")


def _toml_get(path: Path, table: tuple[str, ...], key: str) -> int | None:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    for part in table:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings named in the environment: standard Azure/OpenAI names, then ``DOCBOT_*``."""
    values: dict[str, Any] = {}
    for var, name in _ENV_ALIASES.items():
        if env.get(var):
            values[name] = env[var]
    for name in Settings.model_fields:
        raw = env.get(env_name(name))
        if raw is not None and raw != "":
            values[name] = _parse_env(name, raw)
    return values


def _parse_env(name: str, raw: str) -> Any:
    if name in {"include", "exclude"}:
        return tuple(part.strip() for part in raw.replace("\n", ",").split(",") if part.strip())
    if name == "languages":  # ".es6=javascript, .pyi="
        pairs = (part.partition("=") for part in raw.replace("\n", ",").split(","))
        return {key.strip(): value.strip() for key, _, value in pairs if key.strip()}
    if name == "prices":
        import json

        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{env_name(name)}: not valid JSON ({exc.msg})") from None
    return raw


def load(
    *,
    root: Path,
    env: Mapping[str, str],
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Fill the settings in order, later wins: defaults, pyproject, environment, overrides.

    ``overrides`` are CLI flags or action inputs; ``None`` values mean "not given".
    Raises ``ConfigError`` with one line naming the offending setting.
    """
    values: dict[str, Any] = {}
    values.update(from_pyproject(root))
    values.setdefault("line_length", project_line_length(root))
    values.update(from_env(env))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return validate(values)


def validate(values: Mapping[str, Any]) -> Settings:
    """Build ``Settings`` from raw values, turning pydantic's report into one line."""
    try:
        return Settings.model_validate(dict(values))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"unknown setting {where!r}") from None
        given = first.get("input")
        shown = "" if where in _NOT_FROM_FILE or "key" in where else f" (got {given!r})"
        raise ConfigError(f"setting {where}: {first['msg']}{shown}") from None
