"""The schedule, alone (a fake clock) and shared (a real Redis, its own clock): same rules.

Each test books starts and reads them back as absolute times; for the Redis schedule
"now" is the moment of the call on this machine's clock, close enough (well under a
millisecond on loopback) for the tolerances below.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.providers.limiter import Schedule
from bot.providers.pacing import JITTER_S, MARGIN, WINDOW_S, LocalSchedule, Seen, gap_s, window_cap
from bot.providers.shared_quota import RedisSchedule, quota_key

TOLERANCE = 0.01


class Booker:
    """Books starts on a schedule and records them on one time line."""

    def __init__(self, make: Callable[..., Schedule], now: Callable[[], float]) -> None:
        self.make = make
        self.now = now

    def starts(self, schedule: Schedule, sizes: list[int]) -> list[float]:
        return [self.now() + schedule.reserve(size) for size in sizes]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["local", "redis"])
def booker(request: pytest.FixtureRequest) -> Iterator[Booker]:
    if request.param == "local":
        clock = FakeClock()

        def local(**quota: Any) -> Schedule:
            return LocalSchedule(rpm=quota.get("rpm"), tpm=quota.get("tpm"), clock=clock)

        yield Booker(local, clock)
        return
    url = request.getfixturevalue("redis_url")
    key = quota_key("https://example.openai.azure.com", "docs-4o")

    def shared(**quota: Any) -> Schedule:
        return RedisSchedule.connect(url, key, rpm=quota.get("rpm"), tpm=quota.get("tpm"))

    yield Booker(shared, time.time)


def test_requests_start_evenly_spaced_from_the_first_never_in_a_burst(booker: Booker) -> None:
    starts = booker.starts(booker.make(rpm=600), [1] * 12)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == [pytest.approx(60 / (600 * MARGIN), abs=TOLERANCE)] * 11


def test_a_thirty_rpm_quota_gets_at_most_five_starts_in_any_ten_seconds(booker: Booker) -> None:
    # Azure's own example; only the spacing is checked, so the real clock need not wait.
    starts = booker.starts(booker.make(rpm=30), [1] * 6)
    assert starts[5] - starts[0] > WINDOW_S
    assert starts[5] - starts[0] == pytest.approx(5 * gap_s(30), abs=TOLERANCE)


def test_tokens_in_any_window_stay_within_its_share(booker: Booker) -> None:
    tpm = 60_000
    sizes = [700, 1_500, 300, 4_000, 2_000] * 4
    starts = booker.starts(booker.make(tpm=tpm), sizes)
    for start in starts:
        inside = sum(s for s, t in zip(sizes, starts, strict=True) if start <= t < start + WINDOW_S)
        assert inside <= window_cap(tpm) + 1
    # and not much slower than the quota allows
    assert starts[-1] - starts[0] <= sum(sizes[:-1]) * gap_s(tpm) + 2 * WINDOW_S


def test_a_request_larger_than_a_window_goes_alone_in_one(booker: Booker) -> None:
    tpm = 6_000  # 950 tokens a window
    starts = booker.starts(booker.make(tpm=tpm), [50_000, 50_000, 10])
    assert starts[1] - starts[0] == pytest.approx(WINDOW_S + JITTER_S, abs=TOLERANCE)
    assert starts[2] - starts[1] == pytest.approx(WINDOW_S + JITTER_S, abs=TOLERANCE)


def test_remaining_headers_push_the_next_start_back(booker: Booker) -> None:
    tpm = 60_000
    schedule = booker.make(tpm=tpm)
    said = booker.now()
    schedule.observe(Seen(remaining_tokens=0, remaining_requests=9))
    [start] = booker.starts(schedule, [950])
    assert start - said == pytest.approx(950 * gap_s(tpm), abs=TOLERANCE)


def test_remaining_headers_never_bring_a_start_forward(booker: Booker) -> None:
    schedule = booker.make(rpm=60)
    _, second = booker.starts(schedule, [1, 1])
    schedule.observe(Seen(remaining_requests=1_000))
    [third] = booker.starts(schedule, [1])
    assert third - second == pytest.approx(gap_s(60), abs=TOLERANCE)


def test_a_pause_holds_every_start_and_is_visible_while_waiting(booker: Booker) -> None:
    schedule = booker.make()
    paused_at = booker.now()
    schedule.pause(2.5)
    assert schedule.paused_for() == pytest.approx(2.5, abs=TOLERANCE)
    assert [s - paused_at for s in booker.starts(schedule, [10, 10])] == [
        pytest.approx(2.5, abs=TOLERANCE)
    ] * 2


def test_limit_headers_give_the_quota_the_settings_left_open(booker: Booker) -> None:
    schedule = booker.make()
    assert booker.starts(schedule, [1, 1])[1] - booker.now() <= TOLERANCE  # no quota: no pacing
    schedule.observe(Seen(limit_requests=120))
    first, second = booker.starts(schedule, [1, 1])
    assert second - first == pytest.approx(gap_s(120), abs=TOLERANCE)


def test_headers_are_read_leniently() -> None:
    seen = Seen.of(
        {
            "x-ratelimit-remaining-requests": "7",
            "x-ratelimit-remaining-tokens": "soon",
            "x-ratelimit-limit-requests": "-1",
            "x-ratelimit-limit-tokens": "90000",
        }
    )
    assert seen == Seen(remaining_requests=7.0, limit_tokens=90_000)
    assert Seen.of({"x-ratelimit-remaining-tokens": "nan"}) == Seen()
