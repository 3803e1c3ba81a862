"""The default backend: one file per entry in a folder that ``actions/cache`` carries between runs.

Layout: ``DIR/ab/cdef....dbc``, sharded on the key's first two hex digits.  Each file is a
fixed header (magic, format version, flags, expiry, lengths, and a blake2b checksum over
those, the key, the tags and the payload), then the tags as JSON, then the payload
(zlib-compressed from 1 KiB on, when that is smaller).  Anything that does not check out
is a miss, and the next ``put`` replaces it.

Writes go to a temporary file in the same folder and are moved into place with
``os.replace``, so a reader sees the old entry or the new one, never half of one, even
with two processes writing the same key.  Least-recently-used eviction relies on the
file's mtime, touched by a hit (at most once an hour per entry).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.cache.base import CacheStats
from bot.cache.keys import matches

FORMAT_VERSION = 1
_MAGIC = b"DBC\x00"
_FLAG_ZLIB = 1
# magic, version, flags, expires (ms since epoch), tags length, payload length; then the
# checksum over those fields, the key's id, the tags and the payload.
_FIELDS = struct.Struct(">4sBBqHI")
_DIGEST = 16
_HEADER_SIZE = _FIELDS.size + _DIGEST
_MAX_TAGS = 0xFFFF
_SUFFIX = ".dbc"
_ENTRY_NAME = re.compile(r"[0-9a-f]{62}\.dbc")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")
_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_TMP_PREFIX = ".tmp-"
_STALE_TMP_S = 3600.0
_TOUCH_AFTER_S = 3600.0
# Below this a compressed entry still fills the same file-system block, and reading it
# back would pay for decompression for nothing.
_COMPRESS_FROM = 1024
_EVICT_TO = 0.9  # evict down to this share of the cap, so the next few puts do not evict again

Writer = Callable[[Path, bytes], None]
"""Writes a whole file atomically; injectable so tests can simulate a full disk."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary sibling of ``path``, then move it into place."""
    tmp = path.with_name(f"{_TMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class Entry:
    """A decoded entry file."""

    expires_ms: int
    tags: dict[str, str]
    payload: bytes


def encode_entry(key: str, payload: bytes, *, tags: Mapping[str, str], expires_ms: int) -> bytes:
    """The bytes of an entry file."""
    flags = 0
    if len(payload) >= _COMPRESS_FROM:
        packed = zlib.compress(payload, 6)
        if len(packed) < len(payload):
            payload, flags = packed, _FLAG_ZLIB
    tag_bytes = json.dumps(dict(tags), sort_keys=True, separators=(",", ":")).encode()
    if len(tag_bytes) > _MAX_TAGS:
        tag_bytes = b"{}"  # an absurd tag set costs invalidation by tag, never the answer
    fields = _FIELDS.pack(_MAGIC, FORMAT_VERSION, flags, expires_ms, len(tag_bytes), len(payload))
    rest = tag_bytes + payload
    return fields + _checksum(key, fields, rest) + rest


def decode_entry(key: str, data: bytes, *, read_tags: bool = True) -> Entry | None:
    """The entry stored in ``data`` for ``key``, or ``None`` if it is damaged or foreign.

    ``read_tags=False`` leaves ``tags`` empty (still checksummed): a lookup needs none.
    """
    if len(data) < _HEADER_SIZE:
        return None
    magic, version, flags, expires_ms, tags_len, payload_len = _FIELDS.unpack_from(data)
    if (
        magic != _MAGIC
        or version != FORMAT_VERSION
        or len(data) != _HEADER_SIZE + tags_len + payload_len
    ):
        return None
    body = memoryview(data)
    if (
        _checksum(key, body[: _FIELDS.size], body[_HEADER_SIZE:])
        != data[_FIELDS.size : _HEADER_SIZE]
    ):
        return None
    payload = data[_HEADER_SIZE + tags_len :]
    try:
        tags = json.loads(data[_HEADER_SIZE : _HEADER_SIZE + tags_len]) if read_tags else {}
        if flags & _FLAG_ZLIB:
            payload = zlib.decompress(payload)
    except (ValueError, zlib.error):
        return None
    return Entry(expires_ms, tags, payload)


def _checksum(key: str, fields: bytes | memoryview, rest: bytes | memoryview) -> bytes:
    # Over the file id, not the raw key, so a scan can verify a file by its name alone;
    # ``rest`` is the tags then the payload, their boundary fixed by the lengths in ``fields``.
    digest = hashlib.blake2b(_file_id(key).encode(), digest_size=_DIGEST)
    digest.update(fields)
    digest.update(rest)
    return digest.digest()


def _file_id(key: str) -> str:
    # Keys made by cache_key are already sha256 hex; anything else is hashed to one.
    if _HEX_KEY.fullmatch(key):
        return key
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class FileBackend:
    """Entries as files under ``directory``; see the module docstring for the format."""

    def __init__(
        self,
        directory: Path,
        *,
        ttl_s: float,
        max_bytes: int,
        warn: Callable[[str], None],
        clock: Callable[[], float] = time.time,
        writer: Writer = atomic_write,
    ) -> None:
        self.directory = directory
        self._root = os.fspath(directory)
        self.stats = CacheStats(backend="file")
        self._ttl_ms = int(ttl_s * 1000)
        self._max_bytes = max_bytes
        self._warn = warn
        self._clock = clock
        self._writer = writer
        self._warned = False
        self._shards: set[str] = set()
        self._size: int | None = None  # running total, measured once on the first put

    def path(self, key: str) -> Path:
        """Where ``key``'s entry lives."""
        return Path(self._where(key))

    def get(self, key: str) -> bytes | None:
        """The stored value, or ``None`` when absent, expired or damaged."""
        path = self._where(key)
        try:
            data, mtime = _read(path)
        except (FileNotFoundError, NotADirectoryError):
            return self._miss()
        except OSError as exc:
            self._error(f"cannot read {path} ({_why(exc)}); treating it as a miss")
            return self._miss()
        entry = decode_entry(key, data, read_tags=False)
        now = self._clock()
        if entry is None or entry.expires_ms <= now * 1000:
            return self._miss()
        # Least recently used goes first on eviction; an hour's precision is plenty and
        # spares most hits a write.  A read-only cache still serves hits.
        if mtime < now - _TOUCH_AFTER_S:
            with contextlib.suppress(OSError):
                os.utime(path)
        self.stats.hits += 1
        self.stats.bytes_read += len(data)
        return entry.payload

    def put(self, key: str, value: bytes, *, tags: Mapping[str, str]) -> None:
        """Store ``value``; a write error warns once and the run goes on."""
        path = self.path(key)
        data = encode_entry(key, value, tags=tags, expires_ms=self._now_ms() + self._ttl_ms)
        try:
            old_size = _size_of(path)
            self._ensure_shard(path.parent)
            self._writer(path, data)
        except OSError as exc:
            self._error(
                f"cannot write the cache in {self.directory} ({_why(exc)}); "
                "this run goes on without saving answers"
            )
            return
        self.stats.writes += 1
        self.stats.bytes_written += len(data)
        self._grow(len(data) - old_size)

    def invalidate(self, tags: Mapping[str, str]) -> int:
        """Remove entries carrying all of ``tags``; return how many."""
        removed = 0
        for path in self._entry_paths():
            entry = self._peek(path)
            if entry is not None and matches(entry.tags, tags) and _unlink(path):
                removed += 1
        self._size = None
        return removed

    def clear(self) -> int:
        """Remove every entry (and stray temporary files); return how many entries."""
        removed = sum(_unlink(path) for path in self._entry_paths())
        for path in self._tmp_paths():
            _unlink(path)
        self._size = None
        return removed

    def inventory(self) -> tuple[int, int]:
        """``(entries, bytes)`` currently on disk."""
        sizes = [_size_of(path) for path in self._entry_paths()]
        return len(sizes), sum(sizes)

    def close(self) -> None:
        """Nothing stays open between calls."""

    def _where(self, key: str) -> str:
        # Plain strings: building Paths costs more than reading a small entry.
        file_id = _file_id(key)
        return os.path.join(self._root, file_id[:2], file_id[2:] + _SUFFIX)

    def _peek(self, path: Path) -> Entry | None:
        try:
            return decode_entry(path.parent.name + path.name[: -len(_SUFFIX)], path.read_bytes())
        except OSError:
            return None

    def _grow(self, delta: int) -> None:
        if self._size is None:
            self._size = self._sweep()
        else:
            self._size += delta
        if self._size > self._max_bytes:
            self._size = self._evict()

    def _sweep(self) -> int:
        """Remove stale temporaries and entries unused for a whole TTL; return the size left."""
        now = self._clock()
        total = 0
        for path in self._tmp_paths():
            stat = _stat(path)
            if stat is not None and stat.st_mtime < now - _STALE_TMP_S:
                _unlink(path)
        for path in self._entry_paths():
            stat = _stat(path)
            if stat is None:
                continue
            # mtime is at least the write time, so unused for a TTL means expired.
            if stat.st_mtime * 1000 + self._ttl_ms < now * 1000 and _unlink(path):
                continue
            total += stat.st_size
        return total

    def _evict(self) -> int:
        aged = []
        for path in self._entry_paths():
            stat = _stat(path)
            if stat is not None:
                aged.append((stat.st_mtime, stat.st_size, path))
        aged.sort()
        total = sum(size for _, size, _ in aged)
        goal = int(self._max_bytes * _EVICT_TO)
        for _, size, path in aged:
            if total <= goal:
                break
            if _unlink(path):
                self.stats.evictions += 1
            total -= size
        return total

    def _entry_paths(self) -> Iterator[Path]:
        for shard in self._shard_dirs():
            with os.scandir(shard) as names:
                for item in names:
                    if _ENTRY_NAME.fullmatch(item.name):
                        yield shard / item.name

    def _tmp_paths(self) -> Iterator[Path]:
        for shard in self._shard_dirs():
            with os.scandir(shard) as names:
                for item in names:
                    if item.name.startswith(_TMP_PREFIX):
                        yield shard / item.name

    def _shard_dirs(self) -> list[Path]:
        try:
            with os.scandir(self.directory) as items:
                return [
                    Path(item.path)
                    for item in items
                    if _SHARD_NAME.fullmatch(item.name) and item.is_dir(follow_symlinks=False)
                ]
        except OSError:
            return []

    def _ensure_shard(self, shard: Path) -> None:
        if shard.name not in self._shards:
            shard.mkdir(parents=True, exist_ok=True)
            self._shards.add(shard.name)

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _miss(self) -> bytes | None:
        self.stats.misses += 1
        return None

    def _error(self, message: str) -> None:
        self.stats.errors += 1
        if not self._warned:
            self._warned = True
            self._warn(message)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _read(path: str) -> tuple[bytes, float]:
    """A whole small file and its mtime, in as few system calls as Python allows."""
    fd = os.open(path, os.O_RDONLY)
    try:
        stat = os.fstat(fd)
        return os.read(fd, stat.st_size + 1), stat.st_mtime
    finally:
        os.close(fd)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _size_of(path: Path) -> int:
    stat = _stat(path)
    return stat.st_size if stat is not None else 0


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
