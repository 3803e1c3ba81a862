"""Batch API input lines, their files, and the job records a rerun resumes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.providers.batch_jobs import (
    MAX_BYTES,
    MAX_REQUESTS,
    JobRecord,
    JobStore,
    custom_id,
    jsonl_line,
    plain,
    result_line,
    split_lines,
)

BODY = {"model": "docs-batch", "messages": [{"role": "user", "content": "Zoë's résumé"}]}


def test_the_same_body_always_has_the_same_id_and_another_body_another() -> None:
    assert custom_id(BODY) == custom_id(dict(reversed(BODY.items())))
    assert custom_id(BODY) != custom_id({**BODY, "model": "other"})
    assert custom_id(BODY).startswith("docbot-") and len(custom_id(BODY)) == 47


def test_a_line_is_utf8_json_without_a_byte_order_mark_ending_in_a_newline() -> None:
    line = jsonl_line("docbot-1", BODY)
    assert not line.startswith(b"\xef\xbb\xbf") and line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line) == {
        "custom_id": "docbot-1",
        "method": "POST",
        "url": "/chat/completions",
        "body": BODY,
    }
    assert "Zoë".encode() in line


def test_azures_limits_per_file() -> None:
    assert (MAX_REQUESTS, MAX_BYTES) == (100_000, 200 * 1024 * 1024)


@pytest.mark.parametrize(
    ("sizes", "max_requests", "max_bytes", "expected"),
    [
        ([], 3, 100, []),
        ([10] * 7, 3, 1000, [range(0, 3), range(3, 6), range(6, 7)]),
        ([40, 40, 40, 10], 100, 100, [range(0, 2), range(2, 4)]),
        ([150, 10], 100, 100, [range(0, 1), range(1, 2)]),  # a line never waits forever
        ([10] * 100_001, MAX_REQUESTS, MAX_BYTES, [range(0, 100_000), range(100_000, 100_001)]),
    ],
)
def test_lines_split_at_the_request_count_or_the_size_whichever_comes_first(
    sizes: list[int], max_requests: int, max_bytes: int, expected: list[range]
) -> None:
    lines = [b"x" * size for size in sizes]
    assert list(split_lines(lines, max_requests=max_requests, max_bytes=max_bytes)) == expected


def record(file_id: str, endpoint: str = "http://e", batch_id: str | None = "batch_1") -> JobRecord:
    return JobRecord(
        input_file_id=file_id,
        batch_id=batch_id,
        endpoint=endpoint,
        deployment="docs-batch",
        targets={"docbot-1": ["pkg/a.py:3 f"]},
    )


def test_records_survive_a_restart_and_are_kept_per_endpoint(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "batches", warn=pytest.fail)
    assert store.load("http://e", "docs-batch") == []
    first, other = record("file-1"), record("file-2", endpoint="http://other")
    store.save(first)
    store.save(other)
    again = JobStore(tmp_path / "batches", warn=pytest.fail)
    assert again.load("http://e", "docs-batch") == [first]
    assert again.load("http://e", "another-deployment") == []
    first.batch_id = "batch_9"
    again.save(first)
    assert again.load("http://e", "docs-batch")[0].batch_id == "batch_9"
    again.drop(first)
    assert again.load("http://e", "docs-batch") == []
    assert not list((tmp_path / "batches").glob(".job.*"))


def test_a_broken_record_is_passed_over_with_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = JobStore(tmp_path, warn=warnings.append)
    store.save(record("file-1"))
    (tmp_path / "broken.json").write_text('{"input_file_id": ')
    assert [r.input_file_id for r in store.load("http://e", "docs-batch")] == ["file-1"]
    assert warnings == ["broken.json: not a batch job record docbot can read; passed over"]


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("Job failed.", "Job failed."),
        ("two\nlines\tand  spaces", "two lines and spaces"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("x" * 500, "x" * 300),
    ],
)
def test_service_text_is_one_inert_line(said: str, shown: str) -> None:
    assert plain(said) == shown


def test_result_lines_give_the_completion_or_why_there_is_none() -> None:
    body = {"id": "chatcmpl-1", "choices": []}
    ok = {"custom_id": "a", "response": {"status_code": 200, "body": body}, "error": None}
    assert result_line(json.dumps(ok)) == ("a", body, None)
    refused = {
        "custom_id": "b",
        "response": {"status_code": 400, "body": {"error": {"message": "bad\nrequest"}}},
    }
    assert result_line(json.dumps(refused)) == (
        "b",
        None,
        "the batch job answered 400: bad request",
    )
    expired = {"custom_id": "c", "response": None, "error": {"code": "x", "message": "expired"}}
    assert result_line(json.dumps(expired)) == (
        "c",
        None,
        "the batch job answered an error: expired",
    )
    for junk in ("", "not json", "[]", '{"no": "id"}', '{"custom_id": "d", "response": 5}'):
        assert result_line(junk) is None
