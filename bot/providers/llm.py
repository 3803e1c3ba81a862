"""The ``azure`` and ``openai`` providers: structured docstring drafts from a chat model.

One request per prompt (several targets of a file may share one), strict JSON-schema
answers parsed into ``DraftBatch``, each draft checked against its target's signature
with one repair round, a cost cap decided before any call, a client-side rate limiter,
and retries of what is retryable only (the SDK's own retries are off).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import openai
from pydantic import ValidationError

from bot.docmodel import problems
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
from bot.providers.answer import Answer, content_and_reason, gather_or_cancel, record_outcomes
from bot.providers.base import DraftOutcome, DraftRequest, Each, Progress
from bot.providers.clients import Connection, connect, redact, service_message, unreachable
from bot.providers.limiter import RateLimiter, open_limiter
from bot.providers.retry import Backoff, call_with_retries, retry_after_s
from bot.providers.tools import TOOL_SPECS, ToolBox
from bot.providers.usage import Budget, Call
from bot.redact import Redactor
from bot.settings import Price, Settings
from bot.tokens import TokenCounter, make_counter

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

    @property
    def connection(self) -> Connection:
        """The SDK client and the facts of its endpoint."""
        return self._conn

    @property
    def budget(self) -> Budget:
        """The run's cost cap, shared by everything this provider asks."""
        return self._budget

    @property
    def backoff(self) -> Backoff:
        """How long retries wait."""
        return self._backoff

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

    def bound(self, prompt: Prompt) -> float:
        """The most ``prompt`` can cost at the standard price, tool rounds included."""
        allowance = self.settings.max_completion_tokens * len(prompt.indices)
        rounds = self.settings.tool_rounds if self.settings.tools else 0
        return upper_bound_usd(
            self.price, prompt_tokens=prompt.tokens * (1 + rounds), completion_allowance=allowance
        )

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        """Upper bound of what answering ``requests`` costs: nothing cached, allowance used."""
        prompts, _ = self.plan(requests)
        return sum(self.bound(prompt) for prompt in prompts)

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
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Progress | None = None,
        each: Each | None = None,
    ) -> list[DraftOutcome]:
        """One outcome per request, in order; targets beyond the cost cap are skipped whole."""
        outcomes, admitted = self.admit(requests, self.bound, progress, each)

        async def run(prompt: Prompt) -> None:
            answer = await self._answer(prompt, requests)
            record_outcomes(answer, prompt, outcomes, progress, each)

        await gather_or_cancel([run(prompt) for prompt in admitted])
        return [outcomes[i] for i in range(len(requests))]

    def admit(
        self,
        requests: Sequence[DraftRequest],
        bound: Callable[[Prompt], float],
        progress: Progress | None,
        each: Each | None = None,
    ) -> tuple[dict[int, DraftOutcome], list[Prompt]]:
        """The prompts the cost cap admits (reserved at ``bound``), and the outcomes of the rest."""
        prompts, skipped = self.plan(requests)
        outcomes: dict[int, DraftOutcome] = {
            i: DraftOutcome.skipped(reason) for i, reason in skipped.items()
        }
        admitted: list[Prompt] = []
        for prompt in prompts:
            if self._budget.reserve(bound(prompt)):
                admitted.append(prompt)
            else:
                reason = f"over the cost cap (max_cost_usd={self.settings.max_cost_usd})"
                outcomes.update({i: DraftOutcome.skipped(reason) for i in prompt.indices})
        if each is not None:
            for index, outcome in outcomes.items():
                each(index, outcome)
        if progress is not None and outcomes:
            progress(len(outcomes))
        return outcomes, admitted

    async def _answer(self, prompt: Prompt, requests: Sequence[DraftRequest]) -> Answer:
        bound = self.bound(prompt)
        try:
            content, call, finish = await self._complete(list(prompt.messages), prompt)
        except openai.APIError as exc:
            self._budget.settle(bound, 0.0)
            reason = self.describe(exc)
            return Answer(failures=dict.fromkeys(prompt.indices, reason))
        return await self.accept(
            prompt, requests, (content, call, finish), bound=bound, price=self.price
        )

    async def accept(
        self,
        prompt: Prompt,
        requests: Sequence[DraftRequest],
        reply: tuple[str, Call, str | None],
        *,
        bound: float,
        price: Price,
    ) -> Answer:
        """Settle, bill and check one reply to ``prompt``; repair what fails the checks.

        ``price`` is what the reply was billed at (the Batch API's is half the standard);
        repairs are ordinary requests at the standard price.
        """
        content, call, finish = reply
        answer = Answer()
        self._budget.settle(bound, call.cost(price))
        answer.bill(call, prompt.indices, price)
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
        self, prompt: Prompt, requests: Sequence[DraftRequest], answer: Answer
    ) -> Answer:
        """Ask again per target after a batch-wide refusal, cut-off or filter."""
        for index in prompt.indices:
            single, skip = build_prompts(
                [requests[index]],
                counter=self.counter,
                context_window=self._window,
                allowance=self.settings.max_completion_tokens,
                batch=False,
            )
            if skip or not self._budget.reserve(self.bound(single[0])):
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
        self, content: str, prompt: Prompt, requests: Sequence[DraftRequest], answer: Answer
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
                # A model may echo a key it saw in an error or a file: never cache or post it.
                answer.drafts[index] = Redactor.for_settings(self.settings).model(draft)
        return found

    async def _repair(
        self,
        prompt: Prompt,
        requests: Sequence[DraftRequest],
        content: str,
        found: dict[str, list[str]],
        answer: Answer,
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
                answer.failures[index] = f"{reasons[index]}; repair failed: {self.describe(exc)}"
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
        content, reason = content_and_reason(choice, allowance)
        return content, total, (redact(reason, self.settings) if reason else None)

    def chat_params(self, messages: list[Message], allowance: int) -> dict[str, Any]:
        """A chat request's body, tools aside: also what a Batch API line carries."""
        params: dict[str, Any] = {
            "model": self._conn.model,
            "messages": messages,
            "response_format": response_format(),
            self._conn.token_param: allowance,
        }
        if self._conn.temperature_ok:
            params["temperature"] = self.settings.temperature
        return params

    async def _create(
        self, messages: list[Message], allowance: int, tokens: int, *, tools: bool, last: bool
    ) -> Any:
        params = self.chat_params(messages, allowance)
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
                raise ProviderError(self.describe(exc)) from None
            raise

    def _on_retry(self, exc: BaseException, wait: float) -> None:
        self.retries += 1
        if isinstance(exc, openai.APIStatusError):
            self._limiter.observe(exc.response.headers)
            if exc.status_code == 429:
                self._limiter.pause(retry_after_s(exc) or wait)

    def describe(self, exc: openai.APIError) -> str:
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
