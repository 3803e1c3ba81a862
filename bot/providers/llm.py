"""The ``azure`` and ``openai`` providers: structured docstring drafts from a chat model.

One request per prompt (several targets of a file may share one), strict JSON-schema
answers parsed into ``DraftBatch``, each draft checked against its target's signature
with one repair round, a cost cap decided before any call, a client-side rate limiter,
and retries of what is retryable only (the SDK's own retries are off).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import openai
from pydantic import ValidationError

from bot.docmodel import DocstringDraft, problems
from bot.errors import ProviderError
from bot.model import Usage
from bot.pricing import FALLBACK_PRICE, context_window, price_for, upper_bound_usd
from bot.prompts import (
    PROMPT_VERSION,
    DraftBatch,
    Message,
    Prompt,
    build_prompts,
    repair_messages,
    response_format,
    schema_tokens,
)
from bot.providers.base import DraftOutcome, DraftRequest, Progress
from bot.providers.clients import Connection, connect, redact, service_message, unreachable
from bot.providers.limiter import RateLimiter, open_limiter
from bot.providers.retry import Backoff, call_with_retries, retry_after_s
from bot.providers.tools import TOOL_SPECS, ToolBox
from bot.providers.usage import Budget, Call, split_usage
from bot.settings import Price, Settings
from bot.tokens import TokenCounter, make_counter

# Answers that say the model cannot or will not answer: per-target failures, not errors.
_FINISH_REASONS = {
    "length": "the answer was cut off at the completion allowance (max_completion_tokens={n})",
    "content_filter": "the service's content filter withheld the answer",
}
_FATAL_STATUS = {401, 403, 404}


def make_llm_provider(
    settings: Settings,
    *,
    files: Mapping[str, str],
    warn: Callable[[str], None],
    backoff_s: float = 1.0,
) -> LLMProvider:
    """The provider ``settings`` name (``azure`` or ``openai``), validated and connected.

    Raises ``ConfigError`` naming the first missing or invalid setting.  ``files`` are
    the change's new file texts by path (what the tools answer from); ``backoff_s`` is
    the first retry's backoff ceiling.
    """
    connection = connect(settings)
    counter = make_counter(settings.model, warn=warn)
    price = price_for(settings.model, settings.prices)
    if price is None:
        warn(
            f"no price known for model {settings.model!r}; planning costs at "
            f"${FALLBACK_PRICE.input}/${FALLBACK_PRICE.output} per 1M tokens "
            "(add it to the prices setting)"
        )
        price = FALLBACK_PRICE
    return LLMProvider(
        settings,
        connection,
        counter=counter,
        price=price,
        files=files,
        backoff=Backoff(base_s=backoff_s, max_s=max(backoff_s * 32, 1.0)),
        limiter=open_limiter(
            settings, endpoint=connection.url, deployment=connection.model, warn=warn
        ),
    )


@dataclass
class _Answer:
    """What one prompt produced, per request index: draft or reason, and the usage."""

    drafts: dict[int, DocstringDraft] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    usage: dict[int, Usage] = field(default_factory=dict)

    def bill(self, call: Call, indices: Sequence[int], price: Price) -> None:
        for index, share in split_usage(call, indices, price).items():
            self.usage[index] = self.usage.get(index, Usage()) + share


class LLMProvider:
    """Docstring drafts from Azure OpenAI or an OpenAI-compatible endpoint."""

    def __init__(
        self,
        settings: Settings,
        connection: Connection,
        *,
        counter: TokenCounter,
        price: Price,
        files: Mapping[str, str],
        backoff: Backoff,
        limiter: RateLimiter,
    ) -> None:
        self.name = connection.provider
        self.settings = settings
        self.counter = counter
        self.price = price
        self._conn = connection
        self._files = files
        self._backoff = backoff
        self._window = context_window(settings.model, settings.context_window)
        self._limiter = limiter
        self._budget = Budget(settings.max_cost_usd)
        self.retries = 0

    def __repr__(self) -> str:
        return f"LLMProvider({self.name}, model={self._conn.model!r}, url={self._conn.url!r})"

    # --- planning ---------------------------------------------------------------------------

    def plan(self, requests: Sequence[DraftRequest]) -> tuple[list[Prompt], dict[int, str]]:
        """The prompts ``requests`` become, and the reasons of those that fit no prompt."""
        prompts, skips = build_prompts(
            requests,
            counter=self.counter,
            context_window=self._window,
            allowance=self.settings.max_completion_tokens,
            batch=self.settings.batch,
        )
        return prompts, {skip.index: skip.reason for skip in skips}

    def _bound(self, prompt: Prompt) -> float:
        allowance = self.settings.max_completion_tokens * len(prompt.indices)
        rounds = self.settings.tool_rounds if self.settings.tools else 0
        return upper_bound_usd(
            self.price, prompt_tokens=prompt.tokens * (1 + rounds), completion_allowance=allowance
        )

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        """Upper bound of what answering ``requests`` costs: nothing cached, allowance used."""
        prompts, _ = self.plan(requests)
        return sum(self._bound(prompt) for prompt in prompts)

    def fingerprint(self, request: DraftRequest) -> str:
        """Prompt version, endpoint identity, generation settings and the messages sent."""
        prompts, skips = self.plan([request])
        sent: list[Any] = [list(p.messages) for p in prompts] or list(skips.values())
        parts = {
            "prompt": PROMPT_VERSION,
            "provider": self.name,
            "model": self._conn.model,
            "settings": [
                self.settings.model,
                self.settings.temperature,
                self.settings.max_completion_tokens,
                self.settings.tools and self.settings.tool_rounds,
            ],
            "style": request.style,
            "sent": sent,
        }
        blob = json.dumps(parts, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    # --- answering --------------------------------------------------------------------------

    async def write(
        self, requests: Sequence[DraftRequest], *, progress: Progress | None = None
    ) -> list[DraftOutcome]:
        """One outcome per request, in order; targets beyond the cost cap are skipped whole."""
        prompts, skipped = self.plan(requests)
        outcomes: dict[int, DraftOutcome] = {
            i: DraftOutcome.skipped(reason) for i, reason in skipped.items()
        }
        admitted: list[Prompt] = []
        for prompt in prompts:
            if self._budget.reserve(self._bound(prompt)):
                admitted.append(prompt)
            else:
                reason = f"over the cost cap (max_cost_usd={self.settings.max_cost_usd})"
                outcomes.update({i: DraftOutcome.skipped(reason) for i in prompt.indices})
        if progress is not None and outcomes:
            progress(len(outcomes))

        async def run(prompt: Prompt) -> None:
            answer = await self._answer(prompt, requests)
            for index in prompt.indices:
                usage = answer.usage.get(index, Usage())
                if index in answer.drafts:
                    outcomes[index] = DraftOutcome(answer.drafts[index], usage=usage)
                else:
                    reason = answer.failures.get(index, "no answer")
                    outcomes[index] = DraftOutcome.failed(reason, usage)
            if progress is not None:
                progress(len(prompt.indices))

        tasks = [asyncio.ensure_future(run(prompt)) for prompt in admitted]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            # A fatal error (bad key, unknown deployment) ends the run: stop the rest.
            for task in tasks:
                task.cancel()
            raise
        return [outcomes[i] for i in range(len(requests))]

    async def _answer(self, prompt: Prompt, requests: Sequence[DraftRequest]) -> _Answer:
        answer = _Answer()
        bound = self._bound(prompt)
        try:
            content, call, finish = await self._complete(list(prompt.messages), prompt)
        except openai.APIError as exc:
            self._budget.settle(bound, 0.0)
            reason = self._describe(exc)
            answer.failures = dict.fromkeys(prompt.indices, reason)
            return answer
        self._budget.settle(bound, call.cost(self.price))
        answer.bill(call, prompt.indices, self.price)
        if finish is not None:
            if len(prompt.indices) > 1:
                return await self._one_by_one(prompt, requests, answer)
            answer.failures = dict.fromkeys(prompt.indices, finish)
            return answer
        found = self._check(content, prompt, requests, answer)
        if found:
            await self._repair(prompt, requests, content, found, answer)
        return answer

    async def _one_by_one(
        self, prompt: Prompt, requests: Sequence[DraftRequest], answer: _Answer
    ) -> _Answer:
        """Ask again per target after a batch-wide refusal, cut-off or filter."""
        for index in prompt.indices:
            single, skip = build_prompts(
                [requests[index]],
                counter=self.counter,
                context_window=self._window,
                allowance=self.settings.max_completion_tokens,
                batch=False,
            )
            if skip or not self._budget.reserve(self._bound(single[0])):
                answer.failures[index] = "asked alone after a failed batch: over budget"
                continue
            mapped = dataclasses.replace(single[0], indices=(index,))
            alone = await self._answer(mapped, requests)
            answer.drafts.update(alone.drafts)
            answer.failures.update(alone.failures)
            for i, usage in alone.usage.items():
                answer.usage[i] = answer.usage.get(i, Usage()) + usage
        return answer

    def _check(
        self, content: str, prompt: Prompt, requests: Sequence[DraftRequest], answer: _Answer
    ) -> dict[str, list[str]]:
        """Accept drafts that pass ``problems``; return the problems of the rest, by id."""
        by_id = dict(zip(prompt.ids, prompt.indices, strict=True))
        try:
            batch = DraftBatch.model_validate_json(content)
        except ValidationError as exc:
            first = exc.errors()[0]["msg"]
            return {i: [f"The answer was not valid JSON for the schema ({first})."] for i in by_id}
        drafts = {item.id: item.draft for item in batch.answers if item.id in by_id}
        found: dict[str, list[str]] = {}
        for target_id, index in by_id.items():
            if index in answer.drafts:
                continue
            draft = drafts.get(target_id)
            issues = (
                ["There is no answer for this id."]
                if draft is None
                else problems(draft, requests[index].target)
            )
            if issues:
                found[target_id] = issues
            elif draft is not None:
                answer.drafts[index] = draft
        return found

    async def _repair(
        self,
        prompt: Prompt,
        requests: Sequence[DraftRequest],
        content: str,
        found: dict[str, list[str]],
        answer: _Answer,
    ) -> None:
        by_id = dict(zip(prompt.ids, prompt.indices, strict=True))
        failing = [by_id[target_id] for target_id in found]
        messages = repair_messages(prompt, content, found)
        tokens = self.counter.count_messages(messages) + schema_tokens(self.counter)
        again = Prompt(
            prompt.path, prompt.indices, prompt.ids, tuple(messages), prompt.level, tokens
        )
        bound = upper_bound_usd(
            self.price,
            prompt_tokens=tokens,
            completion_allowance=self.settings.max_completion_tokens * len(failing),
        )
        reasons = {by_id[i]: "; ".join(p) for i, p in found.items()}
        if not self._budget.reserve(bound):
            for index in failing:
                answer.failures[index] = (
                    f"answer failed checks ({reasons[index]}); no budget to repair"
                )
            return
        try:
            content, call, finish = await self._complete(messages, again, targets=len(failing))
        except openai.APIError as exc:
            self._budget.settle(bound, 0.0)
            for index in failing:
                answer.failures[index] = f"{reasons[index]}; repair failed: {self._describe(exc)}"
            return
        self._budget.settle(bound, call.cost(self.price))
        answer.bill(call, failing, self.price)
        still = {} if finish else self._check(content, prompt, requests, answer)
        for index in failing:
            if index not in answer.drafts:
                target_id = prompt.ids[prompt.indices.index(index)]
                last = "; ".join(still.get(target_id, [])) or finish or reasons[index]
                answer.failures[index] = f"the answer still fails its checks after a repair: {last}"

    async def _complete(
        self, messages: list[Message], prompt: Prompt, *, targets: int | None = None
    ) -> tuple[str, Call, str | None]:
        """Content, usage and a per-target failure reason (refusal, length, filter) if any."""
        allowance = self.settings.max_completion_tokens * (targets or len(prompt.indices))
        toolbox = ToolBox(self._files, self.counter) if self.settings.tools else None
        rounds = self.settings.tool_rounds if toolbox is not None else 0
        total = Call()
        tokens = prompt.tokens
        while True:
            completion = await self._create(
                messages, allowance, tokens, tools=toolbox is not None, last=rounds == 0
            )
            total = total + Call.of(completion.usage)
            choice = completion.choices[0]
            calls = choice.message.tool_calls
            if toolbox is None or not calls or rounds == 0:
                break
            rounds -= 1
            messages = [*messages, *toolbox.turn(choice.message)]
            tokens = self.counter.count_messages(messages) + schema_tokens(self.counter)
        if choice.message.refusal:
            return "", total, f"the model refused: {choice.message.refusal}"
        if choice.finish_reason in _FINISH_REASONS:
            return "", total, _FINISH_REASONS[choice.finish_reason].format(n=allowance)
        return choice.message.content or "", total, None

    async def _create(
        self, messages: list[Message], allowance: int, tokens: int, *, tools: bool, last: bool
    ) -> Any:
        params: dict[str, Any] = {
            "model": self._conn.model,
            "messages": messages,
            "response_format": response_format(),
            self._conn.token_param: allowance,
        }
        if self._conn.temperature_ok:
            params["temperature"] = self.settings.temperature
        if tools:
            params["tools"] = TOOL_SPECS
            params["tool_choice"] = "none" if last else "auto"

        async def once() -> Any:
            async with self._limiter.slot(tokens + allowance):
                raw = await self._conn.client.chat.completions.with_raw_response.create(**params)
            self._limiter.observe(raw.headers)
            return raw.parse()

        try:
            return await call_with_retries(
                once,
                max_retries=self.settings.max_retries,
                backoff=self._backoff,
                on_retry=self._on_retry,
            )
        except openai.APIStatusError as exc:
            if exc.status_code in _FATAL_STATUS:
                raise ProviderError(self._describe(exc)) from None
            raise

    def _on_retry(self, exc: BaseException, wait: float) -> None:
        self.retries += 1
        if isinstance(exc, openai.APIStatusError):
            self._limiter.observe(exc.response.headers)
            if exc.status_code == 429:
                self._limiter.pause(retry_after_s(exc) or wait)

    def _describe(self, exc: openai.APIError) -> str:
        """One line about an API error, with any secret removed."""
        status = getattr(exc, "status_code", None)
        said = service_message(exc)
        text = f"{self.name} answered {status}: {said}" if status else f"{self.name}: {said}"
        down = unreachable(exc, self._conn.url, self.settings.timeout_s)
        return redact(down or text, self.settings)

    async def aclose(self) -> None:
        """Close the HTTP client, any credential and a shared limiter's connection."""
        self._limiter.close()
        await self._conn.aclose()
