"""Client-side rate limiting: stay under the deployment's RPM/TPM quota, bounded concurrency.

Azure charges a request's quota when it arrives, counting the prompt and the whole
completion allowance (``max_tokens``), and refills continuously; it answers 429 when a
short window's share is used up.  The limiter mirrors that with two token buckets
(requests and tokens) holding ten seconds' worth, refilled at a little under the quota
so estimates that differ from the service's never tip it over.  Rate-limit headers on
answers lower the buckets when the service has seen more use than this process (another
job sharing the deployment), and a 429 pauses everyone for the time it asks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

BURST_S = 10.0
"""Seconds of quota a bucket holds: Azure enforces per-minute quotas over short windows."""
MARGIN = 0.95
"""Fraction of the quota aimed at, leaving room for counting differences."""


class _Bucket:
    """Continuously refilled allowance of ``per_minute`` units."""

    def __init__(self, per_minute: int, *, now: float) -> None:
        self.rate = per_minute * MARGIN / 60.0
        self.capacity = max(1.0, self.rate * BURST_S)
        self.level = self.capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` is there; a request larger than the bucket waits for full."""
        need = min(amount, self.capacity)
        # A hair of tolerance: after sleeping exactly the computed time, float rounding
        # must not leave a wait too small to move the clock.
        return 0.0 if self.level + 1e-6 >= need else (need - self.level) / self.rate

    def lower_to(self, remaining: float) -> None:
        self.level = min(self.level, remaining)


class RateLimiter:
    """Admits requests under RPM/TPM quotas with at most ``concurrency`` in flight."""

    def __init__(
        self,
        *,
        rpm: int | None,
        tpm: int | None,
        concurrency: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        now = clock()
        self._requests = _Bucket(rpm, now=now) if rpm else None
        self._tokens = _Bucket(tpm, now=now) if tpm else None
        self._slots = asyncio.Semaphore(concurrency)
        self._queue = asyncio.Lock()
        self._paused_until = 0.0
        self.waited_s = 0.0
        """Total time requests spent waiting for quota (for reports and tests)."""

    @asynccontextmanager
    async def slot(self, tokens: int) -> AsyncIterator[None]:
        """Hold one of the concurrent slots for a request charging ``tokens`` of quota."""
        async with self._slots:
            await self._admit(tokens)
            yield

    async def _admit(self, tokens: int) -> None:
        # One waiter at a time, first come first served, so a large request is not
        # starved by a stream of small ones.
        async with self._queue:
            while True:
                now = self._clock()
                wait = max(self._paused_until - now, self._wait(now, tokens))
                if wait <= 0:
                    self._take(tokens)
                    return
                self.waited_s += wait
                await self._sleep(wait)

    def _wait(self, now: float, tokens: int) -> float:
        wait = 0.0
        for bucket, amount in ((self._requests, 1), (self._tokens, tokens)):
            if bucket is not None:
                bucket.refill(now)
                wait = max(wait, bucket.wait_for(amount))
        return wait

    def _take(self, tokens: int) -> None:
        if self._requests is not None:
            self._requests.level -= 1
        if self._tokens is not None:
            self._tokens.level -= min(tokens, self._tokens.capacity)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Lower the buckets to what the service says remains (it may have seen other callers)."""
        now = self._clock()
        for bucket, name in (
            (self._requests, "x-ratelimit-remaining-requests"),
            (self._tokens, "x-ratelimit-remaining-tokens"),
        ):
            raw = headers.get(name)
            if bucket is None or raw is None:
                continue
            try:
                remaining = float(raw)
            except ValueError:
                continue
            bucket.refill(now)
            bucket.lower_to(remaining)

    def pause(self, seconds: float) -> None:
        """Admit nothing for ``seconds``: the service said it is throttling us."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
