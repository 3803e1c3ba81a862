"""`docbot backfill --batch` against the fake Azure server's files and batches routes."""

from __future__ import annotations

import asyncio
import io
import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import openai
import pytest

from bot.backfill import backfill_change
from bot.cli import main
from bot.pipeline import scan_file
from bot.pricing import batch_price
from bot.prompts import response_format
from bot.providers.base import DraftOutcome, DraftRequest
from bot.providers.batch import BatchProvider
from bot.providers.batch_jobs import JobRecord, JobStore, custom_id, jsonl_line
from bot.providers.llm import make_llm_provider
from bot.settings import Price, Settings
from bot.targets import TargetOptions
from tests.fakes.azure import KEY, FakeAzure, FakeConfig, settings_for
from tests.fakes.azure_batch import JobPlan
from tests.fakes.code import stdlib_change

PRICE = Price(input=2.5, cached_input=1.25, output=10.0)


@pytest.fixture(scope="module")
def code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("code")
    stdlib_change(root, files=6, per_file=4)
    (root / "change.diff").unlink()
    return root


def backfill(fake: FakeAzure, root: Path, cache: Path, **env: str) -> tuple[int, Any, str]:
    values = {
        "AZURE_OPENAI_ENDPOINT": fake.endpoint,
        "AZURE_OPENAI_API_KEY": KEY,
        "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
        "DOCBOT_PRICES": json.dumps({"gpt-4o": PRICE.model_dump()}),
        "DOCBOT_CACHE_DIR": str(cache),
        "DOCBOT_BATCH_POLL_S": "0.01",
        **env,
    }
    out, err = io.StringIO(), io.StringIO()
    argv = ["backfill", "--root", str(root), "--batch", "--format", "json"]
    code = main(argv, env=values, stdout=out, stderr=err)
    return code, json.loads(out.getvalue()) if out.getvalue() else None, err.getvalue()


def chat_requests(fake: FakeAzure) -> list[Any]:
    return [r for r in fake.requests if r.path.endswith("/chat/completions")]


def lines_of(upload: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in upload.splitlines()]


def test_one_file_of_the_chat_requests_answered_at_half_the_price(
    code: Path, tmp_path: Path
) -> None:
    with FakeAzure() as fake:
        status, report, err = backfill(fake, code, tmp_path)
        assert status == 0, err
        assert report["stats"]["targets"] == report["stats"]["suggested"] == 24
        [upload] = fake.batches.uploads
        assert not upload.startswith(b"\xef\xbb\xbf")
        lines = lines_of(upload)
        assert {(line["method"], line["url"]) for line in lines} == {("POST", "/chat/completions")}
        assert {line["body"]["model"] for line in lines} == {"docs-4o"}
        assert all(line["body"]["response_format"] == response_format() for line in lines)
        assert len({line["custom_id"] for line in lines}) == len(lines) == len(fake.batch_lines)
        assert chat_requests(fake) == []  # nothing asked at the standard price
        billed = [r.usage for r in fake.batch_lines if r.usage is not None]
        assert report["stats"]["llm_requests"] == len(billed)
        assert report["stats"]["prompt_tokens"] == sum(u["prompt_tokens"] for u in billed)
        half = batch_price(PRICE)
        standard = (
            sum(
                (u["prompt_tokens"] - u["prompt_tokens_details"]["cached_tokens"]) * PRICE.input
                + u["prompt_tokens_details"]["cached_tokens"] * PRICE.cached_input
                + u["completion_tokens"] * PRICE.output
                for u in billed
            )
            / 1_000_000
        )
        assert report["stats"]["cost_usd"] == pytest.approx(standard / 2, abs=1e-6)
        assert half.input == PRICE.input / 2 and half.output == PRICE.output / 2
        said = next(line for line in err.splitlines() if "at batch prices" in line)
        batch, normal = (float(part.split("$")[1].split()[0]) for part in said.split("(")[-2:])
        assert normal == pytest.approx(2 * batch, abs=2e-4)
        assert report["stats"]["estimated_cost_usd"] == pytest.approx(batch, abs=1e-4)
        assert not list((tmp_path / "batches").glob("*.json"))  # collected: nothing to resume

        status, report, _ = backfill(fake, code, tmp_path)
        assert status == 0 and report["stats"]["cache_hits"] == 24
        assert len(fake.batches.uploads) == len(fake.batches.jobs) == 1


