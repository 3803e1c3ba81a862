"""The limiter: paced starts under RPM/TPM, bounded concurrency, headers and 429s obeyed."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.providers.limiter import RateLimiter
from bot.providers.pacing import MARGIN, WINDOW_S


class FakeTime:
    """A clock that only moves when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def admit_all(limiter: RateLimiter, time: FakeTime, sizes: list[int]) -> list[float]:
    """Admission times of requests of ``sizes`` tokens, sent one after another."""

    async def run() -> list[float]:
        times = []
        for size in sizes:
            async with limiter.slot(size):
                times.append(time.now)
        return times

    return asyncio.run(run())


def make(time: FakeTime, **quota: int | None) -> RateLimiter:
    return RateLimiter.local(
        rpm=quota.get("rpm"),
        tpm=quota.get("tpm"),
        concurrency=4,
        clock=time.clock,
        sleep=time.sleep,
    )


def test_requests_per_minute_are_paced_from_the_first_without_a_burst() -> None:
    time, rpm = FakeTime(), 120
    times = admit_all(make(time, rpm=rpm), time, [1] * 30)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert times[0] == 0.0
    assert all(gap == pytest.approx(60 / (rpm * MARGIN)) for gap in gaps)


def test_any_ten_seconds_hold_at_most_their_share_of_the_tokens() -> None:
    time, tpm = FakeTime(), 30_000
    sizes = [700, 1_500, 300, 2_000] * 30
    times = admit_all(make(time, tpm=tpm), time, sizes)
    for start in times:
        window = sum(s for s, t in zip(sizes, times, strict=True) if start <= t < start + WINDOW_S)
        assert window <= tpm * MARGIN * WINDOW_S / 60


def test_a_429_pauses_every_request_for_the_time_asked() -> None:
    time = FakeTime()
    limiter = make(time)
    limiter.pause(2.5)
    assert admit_all(limiter, time, [10, 10]) == [2.5, 2.5]


def test_a_pause_that_arrives_while_a_request_waits_for_its_start_is_waited_out() -> None:
    time = FakeTime()
    gap = 60 / (60 * MARGIN)

    async def sleep(seconds: float) -> None:
        await time.sleep(seconds)
        if time.now == pytest.approx(gap):
            limiter.pause(5.0)  # a 429 heard elsewhere while the second request waited

    limiter = RateLimiter.local(rpm=60, tpm=None, concurrency=4, clock=time.clock, sleep=sleep)
    assert admit_all(limiter, time, [1, 1]) == [0.0, pytest.approx(gap + 5.0)]


def test_headers_of_answers_adapt_the_schedule() -> None:
    time = FakeTime()
    limiter = make(time)
    limiter.observe({"x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0"})
    assert admit_all(limiter, time, [1, 1]) == [
        pytest.approx(60 / (60 * MARGIN)),
        pytest.approx(2 * 60 / (60 * MARGIN)),
    ]


def test_no_more_than_concurrency_requests_are_in_flight() -> None:
    limiter = RateLimiter.local(rpm=None, tpm=None, concurrency=3)
    in_flight, peak = 0, 0

    async def one() -> None:
        nonlocal in_flight, peak
        async with limiter.slot(100):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1

    async def run() -> None:
        await asyncio.gather(*(one() for _ in range(12)))

    asyncio.run(run())
    assert peak == 3
