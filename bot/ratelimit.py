"""GitHub's refusals: how long a rate limit asks to wait, and what to tell the user.

GitHub signals limits in several ways (429, or 403 with ``retry-after``, or with
``x-ratelimit-remaining: 0``, or only a message); these functions read them all.
"""

from __future__ import annotations

import time

import requests
from github import GithubException

from bot.errors import GitHubError


def rate_limit_wait(
    status: int,
    headers: dict[str, str] | None,
    *,
    now: float,
    message: str = "",
    attempt: int = 1,
) -> float | None:
    """Seconds to wait before retrying a rate-limited answer; None when it is not one.

    GitHub signals limits with 429, or 403 plus ``retry-after`` (secondary limits) or
    ``x-ratelimit-remaining: 0`` and the epoch second of ``x-ratelimit-reset``.  A limit
    that names no time (a 429, or a 403 whose message says "rate limit") waits a minute,
    doubling on each further ``attempt``: GitHub's "Best practices for using the REST API".
    """
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    if status not in (403, 429):
        return None
    if "retry-after" in lowered:
        return max(0.0, float(lowered["retry-after"]))
    if lowered.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in lowered:
        return max(0.0, float(lowered["x-ratelimit-reset"]) - now) + 1.0
    if status == 429 or "rate limit" in message.lower():
        return 60.0 * 2.0 ** max(0, attempt - 1)
    return None


def message_of(exc: GithubException) -> str:
    """The message GitHub put in an error's body."""
    data = exc.data
    return str(data.get("message") or "") if isinstance(data, dict) else str(data or "")


def transient(exc: BaseException) -> bool:
    """Whether a failed read may succeed when tried again (5xx, dropped connection)."""
    if isinstance(exc, GithubException):
        return exc.status in (500, 502, 503, 504)
    return isinstance(exc, requests.ConnectionError | requests.Timeout)


def describe(exc: GithubException, doing: str) -> GitHubError:
    """One actionable line for a GitHub failure."""
    wait = rate_limit_wait(exc.status, exc.headers, now=time.time(), message=message_of(exc))
    if wait is not None:
        return GitHubError(f"GitHub rate limit while {doing}: retry in {wait:.0f}s")
    message = exc.data.get("message") if isinstance(exc.data, dict) else None
    return GitHubError(f"GitHub answered {exc.status} while {doing}: {message or exc}")
