"""Several runs at once against one fake deployment's quota: shared through Redis, or not.

The fake evaluates a 120 RPM quota over fixed windows, 10 s as Azure does (20 requests a
window) or 5 s where a test needs more windows in its seconds; the benchmark
(``python -m tests.benchmarks.quota``) runs real processes for minutes.  Each run has its own event loop in its own
thread, as separate processes would, and talks HTTP to the one server.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from bot.providers.base import DraftOutcome, DraftRequest
from bot.providers.llm import make_llm_provider
from bot.providers.pacing import gap_s
from tests.fakes.azure import KEY, FakeAzure, FakeConfig, settings_for
from tests.fakes.code import stdlib_requests

RUNS = 2
RPM = 120


def run_together(
    fake: FakeAzure, reqs: list[DraftRequest], *, runs: int = RUNS, **overrides: Any
) -> list[str]:
    """Every run's statuses, each of ``runs`` answering all of ``reqs``."""
    statuses: list[str] = []
    warnings: list[str] = []

    async def write() -> list[DraftOutcome]:
        settings = settings_for(fake, rpm=RPM, batch=False, concurrency=4, **overrides)
        provider = make_llm_provider(settings, files={}, warn=warnings.append, backoff_s=0.05)
        try:
            return await provider.write(reqs)
        finally:
            await provider.aclose()

    def one() -> None:
        statuses.extend(o.status.value for o in asyncio.run(write()))

    threads = [threading.Thread(target=one) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [w for w in warnings if "redis" in w or "rate limit" in w], warnings
    return statuses


def test_runs_sharing_a_quota_through_redis_are_never_throttled(redis_url: str) -> None:
    reqs = stdlib_requests(8, 1)  # 24 requests: more than a window holds, were they sent at once
    with FakeAzure(FakeConfig(rpm=RPM)) as fake:
        statuses = run_together(fake, reqs, runs=3, redis_url=redis_url, max_retries=2)
    assert statuses == ["suggested"] * 3 * len(reqs)
    # Paced to 95% of the quota, a window holds one late request: a busy machine may wake a
    # thread late more than once a window, hence the bound (5%) and not zero.
    assert fake.count(429) <= len(fake.requests) // 20
    arrivals = sorted(r.at for r in fake.requests)  # one even stream, not three at once
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 1) * gap_s(RPM) * 0.8


def test_runs_pacing_alone_overrun_a_shared_quota_and_need_retries() -> None:
    reqs = stdlib_requests(12, 1)  # more than two windows hold
    with FakeAzure(FakeConfig(rpm=RPM, window_s=5.0)) as fake:
        statuses = run_together(fake, reqs, runs=3, max_retries=8)
    assert statuses == ["suggested"] * 3 * len(reqs)  # retries make up for it
    assert fake.count(429) > 0


def test_the_fake_admits_a_sixth_of_the_quota_per_ten_second_window_as_azure_does() -> None:
    with FakeAzure(FakeConfig(rpm=30)) as fake:
        while time.monotonic() % 10.0 > 8.0:  # the fake's windows are monotonic-clock aligned
            time.sleep(0.1)
        answers = [_post(fake) for _ in range(6)]
    assert [status for status, _ in answers] == [200] * 5 + [429]
    assert [h["x-ratelimit-remaining-requests"] for _, h in answers[:5]] == list("43210")
    assert all(h["x-ratelimit-limit-requests"] == "30" for _, h in answers)
    assert 0 < int(answers[5][1]["retry-after-ms"]) <= 10_000


def _post(fake: FakeAzure) -> tuple[int, dict[str, str]]:
    body = json.dumps({"messages": [{"role": "user", "content": "hi"}], "max_tokens": 64})
    request = urllib.request.Request(
        f"{fake.endpoint}/openai/deployments/docs-4o/chat/completions?api-version=2024-10-21",
        data=body.encode(),
        headers={"api-key": KEY, "content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
