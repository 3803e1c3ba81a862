"""The schedule of ``bot.providers.pacing`` kept in Redis: one quota for every docbot process.

Many workflow runs share one Azure deployment; each reserves its next start with one
Lua script, so booking is atomic and the clock is the Redis server's (runners' clocks
differ).  Why a script and not a library such as ``limits``: its strategies admit or
refuse a request now (fixed or moving windows, which burst a window's quota at its
start), while Azure needs each request booked at an evenly spaced future time, the
same completion allowance charged, and the service's headers and ``retry-after``
shared; that is twenty lines of Lua over one hash and one list.

Keys are ``docbot:quota:{<endpoint+deployment digest>}`` (a hash: next starts, floors
from ``remaining`` headers, the pause, learned limits) and ``...:log`` (recent token
bookings, for the per-window cap).  They expire after an idle while.  Every Redis
failure raises ``QuotaUnavailable``; the limiter then falls back to its own schedule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from bot.cache.redis import PREFIX, TIMEOUT_S, open_client, redacted
from bot.providers.limiter import QuotaUnavailable
from bot.providers.pacing import JITTER_S, MARGIN, WINDOW_S, Seen

IDLE_TTL_MS = 600_000
"""Shared state outlives the last request by ten minutes, then goes."""

# Shared by the scripts: the server's time in seconds, and the hash's numbers.
_PRELUDE = """
-- Redis before 5 replicates scripts verbatim unless told to replicate their effects.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local h = KEYS[1]
local function num(field, default)
  local v = redis.call('HGET', h, field)
  if v then return tonumber(v) end
  return default
end
local function put(field, value)
  redis.call('HSET', h, field, string.format('%.6f', value))
end
local margin, window, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local span = window + tonumber(ARGV[6])
local rpm, tpm = tonumber(ARGV[4]), tonumber(ARGV[5])
if rpm <= 0 then rpm = num('rpm', 0) end
if tpm <= 0 then tpm = num('tpm', 0) end
"""

_RESERVE = (
    _PRELUDE
    + """
local start = math.max(now, num('paused', 0))
if rpm > 0 then
  start = math.max(start, num('next_r', 0), num('floor_r', -1e18) + 60 / (rpm * margin))
end
if tpm > 0 then
  local gap = 60 / (tpm * margin)
  local cap = tpm * margin * window / 60
  local cost = math.min(tonumber(ARGV[7]), cap)
  start = math.max(start, num('next_t', 0), num('floor_t', -1e18) + cost * gap)
  local log = redis.call('LRANGE', KEYS[2], 0, -1)
  local ats, costs, total = {}, {}, 0
  for i, entry in ipairs(log) do
    local a, c = string.match(entry, '^(%S+) (%S+)$')
    ats[i], costs[i] = tonumber(a), tonumber(c)
    if ats[i] > start - span then total = total + costs[i] end
  end
  for i = 1, #ats do
    if ats[i] > start - span then
      if total + cost <= cap + 1e-9 then break end
      start = math.max(start, ats[i] + span)
      total = total - costs[i]
    end
  end
  local stale = 0
  for i = 1, #ats do
    if ats[i] <= now - span then stale = i else break end
  end
  if stale > 0 then redis.call('LTRIM', KEYS[2], stale, -1) end
  redis.call('RPUSH', KEYS[2], string.format('%.6f %.3f', start, cost))
  redis.call('PEXPIRE', KEYS[2], ttl)
  put('next_t', start + cost * gap)
end
if rpm > 0 then put('next_r', start + 60 / (rpm * margin)) end
redis.call('PEXPIRE', h, ttl)
return string.format('%.6f', start - now)
"""
)

_OBSERVE = (
    _PRELUDE
    + """
local pause, lr, lt, rr, rt = ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11]
if pause ~= '' then put('paused', math.max(num('paused', 0), now + tonumber(pause))) end
if lr ~= '' then redis.call('HSET', h, 'rpm', lr); if rpm <= 0 then rpm = tonumber(lr) end end
if lt ~= '' then redis.call('HSET', h, 'tpm', lt); if tpm <= 0 then tpm = tonumber(lt) end end
if rr ~= '' and rpm > 0 then
  put('floor_r', math.max(num('floor_r', -1e18), now - tonumber(rr) * 60 / (rpm * margin)))
end
if rt ~= '' and tpm > 0 then
  put('floor_t', math.max(num('floor_t', -1e18), now - tonumber(rt) * 60 / (tpm * margin)))
end
redis.call('PEXPIRE', h, ttl)
return string.format('%.6f', math.max(0, num('paused', 0) - now))
"""
)


def quota_key(endpoint: str, deployment: str) -> str:
    """The Redis key of one endpoint + deployment's quota (no URL or name in clear).

    The digest is a hash tag, so the key and its log share a slot on a Redis Cluster.
    """
    digest = hashlib.sha256(f"{endpoint.rstrip('/')}\n{deployment}".encode()).hexdigest()
    return f"{PREFIX}quota:{{{digest[:24]}}}"


class RedisSchedule:
    """``LocalSchedule``'s interface, kept in Redis for every process that shares the key."""

    def __init__(
        self, client: redis.Redis, key: str, *, rpm: int | None, tpm: int | None, where: str
    ) -> None:
        self._client = client
        self._keys = [key, f"{key}:log"]
        self._quota = (rpm or 0, tpm or 0)
        self._where = where
        self._reserve: Callable[..., Any] = client.register_script(_RESERVE)
        self._observe: Callable[..., Any] = client.register_script(_OBSERVE)

    @classmethod
    def connect(
        cls,
        url: str,
        key: str,
        *,
        rpm: int | None,
        tpm: int | None,
        timeout_s: float = TIMEOUT_S,
    ) -> RedisSchedule:
        """A schedule on ``url`` that has answered a PING; raises ``QuotaUnavailable`` if not."""
        where = redacted(url)
        try:
            client = open_client(url, timeout_s=timeout_s)
        except ValueError:
            raise QuotaUnavailable(f"redis URL {where} is not valid") from None
        schedule = cls(client, key, rpm=rpm, tpm=tpm, where=where)
        with schedule._guarded():
            client.ping()
        return schedule

    def reserve(self, tokens: int) -> float:
        """Book the next shared start for a request charging ``tokens``; seconds until it."""
        with self._guarded():
            return float(self._reserve(keys=self._keys, args=[*self._args(), tokens]))

    def observe(self, seen: Seen) -> None:
        """Publish what an answer's headers said, for every process."""
        self._publish(None, seen)

    def pause(self, seconds: float) -> None:
        """Make every process start nothing for ``seconds``."""
        self._publish(seconds, Seen())

    def paused_for(self) -> float:
        """Seconds of the shared pause left."""
        return self._publish(None, Seen())

    def close(self) -> None:
        """Drop the connection pool."""
        with self._guarded():
            self._client.close()

    def _publish(self, pause: float | None, seen: Seen) -> float:
        said = (
            pause,
            seen.limit_requests,
            seen.limit_tokens,
            seen.remaining_requests,
            seen.remaining_tokens,
        )
        args = [*self._args(), *("" if value is None else repr(value) for value in said)]
        with self._guarded():
            return float(self._observe(keys=self._keys, args=args))

    def _args(self) -> list[float | int]:
        return [MARGIN, WINDOW_S, IDLE_TTL_MS, *self._quota, JITTER_S]

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            yield
        except (redis.RedisError, ValueError) as exc:
            raise QuotaUnavailable(
                f"redis at {self._where} stopped answering ({type(exc).__name__}: {exc})"
            ) from None
