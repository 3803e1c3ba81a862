"""Client-side rate limiting: requests started on an even schedule, bounded concurrency.

The schedule (``bot.providers.pacing``) says when the next request may start; it is
this process's own, or one shared by every process through Redis
(``bot.providers.shared_quota``).  A shared schedule that stops answering is said once
and replaced by a local one for the rest of the run, as the cache falls back to files.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Protocol, TypeVar

from bot.errors import DocbotError
from bot.providers.pacing import LocalSchedule, Seen
from bot.settings import Settings

T = TypeVar("T")


class QuotaUnavailable(DocbotError):
    """A shared schedule stopped answering; the limiter falls back to one of its own."""


class Schedule(Protocol):
    """When requests may start: ``LocalSchedule`` or ``RedisSchedule``."""

    def reserve(self, tokens: int) -> float:
        """Book the next start for a request charging ``tokens``; seconds until it."""
        ...

    def observe(self, seen: Seen) -> None:
        """Take in what an answer's rate-limit headers said."""
        ...

    def pause(self, seconds: float) -> None:
        """Start nothing for ``seconds``."""
        ...

    def paused_for(self) -> float:
        """Seconds of pause left."""
        ...


class RateLimiter:
    """Admits requests on the schedule with at most ``concurrency`` in flight."""

    def __init__(
        self,
        schedule: Schedule,
        *,
        concurrency: int,
        fallback: Callable[[], Schedule] | None = None,
        warn: Callable[[str], None] = lambda _: None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._schedule = schedule
        self._fallback = fallback
        self._warn = warn
        self._sleep = sleep
        self._slots = asyncio.Semaphore(concurrency)
        self._queue = asyncio.Lock()
        self.waited_s = 0.0
        """Total time requests spent waiting for their start (for reports and tests)."""

    @classmethod
    def local(
        cls,
        *,
        rpm: int | None,
        tpm: int | None,
        concurrency: int,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> RateLimiter:
        """A limiter with a schedule of this process's own."""
        schedule = LocalSchedule(rpm=rpm, tpm=tpm, **({"clock": clock} if clock else {}))
        return cls(schedule, concurrency=concurrency, sleep=sleep)

    @asynccontextmanager
    async def slot(self, tokens: int) -> AsyncIterator[None]:
        """Hold one of the concurrent slots for a request charging ``tokens`` of quota."""
        async with self._slots:
            await self._admit(tokens)
            yield

    async def _admit(self, tokens: int) -> None:
        # One booking at a time per process, each waited out before the next is made:
        # a process holds at most one future start, so a pause published meanwhile
        # (another process's 429) is seen before anything is sent.
        async with self._queue:
            while True:
                wait = self._call(lambda schedule: schedule.reserve(tokens))
                if wait > 0:
                    self.waited_s += wait
                    await self._sleep(wait)
                paused = self._call(lambda schedule: schedule.paused_for())
                if paused <= 0:
                    return
                self.waited_s += paused
                await self._sleep(paused)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt to the ``x-ratelimit-*`` headers of an answer (others may share the quota)."""
        seen = Seen.of(headers)
        if seen != Seen():
            self._call(lambda schedule: schedule.observe(seen))

    def pause(self, seconds: float) -> None:
        """Admit nothing for ``seconds``: the service said it is throttling us."""
        self._call(lambda schedule: schedule.pause(seconds))

    def close(self) -> None:
        """Let go of a shared schedule's connection."""
        close = getattr(self._schedule, "close", None)
        if callable(close):
            with contextlib.suppress(QuotaUnavailable):
                close()

    def _call(self, operation: Callable[[Schedule], T]) -> T:
        try:
            return operation(self._schedule)
        except QuotaUnavailable as exc:
            if self._fallback is None:
                raise
            self.close()
            self._schedule = self._fallback()
            self._fallback = None
            self._warn(f"{exc}; rate limits are this process's own for the rest of this run")
            return operation(self._schedule)


def open_limiter(
    settings: Settings, *, endpoint: str, deployment: str, warn: Callable[[str], None]
) -> RateLimiter:
    """The run's limiter: shared through ``redis_url`` when set, else this process's own.

    An unreachable Redis warns once and the run paces on its own.
    """

    def local() -> Schedule:
        return LocalSchedule(rpm=settings.rpm, tpm=settings.tpm)

    if settings.redis_url is None:
        return RateLimiter(local(), concurrency=settings.concurrency)
    # Imported here: runs without Redis never load the client library.
    from bot.providers.shared_quota import RedisSchedule, quota_key

    try:
        shared = RedisSchedule.connect(
            settings.redis_url.get_secret_value(),
            quota_key(endpoint, deployment),
            rpm=settings.rpm,
            tpm=settings.tpm,
        )
    except QuotaUnavailable as exc:
        warn(f"{exc}; rate limits are this process's own for this run")
        return RateLimiter(local(), concurrency=settings.concurrency)
    return RateLimiter(shared, concurrency=settings.concurrency, fallback=local, warn=warn)
