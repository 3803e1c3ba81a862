"""When the next request may start under an RPM/TPM quota: one process's schedule.

Azure evaluates a per-minute quota over short windows (1 or 10 seconds: a 30 RPM quota
admits 5 requests per 10 s) and charges a request's prompt plus its whole completion
allowance when it arrives.  So requests are spaced evenly, never burst: each one
starts a fixed gap after the one before (``60 / (rpm * MARGIN)`` s, and its tokens'
share of the TPM likewise), and the tokens started in any ``WINDOW_S`` seconds stay
within that window's share, which even spacing alone cannot promise when one request
is a large part of it.  What the service says overrides the plan: ``remaining``
headers push the next start back when others have used the window, a 429 pauses
everyone for the time it asks, and ``limit`` headers give the quota when the settings
do not.  ``bot.providers.shared_quota`` keeps the same schedule in Redis for many
processes; both are exercised by the same tests.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

WINDOW_S = 10.0
"""The longest window Azure evaluates a quota over."""
MARGIN = 0.95
"""Fraction of the quota aimed at: room for clock and counting differences."""
JITTER_S = 0.25
"""Bookings a window apart are kept this much further apart: arrivals are not starts."""


@dataclass(frozen=True)
class Seen:
    """What one answer's headers said about the quota (``None``: not said)."""

    remaining_requests: float | None = None
    remaining_tokens: float | None = None
    limit_requests: int | None = None
    limit_tokens: int | None = None

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> Seen:
        """The ``x-ratelimit-*`` headers of an answer; absent or nonsense values are ``None``."""
        limit_requests = _number(headers.get("x-ratelimit-limit-requests"))
        limit_tokens = _number(headers.get("x-ratelimit-limit-tokens"))
        return cls(
            remaining_requests=_number(headers.get("x-ratelimit-remaining-requests")),
            remaining_tokens=_number(headers.get("x-ratelimit-remaining-tokens")),
            # Azure sends -1 or 0 where it has no limit to tell.
            limit_requests=int(limit_requests) if limit_requests else None,
            limit_tokens=int(limit_tokens) if limit_tokens else None,
        )


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def gap_s(per_minute: int) -> float:
    """Seconds one unit of a ``per_minute`` quota occupies in the schedule."""
    return 60.0 / (per_minute * MARGIN)


def window_cap(per_minute: int) -> float:
    """Units one ``WINDOW_S`` window may hold."""
    return per_minute * MARGIN * WINDOW_S / 60.0


def fit_window(log: list[tuple[float, float]], start: float, cost: float, cap: float) -> float:
    """The earliest time from ``start`` at which ``cost`` more stays within ``cap`` per window.

    ``log`` holds ``(start, cost)`` of earlier requests in start order.
    """
    span = WINDOW_S + JITTER_S
    inside = [(at, spent) for at, spent in log if at > start - span]
    total = sum(spent for _, spent in inside)
    for at, spent in inside:
        if total + cost <= cap + 1e-9:
            break
        start = max(start, at + span)
        total -= spent
    return start


class LocalSchedule:
    """The schedule of one process, on its monotonic clock."""

    def __init__(
        self,
        *,
        rpm: int | None,
        tpm: int | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rpm, self._tpm = rpm, tpm
        self._clock = clock
        self._next_r = self._next_t = 0.0
        self._floor_r = self._floor_t = -math.inf
        self._paused = 0.0
        self._log: deque[tuple[float, float]] = deque()

    def reserve(self, tokens: int) -> float:
        """Book the next start for a request charging ``tokens``; seconds until it."""
        now = self._clock()
        start = max(now, self._paused)
        if self._rpm:
            start = max(start, self._next_r, self._floor_r + gap_s(self._rpm))
        cost = 0.0
        if self._tpm:
            cap = window_cap(self._tpm)
            # A request larger than a window still goes, alone in its window.
            cost = min(float(tokens), cap)
            start = max(start, self._next_t, self._floor_t + cost * gap_s(self._tpm))
            start = fit_window(list(self._log), start, cost, cap)
            while self._log and self._log[0][0] <= now - WINDOW_S - JITTER_S:
                self._log.popleft()
            self._log.append((start, cost))
            self._next_t = start + cost * gap_s(self._tpm)
        if self._rpm:
            self._next_r = start + gap_s(self._rpm)
        return start - now

    def observe(self, seen: Seen) -> None:
        """Learn limits the settings left open; push the schedule back when the service is short."""
        now = self._clock()
        self._rpm = self._rpm or seen.limit_requests
        self._tpm = self._tpm or seen.limit_tokens
        if self._rpm and seen.remaining_requests is not None:
            floor = now - seen.remaining_requests * gap_s(self._rpm)
            self._floor_r = max(self._floor_r, floor)
        if self._tpm and seen.remaining_tokens is not None:
            floor = now - seen.remaining_tokens * gap_s(self._tpm)
            self._floor_t = max(self._floor_t, floor)

    def pause(self, seconds: float) -> None:
        """Start nothing for ``seconds``: the service said it is throttling."""
        self._paused = max(self._paused, self._clock() + seconds)

    def paused_for(self) -> float:
        """Seconds of pause left (a 429 may arrive while a request waits for its start)."""
        return max(0.0, self._paused - self._clock())
