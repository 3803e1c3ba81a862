"""What one prompt produced: drafts or reasons per request, and the usage they share."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.docmodel import DocstringDraft
from bot.model import Usage
from bot.prompts import Prompt
from bot.providers.base import DraftOutcome, Each, Progress
from bot.providers.usage import Call, split_usage
from bot.settings import Price

# Answers that say the model cannot or will not answer: per-target failures, not errors.
_FINISH_REASONS = {
    "length": "the answer was cut off at the completion allowance (max_completion_tokens={n})",
    "content_filter": "the service's content filter withheld the answer",
}


async def gather_or_cancel(calls: Sequence[Coroutine[Any, Any, None]]) -> None:
    """Run ``calls`` at once; a fatal error (bad key, unknown deployment) stops the rest."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


def content_and_reason(choice: Any, allowance: int) -> tuple[str, str | None]:
    """A choice's content, or why it holds no usable answer (a refusal, cut-off or filter)."""
    if choice.message.refusal:
        return "", f"the model refused: {choice.message.refusal}"
    if choice.finish_reason in _FINISH_REASONS:
        return "", _FINISH_REASONS[choice.finish_reason].format(n=allowance)
    return choice.message.content or "", None


@dataclass
class Answer:
    """What one prompt produced, per request index: draft or reason, and the usage."""

    drafts: dict[int, DocstringDraft] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    usage: dict[int, Usage] = field(default_factory=dict)

    def bill(self, call: Call, indices: Sequence[int], price: Price) -> None:
        """Share ``call``'s usage, at ``price``, among the requests at ``indices``."""
        for index, share in split_usage(call, indices, price).items():
            self.usage[index] = self.usage.get(index, Usage()) + share


def record_outcomes(
    answer: Answer,
    prompt: Prompt,
    outcomes: dict[int, DraftOutcome],
    progress: Progress | None,
    each: Each | None = None,
) -> None:
    """Turn ``answer`` into the outcomes of ``prompt``'s requests."""
    for index in prompt.indices:
        usage = answer.usage.get(index, Usage())
        if index in answer.drafts:
            outcomes[index] = DraftOutcome(answer.drafts[index], usage=usage)
        else:
            reason = answer.failures.get(index, "no answer")
            outcomes[index] = DraftOutcome.failed(reason, usage)
        if each is not None:
            each(index, outcomes[index])
    if progress is not None:
        progress(len(prompt.indices))
