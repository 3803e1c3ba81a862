"""The client-side limiter: under RPM/TPM (allowance included), adapts to headers and 429s."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.providers.limiter import BURST_S, MARGIN, RateLimiter


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
    return RateLimiter(
        rpm=quota.get("rpm"),
        tpm=quota.get("tpm"),
        concurrency=4,
        clock=time.clock,
        sleep=time.sleep,
    )


def test_tokens_admitted_never_exceed_a_ten_second_burst_plus_the_refill() -> None:
    time, tpm = FakeTime(), 60_000
    sizes = [1_000] * 40
    times = admit_all(make(time, tpm=tpm), time, sizes)
    rate = tpm * MARGIN / 60
    for k, at in enumerate(times):
        assert sum(sizes[: k + 1]) <= rate * BURST_S + rate * at + 1e-6
    # and it is not slower than the quota needs: the bound is met within a request's time
    expected = (sum(sizes) - rate * BURST_S) / rate
    assert times[-1] == pytest.approx(expected, abs=1_000 / rate)


def test_any_minute_holds_at_most_the_quota_plus_one_burst() -> None:
    # The service's windows are short (Azure: 1-10 s), so a minute may carry a full burst
    # on top of the steady rate; the steady rate itself stays under the quota.
    time, tpm = FakeTime(), 30_000
    sizes = [700, 1_500, 300, 2_000] * 30
    times = admit_all(make(time, tpm=tpm), time, sizes)
    for start in times:
        window = sum(s for s, t in zip(sizes, times, strict=True) if start <= t < start + 60)
        assert window <= tpm * MARGIN * (60 + BURST_S) / 60


def test_requests_per_minute_are_paced() -> None:
    time, rpm = FakeTime(), 120
    times = admit_all(make(time, rpm=rpm), time, [1] * 60)
    assert times[:19] == [0.0] * 19  # a ten-second burst: 120 * 0.95 / 6 = 19
    gaps = [b - a for a, b in itertools.pairwise(times[19:])]
    assert all(gap == pytest.approx(60 / (rpm * MARGIN)) for gap in gaps)


def test_a_request_larger_than_the_burst_waits_for_a_full_bucket_instead_of_forever() -> None:
    time = FakeTime()
    times = admit_all(make(time, tpm=6_000), time, [50_000, 50_000])
    assert times[0] == 0.0 and times[1] == pytest.approx(BURST_S)


def test_remaining_headers_lower_the_bucket_when_others_share_the_quota() -> None:
    time, tpm = FakeTime(), 60_000
    limiter = make(time, tpm=tpm)
    limiter.observe({"x-ratelimit-remaining-tokens": "0", "x-ratelimit-remaining-requests": "9"})
    times = admit_all(limiter, time, [950])
    assert times == [pytest.approx(950 / (tpm * MARGIN / 60))]


def test_higher_remaining_headers_never_raise_the_bucket() -> None:
    time = FakeTime()
    limiter = make(time, tpm=6_000)
    admit_all(limiter, time, [950])  # empties the 950-token bucket
    limiter.observe({"x-ratelimit-remaining-tokens": "100000"})
    assert admit_all(limiter, time, [950])[0] == pytest.approx(10.0)


def test_a_429_pauses_every_request_for_the_time_asked() -> None:
    time = FakeTime()
    limiter = make(time)
    limiter.pause(2.5)
    assert admit_all(limiter, time, [10, 10]) == [2.5, 2.5]


def test_no_more_than_concurrency_requests_are_in_flight() -> None:
    limiter = RateLimiter(rpm=None, tpm=None, concurrency=3)
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
