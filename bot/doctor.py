"""``docbot doctor``: validate the LLM configuration and make one cheap real call.

The answer is one line saying what works, or exactly what is wrong: a missing setting,
a bad key (401), an unknown deployment (404), an api-version without structured
outputs (400), an unreachable endpoint.
"""

from __future__ import annotations

import time
from typing import Any

import openai

from bot.errors import ConfigError
from bot.providers.clients import Connection, connect, redact, service_message, unreachable
from bot.settings import Settings

PING_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {
        "name": "ping",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"ok": {"type": "boolean"}},
            "required": ["ok"],
            "additionalProperties": False,
        },
    },
}
PING_TOKENS = 32
_KEY_ENV = {"azure": "AZURE_OPENAI_API_KEY", "openai": "OPENAI_API_KEY"}


async def diagnose(settings: Settings) -> tuple[bool, str]:
    """Whether the configured LLM answers a strict-schema request, and one line saying why."""
    provider = settings.resolved_provider()
    if provider == "template":
        return True, "provider template: writes docstrings offline, nothing to check"
    try:
        conn = connect(settings, check_version=False)
    except ConfigError as exc:
        return False, str(exc)
    try:
        started = time.monotonic()
        await _ping(conn, settings)
        took = time.monotonic() - started
    except Exception as exc:  # every failure becomes the one-line diagnosis
        return _failure(exc, conn, settings)
    finally:
        await conn.aclose()
    return True, (
        f"ok: {provider} {conn.model!r} at {conn.url} answered a strict-schema request "
        f"in {took:.1f} s"
    )


async def _ping(conn: Connection, settings: Settings) -> None:
    params: dict[str, Any] = {
        "model": conn.model,
        "messages": [{"role": "user", "content": 'Answer {"ok": true}.'}],
        "response_format": PING_FORMAT,
        conn.token_param: PING_TOKENS,
    }
    await conn.client.chat.completions.create(**params, timeout=min(settings.timeout_s, 30.0))


def _failure(exc: Exception, conn: Connection, settings: Settings) -> tuple[bool, str]:
    where = f"{conn.provider} at {conn.url}"
    message = service_message(exc)
    if isinstance(exc, openai.AuthenticationError):
        line = f"bad key: {where} answered 401 (check {_KEY_ENV[conn.provider]}): {message}"
    elif isinstance(exc, openai.PermissionDeniedError):
        line = f"not allowed: {where} answered 403 (the identity lacks access): {message}"
    elif isinstance(exc, openai.NotFoundError):
        what = "deployment" if conn.provider == "azure" else "model"
        line = f"unknown {what} {conn.model!r}: {where} answered 404: {message}"
    elif isinstance(exc, openai.BadRequestError) and "json_schema" in message:
        line = (
            f"api-version {settings.api_version} has no structured outputs (use 2024-10-21 "
            f"or later): {message}"
        )
    elif isinstance(exc, openai.RateLimitError):
        return True, f"reachable and authorised, but throttled right now (429): {message}"
    elif (down := unreachable(exc, conn.url, settings.timeout_s)) is not None:
        line = down
    elif isinstance(exc, openai.APIStatusError):
        line = f"{where} answered {exc.status_code}: {message}"
    elif type(exc).__module__.startswith("azure."):
        line = (
            "no Entra ID credential for keyless Azure: set AZURE_OPENAI_API_KEY or sign in "
            f"(azure/login in Actions): {message}"
        )
    else:
        line = f"{where}: {type(exc).__name__}: {message}"
    return False, redact(line, settings)
