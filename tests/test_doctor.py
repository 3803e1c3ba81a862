"""``docbot doctor``: one line saying what works or exactly what is wrong."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from bot.doctor import diagnose
from bot.settings import validate
from tests.fakes.azure import KEY, FakeAzure, settings_for


def run(settings: Any) -> tuple[bool, str]:
    return asyncio.run(diagnose(settings))


def test_a_working_deployment_is_ok_after_one_strict_schema_call() -> None:
    with FakeAzure() as fake:
        ok, line = run(settings_for(fake))
    assert ok and line.startswith("ok: azure 'docs-4o' at http://127.0.0.1:")
    (request,) = fake.requests
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert request.body["max_tokens"] == 32


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"azure_api_key": "wrong-key"}, "bad key: azure at http://127.0.0.1:"),
        ({"azure_deployment": "gpt-4o-typo"}, "unknown deployment 'gpt-4o-typo'"),
        ({"api_version": "2024-06-01"}, "api-version 2024-06-01 has no structured outputs"),
    ],
)
def test_each_misconfiguration_gets_its_own_diagnosis(
    overrides: dict[str, str], expected: str
) -> None:
    with FakeAzure() as fake:
        ok, line = run(settings_for(fake, **overrides))
    assert not ok
    assert expected in line
    assert "\n" not in line and KEY not in line and "wrong-key" not in line


def test_the_services_own_400_message_is_quoted() -> None:
    with FakeAzure() as fake:
        _, line = run(settings_for(fake, api_version="2024-06-01"))
    assert "enabled only for api versions 2024-08-01-preview and later" in line


def test_an_unreachable_endpoint_says_so() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = validate(
        {
            "provider": "azure",
            "azure_endpoint": f"http://127.0.0.1:{port}",
            "azure_deployment": "docs-4o",
            "azure_api_key": KEY,
            "timeout_s": 1,
        }
    )
    ok, line = run(settings)
    assert not ok and line.startswith("unreachable endpoint: cannot connect to http://127.0.0.1:")


def test_a_missing_setting_is_named_before_any_call() -> None:
    ok, line = run(validate({"provider": "azure", "azure_endpoint": "https://x.openai.azure.com"}))
    assert not ok
    assert (
        line
        == "setting azure_deployment: required for provider azure (env AZURE_OPENAI_DEPLOYMENT)"
    )


def test_the_template_provider_needs_nothing() -> None:
    ok, line = run(validate({"provider": "template"}))
    assert ok and "template" in line
