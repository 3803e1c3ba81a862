"""An in-process layer in front of a backend: one run never asks the backend twice for a key.

It also owns the fallback: a remote backend (Redis) signals that it has gone away by
raising ``CacheUnavailable``; the layer then says so once, switches to the fallback (the
file backend) for the rest of the run and copies this run's answers there, so none is lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from bot.cache.base import Backend, CacheStats
from bot.errors import DocbotError

T = TypeVar("T")

_SUMMED = ("evictions", "errors", "bytes_read", "bytes_written")


class CacheUnavailable(DocbotError):
    """A remote backend stopped answering; the layer falls back, the run goes on."""


class LayeredCache:
    """A ``Backend`` that remembers every answer of this run in memory."""

    def __init__(
        self,
        primary: Backend,
        *,
        fallback: Callable[[], Backend] | None = None,
        warn: Callable[[str], None],
        default_tags: Mapping[str, str] | None = None,
    ) -> None:
        self.stats = CacheStats(backend=primary.stats.backend)
        self._backend = primary
        self._retired: list[Backend] = []
        self._fallback = fallback
        self._warn = warn
        self._default_tags = dict(default_tags or {})
        self._seen: dict[str, bytes | None] = {}
        self._written: dict[str, tuple[bytes, dict[str, str]]] = {}

    @property
    def backend(self) -> Backend:
        """The backend currently answering (the fallback after a switch)."""
        return self._backend

    def get(self, key: str) -> bytes | None:
        """This run's answer for ``key``, else the backend's (asked at most once)."""
        if key in self._seen:
            value = self._seen[key]
        else:
            value = self._call(lambda backend: backend.get(key))
            self._seen[key] = value
        if value is None:
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return value

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """``get`` of each key, fetching the unknown ones in as few round trips as possible."""
        unknown = [key for key in dict.fromkeys(keys) if key not in self._seen]
        if unknown:
            values = self._call(lambda backend: get_many(backend, unknown))
            self._seen.update(zip(unknown, values, strict=True))
        return [self.get(key) for key in keys]

    def put(self, key: str, value: bytes, *, tags: Mapping[str, str]) -> None:
        """Remember ``value`` and store it in the backend."""
        merged = {**self._default_tags, **tags}
        self._seen[key] = value
        self._written[key] = (value, merged)
        self.stats.writes += 1
        self._call(lambda backend: backend.put(key, value, tags=merged))

    def invalidate(self, tags: Mapping[str, str]) -> int:
        """Remove matching entries from the backend, and forget this run's answers."""
        self._seen.clear()
        self._written.clear()
        return self._call(lambda backend: backend.invalidate(tags))

    def clear(self) -> int:
        """Remove every entry from the backend and from memory."""
        self._seen.clear()
        self._written.clear()
        return self._call(lambda backend: backend.clear())

    def close(self) -> None:
        """Close the backend and any backend given up on."""
        for backend in (*self._retired, self._backend):
            # A dead connection must not fail the end of a run.
            with contextlib.suppress(CacheUnavailable):
                backend.close()

    def _call(self, operation: Callable[[Backend], T]) -> T:
        try:
            return self._synced(operation, self._backend)
        except CacheUnavailable as exc:
            if self._fallback is None:
                raise
            self._switch(exc)
            return self._synced(operation, self._backend)

    def _synced(self, operation: Callable[[Backend], T], backend: Backend) -> T:
        try:
            return operation(backend)
        finally:
            self._sync_stats()

    def _switch(self, exc: CacheUnavailable) -> None:
        assert self._fallback is not None
        failed = self._backend
        self._retired.append(failed)
        self._backend = self._fallback()
        self._fallback = None
        self.stats.backend = f"{failed.stats.backend}->{self._backend.stats.backend}"
        where = getattr(self._backend, "directory", None)
        at = f" at {where}" if where is not None else ""
        self._warn(
            f"{exc}; using the {self._backend.stats.backend} cache{at} for the rest of this run"
        )
        for key, (value, tags) in self._written.items():
            self._backend.put(key, value, tags=tags)

    def _sync_stats(self) -> None:
        backends = (*self._retired, self._backend)
        for name in _SUMMED:
            setattr(self.stats, name, sum(getattr(b.stats, name) for b in backends))
        self.stats.errors += len(self._retired)


def get_many(backend: Backend, keys: Sequence[str]) -> list[bytes | None]:
    """``backend.get`` of each key, in one round trip when the backend has ``get_many``."""
    # Duck-typed: an isinstance check against a runtime Protocol costs milliseconds.
    batched = getattr(backend, "get_many", None)
    if callable(batched):
        found: list[bytes | None] = batched(keys)
        return found
    return [backend.get(key) for key in keys]
