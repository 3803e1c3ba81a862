"""A fake Azure OpenAI / OpenAI-compatible server on 127.0.0.1, run in a thread by tests.

Speaks the routes the SDK uses: ``/openai/deployments/{dep}/chat/completions?api-version=``,
``/openai/v1/chat/completions`` and ``/v1/chat/completions``; checks ``api-key`` /
``Bearer`` auth; answers strict ``json_schema`` requests with a schema-valid
``DraftBatch`` built from the target facts in the prompt; reports usage with
``prompt_tokens_details.cached_tokens`` for a prefix it has seen; enforces RPM/TPM
quotas as Azure does, over fixed 10-second windows (a sixth of the per-minute quota in
each; prompt plus completion allowance charged at arrival), with 429 +
``retry-after(-ms)`` and ``x-ratelimit-limit-*`` / ``x-ratelimit-remaining-*`` headers
shared by every client of the one server; and injects faults.  Every request is recorded for assertions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc, ReturnDoc
from bot.pricing import cost_usd
from bot.prompts import DraftBatch, TargetAnswer
from bot.settings import Price
from bot.tokens import TokenCounter, estimating_counter
from tests.fakes.azure_batch import FakeBatches

FAULTS = (
    "429", "500", "hang", "malformed", "refusal", "content_filter", "length", "wrong",
    "tool_call", "tool_escape",
)  # fmt: skip
_BATCH_ROUTES = re.compile(r"/openai/(?:v1/)?(?:files|batches)(?:/.*)?")
CHUNK = 384
"""Characters per prompt-cache block (about 128 tokens of the estimate)."""


@dataclass
class FakeConfig:
    """How the fake behaves; rates are probabilities per request, drawn from ``seed``."""

    keys: frozenset[str] = frozenset({"test-key-0123456789abcdef", "entra-token-for-tests"})
    deployments: frozenset[str] = frozenset({"docs-4o"})
    latency_s: float = 0.0
    rpm: int | None = None
    tpm: int | None = None
    window_s: float = 10.0
    """Azure evaluates quotas over 10 s windows, or 1 s ones for large quotas."""
    rate_429: float = 0.0
    rate_500: float = 0.0
    retry_after_ms: int = 20
    retry_after_on_500: bool = False
    """Send ``retry-after-ms`` with injected 500s too (Azure sometimes does)."""
    hang_s: float = 3.0
    seed: int = 0
    counter: TokenCounter = field(default_factory=estimating_counter)
    rewrite: Callable[[DocstringDraft], DocstringDraft] | None = None
    """Applied to every draft answered: how a hostile model fills the fields."""
    refusal: str = "I'm sorry, I can't help with that."
    """What the ``refusal`` fault says."""
    error_message: str = "The server had an error while processing your request."
    """What the ``500`` fault says."""


@dataclass
class Recorded:
    """One request as the fake saw it, and what it answered."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 0
    fault: str | None = None
    usage: dict[str, Any] | None = None
    at: float = field(default_factory=time.monotonic)


