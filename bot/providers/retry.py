"""Retries of LLM calls: only what can succeed on a second try, paced as the service asks.

The SDK's own retries are off (``max_retries=0``) so nothing retries twice.  Waits are
exponential with full jitter, but never shorter than the ``retry-after-ms`` /
``retry-after`` the service sent with a 429 or 5xx.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 409, 429})


def is_retryable(exc: BaseException) -> bool:
    """Whether another attempt may succeed: throttling, conflicts, server errors, the network."""
    if isinstance(exc, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return False


def retry_after_s(exc: BaseException | None) -> float | None:
    """The wait the service asked for, in seconds: ``retry-after-ms``, else ``retry-after``."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw) * scale
        except ValueError:
            continue  # an HTTP date: rare on this API, fall back to backoff
        if value >= 0:
            return value
    return None


class Backoff:
    """Wait strategy: full-jitter exponential backoff, at least the service's retry-after."""

    def __init__(self, *, base_s: float, max_s: float, rng: random.Random | None = None) -> None:
        self.base_s = base_s
        self.max_s = max_s
        self._rng = rng or random.Random()

    def __call__(self, state: RetryCallState) -> float:
        """Seconds to wait before attempt ``state.attempt_number + 1``."""
        ceiling = min(self.max_s, self.base_s * 2 ** (state.attempt_number - 1))
        jittered = self._rng.uniform(0, ceiling)
        outcome = state.outcome
        asked = retry_after_s(outcome.exception() if outcome is not None else None)
        if asked is None:
            return jittered
        # A little jitter on top keeps throttled callers from returning in lockstep.
        return asked + self._rng.uniform(0, min(asked, self.base_s) * 0.1)


async def call_with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    max_retries: int,
    backoff: Backoff,
    on_retry: Callable[[BaseException, float], None] | None = None,
) -> T:
    """``await call()``, retrying retryable errors up to ``max_retries`` times."""

    def before_sleep(state: RetryCallState) -> None:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if on_retry is not None and exc is not None:
            wait = state.next_action.sleep if state.next_action is not None else 0.0
            on_retry(exc, wait)

    retrying = AsyncRetrying(
        retry=retry_if_exception(is_retryable),
        stop=stop_after_attempt(max_retries + 1),
        wait=backoff,
        before_sleep=before_sleep,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity reraises the last error")
