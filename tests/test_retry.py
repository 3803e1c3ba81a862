"""What is retried, and how long the wait is."""

from __future__ import annotations

import asyncio
import random

import httpx2
import openai
import pytest
from tenacity import RetryCallState

from bot.providers.retry import Backoff, call_with_retries, is_retryable, retry_after_s

REQUEST = httpx2.Request("POST", "http://127.0.0.1/openai/deployments/d/chat/completions")


def status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx2.Response(status, headers=headers or {}, request=REQUEST)
    return openai.APIStatusError(f"status {status}", response=response, body=None)


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(408, True), (409, True), (429, True), (500, True), (503, True),
     (400, False), (401, False), (403, False), (404, False), (422, False)],
)  # fmt: skip
def test_only_throttling_conflicts_timeouts_and_server_errors_are_retried(
    status: int, retryable: bool
) -> None:
    assert is_retryable(status_error(status)) is retryable


def test_network_errors_and_timeouts_are_retried_other_exceptions_not() -> None:
    assert is_retryable(openai.APIConnectionError(request=REQUEST))
    assert is_retryable(openai.APITimeoutError(request=REQUEST))
    assert not is_retryable(ValueError("bad answer"))


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "250", "retry-after": "1"}, 0.25),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"}, None),
        ({}, None),
    ],
)
def test_retry_after_ms_wins_over_retry_after(
    headers: dict[str, str], seconds: float | None
) -> None:
    assert retry_after_s(status_error(429, headers)) == seconds


def _state(attempt: int, exc: BaseException) -> RetryCallState:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = attempt
    state.set_exception((type(exc), exc, None))
    return state


def test_backoff_is_jittered_exponential_and_never_shorter_than_asked() -> None:
    backoff = Backoff(base_s=0.5, max_s=4.0, rng=random.Random(1))
    plain = status_error(500)
    waits = [[backoff(_state(n, plain)) for _ in range(200)] for n in (1, 2, 3, 5)]
    for ceiling, sample in zip((0.5, 1.0, 2.0, 4.0), waits, strict=True):
        assert min(sample) >= 0 and max(sample) <= ceiling
        assert max(sample) > ceiling * 0.8  # the whole range is used: full jitter
    asked = status_error(429, {"retry-after-ms": "1500"})
    assert all(1.5 <= backoff(_state(1, asked)) <= 1.55 for _ in range(50))


def test_gives_up_after_max_retries_with_the_last_error() -> None:
    calls = 0

    async def failing() -> None:
        nonlocal calls
        calls += 1
        raise status_error(503)

    with pytest.raises(openai.APIStatusError):
        asyncio.run(
            call_with_retries(failing, max_retries=2, backoff=Backoff(base_s=0.001, max_s=0.001))
        )
    assert calls == 3


def test_a_non_retryable_error_is_raised_at_once() -> None:
    calls = 0

    async def bad_request() -> None:
        nonlocal calls
        calls += 1
        raise status_error(400)

    with pytest.raises(openai.APIStatusError):
        asyncio.run(
            call_with_retries(
                bad_request, max_retries=5, backoff=Backoff(base_s=0.001, max_s=0.001)
            )
        )
    assert calls == 1