class _Window:
    """Azure's evaluation of a per-minute quota: its share of each fixed window of ``span_s``."""

    def __init__(self, per_minute: int, span_s: float) -> None:
        self.per_minute = per_minute
        self.span_s = span_s
        self.cap = per_minute * span_s / 60.0
        self.index = -1
        self.used = 0.0

    def wait(self, amount: float, now: float) -> float:
        """0 if ``amount`` fits the current window, else seconds until the next one."""
        index = int(now // self.span_s)
        if index != self.index:
            self.index, self.used = index, 0.0
        # A request larger than a window goes through alone in an empty one.
        if self.used + min(amount, self.cap) <= self.cap + 1e-9:
            return 0.0
        return (index + 1) * self.span_s - now

    def charge(self, amount: float) -> None:
        self.used += min(amount, self.cap)

    def remaining(self) -> float:
        return max(0.0, self.cap - self.used)


class FakeAzure:
    """The server; use as a context manager. ``endpoint`` is the Azure resource URL."""

    def __init__(self, config: FakeConfig | None = None) -> None:
        self.config = config or FakeConfig()
        self.requests: list[Recorded] = []
        self._script: list[str] = []
        self._lock = threading.Lock()
        self._rng = random.Random(self.config.seed)
        self._seen: set[str] = set()
        span = self.config.window_s
        self._rpm = _Window(self.config.rpm, span) if self.config.rpm else None
        self._tpm = _Window(self.config.tpm, span) if self.config.tpm else None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        # The Batch API's files and batches routes; their lines are answered like chat requests.
        self.batches = FakeBatches(self._batch_line, self.config.deployments)
        self.batch_lines: list[Recorded] = []
        """Every line a batch job answered, as a request (usage is what it bills)."""

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT``: what ``azure_endpoint`` is set to."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeAzure:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *faults: str) -> None:
        """Force these faults on the next requests, in order (before any random ones)."""
        unknown = set(faults) - set(FAULTS)
        assert not unknown, f"unknown faults {unknown}"
        with self._lock:
            self._script.extend(faults)

    def billed(self) -> list[Recorded]:
        """Requests that were answered with usage (what a real service would charge)."""
        return [r for r in self.requests if r.usage is not None]

    def billed_cost(self, price: Price) -> float:
        """What the billed requests cost at ``price``, as a real service would bill them."""
        return sum(
            cost_usd(
                price,
                prompt_tokens=u["prompt_tokens"],
                cached_prompt_tokens=u["prompt_tokens_details"]["cached_tokens"],
                completion_tokens=u["completion_tokens"],
            )
            for u in (r.usage for r in self.billed())
            if u is not None
        )

    def count(self, status: int) -> int:
        """Requests answered with ``status``."""
        return sum(1 for r in self.requests if r.status == status)

    # --- request handling (runs in server threads) -------------------------------------------

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        url = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            payload = json.loads(body or b"{}")
        except json.JSONDecodeError:
            payload = {}
        record = Recorded(url.path, query, headers, payload)
        with self._lock:
            self.requests.append(record)
        if _BATCH_ROUTES.match(url.path):
            status, out_headers, out = self._batch_route(method, url.path, headers, body)
        else:
            status, out_headers, out = self._route(
                method, url.path, query, headers, payload, record
            )
        record.status = status
        return status, out_headers, json.dumps(out).encode() if not isinstance(out, bytes) else out

    def _route(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: dict[str, Any],
        record: Recorded,
    ) -> tuple[int, dict[str, str], Any]:
        if method == "GET" and path == "/msi/token":
            return self._managed_identity_token(headers, query)
        match = re.fullmatch(r"/openai/deployments/([^/]+)/chat/completions", path)
        if method != "POST" or not (
            match or path in ("/openai/v1/chat/completions", "/v1/chat/completions")
        ):
            return 404, {}, _error("404", "Resource not found")
        if not self._authorised(headers, azure=path.startswith("/openai/")):
            return (
                401,
                {},
                _error(
                    "401",
                    "Access denied due to invalid subscription key or wrong API endpoint. "
                    "Make sure to provide a valid key for an active subscription and use a "
                    "correct regional API endpoint for your resource.",
                ),
            )
        deployment = match.group(1) if match else str(body.get("model"))
        if deployment not in self.config.deployments:
            return (
                404,
                {},
                _error(
                    "DeploymentNotFound",
                    "The API deployment for this resource does not exist. If you created the "
                    "deployment within the last 5 minutes, please wait a moment and try again.",
                ),
            )
        if match:
            refused = _version_problem(query.get("api-version"), body)
            if refused is not None:
                return 400, {}, refused
        return self._complete(body, record)

    def _batch_route(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        if not self._authorised(headers, azure=True):
            return 401, {}, _error("401", "Access denied due to invalid subscription key.")
        answered = self.batches.route(method, path, headers, body)
        return answered if answered is not None else (404, {}, _error("404", "Resource not found"))

    def _batch_line(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """One line of a batch job, answered as the chat route would answer it."""
        record = Recorded("/batch-line", {}, {}, body)
        status, _headers, out = self._complete(body, record)
        record.status = status
        with self._lock:
            self.batch_lines.append(record)
        return status, out

    def _managed_identity_token(
        self, headers: dict[str, str], query: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        """App Service managed identity (``IDENTITY_ENDPOINT``): keyless auth without a cloud."""
        if headers.get("x-identity-header") != ENTRA_SECRET:
            return 401, {}, {"error": "bad identity header"}
        token = {
            "access_token": ENTRA_TOKEN,
            "expires_on": str(int(time.time()) + 3600),
            "resource": query.get("resource", ""),
            "token_type": "Bearer",
        }
        return 200, {}, token

    def _authorised(self, headers: dict[str, str], *, azure: bool) -> bool:
        bearer = headers.get("authorization", "")
        token = bearer[7:] if bearer.lower().startswith("bearer ") else None
        key = headers.get("api-key") if azure else None
        return (key or token) in self.config.keys

    def _next_fault(self) -> str | None:
        with self._lock:
            if self._script:
                return self._script.pop(0)
            draw = self._rng.random()
        if draw < self.config.rate_429:
            return "429"
        if draw < self.config.rate_429 + self.config.rate_500:
            return "500"
        return None

    def _complete(self, body: dict[str, Any], record: Recorded) -> tuple[int, dict[str, str], Any]:
        counter = self.config.counter
        messages = body.get("messages", [])
        prompt_tokens = counter.count_messages(messages)
        for extra in ("response_format", "tools"):
            if extra in body:
                prompt_tokens += counter.count(json.dumps(body[extra], separators=(",", ":")))
        allowance = int(body.get("max_completion_tokens") or body.get("max_tokens") or 4096)
        fault = self._next_fault()
        record.fault = fault
        if fault == "429":
            ms = self.config.retry_after_ms
            return (
                429,
                {"retry-after-ms": str(ms), "retry-after": str(math.ceil(ms / 1000))},
                _error("429", "Rate limit is exceeded. Try again later."),
            )
        throttled = self._charge(prompt_tokens + allowance)
        if throttled is not None:
            record.fault = "quota"
            return (
                429,
                throttled,
                _error(
                    "429",
                    "Requests to the ChatCompletions_Create Operation have exceeded the token rate "
                    "limit of your current tier. Please retry after the time in retry-after.",
                ),
            )
        if fault == "500":
            wait = {"retry-after-ms": str(self.config.retry_after_ms)}
            return (
                500,
                wait if self.config.retry_after_on_500 else {},
                _error("InternalServerError", self.config.error_message),
            )
        if fault == "hang":
            time.sleep(self.config.hang_s)
        if self.config.latency_s:
            time.sleep(self.config.latency_s)
        message, finish = self._message(fault, messages, body)
        cached = self._cached_tokens(messages, prompt_tokens)
        completion_tokens = max(
            1, counter.count(message.get("content") or json.dumps(message.get("tool_calls") or ""))
        )
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached},
        }
        record.usage = usage
        answer = {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "gpt-4o-2024-11-20",
            "choices": [
                {"index": 0, "finish_reason": finish, "message": message, "logprobs": None}
            ],
            "usage": usage,
        }
        return 200, self._remaining(), answer

    def _charge(self, tokens: int) -> dict[str, str] | None:
        """Charge a request to the current windows, or say how long until it would fit."""
        windows = [(w, n) for w, n in ((self._rpm, 1), (self._tpm, tokens)) if w is not None]
        with self._lock:
            now = time.monotonic()
            wait = max((w.wait(n, now) for w, n in windows), default=0.0)
            if wait <= 0:
                for window, amount in windows:
                    window.charge(amount)
                return None
            return {
                "retry-after-ms": str(math.ceil(wait * 1000)),
                "retry-after": str(math.ceil(wait)),
                **self._remaining(),
            }

    def _remaining(self) -> dict[str, str]:
        out = {}
        for window, kind in ((self._rpm, "requests"), (self._tpm, "tokens")):
            if window is not None:
                out[f"x-ratelimit-limit-{kind}"] = str(window.per_minute)
                out[f"x-ratelimit-remaining-{kind}"] = str(int(window.remaining()))
        return out

    def _cached_tokens(self, messages: list[Any], prompt_tokens: int) -> int:
        """Tokens of the longest block-aligned prefix seen before, Azure-style (>= 1024)."""
        text = json.dumps(messages, sort_keys=True)
        digest = hashlib.sha256()
        matched = 0
        keys = []
        with self._lock:
            for start in range(0, len(text) - CHUNK + 1, CHUNK):
                digest.update(text[start : start + CHUNK].encode())
                key = digest.hexdigest()
                keys.append(key)
                if key in self._seen and matched == start:
                    matched = start + CHUNK
            self._seen.update(keys)
        tokens = self.config.counter.count(text[:matched])
        tokens = min(prompt_tokens, tokens) // 128 * 128
        return tokens if tokens >= 1024 else 0

    def _message(
        self, fault: str | None, messages: list[Any], body: dict[str, Any]
    ) -> tuple[dict[str, Any], str]:
        if fault in ("tool_call", "tool_escape") and body.get("tools"):
            path = _file_of(messages)
            asked = path if fault == "tool_call" else "../../etc/passwd"
            call = {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_imports", "arguments": json.dumps({"path": asked})},
            }
            return {
                "role": "assistant",
                "content": None,
                "refusal": None,
                "tool_calls": [call],
            }, "tool_calls"
        if fault == "refusal":
            return {
                "role": "assistant",
                "content": None,
                "refusal": self.config.refusal,
            }, "stop"
        if fault == "content_filter":
            return {"role": "assistant", "content": None, "refusal": None}, "content_filter"
        batch = draft_answer(messages, wrong=fault == "wrong")
        if self.config.rewrite is not None:
            rewrite = self.config.rewrite
            batch = DraftBatch(
                answers=[TargetAnswer(id=a.id, draft=rewrite(a.draft)) for a in batch.answers]
            )
        answer = batch.model_dump_json()
        if fault == "length":
            return {
                "role": "assistant",
                "content": answer[: len(answer) // 2],
                "refusal": None,
            }, "length"
        if fault == "malformed":
            answer = answer[: len(answer) // 2]
        return {"role": "assistant", "content": answer, "refusal": None}, "stop"


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "param": None, "type": None}}


def _version_problem(version: str | None, body: dict[str, Any]) -> dict[str, Any] | None:
    if not version:
        return _error("404", "Resource not found")
    schema = (body.get("response_format") or {}).get("type") == "json_schema"
    if schema and version[:10] < "2024-08-01":
        return _error(
            "BadRequest",
            "response_format value as json_schema is enabled only for api versions "
            "2024-08-01-preview and later",
        )
    if version == "2024-10-21" and "max_completion_tokens" in body:
        return {
            "error": {
                "message": "Unrecognized request argument supplied: max_completion_tokens",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        }
    return None


def _file_of(messages: list[Any]) -> str:
    for message in messages:
        found = re.search(r"^File: (.+)$", str(message.get("content") or ""), re.M)
        if found:
            return found.group(1)
    return ""


_BLOCK = re.compile(r"^### Target (T\d+)\n((?:[a-z ]+: .*\n)+)", re.M)


def target_facts(messages: list[Any]) -> dict[str, dict[str, str]]:
    """The facts of every target the user messages ask about, by id."""
    facts: dict[str, dict[str, str]] = {}
    for message in messages:
        if message.get("role") != "user":
            continue
        for target_id, block in _BLOCK.findall(str(message.get("content") or "")):
            facts[target_id] = dict(line.split(": ", 1) for line in block.splitlines())
    return facts


def draft_answer(messages: list[Any], *, wrong: bool = False) -> DraftBatch:
    """A schema-valid answer for the targets asked about (only the repaired ids on a repair)."""
    facts = target_facts(messages)
    last = str(messages[-1].get("content") or "") if messages else ""
    again = re.search(r"Answer again for (.+?) only", last)
    ids = [part.strip() for part in again.group(1).split(",")] if again else list(facts)
    return DraftBatch(
        answers=[TargetAnswer(id=i, draft=_draft(facts[i], wrong=wrong)) for i in ids if i in facts]
    )


def _names(value: str) -> list[str]:
    return [] if value == "(none)" else [part.strip().lstrip("*") for part in value.split(",")]


def _draft(facts: dict[str, str], *, wrong: bool) -> DocstringDraft:
    name = facts["qualname"].rsplit(".", 1)[-1]
    params = [
        ParamDoc(name=p, type=None, description=f"The {p} to use.")
        for p in _names(facts.get("write parameters", facts["parameters"]))
    ]
    if wrong:
        params.append(ParamDoc(name="bogus", type=None, description="Not a parameter."))
    value = ReturnDoc(type=None, description=f"What {name} produces.")
    return DocstringDraft(
        summary=f"Carry out {name}.",
        description=None,
        params=params,
        returns=value if facts["returns a value"] == "yes" else None,
        yields=value if facts["generator"] == "yes" else None,
        raises=[RaiseDoc(exception=e, description="If it fails.") for e in _names(facts["raises"])],
        examples=[],
    )


def _handler(fake: FakeAzure) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def handle(self) -> None:
            # A client killed mid-request (the resume tests kill one) is no server error.
            with contextlib.suppress(ConnectionError):
                super().handle()

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, out = fake.handle(self.command, self.path, headers, body)
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(out)
            except OSError:
                pass  # the client gave up (a hang fault outlived its timeout)

        do_GET = do_POST

    return Handler


def iter_faults(records: list[Recorded]) -> Iterator[str]:
    """The faults injected, in order."""
    return (r.fault for r in records if r.fault)


ENTRA_TOKEN = "entra-token-for-tests"
ENTRA_SECRET = "identity-header-for-tests"
KEY = "test-key-0123456789abcdef"
"""The fake's default key; tests assert it never shows up in any output."""


def settings_for(fake: FakeAzure, **overrides: Any) -> Any:
    """Validated settings pointing the azure provider at ``fake`` (overrides win)."""
    from bot.settings import validate

    values: dict[str, Any] = {
        "provider": "azure",
        "azure_endpoint": fake.endpoint,
        "azure_api_key": KEY,
        "azure_deployment": "docs-4o",
        "timeout_s": 2.0,
        "concurrency": 8,
    }
    values.update(overrides)
    return validate(values)
