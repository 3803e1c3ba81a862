"""One schedule for many processes through a real Redis, and the fall back when it goes."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
import redis

from bot.providers.limiter import RateLimiter, open_limiter
from bot.providers.pacing import Seen, gap_s
from bot.providers.shared_quota import IDLE_TTL_MS, RedisSchedule, quota_key
from bot.settings import Settings, validate
from tests.conftest import RedisServer

ENDPOINT = "https://example.openai.azure.com"
TOLERANCE = 0.01


def schedule(url: str, deployment: str = "docs-4o", **quota: int) -> RedisSchedule:
    return RedisSchedule.connect(
        url, quota_key(ENDPOINT, deployment), rpm=quota.get("rpm"), tpm=quota.get("tpm")
    )


def test_processes_sharing_a_deployment_take_turns_on_one_schedule(redis_url: str) -> None:
    runs = [schedule(redis_url, rpm=600) for _ in range(3)]
    starts = [time.time() + runs[i % 3].reserve(1) for i in range(12)]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == [pytest.approx(gap_s(600), abs=TOLERANCE)] * 11


def test_other_deployments_and_endpoints_have_quotas_of_their_own(redis_url: str) -> None:
    first = schedule(redis_url, rpm=6)
    booked = time.time() + first.reserve(1)
    assert schedule(redis_url, "other-deployment", rpm=6).reserve(1) == 0.0
    other = RedisSchedule.connect(redis_url, quota_key(ENDPOINT + "2", "docs-4o"), rpm=6, tpm=None)
    assert other.reserve(1) == 0.0
    assert time.time() + first.reserve(1) - booked == pytest.approx(gap_s(6), abs=TOLERANCE)


def test_what_one_process_hears_every_process_obeys(redis_url: str) -> None:
    heard, other = schedule(redis_url), schedule(redis_url)
    heard.observe(Seen(limit_requests=120))  # a limit header: the quota no one configured
    first, second = (time.time() + other.reserve(1) for _ in range(2))
    assert second - first == pytest.approx(gap_s(120), abs=TOLERANCE)
    heard.pause(3.0)  # a 429's retry-after
    assert other.paused_for() == pytest.approx(3.0, abs=TOLERANCE)
    assert other.reserve(1) == pytest.approx(3.0, abs=TOLERANCE)


def test_shared_state_expires_when_no_one_uses_it(redis_url: str) -> None:
    key = quota_key(ENDPOINT, "docs-4o")
    schedule(redis_url, tpm=60_000).reserve(1_000)
    with redis.Redis.from_url(redis_url) as client:
        ttls = [client.pttl(key), client.pttl(f"{key}:log")]
    assert all(0 < ttl <= IDLE_TTL_MS for ttl in ttls)


def _settings(url: str) -> Settings:
    return validate({"redis_url": url, "rpm": 600, "concurrency": 2})


async def _admit(limiter: RateLimiter, count: int) -> list[float]:
    times = []
    for _ in range(count):
        async with limiter.slot(10):
            times.append(time.monotonic())
    return times


def test_an_unreachable_redis_warns_once_and_the_process_paces_itself() -> None:
    warnings: list[str] = []
    url = "redis://:s3cret-pass@127.0.0.1:1/0"
    limiter = open_limiter(_settings(url), endpoint=ENDPOINT, deployment="d", warn=warnings.append)
    times = asyncio.run(_admit(limiter, 4))
    assert len(warnings) == 1 and "rate limits are this process's own" in warnings[0]
    assert "s3cret-pass" not in warnings[0] and "127.0.0.1:1" in warnings[0]
    assert times[-1] - times[0] == pytest.approx(3 * gap_s(600), abs=0.1)


@pytest.mark.parametrize("failure", ["killed", "hung"])
def test_redis_lost_mid_run_warns_once_and_pacing_goes_on(
    fresh_redis: RedisServer, failure: str
) -> None:
    warnings: list[str] = []
    limiter = open_limiter(
        _settings(fresh_redis.url),
        endpoint=ENDPOINT,
        deployment="d",
        warn=warnings.append,
    )

    async def run() -> list[float]:
        before = await _admit(limiter, 3)
        if failure == "killed":
            fresh_redis.kill()
        else:
            fresh_redis.pause()
        limiter.observe({"x-ratelimit-remaining-requests": "50"})
        return before + await _admit(limiter, 4)

    started = time.monotonic()
    times = asyncio.run(run())
    assert len(warnings) == 1, warnings
    assert "stopped answering" in warnings[0] and "for the rest of this run" in warnings[0]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # paced on either side (admissions are measured after sleeps, which may wake late)
    assert min(gaps[:2] + gaps[3:]) >= gap_s(600) - 0.05
    # a hung server costs one socket timeout, not one per request
    assert time.monotonic() - started < 7 * gap_s(600) + 3.0
