"""Choose and open the cache a run's settings ask for; counters for ``docbot cache stats``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from bot.cache.base import Backend, CacheStats
from bot.cache.file import FileBackend
from bot.cache.layered import CacheUnavailable, LayeredCache
from bot.settings import Settings

_DAY_S = 86_400.0
_MB = 1024 * 1024


def open_file_backend(settings: Settings, *, warn: Callable[[str], None]) -> FileBackend:
    """The file backend at ``settings.cache_dir`` with the configured TTL and size cap."""
    return FileBackend(
        settings.cache_dir,
        ttl_s=settings.cache_ttl_days * _DAY_S,
        max_bytes=int(settings.cache_max_mb * _MB),
        warn=warn,
    )


def open_cache(settings: Settings, *, repo: str, warn: Callable[[str], None]) -> Backend | None:
    """The run's cache: ``None`` when disabled, Redis when a URL is set, else the file backend.

    Either sits behind the in-process layer; entries are tagged with ``repo``.  An
    unreachable Redis warns once and the run uses the file backend instead.
    """
    if not settings.cache:
        return None
    tags = {"repo": repo} if repo else {}

    def fallback() -> Backend:
        return open_file_backend(settings, warn=warn)

    if settings.redis_url is None:
        return LayeredCache(fallback(), warn=warn, default_tags=tags)
    # Imported here: runs without Redis never load the client library.
    from bot.cache.redis import RedisBackend

    try:
        primary: Backend = RedisBackend.connect(
            settings.redis_url.get_secret_value(), ttl_s=settings.cache_ttl_days * _DAY_S
        )
    except CacheUnavailable as exc:
        backend = open_file_backend(settings, warn=warn)
        warn(f"{exc}; using the file cache at {backend.directory} for this run")
        return LayeredCache(backend, warn=warn, default_tags=tags)
    return LayeredCache(primary, fallback=fallback, warn=warn, default_tags=tags)


def cache_stats(backend: Backend) -> dict[str, int | str]:
    """The run's counters of ``backend``, plus ``entries`` and ``size_bytes`` when countable.

    For ``docbot cache stats``; a backend that stops answering just leaves those two out.
    """
    report: dict[str, int | str] = {
        field.name: getattr(backend.stats, field.name) for field in fields(CacheStats)
    }
    inner = backend.backend if isinstance(backend, LayeredCache) else backend
    inventory = getattr(inner, "inventory", None)
    if callable(inventory):
        try:
            entries, size = inventory()
        except CacheUnavailable:
            return report
        report["entries"] = int(entries)
        report["size_bytes"] = int(size)
    return report
