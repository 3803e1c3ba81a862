"""The file backend: entries survive, damage is a miss, writes are atomic, the cap holds."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cache.file import FileBackend, decode_entry, encode_entry
from bot.cache.keys import cache_key
from bot.cache.open import cache_stats

DAY = 86_400.0
DRAFT = json.dumps(
    {
        "summary": "Return the sum of two numbers.",
        "description": None,
        "params": [
            {"name": "a", "type": "int", "description": "The first number."},
            {"name": "b", "type": "int", "description": "The second number."},
        ],
        "returns": {"type": "int", "description": "a plus b."},
        "yields": None,
        "raises": [],
        "examples": [],
    }
).encode()
LARGE = DRAFT.replace(b'"description": null', b'"description": "%s"' % (b"Long text. " * 200))
TAGS = {"provider": "azure", "model": "gpt-4o", "prompt": "3", "repo": "acme/app"}


def key_of(source: str) -> str:
    return cache_key(provider="azure", fingerprint="gpt-4o|p3", source=source, style="google")


KEY = key_of("def add(a, b):\n    return a + b\n")
OTHER = key_of("def sub(a, b):\n    return a - b\n")


class Warnings(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


@pytest.fixture
def warnings() -> Warnings:
    return Warnings()


@pytest.fixture
def cache(tmp_path: Path, warnings: Warnings) -> FileBackend:
    return FileBackend(tmp_path / "cache", ttl_s=30 * DAY, max_bytes=1 << 20, warn=warnings)


def test_an_answer_put_is_served_back_and_counted(cache: FileBackend) -> None:
    assert cache.get(KEY) is None
    cache.put(KEY, DRAFT, tags=TAGS)

    assert cache.get(KEY) == DRAFT
    assert cache.get(OTHER) is None
    stats = cache_stats(cache)
    assert (stats["hits"], stats["misses"], stats["writes"], stats["errors"]) == (1, 2, 1, 0)
    assert stats["entries"] == 1
    assert stats["size_bytes"] == cache.path(KEY).stat().st_size == stats["bytes_written"]


def test_entries_live_in_sharded_folders_named_by_key(cache: FileBackend) -> None:
    cache.put(KEY, DRAFT, tags=TAGS)
    assert cache.path(KEY) == cache.directory / KEY[:2] / f"{KEY[2:]}.dbc"
    assert cache.path(KEY).is_file()


def test_a_new_instance_reads_what_an_earlier_run_wrote(tmp_path: Path) -> None:
    first = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=print)
    first.put(KEY, DRAFT, tags=TAGS)
    second = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=print)
    assert second.get(KEY) == DRAFT


def test_large_payloads_are_stored_compressed_small_ones_as_they_are(cache: FileBackend) -> None:
    cache.put(KEY, LARGE, tags=TAGS)
    cache.put(OTHER, DRAFT, tags=TAGS)

    assert cache.path(KEY).stat().st_size < len(LARGE) // 4
    assert DRAFT in cache.path(OTHER).read_bytes()
    assert cache.get(KEY) == LARGE
    assert cache.get(OTHER) == DRAFT


# --- damage: every kind is a miss, and the next put replaces the entry -------------------------


def _truncate_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


CORRUPTIONS = {
    "empty file": lambda data: b"",
    "truncated to half": _truncate_half,
    "truncated by one byte": lambda data: data[:-1],
    "header only": lambda data: data[:38],
    "one byte appended": lambda data: data + b"\x00",
    "garbage of the same length": lambda data: bytes((b * 7 + 3) % 256 for b in data),
    "a JSON answer without header": lambda data: DRAFT,
    "an older format version": lambda data: data[:4] + b"\x00" + data[5:],
}


@pytest.mark.parametrize("damage", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_damaged_entry_is_a_miss_and_gets_replaced(
    cache: FileBackend, warnings: Warnings, damage: object
) -> None:
    cache.put(KEY, DRAFT, tags=TAGS)
    path = cache.path(KEY)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]

    assert cache.get(KEY) is None
    cache.put(KEY, b'{"fresh": true}', tags=TAGS)
    assert cache.get(KEY) == b'{"fresh": true}'
    assert warnings == []


@pytest.mark.parametrize("payload", [LARGE, DRAFT], ids=["compressed", "raw"])
def test_every_single_bit_flip_anywhere_in_an_entry_is_detected(payload: bytes) -> None:
    data = encode_entry(KEY, payload, tags=TAGS, expires_ms=2**40)
    assert decode_entry(KEY, data) is not None
    flips = 0
    for bit in range(len(data) * 8):
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        assert decode_entry(KEY, bytes(flipped)) is None, f"bit {bit} went unnoticed"
        flips += 1
    assert flips == len(data) * 8


@settings(max_examples=200, deadline=None)
@given(
    payload=st.binary(max_size=4096) | st.text(max_size=3000).map(str.encode),
    tags=st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=5),
    key=st.text(min_size=1, max_size=80),
)
def test_any_payload_and_tags_round_trip(payload: bytes, tags: dict[str, str], key: str) -> None:
    entry = decode_entry(key, encode_entry(key, payload, tags=tags, expires_ms=1))
    assert entry is not None
    assert (entry.payload, entry.tags, entry.expires_ms) == (payload, tags, 1)


def test_an_entry_copied_under_another_key_is_not_served(cache: FileBackend) -> None:
    cache.put(KEY, DRAFT, tags=TAGS)
    cache.put(OTHER, b"{}", tags=TAGS)
    cache.path(OTHER).write_bytes(cache.path(KEY).read_bytes())
    assert cache.get(OTHER) is None


# --- time and size ---------------------------------------------------------------------------


def test_an_entry_expires_after_its_ttl(tmp_path: Path) -> None:
    now = [1_000_000.0]
    cache = FileBackend(tmp_path, ttl_s=60, max_bytes=1 << 20, warn=print, clock=lambda: now[0])
    cache.put(KEY, DRAFT, tags=TAGS)
    now[0] += 59
    assert cache.get(KEY) == DRAFT
    now[0] += 2
    assert cache.get(KEY) is None


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_over_the_cap_the_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    keys = [key_of(f"def f{n}(): pass") for n in range(4)]
    payload = os.urandom(1000)  # incompressible: every entry has the same size
    probe = FileBackend(tmp_path / "probe", ttl_s=DAY, max_bytes=1 << 20, warn=print)
    probe.put(keys[0], payload, tags=TAGS)
    size = probe.path(keys[0]).stat().st_size

    cache = FileBackend(tmp_path / "c", ttl_s=DAY, max_bytes=4 * size - 1, warn=print)
    for key, age in zip(keys[:3], (3 * 3600, 2 * 3600, 1.5 * 3600), strict=True):
        cache.put(key, payload, tags=TAGS)
        _age(cache.path(key), age)
    assert cache.get(keys[0]) == payload  # the oldest write becomes the most recently used

    cache.put(keys[3], payload, tags=TAGS)

    assert [cache.path(key).exists() for key in keys] == [True, False, True, True]
    assert cache.stats.evictions == 1
    assert cache.inventory() == (3, 3 * size)


def test_the_first_write_sweeps_entries_unused_for_a_ttl_and_stale_temporaries(
    tmp_path: Path,
) -> None:
    old = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=print)
    old.put(KEY, DRAFT, tags=TAGS)
    _age(old.path(KEY), 2 * DAY)
    stray = old.path(KEY).parent / ".tmp-123-deadbeef"
    stray.write_bytes(b"half a write")
    _age(stray, 2 * 3600)

    cache = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=print)
    cache.put(OTHER, DRAFT, tags=TAGS)

    assert not old.path(KEY).exists()
    assert not stray.exists()
    assert cache.inventory()[0] == 1


# --- write errors: warn once, go on -------------------------------------------------------------


def test_a_file_in_the_way_of_the_cache_folder_warns_once_and_the_run_goes_on(
    tmp_path: Path, warnings: Warnings
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = FileBackend(blocker, ttl_s=DAY, max_bytes=1 << 20, warn=warnings)

    cache.put(KEY, DRAFT, tags=TAGS)
    cache.put(OTHER, DRAFT, tags=TAGS)

    assert cache.get(KEY) is None
    assert len(warnings) == 1
    assert "cannot write the cache" in warnings[0]
    assert (cache.stats.errors, cache.stats.writes) == (2, 0)
    assert blocker.read_text() == "not a folder"


def test_a_full_disk_warns_once_and_later_writes_succeed_when_space_returns(
    tmp_path: Path, warnings: Warnings
) -> None:
    full = [True]

    def writer(path: Path, data: bytes) -> None:
        if full[0]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        path.write_bytes(data)

    cache = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=warnings, writer=writer)
    cache.put(KEY, DRAFT, tags=TAGS)
    cache.put(OTHER, DRAFT, tags=TAGS)
    full[0] = False
    cache.put(OTHER, DRAFT, tags=TAGS)

    assert warnings == [
        f"cannot write the cache in {tmp_path} (No space left on device); "
        "this run goes on without saving answers"
    ]
    assert cache.get(KEY) is None
    assert cache.get(OTHER) == DRAFT
    assert cache.stats.errors == 2


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    cache = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=print)
    cache.put(KEY, DRAFT, tags=TAGS)
    target = cache.path(KEY)
    target.unlink()
    target.mkdir()  # os.replace cannot put a file over a folder

    cache.put(KEY, DRAFT, tags=TAGS)

    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


# --- two processes writing the same key --------------------------------------------------------


def _writer(directory: str, marker: int, rounds: int) -> None:
    cache = FileBackend(Path(directory), ttl_s=DAY, max_bytes=1 << 30, warn=print)
    for n in range(rounds):
        cache.put(KEY, _value(marker, n), tags=TAGS)
        cache.put(key_of(f"def g{marker}_{n}(): pass"), _value(marker, n), tags=TAGS)
    assert cache.stats.errors == 0


def _value(marker: int, n: int) -> bytes:
    return json.dumps({"writer": marker, "n": n, "pad": "x" * (3000 + marker)}).encode()


def test_two_processes_writing_the_same_key_never_expose_a_torn_entry(tmp_path: Path) -> None:
    rounds = 150
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(tmp_path), m, rounds)) for m in (1, 2)]
    for process in writers:
        process.start()
    reader = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 30, warn=print)
    valid = {_value(m, n) for m in (1, 2) for n in range(rounds)}
    seen = 0
    while any(process.is_alive() for process in writers):
        value = reader.get(KEY)
        assert value is None or value in valid
        seen += value is not None
    for process in writers:
        process.join()

    assert [process.exitcode for process in writers] == [0, 0]
    assert reader.get(KEY) in {_value(1, rounds - 1), _value(2, rounds - 1)}
    for marker in (1, 2):
        for n in range(rounds):
            assert reader.get(key_of(f"def g{marker}_{n}(): pass")) == _value(marker, n)
    assert reader.inventory()[0] == 1 + 2 * rounds
    assert not list(tmp_path.glob("*/.tmp-*"))
    assert seen > 0


# --- invalidation -----------------------------------------------------------------------------


def test_invalidate_removes_exactly_the_entries_carrying_all_tags(cache: FileBackend) -> None:
    keys = {model: key_of(f"def {model.replace('-', '_')}(): pass") for model in ("a", "b", "c")}
    for model, key in keys.items():
        cache.put(key, DRAFT, tags={**TAGS, "model": model})

    assert cache.invalidate({"model": "a", "repo": "acme/app"}) == 1
    assert cache.invalidate({"model": "b", "repo": "other/repo"}) == 0

    assert [cache.get(keys[m]) is None for m in ("a", "b", "c")] == [True, False, False]


def test_clear_removes_entries_but_never_files_it_did_not_write(cache: FileBackend) -> None:
    cache.put(KEY, DRAFT, tags=TAGS)
    cache.put(OTHER, DRAFT, tags=TAGS)
    notes = cache.directory / "README.txt"
    notes.write_text("mine")
    foreign = cache.path(KEY).parent / "keep.me"
    foreign.write_text("mine too")

    assert cache.clear() == 2

    assert cache.inventory() == (0, 0)
    assert notes.read_text() == "mine"
    assert foreign.read_text() == "mine too"