def test_a_job_is_looked_at_no_more_often_than_the_setting(code: Path, tmp_path: Path) -> None:
    assert Settings().batch_poll_s == 60.0  # Azure's guidance: at most once a minute
    with FakeAzure() as fake:
        fake.batches.plan = JobPlan(looks_per_step=2)
        status, _, err = backfill(fake, code, tmp_path, DOCBOT_BATCH_POLL_S="0.2")
        assert status == 0, err
    looks = fake.batches.looks
    assert len(looks) == 6  # two looks in each of validating, in_progress and finalizing
    assert min(b - a for a, b in pairwise(looks)) >= 0.19


def test_an_answer_failing_its_checks_is_repaired_with_an_ordinary_request(
    code: Path, tmp_path: Path
) -> None:
    with FakeAzure() as fake:
        fake.script("wrong")  # the first line answered documents a parameter that is not there
        status, report, err = backfill(fake, code, tmp_path)
        assert status == 0, err
        assert report["stats"]["suggested"] == 24
        [repair] = chat_requests(fake)
        assert "Answer again" in json.dumps(repair.body["messages"][-1])
        assert fake.batch_lines[0].fault == "wrong"


def test_a_job_that_fails_fails_its_targets_with_the_services_reason(
    code: Path, tmp_path: Path
) -> None:
    with FakeAzure() as fake:
        fake.batches.plan = JobPlan(outcome="failed")
        status, report, err = backfill(fake, code, tmp_path)
    assert status == 1
    assert {t["status"] for t in report["targets"]} == {"failed"}
    assert {t["reason"] for t in report["targets"]} == {"the batch job failed: Job failed."}
    assert "no docstring could be written: the batch job failed" in err
    assert not list((tmp_path / "batches").glob("*.json"))


