"""The Redis backend against a real redis-server on loopback, and falling back when it goes away."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import redis

from bot.cache.file import FileBackend
from bot.cache.keys import cache_key
from bot.cache.layered import CacheUnavailable, LayeredCache
from bot.cache.open import cache_stats, open_cache
from bot.cache.redis import RedisBackend, redacted
from bot.settings import validate
from tests.conftest import RedisServer

pytestmark = pytest.mark.redis

DAY = 86_400.0
DRAFT = json.dumps(
    {
        "summary": "Parse one line of the config file.",
        "description": "Blank lines and comments yield None.",
        "params": [{"name": "line", "type": "str", "description": "The raw line."}],
        "returns": {"type": "Entry | None", "description": "The entry, or None."},
        "yields": None,
        "raises": [{"exception": "ValueError", "description": "When the line has no '='."}],
        "examples": [],
    }
).encode()
TAGS = {"provider": "azure", "model": "gpt-4o", "prompt": "3", "repo": "acme/app"}


def key_of(name: str) -> str:
    return cache_key(
        provider="azure", fingerprint="fp", source=f"def {name}(): pass", style="numpy"
    )


class Warnings(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


def test_an_answer_put_is_served_back_with_its_ttl(redis_url: str) -> None:
    backend = RedisBackend.connect(redis_url, ttl_s=DAY)
    backend.put(key_of("a"), DRAFT, tags=TAGS)

    assert backend.get(key_of("a")) == DRAFT
    assert backend.get(key_of("b")) is None
    with redis.Redis.from_url(redis_url) as client:
        ttl_ms = client.pttl(f"docbot:e:{key_of('a')}")
        stored = client.get(f"docbot:e:{key_of('a')}")
        members = client.smembers("docbot:tag:model=gpt-4o")
    assert DAY * 1000 - 5000 < ttl_ms <= DAY * 1000
    assert isinstance(stored, bytes) and len(stored) < len(DRAFT)  # compressed
    assert members == {f"docbot:e:{key_of('a')}".encode()}
    stats = cache_stats(backend)
    assert (stats["hits"], stats["misses"], stats["writes"], stats["entries"]) == (1, 1, 1, 1)


def test_an_entry_is_gone_after_its_ttl(redis_url: str) -> None:
    backend = RedisBackend.connect(redis_url, ttl_s=0.05)
    backend.put(key_of("a"), DRAFT, tags=TAGS)
    time.sleep(0.12)
    assert backend.get(key_of("a")) is None


@pytest.mark.parametrize("stored", [b"", b"q-unknown-marker", b"z-not-zlib"])
def test_a_damaged_value_is_a_miss_and_gets_replaced(redis_url: str, stored: bytes) -> None:
    backend = RedisBackend.connect(redis_url, ttl_s=DAY)
    with redis.Redis.from_url(redis_url) as client:
        client.set(f"docbot:e:{key_of('a')}", stored)
    assert backend.get(key_of("a")) is None
    backend.put(key_of("a"), DRAFT, tags=TAGS)
    assert backend.get(key_of("a")) == DRAFT


def test_invalidate_uses_the_tag_sets(redis_url: str) -> None:
    backend = RedisBackend.connect(redis_url, ttl_s=DAY)
    for model in ("a", "b"):
        for name in ("f", "g"):
            backend.put(key_of(model + name), DRAFT, tags={**TAGS, "model": model})

    assert backend.invalidate({"model": "a", "repo": "acme/app"}) == 2
    assert backend.invalidate({"model": "a"}) == 0
    assert backend.invalidate({"model": "b", "repo": "elsewhere"}) == 0

    found = {name: backend.get(key_of(name)) is not None for name in ("af", "ag", "bf", "bg")}
    assert found == {"af": False, "ag": False, "bf": True, "bg": True}


def test_clear_removes_only_docbot_keys(redis_url: str) -> None:
    backend = RedisBackend.connect(redis_url, ttl_s=DAY)
    for name in ("f", "g", "h"):
        backend.put(key_of(name), DRAFT, tags=TAGS)
    with redis.Redis.from_url(redis_url) as client:
        client.set("someone-else:key", b"keep")
        assert backend.clear() == 3
        assert client.keys("*") == [b"someone-else:key"]


def test_an_invalid_url_is_unavailable_without_showing_the_password() -> None:
    with pytest.raises(CacheUnavailable, match="is not valid") as caught:
        RedisBackend.connect("redis://:s3cret@host:notaport/0", ttl_s=DAY)
    assert "s3cret" not in str(caught.value)


def test_a_closed_port_fails_fast_with_a_message_without_the_password() -> None:
    started = time.monotonic()
    with pytest.raises(CacheUnavailable) as caught:
        RedisBackend.connect("redis://user:s3cret@127.0.0.1:1/0", ttl_s=DAY)
    assert time.monotonic() - started < 2
    assert "s3cret" not in str(caught.value)
    assert "redis://127.0.0.1:1/0" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:pw@cache.internal:6380/2", "redis://cache.internal:6380/2"),
        ("rediss://u:pw@host/0", "rediss://host/0"),
        ("unix:///run/redis.sock", "unix:///run/redis.sock"),
        ("redis://:pw@host:notaport/0", "redis://host:?/0"),
    ],
)
def test_urls_are_shown_without_credentials(url: str, shown: str) -> None:
    assert redacted(url) == shown


def test_open_cache_with_an_unreachable_redis_uses_the_file_cache_and_says_so_once(
    tmp_path: Path,
) -> None:
    warnings = Warnings()
    settings = validate({"redis_url": "redis://:pw@127.0.0.1:1/0", "cache_dir": tmp_path})
    cache = open_cache(settings, repo="acme/app", warn=warnings)

    assert isinstance(cache, LayeredCache)
    assert isinstance(cache.backend, FileBackend)
    cache.put(key_of("a"), DRAFT, tags=TAGS)
    assert cache.get(key_of("a")) == DRAFT
    assert len(warnings) == 1
    assert "using the file cache at" in warnings[0] and "pw" not in warnings[0]


def test_open_cache_picks_redis_when_it_answers(redis_url: str, tmp_path: Path) -> None:
    settings = validate({"redis_url": redis_url, "cache_dir": tmp_path})
    cache = open_cache(settings, repo="acme/app", warn=pytest.fail)
    assert isinstance(cache, LayeredCache)
    assert isinstance(cache.backend, RedisBackend)
    cache.put(key_of("a"), DRAFT, tags={"model": "m"})
    assert cache.invalidate({"repo": "acme/app", "model": "m"}) == 1  # repo tag added


def _run_on(server: RedisServer, cache_dir: Path, warnings: Warnings) -> LayeredCache:
    settings = validate({"redis_url": server.url, "cache_dir": cache_dir})
    cache = open_cache(settings, repo="acme/app", warn=warnings)
    assert isinstance(cache, LayeredCache) and isinstance(cache.backend, RedisBackend)
    return cache


def test_redis_killed_mid_run_switches_to_the_file_cache_once_and_loses_nothing(
    fresh_redis: RedisServer, tmp_path: Path
) -> None:
    warnings = Warnings()
    cache = _run_on(fresh_redis, tmp_path / "cache", warnings)
    cache.put(key_of("before"), DRAFT, tags=TAGS)
    assert cache.get(key_of("asked")) is None

    fresh_redis.kill()

    assert cache.get(key_of("after")) is None
    cache.put(key_of("after"), DRAFT, tags=TAGS)
    cache.put(key_of("later"), DRAFT, tags=TAGS)
    assert cache.get(key_of("before")) == DRAFT
    cache.close()

    assert len(warnings) == 1 and "using the file cache" in warnings[0]
    assert cache.stats.backend == "redis->file"
    assert cache.stats.errors >= 1
    on_disk = FileBackend(tmp_path / "cache", ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    assert all(on_disk.get(key_of(n)) == DRAFT for n in ("before", "after", "later"))


def test_a_hung_redis_costs_one_timeout_then_the_file_cache_answers(
    fresh_redis: RedisServer, tmp_path: Path
) -> None:
    warnings = Warnings()
    cache = _run_on(fresh_redis, tmp_path / "cache", warnings)
    cache.put(key_of("before"), DRAFT, tags=TAGS)

    fresh_redis.pause()
    try:
        started = time.monotonic()
        assert cache.get(key_of("during")) is None
        first = time.monotonic() - started
        started = time.monotonic()
        for n in range(200):
            cache.put(key_of(f"n{n}"), DRAFT, tags=TAGS)
            assert cache.get(key_of(f"n{n}")) == DRAFT
        rest = time.monotonic() - started
    finally:
        fresh_redis.resume()
    cache.close()

    assert first < 2.0
    assert rest < 1.0
    assert len(warnings) == 1 and "TimeoutError" in warnings[0]
    on_disk = FileBackend(tmp_path / "cache", ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    assert on_disk.get(key_of("before")) == DRAFT
    assert on_disk.inventory()[0] == 201
    assert fresh_redis.answers()  # the server itself is fine once it runs again
