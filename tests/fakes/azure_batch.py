"""The files and batches routes of the fake Azure OpenAI server (``tests/fakes/azure.py``).

Upload (multipart, purpose ``batch``), create (``completion_window`` ``24h``), status
transitions validating -> in_progress -> finalizing -> completed, one step per look,
output and error files, and jobs that fail validation or expire with part of their
lines answered.  Validation is Azure's as documented: one deployment for every line,
``/chat/completions`` lines, unique custom_ids, at most 100,000 lines and 200 MB, and
a byte-order mark rejected with Azure's unhelpful "not valid JSON" message.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Literal

Answer = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]
"""Answers one chat request body: HTTP status and the response body."""

_STEPS = ("validating", "in_progress", "finalizing")
_MAX_LINES = 100_000
_MAX_BYTES = 200 * 1024 * 1024


@dataclass
class JobPlan:
    """How the jobs created from now on behave."""

    outcome: Literal["completed", "failed", "expired"] = "completed"
    looks_per_step: int = 1
    """Looks (retrieves) a job spends in each state before the next."""
    answered: float = 0.5
    """With ``expired``: the share of lines answered before the window closed."""


@dataclass
class _Job:
    id: str
    input_file_id: str
    created_at: int
    plan: JobPlan
    status: str = "validating"
    looks: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0


class FakeBatches:
    """Files and batch jobs; ``answer`` writes each line's chat completion."""

    def __init__(self, answer: Answer, deployments: frozenset[str]) -> None:
        self._answer = answer
        self._deployments = deployments
        self._lock = threading.Lock()
        self.plan = JobPlan()
        self.files: dict[str, tuple[str, bytes]] = {}
        """id -> (purpose, content) of every file, uploaded or produced."""
        self.uploads: list[bytes] = []
        self.jobs: dict[str, _Job] = {}
        self.looks: list[float] = []
        """When each retrieve came, monotonic seconds."""
        self.held = threading.Event()

    def hold(self) -> None:
        """Keep jobs in progress until ``release``: a run waiting on them is mid-poll."""
        self.held.set()

    def release(self) -> None:
        """Let held jobs go on."""
        self.held.clear()

    def route(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any] | None:
        """The answer to a files or batches request; None for other paths."""
        parts = path.removeprefix("/openai").removeprefix("/v1").strip("/").split("/")
        with self._lock:
            if parts == ["files"] and method == "POST":
                return self._upload(headers, body)
            if len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
                found = self.files.get(parts[1])
                return (200, {}, found[1]) if found else _missing("file", parts[1])
            if parts == ["batches"] and method == "POST":
                return self._create(json.loads(body or b"{}"))
            if parts == ["batches"] and method == "GET":
                data = [self._view(job) for job in reversed(self.jobs.values())]
                return 200, {}, {"object": "list", "data": data, "has_more": False}
            if len(parts) == 2 and parts[0] == "batches" and method == "GET":
                job = self.jobs.get(parts[1])
                return (200, {}, self._look(job)) if job else _missing("batch", parts[1])
        return None

    def _upload(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        fields = _multipart(headers.get("content-type", ""), body)
        purpose = fields.get("purpose", b"").decode()
        if purpose != "batch" or "file" not in fields:
            return 400, {}, _error("invalidPayload", "purpose must be 'batch' and a file given")
        content = fields["file"]
        file_id = f"file-{len(self.files) + 1:06d}"
        self.files[file_id] = (purpose, content)
        self.uploads.append(content)
        return 200, {}, _file_object(file_id, content, purpose)

    def _create(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        file_id = str(body.get("input_file_id"))
        if file_id not in self.files:
            return _missing("file", file_id)
        if body.get("completion_window") != "24h" or body.get("endpoint") != "/chat/completions":
            return 400, {}, _error("invalidPayload", "completion_window must be 24h")
        job = _Job(f"batch_{len(self.jobs) + 1:06d}", file_id, int(time.time()), self.plan)
        self.jobs[job.id] = job
        return 200, {}, self._view(job)

    def _look(self, job: _Job) -> dict[str, Any]:
        self.looks.append(time.monotonic())
        job.looks += 1
        held = self.held.is_set() and job.status == "in_progress"
        if job.status in _STEPS and job.looks >= job.plan.looks_per_step and not held:
            job.looks = 0
            self._step(job)
        return self._view(job)

    def _step(self, job: _Job) -> None:
        if job.status == "validating":
            lines, job.errors = _validate(self.files[job.input_file_id][1], self._deployments)
            job.total = len(lines)
            if job.errors or job.plan.outcome == "failed":
                job.errors = job.errors or [_line_error("invalid_request", "Job failed.", None)]
                job.status = "failed"
            else:
                job.status = "in_progress"
        elif job.status == "in_progress":
            job.status = "finalizing"
        else:
            expired = job.plan.outcome == "expired"
            self._results(job, share=job.plan.answered if expired else 1.0)
            job.status = "expired" if expired else "completed"

    def _results(self, job: _Job, *, share: float) -> None:
        lines = _lines(self.files[job.input_file_id][1])
        answered = lines[: int(len(lines) * share)]
        out: list[bytes] = []
        errors: list[bytes] = []
        for number, line in enumerate(answered):
            status, body = self._answer(line["body"])
            response = {"status_code": status, "request_id": f"req-{number}", "body": body}
            record = {"id": f"batch_req_{number}", "custom_id": line["custom_id"]}
            text = json.dumps({**record, "response": response, "error": None}).encode()
            (out if status == 200 else errors).append(text + b"\n")
        for target, name in ((out, "output_file_id"), (errors, "error_file_id")):
            if target:
                file_id = f"file-{len(self.files) + 1:06d}"
                self.files[file_id] = ("batch_output", b"".join(target))
                setattr(job, name, file_id)
        job.completed, job.failed = len(out), len(errors)

    def _view(self, job: _Job) -> dict[str, Any]:
        errors = {"object": "list", "data": job.errors} if job.errors else None
        return {
            "id": job.id,
            "object": "batch",
            "endpoint": "/chat/completions",
            "errors": errors,
            "input_file_id": job.input_file_id,
            "completion_window": "24h",
            "status": job.status,
            "output_file_id": job.output_file_id,
            "error_file_id": job.error_file_id,
            "created_at": job.created_at,
            "request_counts": {
                "total": job.total,
                "completed": job.completed,
                "failed": job.failed,
            },
        }


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if name and payload is not None:
            fields[str(name)] = payload
    return fields


def _lines(content: bytes) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in content.splitlines() if raw.strip()]


def _validate(content: bytes, deployments: frozenset[str]) -> tuple[list[Any], list[Any]]:
    """The lines of an input file and Azure's validation errors for it."""
    if content.startswith(b"\xef\xbb\xbf"):
        # What Azure says of a byte-order mark: nothing about the mark itself.
        return [], [
            _line_error("invalid_json_line", "This line is not parseable as valid JSON.", 1)
        ]
    if len(content) > _MAX_BYTES:
        return [], [_line_error("file_too_large", "The input file is larger than 200 MB.", None)]
    try:
        lines = _lines(content)
    except ValueError:
        return [], [_line_error("invalid_json_line", "A line is not valid JSON.", None)]
    if len(lines) > _MAX_LINES:
        return lines, [_line_error("too_many_tasks", "More than 100,000 requests.", None)]
    errors = []
    models = {str(line.get("body", {}).get("model")) for line in lines}
    ids = [line.get("custom_id") for line in lines]
    for number, line in enumerate(lines, start=1):
        body = line.get("body") or {}
        schema = (body.get("response_format") or {}).get("json_schema") or {}
        if line.get("method") != "POST" or line.get("url") != "/chat/completions":
            errors.append(_line_error("invalid_url", "url must be /chat/completions", number))
        elif len(models) > 1 or body.get("model") not in deployments:
            errors.append(_line_error("model_not_found", "one batch deployment per file", number))
        elif not schema.get("strict"):
            errors.append(_line_error("invalid_body", "expected a strict json_schema", number))
    if len(set(ids)) != len(ids):
        errors.append(_line_error("duplicate_custom_id", "custom_id values must be unique", None))
    return lines, errors


def _line_error(code: str, message: str, line: int | None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": None, "line": line}


def _file_object(file_id: str, content: bytes, purpose: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "file",
        "bytes": len(content),
        "created_at": int(time.time()),
        "filename": "input.jsonl",
        "purpose": purpose,
        "status": "processed",
    }


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "param": None, "type": None}}


def _missing(kind: str, name: str) -> tuple[int, dict[str, str], Any]:
    return 404, {}, _error("404", f"The {kind} {name!r} does not exist.")
