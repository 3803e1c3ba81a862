"""End to end through ``docbot dry-run``: the azure provider against the fake, JSON stats."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Price
from tests.fakes.azure import KEY, FakeAzure, FakeConfig
from tests.fakes.code import stdlib_change

PRICE = Price(input=2.5, cached_input=1.25, output=10.0)


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("change")
    stdlib_change(root, files=40, per_file=5)
    return root


def test_dry_run_json_stats_match_what_the_service_billed(change: Path) -> None:
    config = FakeConfig(rate_429=0.10, rate_500=0.03, seed=3, retry_after_ms=5)
    config.retry_after_on_500 = True
    with FakeAzure(config) as fake:
        fake.script("429", "500")  # on top of the random ones, whatever the seed draws
        env = {
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_PRICES": json.dumps({"gpt-4o": PRICE.model_dump()}),
            "DOCBOT_CACHE": "false",
            "DOCBOT_CONCURRENCY": "8",
        }
        out, err = io.StringIO(), io.StringIO()
        argv = ["dry-run", "--diff", str(change / "change.diff"), "--root", str(change)]
        code = main(
            [*argv, "--provider", "azure", "--format", "json"], env=env, stdout=out, stderr=err
        )
    assert code == 0, err.getvalue()
    stats = json.loads(out.getvalue())["stats"]
    assert fake.count(429) > 0 and fake.count(500) > 0
    assert stats["targets"] == stats["suggested"] == 200
    usage = [r.usage for r in fake.billed() if r.usage is not None]
    assert stats["llm_requests"] == len(usage)
    assert stats["prompt_tokens"] == sum(u["prompt_tokens"] for u in usage)
    assert stats["cached_prompt_tokens"] == sum(
        u["prompt_tokens_details"]["cached_tokens"] for u in usage
    )
    assert stats["completion_tokens"] == sum(u["completion_tokens"] for u in usage)
    billed = fake.billed_cost(PRICE)
    # the JSON report rounds to micro-dollars; the provider-level test checks to 1e-12
    assert stats["cost_usd"] == pytest.approx(billed, abs=1e-6)
    assert KEY not in out.getvalue() + err.getvalue()


def test_an_unreachable_endpoint_fails_every_target_and_says_where(change: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "AZURE_OPENAI_ENDPOINT": f"http://127.0.0.1:{port}",
        "AZURE_OPENAI_API_KEY": KEY,
        "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
        "DOCBOT_CACHE": "false",
        "DOCBOT_MAX_RETRIES": "0",
    }
    out, err = io.StringIO(), io.StringIO()
    argv = ["dry-run", "--diff", str(change / "change.diff"), "--root", str(change)]
    code = main([*argv, "--provider", "azure", "--format", "json"], env=env, stdout=out, stderr=err)
    assert code == 1
    data = json.loads(out.getvalue())
    assert data["stats"]["failed"] == data["stats"]["targets"] == 200
    assert err.getvalue().splitlines()[-1] == (
        "docbot: error: no docstring could be written: unreachable endpoint: "
        f"cannot connect to http://127.0.0.1:{port}: All connection attempts failed"
    )
    assert KEY not in out.getvalue() + err.getvalue()
