"""The azure/openai provider against the fake server over a real socket (no SDK patching)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.docmodel import problems
from bot.errors import ConfigError, ProviderError
from bot.model import Status
from bot.providers.base import DraftOutcome, DraftRequest
from bot.providers.llm import LLMProvider, make_llm_provider
from bot.settings import Price, validate
from tests.fakes.azure import (
    ENTRA_SECRET,
    ENTRA_TOKEN,
    KEY,
    FakeAzure,
    FakeConfig,
    settings_for,
    target_facts,
)
from tests.fakes.code import requests, stdlib_requests

SOURCE = (Path(__file__).parent / "data" / "llm" / "inventory.py").read_text(encoding="utf-8")
SHOP = requests("shop/inventory.py", SOURCE)
PRICE = Price(input=2.5, cached_input=1.25, output=10.0)


def write(
    settings: Any, reqs: Sequence[DraftRequest], *, files: dict[str, str] | None = None
) -> tuple[list[DraftOutcome], LLMProvider, list[str]]:
    warnings: list[str] = []
    provider = make_llm_provider(settings, files=files or {}, warn=warnings.append, backoff_s=0.005)

    async def go() -> list[DraftOutcome]:
        try:
            return await provider.write(reqs)
        finally:
            await provider.aclose()

    return asyncio.run(go()), provider, warnings


def statuses(outcomes: Sequence[DraftOutcome]) -> Counter[str]:
    return Counter(o.status.value for o in outcomes)


def asked(fake: FakeAzure) -> list[list[str]]:
    """Qualnames each billed request asked about."""
    return [
        [facts["qualname"] for facts in target_facts(r.body["messages"]).values()]
        for r in fake.billed()
    ]


# --- end to end -----------------------------------------------------------------------------


def test_200_targets_under_429s_and_500s_all_suggested_none_billed_twice_cost_exact() -> None:
    reqs = stdlib_requests(40, 5)
    config = FakeConfig(rate_429=0.10, rate_500=0.03, seed=7, retry_after_ms=5)
    with FakeAzure(config) as fake:
        fake.script("429", "500")  # on top of the random ones, whatever the seed draws
        outcomes, provider, _ = write(settings_for(fake, prices={"gpt-4o": PRICE}), reqs)
    assert statuses(outcomes) == {"suggested": 200}
    assert fake.count(429) > 0 and fake.count(500) > 0
    for request, outcome in zip(reqs, outcomes, strict=True):
        assert outcome.draft is not None and problems(outcome.draft, request.target) == []
    # none billed twice: every (path, qualname) appears in exactly one answered request
    billed_targets = Counter(
        (re.search(r"^File: (.+)$", r.body["messages"][1]["content"], re.M)[1], q)  # type: ignore[index]
        for r, names in zip(fake.billed(), asked(fake), strict=True)
        for q in names
    )
    assert set(billed_targets.values()) == {1}
    assert len(billed_targets) == 200
    usage = [r.usage for r in fake.billed()]
    assert sum(o.usage.llm_requests for o in outcomes) == len(usage)
    assert sum(o.usage.prompt_tokens for o in outcomes) == sum(u["prompt_tokens"] for u in usage)
    assert sum(o.usage.completion_tokens for o in outcomes) == sum(
        u["completion_tokens"] for u in usage
    )
    expected = fake.billed_cost(PRICE)
    assert sum(o.usage.cost_usd for o in outcomes) == pytest.approx(expected, rel=1e-12)
    assert provider.retries == fake.count(429) + fake.count(500)
    # the estimate shown before any call is an upper bound of what was spent
    assert provider.estimate_cost_usd(reqs) >= sum(o.usage.cost_usd for o in outcomes)


# --- routes and request shape ---------------------------------------------------------------


DEPLOYMENT_PATH = "/openai/deployments/docs-4o/chat/completions"
OPENAI_ROUTE = {"provider": "openai", "openai_api_key": KEY, "openai_base_url": "{endpoint}/v1"}


@pytest.mark.parametrize(
    ("overrides", "path", "limit_param"),
    [
        ({"api_version": "2024-10-21"}, DEPLOYMENT_PATH, "max_tokens"),
        ({"api_version": "2025-04-01-preview"}, DEPLOYMENT_PATH, "max_completion_tokens"),
        ({"azure_endpoint": "{endpoint}/openai/v1/"}, "/openai/v1/chat/completions", "max_completion_tokens"),
        ({**OPENAI_ROUTE, "model": "docs-4o"}, "/v1/chat/completions", "max_completion_tokens"),
    ],
)  # fmt: skip
def test_each_route_gets_a_strict_schema_request_it_accepts(
    overrides: dict[str, str], path: str, limit_param: str
) -> None:
    with FakeAzure() as fake:
        values = {k: v.format(endpoint=fake.endpoint) for k, v in overrides.items()}
        outcomes, _, _ = write(settings_for(fake, **values), SHOP[:2])
    assert statuses(outcomes) == {"suggested": 2}
    (request,) = fake.requests
    assert request.path == path
    assert request.body["model"] == "docs-4o"
    assert request.body[limit_param] == 2 * 1024
    other = {"max_tokens", "max_completion_tokens"} - {limit_param}
    assert not other & request.body.keys()
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert not {"functions", "function_call", "tools"} & request.body.keys()


def test_the_fake_refuses_max_completion_tokens_on_the_ga_api_version() -> None:
    import openai

    with FakeAzure() as fake:
        client = openai.OpenAI(
            base_url=f"{fake.endpoint}/openai/deployments/docs-4o",
            api_key=KEY,
            default_query={"api-version": "2024-10-21"},
            max_retries=0,
        )
        with pytest.raises(openai.BadRequestError, match="Unrecognized request argument"):
            client.chat.completions.create(
                model="docs-4o", messages=[{"role": "user", "content": "hi"}],
                max_completion_tokens=10,
            )  # fmt: skip


AZURE = {"provider": "azure", "azure_endpoint": "https://x.openai.azure.com"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"provider": "azure"},
            "setting azure_endpoint: required for provider azure (env AZURE_OPENAI_ENDPOINT)",
        ),
        (
            AZURE,
            "setting azure_deployment: required for provider azure (env AZURE_OPENAI_DEPLOYMENT)",
        ),
        (
            {"provider": "openai"},
            "setting openai_api_key: required for provider openai (env OPENAI_API_KEY)",
        ),
        (
            {**AZURE, "azure_deployment": "d", "azure_api_key": KEY, "api_version": "2024-06-01"},
            "setting api_version: 2024-06-01 has no structured outputs",
        ),
    ],
)
def test_missing_or_invalid_settings_fail_up_front_naming_the_setting(
    values: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        make_llm_provider(validate(values), files={}, warn=lambda _: None)
    assert str(raised.value).startswith(message)


def test_without_a_key_azure_goes_keyless_through_entra_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # azure-identity's managed-identity credential, pointed at the fake's token endpoint
    with FakeAzure() as fake:
        for var in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("IDENTITY_ENDPOINT", f"{fake.endpoint}/msi/token")
        monkeypatch.setenv("IDENTITY_HEADER", ENTRA_SECRET)
        settings = settings_for(fake, azure_api_key=None)
        outcomes, _, _ = write(settings, SHOP[:1])
    assert statuses(outcomes) == {"suggested": 1}
    token_request, chat = fake.requests
    assert token_request.path == "/msi/token"
    assert token_request.query["resource"].startswith("https://cognitiveservices.azure.com")
    assert chat.headers["authorization"] == f"Bearer {ENTRA_TOKEN}"
    assert "api-key" not in chat.headers


# --- per-target failures, repair, retries -----------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("refusal", "the model refused: I'm sorry"),
        ("content_filter", "content filter"),
        ("length", "cut off at the completion allowance"),
    ],
)
def test_refusal_filter_and_cut_off_fail_that_target_only(fault: str, reason: str) -> None:
    with FakeAzure() as fake:
        fake.script(fault)
        outcomes, _, _ = write(settings_for(fake, batch=False, concurrency=1), SHOP[:3])
    assert [o.status for o in outcomes] == [Status.FAILED, Status.SUGGESTED, Status.SUGGESTED]
    assert reason in (outcomes[0].reason or "")
    assert outcomes[0].usage.llm_requests == 1  # the service billed the refused request


def test_a_batch_that_is_refused_is_asked_again_one_target_at_a_time() -> None:
    with FakeAzure() as fake:
        fake.script("refusal")
        outcomes, _, _ = write(settings_for(fake), SHOP)
    assert statuses(outcomes) == {"suggested": len(SHOP)}
    assert [len(names) for names in asked(fake)] == [len(SHOP)] + [1] * len(SHOP)


def test_a_wrong_answer_gets_one_repair_that_quotes_the_problems() -> None:
    take = [r for r in SHOP if r.target.qualname == "Inventory.take"]
    with FakeAzure() as fake:
        fake.script("wrong")
        outcomes, _, _ = write(settings_for(fake), take)
    assert statuses(outcomes) == {"suggested": 1}
    assert len(fake.requests) == 2
    repair = fake.requests[1].body["messages"][-1]["content"]
    assert "Remove parameters the signature does not have: bogus." in repair
    assert outcomes[0].usage.llm_requests == 2


def test_malformed_json_is_repaired_too() -> None:
    with FakeAzure() as fake:
        fake.script("malformed")
        outcomes, _, _ = write(settings_for(fake), SHOP[:2])
    assert statuses(outcomes) == {"suggested": 2}
    assert "not valid JSON for the schema" in fake.requests[1].body["messages"][-1]["content"]


def test_still_wrong_after_the_repair_fails_with_the_reasons() -> None:
    with FakeAzure() as fake:
        fake.script("wrong", "wrong")
        outcomes, _, _ = write(settings_for(fake), SHOP[3:4])
    assert outcomes[0].status is Status.FAILED
    assert "bogus" in (outcomes[0].reason or "")
    assert len(fake.requests) == 2  # one repair round, no more


def test_server_errors_are_retried_with_the_sdks_own_retries_off() -> None:
    with FakeAzure() as fake:
        fake.script("500", "500")
        outcomes, _, _ = write(settings_for(fake), SHOP[:1])
    assert statuses(outcomes) == {"suggested": 1}
    assert [r.status for r in fake.requests] == [500, 500, 200]
    with FakeAzure() as fake:
        fake.script("500")
        outcomes, _, _ = write(settings_for(fake, max_retries=0), SHOP[:1])
    assert outcomes[0].status is Status.FAILED and "500" in (outcomes[0].reason or "")
    assert len(fake.requests) == 1  # the SDK did not retry behind our back


def test_a_429_is_retried_after_the_retry_after_ms_it_asks_for() -> None:
    with FakeAzure(FakeConfig(retry_after_ms=300)) as fake:
        fake.script("429")
        outcomes, _, _ = write(settings_for(fake), SHOP[:1])
    assert statuses(outcomes) == {"suggested": 1}
    first, second = fake.requests
    assert second.at - first.at >= 0.3


def test_a_hung_request_times_out_and_is_retried() -> None:
    with FakeAzure(FakeConfig(hang_s=1.5)) as fake:
        fake.script("hang")
        outcomes, _, _ = write(settings_for(fake, timeout_s=0.3), SHOP[:1])
    assert statuses(outcomes) == {"suggested": 1}
    assert len(fake.requests) == 2


def test_a_bad_deployment_stops_the_run_with_one_line() -> None:
    with (
        FakeAzure() as fake,
        pytest.raises(ProviderError, match="answered 404: The API deployment"),
    ):
        write(settings_for(fake, azure_deployment="nope"), SHOP[:1])


# --- cost, caching, fingerprints --------------------------------------------------------------


def test_targets_beyond_the_cost_cap_are_skipped_whole() -> None:
    with FakeAzure() as fake:
        probe = make_llm_provider(settings_for(fake, batch=False), files={}, warn=lambda _: None)
        bounds = [probe.estimate_cost_usd([r]) for r in SHOP[:5]]
        cap = bounds[0] + bounds[1] + 1e-9
        outcomes, _, _ = write(
            settings_for(fake, batch=False, concurrency=1, max_cost_usd=cap), SHOP[:5]
        )
    assert [o.status.value for o in outcomes] == ["suggested"] * 2 + ["skipped"] * 3
    assert all("cost cap" in (o.reason or "") for o in outcomes[2:])
    assert len(fake.requests) == 2
    assert sum(o.usage.cost_usd for o in outcomes) <= cap


def test_each_outcome_is_told_once_as_it_is_known_skips_and_failures_too() -> None:
    told: list[tuple[int, DraftOutcome]] = []
    with FakeAzure() as fake:
        fake.script("refusal")
        probe = make_llm_provider(settings_for(fake, batch=False), files={}, warn=lambda _: None)
        cap = sum(probe.estimate_cost_usd([r]) for r in SHOP[:3]) + 1e-9
        settings = settings_for(fake, batch=False, concurrency=1, max_cost_usd=cap)
        provider = make_llm_provider(settings, files={}, warn=lambda _: None)

        async def go() -> list[DraftOutcome]:
            try:
                return await provider.write(SHOP[:5], each=lambda i, o: told.append((i, o)))
            finally:
                await provider.aclose()

        outcomes = asyncio.run(go())
    assert sorted(i for i, _ in told) == [0, 1, 2, 3, 4]
    assert dict(told) == dict(enumerate(outcomes))
    assert [i for i, _ in told[:2]] == [3, 4]  # the skipped ones are known before any call
    assert [o.status.value for o in outcomes] == ["failed", "suggested", "suggested"] + [
        "skipped"
    ] * 2


def test_the_second_request_reads_the_static_prefix_from_the_prompt_cache() -> None:
    with FakeAzure() as fake:
        outcomes, _, _ = write(settings_for(fake, batch=False, concurrency=1), SHOP[:2])
    first, second = (o.usage for o in outcomes)
    assert first.cached_prompt_tokens == 0
    assert second.cached_prompt_tokens >= 1024
    assert second.cached_prompt_tokens / second.prompt_tokens > 0.5


def test_fingerprint_changes_with_anything_that_changes_the_answer() -> None:
    with FakeAzure() as fake:
        base = settings_for(fake)

        def fp(request: DraftRequest = SHOP[3], **changes: Any) -> str:
            settings = settings_for(fake, **changes) if changes else base
            return make_llm_provider(settings, files={}, warn=lambda _: None).fingerprint(request)

        reference = fp()
        assert fp() == reference
        edited = DraftRequest(SHOP[3].target, SHOP[3].module_source + "\nX = 1\n", "google")
        variants = [
            fp(DraftRequest(SHOP[3].target, SHOP[3].module_source, "numpy")),
            fp(edited),
            fp(model="gpt-4o-mini"),
            fp(azure_deployment="other"),
            fp(temperature=0.5),
            fp(max_completion_tokens=512),
            fp(tools=True),
        ]
    assert reference not in variants and len(set(variants)) == len(variants)


# --- tools ------------------------------------------------------------------------------------


def test_a_tool_call_is_answered_from_the_changes_files() -> None:
    files = {"shop/inventory.py": SOURCE}
    with FakeAzure() as fake:
        fake.script("tool_call")
        outcomes, _, _ = write(settings_for(fake, tools=True), SHOP[:1], files=files)
    assert statuses(outcomes) == {"suggested": 1}
    first, second = fake.requests
    assert {t["function"]["name"] for t in first.body["tools"]} == {
        "get_source", "get_class_outline", "get_imports",
    }  # fmt: skip
    tool_message = second.body["messages"][-1]
    assert tool_message["role"] == "tool" and "import json" in tool_message["content"]
    assert outcomes[0].usage.llm_requests == 2


def test_a_tool_call_for_a_path_outside_the_repository_is_refused() -> None:
    with FakeAzure() as fake:
        fake.script("tool_escape")
        outcomes, _, _ = write(
            settings_for(fake, tools=True), SHOP[:1], files={"shop/inventory.py": SOURCE}
        )
    assert statuses(outcomes) == {"suggested": 1}
    assert "refused" in fake.requests[1].body["messages"][-1]["content"]


# --- the key ----------------------------------------------------------------------------------


def test_the_api_key_never_appears_in_output_logs_errors_or_reprs(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    with FakeAzure(FakeConfig(keys=frozenset({"another-key"}))) as fake:
        settings = settings_for(fake)
        with pytest.raises(ProviderError) as raised:
            _, provider, warnings = write(settings, SHOP[:1])
        seen += [str(raised.value), repr(raised.value)]
        provider = make_llm_provider(settings, files={}, warn=seen.append)
        seen += [repr(provider), str(provider), repr(settings), str(settings.model_dump())]
        fake.config.keys = frozenset({KEY})
        fake.script("500", "refusal")
        outcomes, _, warnings = write(settings_for(fake, max_retries=0), SHOP[:2])
        seen += [o.reason or "" for o in outcomes] + warnings
    assert "401" in seen[0]
    captured = capsys.readouterr()
    everything = "\n".join([*seen, caplog.text, captured.out, captured.err])
    assert KEY not in everything
    assert KEY[:12] not in everything
