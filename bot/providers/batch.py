"""The Azure OpenAI Batch API as a provider: the same prompts, half the price, within 24 hours.

Every prompt the chat provider would send becomes one line of a JSONL input file
(the same strict ``json_schema`` response format, one deployment for every line),
uploaded with purpose ``batch`` and run with completion window ``24h``.  The job is
polled no more often than ``batch_poll_s``; its record in the cache folder lets a
rerun pick up a job already running instead of paying twice.  Answers go through the
chat provider's own checks; what fails them is repaired with ordinary requests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from bot.errors import ConfigError, ProviderError
from bot.pricing import batch_price, upper_bound_usd
from bot.prompts import Prompt
from bot.providers.answer import Answer, content_and_reason, gather_or_cancel, record_outcomes
from bot.providers.base import DraftOutcome, DraftRequest, Each, Progress
from bot.providers.batch_jobs import (
    CHAT_URL,
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
from bot.providers.llm import LLMProvider, make_llm_provider
from bot.providers.retry import call_with_retries
from bot.providers.usage import Call
from bot.settings import Settings

Note = Callable[[str], None]
_DONE = frozenset({"completed", "failed", "expired", "cancelled"})
_Reply = tuple[str, Call, str | None]


def make_batch_provider(
    settings: Settings,
    *,
    files: Mapping[str, str],
    warn: Note,
    note: Note | None = None,
) -> BatchProvider:
    """The Batch API provider ``settings`` describe; ``ConfigError`` unless it is Azure's."""
    if settings.resolved_provider() != "azure":
        raise ConfigError("setting batch_api: the Batch API is Azure OpenAI's; use provider azure")
    chat = make_llm_provider(settings, files=files, warn=warn)
    store = JobStore(settings.cache_dir / "batches", warn=warn)
    return BatchProvider(chat, store, note=note or (lambda _message: None))


@dataclass
class _Collected:
    """What the jobs answered, by custom_id: replies, and why the others have none."""

    replies: dict[str, _Reply] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)
    """Lines of jobs still running when the run stopped waiting: a rerun collects them."""


