"""Connections to Azure OpenAI and OpenAI-compatible endpoints, built from validated settings.

Azure: the deployments route (``AsyncAzureOpenAI`` with endpoint, deployment and
api-version) or the ``/openai/v1/`` route (a plain ``AsyncOpenAI``), with an API key or
keyless Entra ID.  OpenAI: an API key and an optional base URL.  SDK retries are off:
``bot.providers.retry`` retries, so nothing is retried twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import openai

from bot.errors import ConfigError
from bot.settings import Settings

STRUCTURED_OUTPUTS_SINCE = "2024-08-01"
"""Azure api-versions before this date answer 400 to ``json_schema`` response formats."""
GA_WITHOUT_MAX_COMPLETION_TOKENS = "2024-10-21"
MAX_COMPLETION_TOKENS_SINCE = "2024-09-01"
ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default"
_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


@dataclass
class Connection:
    """An SDK client and the facts about its endpoint that shape each request."""

    provider: str
    client: openai.AsyncOpenAI
    model: str
    """What goes in the request's ``model``: the deployment on Azure."""
    url: str
    token_param: str
    """``max_tokens`` or ``max_completion_tokens``: what the endpoint accepts."""
    temperature_ok: bool
    closers: tuple[Callable[[], Awaitable[Any]], ...] = ()

    async def aclose(self) -> None:
        """Close the client and any credential."""
        await self.client.close()
        for close in self.closers:
            await close()


def _required(settings: Settings, name: str, provider: str, env: str) -> str:
    value = getattr(settings, name)
    if value is None or (hasattr(value, "get_secret_value") and not value.get_secret_value()):
        raise ConfigError(f"setting {name}: required for provider {provider} (env {env})")
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


def token_param(api_version: str) -> str:
    """The completion-limit parameter an Azure api-version accepts.

    The GA 2024-10-21 and versions before 2024-09-01-preview only know ``max_tokens``;
    later previews know ``max_completion_tokens`` (the only one reasoning models take).
    """
    date = api_version[:10]
    if date == GA_WITHOUT_MAX_COMPLETION_TOKENS or date < MAX_COMPLETION_TOKENS_SINCE:
        return "max_tokens"
    return "max_completion_tokens"


def connect(settings: Settings, *, check_version: bool = True) -> Connection:
    """A connection for ``settings.resolved_provider()``; ``ConfigError`` names what is missing.

    ``check_version=False`` lets an api-version without structured outputs through, so
    ``doctor`` can show what the service itself says about it.
    """
    provider = settings.resolved_provider()
    temperature_ok = not settings.model.startswith(_REASONING_PREFIXES)
    timeout = settings.timeout_s
    if provider == "openai":
        key = _required(settings, "openai_api_key", "openai", "OPENAI_API_KEY")
        client = openai.AsyncOpenAI(
            api_key=key, base_url=settings.openai_base_url, max_retries=0, timeout=timeout
        )
        url = settings.openai_base_url or "https://api.openai.com/v1"
        return Connection(
            "openai", client, settings.model, url, "max_completion_tokens", temperature_ok
        )
    if provider != "azure":
        raise ConfigError(f"setting provider: {provider!r} is not an LLM provider")
    endpoint = _required(settings, "azure_endpoint", "azure", "AZURE_OPENAI_ENDPOINT")
    deployment = _required(settings, "azure_deployment", "azure", "AZURE_OPENAI_DEPLOYMENT")
    auth, closers = _azure_auth(settings)
    if "/openai/v1" in endpoint:
        base = endpoint.rstrip("/") + "/"
        client = openai.AsyncOpenAI(base_url=base, max_retries=0, timeout=timeout, **auth)
        return Connection(
            "azure", client, deployment, base, "max_completion_tokens", temperature_ok, closers
        )
    version = settings.api_version
    if check_version and version[:10] < STRUCTURED_OUTPUTS_SINCE:
        raise ConfigError(
            f"setting api_version: {version} has no structured outputs; use 2024-10-21 or "
            "later (env OPENAI_API_VERSION)"
        )
    azure_auth = (
        {"api_key": auth["api_key"]}
        if isinstance(auth.get("api_key"), str)
        else {"azure_ad_token_provider": auth["api_key"]}
    )
    client = openai.AsyncAzureOpenAI(
        azure_endpoint=endpoint,
        azure_deployment=deployment,
        api_version=version,
        max_retries=0,
        timeout=timeout,
        **azure_auth,
    )
    return Connection(
        "azure", client, deployment, endpoint, token_param(version), temperature_ok, closers
    )


def _azure_auth(
    settings: Settings,
) -> tuple[dict[str, Any], tuple[Callable[[], Awaitable[Any]], ...]]:
    """An API key, or an Entra ID bearer-token provider (keyless, e.g. OIDC in Actions).

    The synchronous credential is used (the async one needs aiohttp, which docbot does
    not ship); tokens are fetched in a worker thread so the event loop never blocks.
    """
    if settings.azure_api_key is not None and settings.azure_api_key.get_secret_value():
        return {"api_key": settings.azure_api_key.get_secret_value()}, ()
    from azure.identity import DefaultAzureCredential, get_bearer_token_provider

    credential = DefaultAzureCredential()
    fetch = get_bearer_token_provider(credential, ENTRA_SCOPE)

    async def token() -> str:
        return await asyncio.to_thread(fetch)

    async def close() -> None:
        credential.close()

    return {"api_key": token}, (close,)


def redact(text: str, settings: Settings) -> str:
    """``text`` without any secret (``bot.redact``), for messages built from errors."""
    from bot.redact import Redactor

    return Redactor.for_settings(settings)(text)


def unreachable(exc: BaseException, url: str, timeout_s: float) -> str | None:
    """Why the endpoint could not be reached, on one line; None for other errors."""
    if isinstance(exc, openai.APITimeoutError):
        return f"unreachable endpoint: {url} did not answer within {timeout_s:g} s"
    if isinstance(exc, openai.APIConnectionError):
        cause = str(exc.__cause__ or exc).strip()
        first = cause.splitlines()[0] if cause else "(no message)"
        return f"unreachable endpoint: cannot connect to {url}: {first}"
    return None


def service_message(exc: BaseException) -> str:
    """The service's own error message (not the SDK's dump of the body), on one line."""
    body = getattr(exc, "body", None)
    text = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        text = inner.get("message") if isinstance(inner, dict) else None
    text = str(text or getattr(exc, "message", None) or exc or type(exc).__name__)
    return " ".join(text.split())
