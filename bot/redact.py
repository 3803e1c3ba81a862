"""The one place secrets are taken out of what docbot prints, writes or posts.

A ``Redactor`` knows the run's own secrets (Azure and OpenAI keys, the GitHub token,
the Redis URL and its password) and also removes anything shaped like a credential
(bearer tokens, JWTs, GitHub and OpenAI keys, a password inside a URL), whatever text
it comes from: model output, a service's error message, a file name.  The entrypoints
build one and hand it to every sink: the terminal streams, the Actions log and files,
GitHub bodies, and the drafts the LLM returns (so the cache and ``--apply`` never see a
secret either).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO, cast
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from pydantic import BaseModel

    from bot.settings import Settings

REDACTED = "[redacted]"
SECRET_ENV = (
    "AZURE_OPENAI_API_KEY",
    "DOCBOT_AZURE_API_KEY",
    "OPENAI_API_KEY",
    "DOCBOT_OPENAI_API_KEY",
    "DOCBOT_REDIS_URL",
    "DOCBOT_GITHUB_TOKEN",
    "GITHUB_TOKEN",
)
"""Environment variables whose values are secrets (pyproject.toml may hold none)."""
MIN_SECRET = 4
"""Shorter values are not treated as secrets: every such word of a text would go."""

_SHAPES = (
    # Authorization header values: "Bearer <token>", "Basic <base64>" (a digit in them keeps
    # prose such as "basic authentication/authorization" out).
    (
        re.compile(r"(?i)\b(bearer|basic)(\s+)(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{16,}=*"),
        r"\1\2" + REDACTED,
    ),
    # JSON Web Tokens (Entra ID access tokens among them).
    (re.compile(r"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}"), REDACTED),
    # GitHub tokens: personal, OAuth, user-to-server, server-to-server, refresh, fine-grained.
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"), REDACTED),
    # OpenAI keys.
    (re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"), REDACTED),
    # A password inside a URL: scheme://user:password@host.
    (re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), r"\1" + REDACTED + "@"),
)


class Redactor:
    """Replaces the run's secrets, and credential-shaped text, with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        found: set[str] = set()
        for secret in secrets:
            if not secret or len(secret.strip()) < MIN_SECRET:
                continue
            secret = secret.strip()
            # As sent in a URL or a header, and as a service may echo it back.
            found.update({secret, quote(secret, safe=""), unquote(secret)})
            found.update(_url_password(secret))
        # Longest first, so a secret that holds another is replaced whole.
        self.secrets = tuple(sorted((s for s in found if len(s) >= MIN_SECRET), key=len)[::-1])

    @classmethod
    def for_settings(cls, settings: Settings, *extra: str | None) -> Redactor:
        """The redactor for a run with ``settings``, plus ``extra`` values (e.g. tokens)."""
        values = [
            secret.get_secret_value() if secret is not None else None
            for secret in (
                settings.azure_api_key,
                settings.openai_api_key,
                settings.github_token,
                settings.redis_url,
            )
        ]
        return cls([*values, *extra])

    @classmethod
    def for_env(cls, env: Mapping[str, str]) -> Redactor:
        """The redactor for the secrets the environment may hold."""
        return cls(env.get(name) for name in SECRET_ENV)

    def __call__(self, text: str) -> str:
        """``text`` without any secret."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern, replacement in _SHAPES:
            text = pattern.sub(replacement, text)
        return text

    def data(self, value: Any) -> Any:
        """``value`` (JSON-like: dicts, lists, strings) with every string redacted."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value

    def model(self, model: BaseModel) -> Any:
        """A pydantic model with every string field redacted (same type, validated again)."""
        return type(model).model_validate(self.data(model.model_dump()))


def _url_password(value: str) -> set[str]:
    if "://" not in value:
        return set()
    try:
        password = urlsplit(value).password
    except ValueError:
        return set()
    return {password, unquote(password)} if password else set()


class RedactingStream(io.TextIOBase):
    """A text stream that redacts each line before it reaches ``target``.

    Text is held until a line is complete (or the stream is flushed), so a secret
    written in pieces is still seen whole.
    """

    @classmethod
    def wrap(cls, target: TextIO, redactor: Redactor) -> TextIO:
        """``target`` behind a redacting stream, typed as the stream it stands for."""
        return cast("TextIO", cls(target, redactor))

    def __init__(self, target: TextIO, redactor: Redactor) -> None:
        self._target = target
        self._redact = redactor
        self._pending = ""

    def write(self, text: str) -> int:
        """Buffer ``text``; pass on every complete line, redacted."""
        self._pending += text
        if "\n" in self._pending:
            done, _, self._pending = self._pending.rpartition("\n")
            self._target.write(self._redact(done + "\n"))
        return len(text)

    def flush(self) -> None:
        """Pass on what is buffered, redacted, and flush the target."""
        if self._pending:
            self._target.write(self._redact(self._pending))
            self._pending = ""
        self._target.flush()

    def isatty(self) -> bool:
        """Whether the target is a terminal."""
        return self._target.isatty()

    def fileno(self) -> int:
        """The target's file descriptor (for the terminal's size)."""
        return self._target.fileno()

    def writable(self) -> bool:
        """Always writable."""
        return True
