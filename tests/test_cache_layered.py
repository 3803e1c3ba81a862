"""The in-process layer: each key reaches the backend once; a backend that dies is replaced."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bot.cache.base import CacheStats
from bot.cache.file import FileBackend
from bot.cache.layered import CacheUnavailable, LayeredCache
from bot.cache.open import cache_stats, open_cache
from bot.settings import validate


class Remote:
    """An in-memory backend that counts calls and can be made to fail like a dead server."""

    def __init__(self) -> None:
        self.stats = CacheStats(backend="remote")
        self.data: dict[str, bytes] = {}
        self.gets: list[str] = []
        self.down = False

    def get(self, key: str) -> bytes | None:
        self._check()
        self.gets.append(key)
        return self.data.get(key)

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        self._check()
        self.gets += keys
        return [self.data.get(key) for key in keys]

    def put(self, key: str, value: bytes, *, tags: Mapping[str, str]) -> None:
        self._check()
        self.data[key] = value

    def invalidate(self, tags: Mapping[str, str]) -> int:
        self._check()
        return 0

    def clear(self) -> int:
        self._check()
        count = len(self.data)
        self.data.clear()
        return count

    def close(self) -> None:
        self._check()

    def _check(self) -> None:
        if self.down:
            self.stats.errors += 1
            raise CacheUnavailable("remote cache at test://remote stopped answering")


class Warnings(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


def test_a_key_reaches_the_backend_once_per_run_hit_or_miss() -> None:
    remote = Remote()
    remote.data["hit"] = b"answer"
    cache = LayeredCache(remote, warn=pytest.fail)

    assert [cache.get("hit"), cache.get("hit"), cache.get("miss"), cache.get("miss")] == [
        b"answer",
        b"answer",
        None,
        None,
    ]
    assert cache.get_many(["hit", "miss", "new"]) == [b"answer", None, None]

    assert remote.gets == ["hit", "miss", "new"]
    assert (cache.stats.hits, cache.stats.misses) == (3, 4)


def test_a_put_is_served_from_memory_afterwards() -> None:
    remote = Remote()
    cache = LayeredCache(remote, warn=pytest.fail, default_tags={"repo": "acme/app"})
    assert cache.get("k") is None
    cache.put("k", b"v", tags={"model": "m"})
    assert cache.get("k") == b"v"
    assert remote.gets == ["k"]
    assert cache.stats.writes == 1


def test_a_dead_backend_is_replaced_once_and_this_runs_answers_move_over(tmp_path: Path) -> None:
    remote, warnings = Remote(), Warnings()
    fallbacks: list[FileBackend] = []

    def fallback() -> FileBackend:
        fallbacks.append(FileBackend(tmp_path, ttl_s=60, max_bytes=1 << 20, warn=pytest.fail))
        return fallbacks[-1]

    cache = LayeredCache(remote, fallback=fallback, warn=warnings)
    cache.put("before", b"1", tags={})
    remote.down = True

    assert cache.get("during") is None
    cache.put("after", b"2", tags={})
    assert cache.get_many(["before", "after", "other"]) == [b"1", b"2", None]
    assert cache.invalidate({"model": "x"}) == 0
    cache.close()

    assert warnings == [
        "remote cache at test://remote stopped answering; "
        f"using the file cache at {tmp_path} for the rest of this run"
    ]
    assert len(fallbacks) == 1
    assert fallbacks[0].get("before") == b"1"
    assert fallbacks[0].get("after") == b"2"
    assert cache.stats.backend == "remote->file"
    assert cache.stats.errors == 2  # the failed call, and the switch


def test_without_a_fallback_the_failure_is_the_callers() -> None:
    remote = Remote()
    remote.down = True
    with pytest.raises(CacheUnavailable):
        LayeredCache(remote, warn=pytest.fail).get("k")


def test_open_cache_follows_the_settings(tmp_path: Path) -> None:
    assert open_cache(validate({"cache": False}), repo="r", warn=pytest.fail) is None

    cache = open_cache(validate({"cache_dir": tmp_path}), repo="acme/app", warn=pytest.fail)
    assert isinstance(cache, LayeredCache) and isinstance(cache.backend, FileBackend)
    cache.put("0" * 64, b"v", tags={"model": "m"})
    assert cache.invalidate({"repo": "acme/app"}) == 1  # the repo tag is added to every entry

    stats = cache_stats(cache)
    assert stats == {
        "backend": "file",
        "hits": 0,
        "misses": 0,
        "writes": 1,
        "evictions": 0,
        "errors": 0,
        "bytes_read": 0,
        "bytes_written": stats["bytes_written"],
        "entries": 0,
        "size_bytes": 0,
    }
    assert int(stats["bytes_written"]) > 0
