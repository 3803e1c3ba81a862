"""How long GitHub's rate limits ask docbot to wait, from every way GitHub signals them."""

from __future__ import annotations

import pytest

from bot.ratelimit import rate_limit_wait


@pytest.mark.parametrize(
    ("status", "headers", "wait"),
    [
        (403, {"Retry-After": "7"}, 7.0),
        (429, {"retry-after": "3"}, 3.0),
        (429, {}, 60.0),
        (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1030"}, 31.0),
        (403, {"X-RateLimit-Remaining": "12", "X-RateLimit-Reset": "1030"}, None),
        (403, {}, None),
        (422, {"Retry-After": "7"}, None),
    ],
)
def test_rate_limit_wait(status: int, headers: dict[str, str], wait: float | None) -> None:
    assert rate_limit_wait(status, headers, now=1000.0) == wait


@pytest.mark.parametrize(
    ("status", "message", "attempt", "wait"),
    [
        (403, "You have exceeded a secondary rate limit. Please wait a few minutes.", 1, 60.0),
        (403, "You have exceeded a secondary rate limit.", 2, 120.0),
        (429, "", 3, 240.0),
        (403, "Resource not accessible by integration", 1, None),
    ],
)
def test_a_limit_that_names_no_time_waits_a_minute_then_longer(
    status: int, message: str, attempt: int, wait: float | None
) -> None:
    # GitHub's "Best practices for using the REST API": no retry-after and no
    # x-ratelimit-remaining of 0 -> wait at least a minute, exponentially longer after.
    assert rate_limit_wait(status, {}, now=0.0, message=message, attempt=attempt) == wait
