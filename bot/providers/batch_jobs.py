"""What a Batch API job is made of on our side: its JSONL lines, their files, and its record.

A line is ``{custom_id, method, url, body}``; its ``custom_id`` is a digest of the body,
so the same question asked again (a rerun after an interruption) has the same id and
is found in the job already paying for it.  Records of submitted jobs (the job id and
each custom_id's targets) live as small JSON files in the cache folder: the one thing
that lets a rerun pick up a running job instead of paying twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

CHAT_URL = "/chat/completions"
MAX_REQUESTS = 100_000
MAX_BYTES = 200 * 1024 * 1024
"""Azure's limits per input file: 100,000 requests and 200 MB."""


def custom_id(body: Mapping[str, Any]) -> str:
    """A line's id: the same body always gets the same id (resuming relies on it)."""
    blob = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "docbot-" + hashlib.sha256(blob.encode()).hexdigest()[:40]


def jsonl_line(line_id: str, body: Mapping[str, Any]) -> bytes:
    """One request line of the input file: UTF-8 without a byte-order mark, ``\\n``-ended."""
    line = {"custom_id": line_id, "method": "POST", "url": CHAT_URL, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def split_lines(
    lines: Sequence[bytes], *, max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES
) -> Iterator[range]:
    """Consecutive index ranges of ``lines`` that each fit one input file."""
    start = 0
    size = 0
    for index, line in enumerate(lines):
        if index > start and (index - start >= max_requests or size + len(line) > max_bytes):
            yield range(start, index)
            start, size = index, 0
        size += len(line)
    if start < len(lines):
        yield range(start, len(lines))


def result_line(raw: str) -> tuple[str, Any, str | None] | None:
    """A line of a job's output or error file: its custom_id, and the chat completion it
    holds or, when it holds none, why; None for a line that is not one of ours."""
    try:
        line = json.loads(raw)
        line_id = str(line["custom_id"])
        response = line.get("response") or {}
        status = response.get("status_code")
        if status == 200:
            return line_id, response.get("body"), None
        error = line.get("error") or (response.get("body") or {}).get("error") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    said = error.get("message") if isinstance(error, dict) else None
    return (
        line_id,
        None,
        f"the batch job answered {plain(str(status or 'an error'))}: " + plain(str(said or "")),
    )


def plain(text: str, limit: int = 300) -> str:
    """Service text made inert for a terminal line: one line, control characters escaped."""
    text = " ".join(text.split())[:limit]
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class JobRecord(BaseModel):
    """A submitted job as a rerun needs it; ``batch_id`` is None between upload and create."""

    model_config = ConfigDict(extra="forbid")
    input_file_id: str
    batch_id: str | None = None
    endpoint: str
    deployment: str
    targets: dict[str, list[str]]
    """custom_id -> the targets it asks about, as ``path:line qualname``."""

    @property
    def name(self) -> str:
        """The record's file name: the uploaded file's id is known first and never changes."""
        return hashlib.sha256(self.input_file_id.encode()).hexdigest()[:24] + ".json"


class JobStore:
    """The job records of one endpoint and deployment, in ``folder``."""

    def __init__(self, folder: Path, *, warn: Callable[[str], None]) -> None:
        self.folder = folder
        self._warn = warn

    def load(self, endpoint: str, deployment: str) -> list[JobRecord]:
        """Records of jobs sent to ``endpoint``/``deployment``; a broken record is passed over."""
        records = []
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        for path in paths:
            try:
                record = JobRecord.model_validate_json(path.read_bytes())
            except (OSError, ValidationError, ValueError):
                self._warn(f"{path.name}: not a batch job record docbot can read; passed over")
                continue
            if record.endpoint == endpoint and record.deployment == deployment:
                records.append(record)
        return records

    def save(self, record: JobRecord) -> None:
        """Write ``record`` whole or not at all (a killed run leaves the old one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".job.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(record.model_dump_json(indent=1).encode())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.folder / record.name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def drop(self, record: JobRecord) -> None:
        """Forget a job whose results were collected."""
        (self.folder / record.name).unlink(missing_ok=True)
