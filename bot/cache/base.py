"""The protocol of a cache backend and the statistics every backend keeps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(slots=True)
class CacheStats:
    """Counters of one run; shown in the run summary and the JSON ``stats.cache``."""

    backend: str = "none"
    hits: int = 0
    misses: int = 0
    writes: int = 0
    evictions: int = 0
    errors: int = 0
    bytes_read: int = 0
    bytes_written: int = 0


class Backend(Protocol):
    """A key/value store of answers with tags for invalidation; never raises on a bad entry."""

    stats: CacheStats

    def get(self, key: str) -> bytes | None:
        """The stored value, or ``None`` on a miss (absent, expired or damaged)."""
        ...

    def put(self, key: str, value: bytes, *, tags: Mapping[str, str]) -> None:
        """Store ``value``; a write error warns once and is otherwise ignored."""
        ...

    def invalidate(self, tags: Mapping[str, str]) -> int:
        """Remove entries carrying all of ``tags``; return how many."""
        ...

    def clear(self) -> int:
        """Remove every entry; return how many."""
        ...

    def close(self) -> None:
        """Release files or connections."""
        ...
