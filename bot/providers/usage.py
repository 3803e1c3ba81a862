"""Usage bookkeeping: what calls cost, split exactly over the targets sharing them, and the cap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.model import Usage
from bot.pricing import cost_usd
from bot.settings import Price

_EPSILON = 1e-12


@dataclass(frozen=True, slots=True)
class Call:
    """Tokens of one or more chat requests, as the service reported them."""

    requests: int = 0
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0

    @classmethod
    def of(cls, usage: Any) -> Call:
        """From an SDK ``CompletionUsage`` (or ``None`` when the service sent none)."""
        if usage is None:
            return cls(requests=1)
        details = getattr(usage, "prompt_tokens_details", None)
        cached = getattr(details, "cached_tokens", None) or 0
        return cls(1, usage.prompt_tokens or 0, cached, usage.completion_tokens or 0)

    def __add__(self, other: Call) -> Call:
        return Call(
            self.requests + other.requests,
            self.prompt_tokens + other.prompt_tokens,
            self.cached_prompt_tokens + other.cached_prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )

    def cost(self, price: Price) -> float:
        """USD at ``price``."""
        return cost_usd(
            price,
            prompt_tokens=self.prompt_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens,
            completion_tokens=self.completion_tokens,
        )


def _shares(total: int, n: int) -> list[int]:
    """``total`` split into ``n`` integers that differ by at most one and sum to it."""
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def split_usage(call: Call, indices: Sequence[int], price: Price) -> dict[int, Usage]:
    """``call``'s usage shared by ``indices`` so every sum over them equals the call's.

    Requests are counted once (on the first target), tokens split evenly as integers,
    and each share's cost computed from its own tokens (cost is linear in tokens).
    """
    n = len(indices)
    prompt = _shares(call.prompt_tokens, n)
    cached = _shares(call.cached_prompt_tokens, n)
    completion = _shares(call.completion_tokens, n)
    out: dict[int, Usage] = {}
    for k, index in enumerate(indices):
        share = Call(call.requests if k == 0 else 0, prompt[k], cached[k], completion[k])
        out[index] = Usage(
            llm_requests=share.requests,
            prompt_tokens=share.prompt_tokens,
            cached_prompt_tokens=share.cached_prompt_tokens,
            completion_tokens=share.completion_tokens,
            cost_usd=share.cost(price),
        )
    return out


class Budget:
    """The run's cost cap: reservations at upper bounds, settled to actual costs."""

    def __init__(self, cap_usd: float | None) -> None:
        self.cap_usd = cap_usd
        self.committed = 0.0
        """Actual cost of settled calls plus reservations of calls not yet settled."""

    def reserve(self, amount: float) -> bool:
        """Reserve ``amount`` if the cap allows it; a call is only made after a reservation."""
        if self.cap_usd is not None and self.committed + amount > self.cap_usd + _EPSILON:
            return False
        self.committed += amount
        return True

    def settle(self, reserved: float, actual: float) -> None:
        """Replace a reservation by what the call actually cost."""
        self.committed += actual - reserved