def test_an_expired_job_keeps_its_answers_and_a_rerun_asks_only_for_the_rest(
    code: Path, tmp_path: Path
) -> None:
    with FakeAzure() as fake:
        fake.batches.plan = JobPlan(outcome="expired", answered=0.5)
        status, report, _ = backfill(fake, code, tmp_path)
        assert status == 0
        by_status = {
            s: [t for t in report["targets"] if t["status"] == s] for s in ("suggested", "failed")
        }
        assert by_status["suggested"] and by_status["failed"]
        assert {t["reason"] for t in by_status["failed"]} == {
            "the batch job ended expired before answering it; run again to ask anew"
        }
        fake.batches.plan = JobPlan()
        status, again, _ = backfill(fake, code, tmp_path)
        assert status == 0 and again["stats"]["suggested"] == 24
        assert again["stats"]["cache_hits"] == len(by_status["suggested"])
        first, second = (lines_of(u) for u in fake.batches.uploads)
        assert len(first) + 0 > len(second) > 0
        assert not {line["custom_id"] for line in second} & {
            line["custom_id"] for line in first[: len(first) // 2]
        }


def test_the_cost_cap_holds_at_batch_prices(code: Path, tmp_path: Path) -> None:
    with FakeAzure() as fake:
        _, whole, _ = backfill(fake, code, tmp_path / "a")
        cap = whole["stats"]["estimated_cost_usd"] / 2
        status, capped, _ = backfill(fake, code, tmp_path / "b", DOCBOT_MAX_COST_USD=str(cap))
    assert status == 0
    full, part = (lines_of(u) for u in fake.batches.uploads)
    assert 0 < len(part) < len(full)
    skipped = [t for t in capped["targets"] if t["status"] == "skipped"]
    assert skipped and all(t["reason"].startswith("over the cost cap") for t in skipped)
    assert capped["stats"]["cost_usd"] <= cap


def test_every_line_names_the_batch_deployment(code: Path, tmp_path: Path) -> None:
    config = FakeConfig(deployments=frozenset({"docs-4o", "docs-batch"}))
    with FakeAzure(config) as fake:
        status, _, err = backfill(fake, code, tmp_path, DOCBOT_BATCH_DEPLOYMENT="docs-batch")
        assert status == 0, err
    assert {line["body"]["model"] for line in lines_of(fake.batches.uploads[0])} == {"docs-batch"}


def test_the_fake_rejects_a_byte_order_mark_as_azure_does() -> None:
    line = {"custom_id": "a", "method": "POST", "url": "/chat/completions", "body": {}}
    with FakeAzure() as fake:
        client = openai.AzureOpenAI(
            azure_endpoint=fake.endpoint, api_key=KEY, api_version="2024-10-21", max_retries=0
        )
        data = b"\xef\xbb\xbf" + json.dumps(line).encode() + b"\n"
        uploaded = client.files.create(file=("in.jsonl", data), purpose="batch")
        job = client.batches.create(
            input_file_id=uploaded.id,
            endpoint="/chat/completions",  # type: ignore[arg-type]
            completion_window="24h",
        )
        job = client.batches.retrieve(job.id)
    assert job.status == "failed"
    assert job.errors is not None and job.errors.data is not None
    assert job.errors.data[0].code == "invalid_json_line"


def test_more_lines_than_a_file_holds_go_in_several_files_and_jobs(
    code: Path, tmp_path: Path
) -> None:
    change = backfill_change(code, [], TargetOptions())
    requests = [
        DraftRequest(t, change.files[d.path], "google")
        for d in change.diffs
        for t in scan_file(d, change.files[d.path], TargetOptions()).targets
    ]
    with FakeAzure() as fake:
        settings = settings_for(fake, batch_api=True, batch_poll_s=0.01)
        chat = make_llm_provider(settings, files=change.files, warn=lambda _: None)
        store = JobStore(tmp_path / "batches", warn=pytest.fail)
        provider = BatchProvider(chat, store, note=lambda _: None, max_requests=4)

        async def write() -> list[DraftOutcome]:
            try:
                return await provider.write(requests)
            finally:
                await provider.aclose()

        outcomes = asyncio.run(write())
    assert [len(lines_of(u)) for u in fake.batches.uploads] == [4, 2]
    assert len(fake.batches.jobs) == 2
    assert len(outcomes) == 24 and all(o.draft is not None for o in outcomes)


def test_a_line_the_job_answered_with_an_error_fails_its_targets_only(
    code: Path, tmp_path: Path
) -> None:
    with FakeAzure() as fake:
        fake.script("500")  # the first line of the job is answered 500, in the error file
        status, report, err = backfill(fake, code, tmp_path)
        assert status == 0, err
        failed = [t for t in report["targets"] if t["status"] == "failed"]
        assert failed and len(failed) < 24
        assert {t["reason"] for t in failed} == {
            "the batch job answered 500: The server had an error while processing your request."
        }
        [job] = fake.batches.jobs.values()
        assert job.error_file_id is not None and job.failed == 1
        status, again, _ = backfill(fake, code, tmp_path)  # the rerun asks for that line only
        assert again["stats"]["suggested"] == 24
        assert len(lines_of(fake.batches.uploads[1])) == 1


def requests_of(code: Path) -> list[DraftRequest]:
    change = backfill_change(code, [], TargetOptions())
    return [
        DraftRequest(t, change.files[d.path], "google")
        for d in change.diffs
        for t in scan_file(d, change.files[d.path], TargetOptions()).targets
    ]


def provider_for(fake: FakeAzure, store: JobStore) -> BatchProvider:
    settings = settings_for(fake, batch_api=True, batch_poll_s=0.01)
    chat = make_llm_provider(settings, files={}, warn=lambda _: None)
    return BatchProvider(chat, store, note=lambda _: None)


def write(provider: BatchProvider, requests: list[DraftRequest]) -> list[DraftOutcome]:
    async def run() -> list[DraftOutcome]:
        try:
            return await provider.write(requests)
        finally:
            await provider.aclose()

    return asyncio.run(run())


def left_by_a_killed_run(
    fake: FakeAzure, store: JobStore, requests: list[DraftRequest], *, job_created: bool
) -> JobRecord:
    """What a run killed after its upload leaves: the file, its record, maybe its job."""
    provider = provider_for(fake, store)
    prompts = provider.plan(requests)
    lines = {custom_id(provider.body(p)): provider.body(p) for p in prompts}
    data = b"".join(jsonl_line(line_id, body) for line_id, body in lines.items())
    client = openai.AzureOpenAI(
        azure_endpoint=fake.endpoint, api_key=KEY, api_version="2024-10-21", max_retries=0
    )
    uploaded = client.files.create(file=("in.jsonl", data), purpose="batch")
    if job_created:
        client.batches.create(
            input_file_id=uploaded.id,
            endpoint="/chat/completions",  # type: ignore[arg-type]
            completion_window="24h",
        )
    record = JobRecord(
        input_file_id=uploaded.id,
        endpoint=fake.endpoint,
        deployment="docs-4o",
        targets={line_id: ["lib/x.py:1 f"] for line_id in lines},
    )
    store.save(record)
    return record


@pytest.mark.parametrize("job_created", [False, True])
def test_a_run_killed_between_upload_and_job_uses_the_uploaded_file(
    code: Path, tmp_path: Path, job_created: bool
) -> None:
    requests = requests_of(code)
    store = JobStore(tmp_path / "batches", warn=pytest.fail)
    with FakeAzure() as fake:
        left_by_a_killed_run(fake, store, requests, job_created=job_created)
        outcomes = write(provider_for(fake, store), requests)
    assert len(fake.batches.uploads) == len(fake.batches.jobs) == 1
    assert all(o.draft is not None for o in outcomes)
    assert store.load(fake.endpoint, "docs-4o") == []


def test_a_backfill_of_part_of_a_job_leaves_the_rest_for_a_later_run(
    code: Path, tmp_path: Path
) -> None:
    requests = requests_of(code)
    first_file = [r for r in requests if r.target.path == requests[0].target.path]
    store = JobStore(tmp_path / "batches", warn=pytest.fail)
    with FakeAzure() as fake:
        left_by_a_killed_run(fake, store, requests, job_created=True)
        part = write(provider_for(fake, store), first_file)
        assert all(o.draft is not None for o in part)
        assert len(store.load(fake.endpoint, "docs-4o")) == 1  # the other files' answers wait
        rest = write(provider_for(fake, store), requests)
    assert all(o.draft is not None for o in rest)
    assert len(fake.batches.uploads) == len(fake.batches.jobs) == 1
    assert store.load(fake.endpoint, "docs-4o") == []


def test_a_run_that_stops_waiting_skips_what_is_running_and_a_rerun_collects_it(
    code: Path, tmp_path: Path
) -> None:
    with FakeAzure() as fake:
        fake.batches.hold()
        status, report, err = backfill(fake, code, tmp_path, DOCBOT_BATCH_WAIT_S="0.2")
        assert status == 0, err
        assert {t["status"] for t in report["targets"]} == {"skipped"}
        assert {t["reason"] for t in report["targets"]} == {
            "waiting on batch job batch_000001 (in_progress); run again to collect its answers"
        }
        assert report["stats"]["cost_usd"] == 0
        assert len(list((tmp_path / "batches").glob("*.json"))) == 1
        fake.batches.release()
        status, again, _ = backfill(fake, code, tmp_path)
        assert status == 0 and again["stats"]["suggested"] == 24
        assert len(fake.batches.uploads) == len(fake.batches.jobs) == 1


def test_the_v1_route_takes_the_same_files_and_jobs(code: Path, tmp_path: Path) -> None:
    with FakeAzure() as fake:
        endpoint = f"{fake.endpoint}/openai/v1/"
        status, report, err = backfill(fake, code, tmp_path, AZURE_OPENAI_ENDPOINT=endpoint)
        assert status == 0, err
        assert report["stats"]["suggested"] == 24
        paths = {r.path for r in fake.requests}
    assert {"/openai/v1/files", "/openai/v1/batches"} <= paths


def test_batch_is_azures_only(code: Path, tmp_path: Path) -> None:
    with FakeAzure() as fake:
        status, report, err = backfill(
            fake, code, tmp_path, DOCBOT_PROVIDER="openai", OPENAI_API_KEY=KEY
        )
    assert (status, report) == (2, None)
    assert "the Batch API is Azure OpenAI's; use provider azure" in err
    assert err.count("\n") == 1