class BatchProvider:
    """Drafts through Batch API jobs; planning, checks and repairs are the chat provider's."""

    def __init__(
        self,
        chat: LLMProvider,
        store: JobStore,
        *,
        note: Note,
        max_requests: int = MAX_REQUESTS,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.name = chat.name
        self._limits = (max_requests, max_bytes)
        self._chat = chat
        self._store = store
        self._note = note
        settings = chat.settings
        self._poll_s = settings.batch_poll_s
        self._wait_s = settings.batch_wait_s
        self._deployment = settings.batch_deployment or chat.connection.model
        self.price = batch_price(chat.price)

    def fingerprint(self, request: DraftRequest) -> str:
        """The chat provider's: a batch answer is the same answer, and shares its cache entry."""
        return self._chat.fingerprint(request)

    def _bound(self, prompt: Prompt) -> float:
        allowance = self._chat.settings.max_completion_tokens * len(prompt.indices)
        return upper_bound_usd(
            self.price, prompt_tokens=prompt.tokens, completion_allowance=allowance
        )

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        """Upper bound at batch prices: nothing cached, the whole allowance used."""
        return sum(self._bound(prompt) for prompt in self.plan(requests))

    def plan(self, requests: Sequence[DraftRequest]) -> list[Prompt]:
        """The prompts ``requests`` become, one line each (the chat provider's plan)."""
        return self._chat.plan(requests)[0]

    def body(self, prompt: Prompt) -> dict[str, Any]:
        """The request ``prompt`` becomes: the chat provider's, on the batch deployment."""
        allowance = self._chat.settings.max_completion_tokens * len(prompt.indices)
        params = self._chat.chat_params(list(prompt.messages), allowance)
        params["model"] = self._deployment
        return params

    async def write(
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Progress | None = None,
        each: Each | None = None,
    ) -> list[DraftOutcome]:
        """One outcome per request, in order, once every job they are in has ended."""
        outcomes, admitted = self._chat.admit(requests, self._bound, progress, each)
        lines: dict[str, bytes] = {}
        asked: dict[str, list[Prompt]] = {}
        for prompt in admitted:
            body = self.body(prompt)
            line_id = custom_id(body)
            lines.setdefault(line_id, jsonl_line(line_id, body))
            asked.setdefault(line_id, []).append(prompt)
        if asked:
            jobs = await self._jobs(lines, asked, requests, admitted)
            collected = await self._collect(jobs, asked.keys())
            calls = [
                self._settle(prompt, requests, collected, outcomes, (progress, each), first=k == 0)
                for line_id, prompts in asked.items()
                for k, prompt in enumerate(prompts)
            ]
            await gather_or_cancel(calls)
        return [outcomes[i] for i in range(len(requests))]

    async def _settle(
        self,
        prompt: Prompt,
        requests: Sequence[DraftRequest],
        collected: _Collected,
        outcomes: dict[int, DraftOutcome],
        told: tuple[Progress | None, Each | None],
        *,
        first: bool,
    ) -> None:
        progress, each = told
        line_id = custom_id(self.body(prompt))
        reply = collected.replies.get(line_id)
        bound = self._bound(prompt)
        if line_id in collected.waiting:
            self._chat.budget.settle(bound, 0.0)
            for index in prompt.indices:
                outcomes[index] = DraftOutcome.skipped(collected.waiting[line_id])
                if each is not None:
                    each(index, outcomes[index])
            if progress is not None:
                progress(len(prompt.indices))
            return
        if reply is None:
            self._chat.budget.settle(bound, 0.0)
            reason = collected.failures.get(line_id, "the batch job returned no answer for it")
            answer = Answer(failures=dict.fromkeys(prompt.indices, reason))
            record_outcomes(answer, prompt, outcomes, progress, each)
            return
        content, call, finish = reply
        # The same line answers identical prompts; it is billed once.
        billed = call if first else Call()
        answer = await self._chat.accept(
            prompt, requests, (content, billed, finish), bound=bound, price=self.price
        )
        record_outcomes(answer, prompt, outcomes, progress, each)

    # --- jobs -------------------------------------------------------------------------------

    async def _jobs(
        self,
        lines: Mapping[str, bytes],
        asked: Mapping[str, list[Prompt]],
        requests: Sequence[DraftRequest],
        admitted: Sequence[Prompt],
    ) -> list[JobRecord]:
        """The jobs already running for these lines, and new ones for the rest."""
        endpoint = self._chat.connection.url
        running = [
            record
            for record in self._store.load(endpoint, self._deployment)
            if asked.keys() & record.targets.keys()
        ]
        for record in running:
            if record.batch_id is None:
                await self._create(record, adopt=True)
        covered = {line_id for record in running for line_id in record.targets}
        fresh = [line_id for line_id in lines if line_id not in covered]
        standard = sum(self._chat.bound(prompt) for prompt in admitted)
        batch = sum(self._bound(prompt) for prompt in admitted)
        self._note(
            f"batch: {len(lines)} requests ({len(lines) - len(fresh)} in {len(running)} running "
            f"job(s), {len(fresh)} to submit); at most ${batch:.4f} at batch prices "
            f"(${standard:.4f} at standard prices)"
        )
        max_requests, max_bytes = self._limits
        parts = split_lines(
            [lines[line_id] for line_id in fresh], max_requests=max_requests, max_bytes=max_bytes
        )
        new = []
        for part in parts:
            ids = [fresh[i] for i in part]
            data = b"".join(lines[line_id] for line_id in ids)
            targets = {line_id: _named(asked[line_id][0], requests) for line_id in ids}
            new.append(await self._submit(data, targets, endpoint))
        return running + new

    async def _submit(self, data: bytes, targets: dict[str, list[str]], endpoint: str) -> JobRecord:
        client = self._chat.connection.client
        uploaded = await self._call(
            lambda: client.files.create(
                file=("docbot-batch.jsonl", data, "application/jsonl"), purpose="batch"
            )
        )
        record = JobRecord(
            input_file_id=uploaded.id,
            endpoint=endpoint,
            deployment=self._deployment,
            targets=targets,
        )
        # Recorded before the job exists: a run killed in between finds the file's job
        # (or creates it) instead of uploading and paying again.
        self._store.save(record)
        await self._create(record, adopt=False)
        return record

    async def _create(self, record: JobRecord, *, adopt: bool) -> None:
        client = self._chat.connection.client
        if adopt:
            async for job in await self._call(lambda: client.batches.list(limit=100)):
                if job.input_file_id == record.input_file_id:
                    record.batch_id = job.id
                    self._store.save(record)
                    return
        job = await self._call(
            lambda: client.batches.create(
                input_file_id=record.input_file_id,
                # Azure's route is the bare path; the SDK's type only knows OpenAI's /v1 ones.
                endpoint=cast(Any, CHAT_URL),
                completion_window="24h",
            )
        )
        record.batch_id = job.id
        self._store.save(record)
        self._note(f"batch: submitted job {plain(job.id)} ({len(record.targets)} requests)")

    async def _collect(self, jobs: Sequence[JobRecord], asked: AbstractSet[str]) -> _Collected:
        """Wait for the jobs, read their files, and forget those with nothing left to give.

        A completed job some of whose lines this run did not ask about (a backfill of part
        of what an interrupted one submitted) is kept: a later run collects the rest.
        """
        collected = _Collected()
        for record, job in zip(jobs, await asyncio.gather(*map(self._wait, jobs)), strict=True):
            await self._harvest(record, job, collected)
            if job is not None and job.status not in _DONE:
                continue  # still running: the record is how a rerun finds it
            if job is None or job.status != "completed" or record.targets.keys() <= asked:
                self._store.drop(record)
        return collected

    async def _wait(self, record: JobRecord) -> Any:
        """The job once it has ended, looking at it once per ``batch_poll_s``; None: gone.

        After ``batch_wait_s`` (if set) the job is returned as it stands, still running.
        """
        client = self._chat.connection.client
        batch_id = record.batch_id
        assert batch_id is not None
        seen = ""
        stop = None if self._wait_s is None else time.monotonic() + self._wait_s
        while True:
            try:
                job = await self._call(lambda: client.batches.retrieve(batch_id), gone_ok=True)
            except _Gone:
                return None
            counts = job.request_counts
            state = f"{job.status}, {counts.completed if counts else 0} of "
            state += f"{counts.total if counts else len(record.targets)} requests answered"
            if state != seen:
                self._note(f"batch: job {plain(batch_id)}: {plain(state)}")
                seen = state
            if job.status in _DONE or (stop is not None and time.monotonic() >= stop):
                return job
            await asyncio.sleep(self._poll_s)

    async def _harvest(self, record: JobRecord, job: Any, collected: _Collected) -> None:
        """Replies from the job's output file, reasons from its error file and its end."""
        if job is not None and job.status not in _DONE:
            why = (
                f"waiting on batch job {plain(job.id)} ({plain(job.status)}); "
                "run again to collect its answers"
            )
            collected.waiting.update(dict.fromkeys(record.targets, why))
            return
        if job is None:
            why = f"the batch job {plain(str(record.batch_id))} is gone; run again to ask anew"
        elif job.status == "failed":
            errors = getattr(job.errors, "data", None) or []
            said = errors[0].message if errors and errors[0].message else "no reason given"
            why = f"the batch job failed: {plain(str(said))}"
        elif job.status == "completed":
            why = "the batch job returned no answer for it"
        else:
            ended = plain(job.status)
            why = f"the batch job ended {ended} before answering it; run again to ask anew"
        for line_id in record.targets:
            collected.failures[line_id] = why
        if job is None:
            return
        for file_id in (job.output_file_id, job.error_file_id):
            if file_id:
                text = await self._download(file_id)
                for raw in text.splitlines():
                    self._read_line(raw, record, collected)

    async def _download(self, file_id: str) -> str:
        client = self._chat.connection.client
        content = await self._call(lambda: client.files.content(file_id))
        return str(content.text)

    def _read_line(self, raw: str, record: JobRecord, collected: _Collected) -> None:
        read = result_line(raw)
        if read is None or read[0] not in record.targets:
            return
        line_id, body, reason = read
        if body is None:
            collected.failures[line_id] = reason or "no answer"
            return
        try:
            completion = ChatCompletion.model_validate(body)
            allowance = len(record.targets[line_id]) * self._chat.settings.max_completion_tokens
            content, finish = content_and_reason(completion.choices[0], allowance)
        except (ValidationError, IndexError):
            collected.failures[line_id] = "the batch job's answer was not a chat completion"
            return
        collected.replies[line_id] = (content, Call.of(completion.usage), finish)

    async def _call(self, make: Callable[[], Any], *, gone_ok: bool = False) -> Any:
        """A files or batches call with the chat provider's retries; what still fails is fatal.

        With ``gone_ok`` a 404 raises ``_Gone`` (a job the service no longer knows).
        """
        chat = self._chat

        async def once() -> Any:
            return await make()

        try:
            return await call_with_retries(
                once, max_retries=chat.settings.max_retries, backoff=chat.backoff
            )
        except openai.NotFoundError as exc:
            if gone_ok:
                raise _Gone from None
            raise ProviderError(chat.describe(exc)) from None
        except openai.APIError as exc:
            raise ProviderError(chat.describe(exc)) from None

    async def aclose(self) -> None:
        """Close the chat provider's client."""
        await self._chat.aclose()


class _Gone(Exception):
    """The service does not know the job (deleted, or another resource's)."""


def _named(prompt: Prompt, requests: Sequence[DraftRequest]) -> list[str]:
    targets = (requests[index].target for index in prompt.indices)
    return [f"{t.path}:{t.line} {t.qualname}" for t in targets]
