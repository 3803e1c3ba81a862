"""The shared backend: one Redis for many repositories and runners.

Entries are ``docbot:e:<key>`` strings set with ``PX`` (the TTL); each tag ``name=value``
is a set ``docbot:tag:name=value`` of entry names, so invalidation is a set intersection.
Every call has a short socket timeout and no client-side retry: a dead or hung server
costs one timeout, after which ``CacheUnavailable`` makes the layered cache fall back.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.cache.base import CacheStats
from bot.cache.layered import CacheUnavailable

PREFIX = "docbot:"
TIMEOUT_S = 0.5
_RAW, _ZLIB = b"r", b"z"
_COMPRESS_FROM = 128  # Redis memory is paid by the byte, unlike file-system blocks
_CHUNK = 500


def redacted(url: str) -> str:
    """``url`` without its credentials, fit for a warning."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or "localhost"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ":?"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def open_client(url: str, *, timeout_s: float = TIMEOUT_S) -> redis.Redis:
    """A client on ``url`` that gives up after ``timeout_s`` and never retries by itself.

    Raises ``ValueError`` (whose message may quote the password) for a malformed URL.
    """
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=0,
    )


class RedisBackend:
    """Entries in Redis with a TTL and tag sets; every Redis failure raises ``CacheUnavailable``."""

    def __init__(
        self, client: redis.Redis, *, ttl_s: float, where: str, prefix: str = PREFIX
    ) -> None:
        self.stats = CacheStats(backend="redis")
        self._client = client
        self._ttl_ms = max(1, int(ttl_s * 1000))
        self._where = where
        self._prefix = prefix

    @classmethod
    def connect(
        cls, url: str, *, ttl_s: float, timeout_s: float = TIMEOUT_S, prefix: str = PREFIX
    ) -> RedisBackend:
        """A backend on ``url`` that has answered a PING; raises ``CacheUnavailable`` if not."""
        try:
            client = open_client(url, timeout_s=timeout_s)
        except ValueError:
            # The parser's message may quote the URL, password included.
            raise CacheUnavailable(f"redis cache URL {redacted(url)} is not valid") from None
        backend = cls(client, ttl_s=ttl_s, where=redacted(url), prefix=prefix)
        with backend._guarded():
            client.ping()
        return backend

    def get(self, key: str) -> bytes | None:
        """The stored value, or ``None`` on a miss."""
        with self._guarded():
            stored = self._client.get(self._entry(key))
        return self._count(stored)

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """``get`` of each key, with one ``MGET`` per few hundred keys."""
        found: list[bytes | None] = []
        for start in range(0, len(keys), _CHUNK):
            names = [self._entry(key) for key in keys[start : start + _CHUNK]]
            with self._guarded():
                stored = self._client.mget(names)
            found += [self._count(value) for value in stored]
        return found

    def _count(self, stored: object) -> bytes | None:
        value = _unpack(stored) if isinstance(stored, bytes) else None
        if value is None or not isinstance(stored, bytes):
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        self.stats.bytes_read += len(stored)
        return value

    def put(self, key: str, value: bytes, *, tags: Mapping[str, str]) -> None:
        """``SET key value PX ttl`` and add the key to each tag's set, in one round trip."""
        name = self._entry(key)
        data = _pack(value)
        with self._guarded():
            pipe = self._client.pipeline(transaction=False)
            pipe.set(name, data, px=self._ttl_ms)
            for tag in self._tag_keys(tags):
                pipe.sadd(tag, name)
                # The set outlives every member it lists: each put pushes its expiry out.
                pipe.pexpire(tag, self._ttl_ms)
            pipe.execute()
        self.stats.writes += 1
        self.stats.bytes_written += len(data)

    def invalidate(self, tags: Mapping[str, str]) -> int:
        """Delete entries in every one of ``tags``' sets; return how many existed."""
        if not tags:
            return self.clear()
        tag_keys = list(self._tag_keys(tags))
        removed = 0
        with self._guarded():
            members = self._client.sinter(tag_keys)
            names = sorted(m for m in members if isinstance(m, bytes))
            for chunk in _chunks(names):
                removed += int(self._client.delete(*chunk))
                for tag in tag_keys:
                    self._client.srem(tag, *chunk)
        return removed

    def clear(self) -> int:
        """Delete every ``docbot:`` key; return how many entries there were."""
        entry_prefix = self._entry("").encode()
        with self._guarded():
            names = list(self._scan(self._prefix + "*"))
            for chunk in _chunks(names):
                self._client.delete(*chunk)
        return sum(1 for name in names if name.startswith(entry_prefix))

    def inventory(self) -> tuple[int, int]:
        """``(entries, bytes of values)`` currently stored."""
        size = 0
        with self._guarded():
            names = list(self._scan(self._entry("") + "*"))
            for chunk in _chunks(names):
                pipe = self._client.pipeline(transaction=False)
                for name in chunk:
                    pipe.strlen(name)
                size += sum(int(n) for n in pipe.execute())
        return len(names), size

    def close(self) -> None:
        """Drop the connection pool."""
        with self._guarded():
            self._client.close()

    def _entry(self, key: str) -> str:
        return f"{self._prefix}e:{key}"

    def _tag_keys(self, tags: Mapping[str, str]) -> Iterator[str]:
        for name, value in sorted(tags.items()):
            yield f"{self._prefix}tag:{name}={value}"

    def _scan(self, pattern: str) -> Iterator[bytes]:
        cursor = 0
        while True:
            cursor, batch = self._client.scan(cursor=cursor, match=pattern, count=1000)
            yield from (name for name in batch if isinstance(name, bytes))
            if cursor == 0:
                return

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as exc:
            self.stats.errors += 1
            raise CacheUnavailable(
                f"redis cache at {self._where} stopped answering ({type(exc).__name__}: {exc})"
            ) from None


def _pack(value: bytes) -> bytes:
    if len(value) >= _COMPRESS_FROM:
        packed = zlib.compress(value, 6)
        if len(packed) < len(value):
            return _ZLIB + packed
    return _RAW + value


def _unpack(stored: bytes) -> bytes | None:
    marker, body = stored[:1], stored[1:]
    if marker == _RAW:
        return body
    if marker == _ZLIB:
        try:
            return zlib.decompress(body)
        except zlib.error:
            return None
    return None


def _chunks(items: list[bytes]) -> Iterable[list[bytes]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
