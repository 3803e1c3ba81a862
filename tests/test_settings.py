"""Settings: the order of sources, one-line errors, and what a pull request may not set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load, project_line_length


def write_pyproject(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text(body, encoding="utf-8")


def test_defaults_need_no_file_and_no_environment(tmp_path: Path) -> None:
    settings = load(root=tmp_path, env={})
    assert settings.style == "auto"
    assert settings.scope == "signature"
    assert settings.resolved_provider() == "template"
    assert settings.line_length is None


def test_later_sources_win_pyproject_then_env_then_flags(tmp_path: Path) -> None:
    write_pyproject(
        tmp_path, '[tool.docbot]\nstyle = "numpy"\nscope = "touched"\nconcurrency = 2\n'
    )
    env = {"DOCBOT_STYLE": "sphinx", "DOCBOT_CONCURRENCY": "3"}
    settings = load(root=tmp_path, env=env, overrides={"style": "google", "scope": None})
    assert (settings.style, settings.scope, settings.concurrency) == ("google", "touched", 3)


def test_standard_azure_variables_are_read_and_choose_the_provider(tmp_path: Path) -> None:
    env = {
        "AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com",
        "AZURE_OPENAI_API_KEY": "sekrit",
        "AZURE_OPENAI_DEPLOYMENT": "gpt4o",
        "OPENAI_API_VERSION": "2024-08-01-preview",
    }
    settings = load(root=tmp_path, env=env)
    assert settings.resolved_provider() == "azure"
    assert settings.api_version == "2024-08-01-preview"
    assert settings.azure_api_key is not None
    assert "sekrit" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DOCBOT_STYLE": "pep257"},
            "setting style: Input should be 'google', 'numpy', 'sphinx' or 'auto'",
        ),
        ({"DOCBOT_CONCURRENCY": "zero"}, "setting concurrency: Input should be a valid integer"),
        (
            {"DOCBOT_MAX_COST_USD": "-1"},
            "setting max_cost_usd: Input should be greater than or equal to 0",
        ),
        (
            {"DOCBOT_REDIS_URL": "http://cache:6379"},
            "setting redis_url: Value error, must be a redis://",
        ),
        (
            {"AZURE_OPENAI_ENDPOINT": "example.com"},
            "setting azure_endpoint: Value error, must start with https://",
        ),
    ],
)
def test_a_bad_value_is_one_line_naming_the_setting(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(root=tmp_path, env=env)
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_a_secret_value_is_never_echoed_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(root=tmp_path, env={"DOCBOT_REDIS_URL": "http://user:hunter2@cache"})
    assert "hunter2" not in str(caught.value)


def test_unknown_keys_in_pyproject_are_named(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "[tool.docbot]\nstlye = 'google'\n")
    with pytest.raises(ConfigError, match="unknown setting 'stlye'"):
        load(root=tmp_path, env={})


@pytest.mark.parametrize("key", ["azure-endpoint", "openai_base_url", "redis-url", "github-token"])
def test_a_pull_request_cannot_redirect_credentials_through_pyproject(
    tmp_path: Path, key: str
) -> None:
    write_pyproject(tmp_path, f'[tool.docbot]\n{key} = "https://attacker.example"\n')
    with pytest.raises(ConfigError, match="may not set"):
        load(root=tmp_path, env={})


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "[tool.docbot\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(root=tmp_path, env={})


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, None),
        ({"pyproject.toml": "[tool.black]\nline-length = 79\n"}, 79),
        (
            {"pyproject.toml": "[tool.ruff]\nline-length = 100\n[tool.black]\nline-length = 79\n"},
            100,
        ),
        (
            {
                "ruff.toml": "line-length = 120\n",
                "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
            },
            120,
        ),
        ({"pyproject.toml": "[tool.ruff\n"}, None),
    ],
)
def test_line_length_follows_the_projects_formatter(
    tmp_path: Path, files: dict[str, str], expected: int | None
) -> None:
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    assert project_line_length(tmp_path) == expected


def test_line_length_from_config_is_used_unless_set(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "[tool.ruff]\nline-length = 110\n")
    assert load(root=tmp_path, env={}).line_length == 110
    assert load(root=tmp_path, env={"DOCBOT_LINE_LENGTH": "72"}).line_length == 72


def test_list_settings_from_the_environment_split_on_commas(tmp_path: Path) -> None:
    settings = load(root=tmp_path, env={"DOCBOT_EXCLUDE": "migrations/**, scripts/*.py"})
    assert settings.exclude == ("migrations/**", "scripts/*.py")


def test_stale_checks_are_off_by_default_and_read_from_pyproject_and_env(tmp_path: Path) -> None:
    assert load(root=tmp_path, env={}).stale_checks == ()
    (tmp_path / "pyproject.toml").write_text('[tool.docbot]\nstale_checks = ["returns"]\n')
    assert load(root=tmp_path, env={}).stale_checks == ("returns",)
    env = {"DOCBOT_STALE_CHECKS": "yields, raises"}
    assert load(root=tmp_path, env=env).stale_checks == ("yields", "raises")
    with pytest.raises(ConfigError, match="stale_checks"):
        load(root=tmp_path, env={"DOCBOT_STALE_CHECKS": "colours"})
