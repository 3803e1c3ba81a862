"""`docbot dry-run --provider azure` twice against the fake Azure server: the cache pays once."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.fakes.azure import FakeAzure, FakeConfig, target_facts

EXAMPLE = Path(__file__).parent.parent / "examples" / "shop"
KEY = "test-key-0123456789abcdef"


class Runs:
    """Runs the CLI against one fake server and one cache folder; tracks what was asked."""

    def __init__(self, fake: FakeAzure, root: Path, cache_dir: Path) -> None:
        self.fake = fake
        self.root = root
        self.env = {
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE_DIR": str(cache_dir),
        }

    def dry_run(self, *flags: str, **env: str) -> tuple[str, list[str]]:
        """Stdout of one run, and the qualnames it asked the LLM about."""
        before = len(self.fake.requests)
        out, err = io.StringIO(), io.StringIO()
        argv = ["dry-run", "--diff", str(EXAMPLE / "change.diff"), "--root", str(self.root)]
        code = main(
            [*argv, "--provider", "azure", *flags],
            env={**self.env, **env},
            stdout=out,
            stderr=err,
        )
        assert code == 0, err.getvalue()
        asked = [
            facts["qualname"]
            for record in self.fake.requests[before:]
            for facts in target_facts(record.body["messages"]).values()
        ]
        return out.getvalue(), sorted(asked)


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[Runs]:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE, root)
    config = FakeConfig(deployments=frozenset({"docs-4o", "docs-4o-mini"}))
    with FakeAzure(config) as fake:
        yield Runs(fake, root, tmp_path / "cache")


def test_a_second_run_makes_no_llm_request_and_prints_the_same(runs: Runs) -> None:
    first, asked = runs.dry_run("--format", "patch")
    second, asked_again = runs.dry_run("--format", "patch")

    assert len(asked) == 14
    assert asked_again == []
    assert second == first


def test_warm_runs_print_byte_identical_json_with_every_answer_from_the_cache(runs: Runs) -> None:
    runs.dry_run("--format", "json")
    second_json, asked_again = runs.dry_run("--format", "json")
    third_json, _ = runs.dry_run("--format", "json")

    second = json.loads(second_json)
    assert asked_again == []
    assert third_json == second_json  # warm runs are byte-identical, counters included
    assert second["stats"]["llm_requests"] == 0
    assert second["stats"]["cache_hits"] == second["stats"]["targets"] == 14


def test_another_style_re_asks_everything(runs: Runs) -> None:
    _, asked = runs.dry_run("--format", "patch", "--style", "google")
    _, asked_again = runs.dry_run("--format", "patch", "--style", "numpy")
    assert asked_again == asked


def test_another_model_re_asks_everything(runs: Runs) -> None:
    _, asked = runs.dry_run("--format", "patch")
    _, asked_again = runs.dry_run("--format", "patch", AZURE_OPENAI_DEPLOYMENT="docs-4o-mini")
    assert asked_again == asked


def test_changing_one_function_body_re_asks_only_that_function(runs: Runs) -> None:
    runs.dry_run("--format", "patch")
    pricing = runs.root / "shop" / "pricing.py"
    text = pricing.read_text()
    pricing.write_text(text.replace('"NL": Decimal("0.21")', '"NL": Decimal("0.09")'))

    _, asked_again = runs.dry_run("--format", "patch")

    assert asked_again == ["tax_rate"]
