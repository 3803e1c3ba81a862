"""Warm-run cost of the cache: ``python -m tests.benchmarks.cache [--targets N]``.

Generates a change of N (default 1,000) new functions under ``.bench/cache/``, fills
the file and Redis caches once through ``CachedProvider``, then times warm runs (a new
in-process layer each, as a new process would have) and prints the cache layer's wall
time, entries/s, on-disk size and restore time, and its share of a whole warm run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.cache.base import Backend
from bot.cache.file import FileBackend
from bot.cache.layered import LayeredCache
from bot.cache.provider import CachedProvider
from bot.providers.base import DraftRequest
from tests.fakes.counting_provider import CountingProvider, requests_for

BENCH = Path(__file__).resolve().parents[2] / ".bench" / "cache"
PER_FILE = 20
DAY = 86_400.0
REPEATS = 7


def function(module: int, n: int) -> str:
    return (
        f"def settle_{module}_{n}(entries, rate={n}, *, limit=None):\n"
        f"    total = 0\n"
        f"    for entry in entries:\n"
        f"        if limit is not None and total > limit:\n"
        f'            raise ValueError("limit {module}-{n} exceeded")\n'
        f"        total += entry.amount * rate + {module * n}\n"
        f"    return total\n"
    )


def generate(root: Path, targets: int) -> tuple[dict[str, str], str]:
    """Module texts by path, and a unified diff adding them all; written under ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    files: dict[str, str] = {}
    for module in range(-(-targets // PER_FILE)):
        count = min(PER_FILE, targets - module * PER_FILE)
        body = "\n\n".join(function(module, n) for n in range(count))
        files[f"ledger/mod{module:03}.py"] = f'"""Ledger part {module}."""\n\n\n{body}'
    diff = []
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
        lines = text.splitlines()
        diff += [f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n"]
        diff += ["".join(f"+{line}\n" for line in lines)]
    return files, "".join(diff)


def warm_run(open_backend: Callable[[], Backend], requests: list[DraftRequest]) -> float:
    """Seconds one warm run spends in the cache layer (keys, lookups, decoding drafts)."""
    inner = CountingProvider()
    started = time.perf_counter()
    cache = LayeredCache(open_backend(), warn=print)
    provider = CachedProvider(inner, cache, repo="bench/ledger", model=inner.model)
    outcomes = asyncio.run(provider.write(requests))
    cache.close()
    elapsed = time.perf_counter() - started
    assert inner.calls == [], "a warm run asked the provider"
    assert all(o.usage.cache_hits == 1 for o in outcomes)
    return elapsed


def fill(open_backend: Callable[[], Backend], requests: list[DraftRequest]) -> float:
    inner = CountingProvider()
    cache = LayeredCache(open_backend(), warn=print)
    provider = CachedProvider(inner, cache, repo="bench/ledger", model=inner.model)
    started = time.perf_counter()
    asyncio.run(provider.write(requests))
    elapsed = time.perf_counter() - started
    cache.close()
    return elapsed


def measure(name: str, open_backend: Callable[[], Backend], requests: list[DraftRequest]) -> float:
    cold = fill(open_backend, requests)
    times = [warm_run(open_backend, requests) for _ in range(REPEATS)]
    warm = statistics.median(times)
    n = len(requests)
    print(
        f"{name:5} backend: cold fill {cold * 1000:7.1f} ms; warm run {warm * 1000:6.1f} ms "
        f"(median of {REPEATS}, min {min(times) * 1000:.1f}) = {n / warm:8.0f} entries/s"
    )
    return warm


def restore_cost(directory: Path) -> None:
    """What actions/cache moves: the folder as a compressed tarball (made and unpacked by tar)."""
    entries = list(directory.glob("*/*.dbc"))
    size = sum(p.stat().st_size for p in entries)
    archive = directory.parent / "cache.tgz"
    subprocess.run(["tar", "-czf", str(archive), "-C", str(directory), "."], check=True)
    target = directory.parent / "restored"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    started = time.perf_counter()
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(target)], check=True)
    unpacked = time.perf_counter() - started
    print(
        f"file  cache on disk: {len(entries)} entries, {size / 1024:.0f} KiB "
        f"({size / max(1, len(entries)):.0f} B/entry); tar.gz {archive.stat().st_size / 1024:.0f} "
        f"KiB, unpacked by tar in {unpacked * 1000:.0f} ms"
    )


def redis_backend(requests: list[DraftRequest]) -> float | None:
    if shutil.which("redis-server") is None:
        print("redis backend: skipped, redis-server is not installed")
        return None
    from bot.cache.redis import RedisBackend
    from tests.conftest import RedisServer

    server = RedisServer(BENCH / "redis")
    try:
        return measure("redis", lambda: RedisBackend.connect(server.url, ttl_s=DAY), requests)
    finally:
        server.stop()


def whole_warm_run(root: Path, diff: str, cache_layer_s: float) -> None:
    """Whole runs over the same change: the template pipeline, and azure (fake server) warm."""
    try:
        from bot.changes import from_diff_text
        from bot.runner import run
        from bot.settings import validate
    except ImportError as exc:
        print(f"whole warm run: not measured ({exc}); cache layer time above stands alone")
        return
    change = from_diff_text(diff, root)
    settings = validate({"provider": "template"})
    pipeline = statistics.median(
        timed(lambda: run(settings, change, repo="bench/ledger")) for _ in range(3)
    )
    print(
        f"whole run, template provider (uncached): {pipeline * 1000:.0f} ms (median of 3); "
        f"with the cache layer added: share {100 * cache_layer_s / (pipeline + cache_layer_s):.1f}%"
    )
    from tests.fakes.azure import FakeAzure

    with FakeAzure() as fake:
        azure = validate({**azure_env(fake.endpoint), "cache_dir": BENCH / "azure-cache"})
        shutil.rmtree(BENCH / "azure-cache", ignore_errors=True)
        cold = timed(lambda: run(azure, change, repo="bench/ledger", warn=print))
        asked = len(fake.requests)
        warm_s = statistics.median(
            timed(lambda: run(azure, change, repo="bench/ledger")) for _ in range(3)
        )
        cli_s = warm_cli_run(fake.endpoint, root, diff)
        assert len(fake.requests) == asked, "a warm run asked the LLM"
    print(
        f"whole run, azure provider (fake server, in-process): cold {cold * 1000:.0f} ms, "
        f"{asked} LLM requests; warm {warm_s * 1000:.0f} ms (median of 3), 0 LLM requests; "
        f"cache layer share {100 * cache_layer_s / warm_s:.1f}% (target <= 5%)"
    )
    print(
        f"whole warm run as a user starts it (python -m bot dry-run --provider azure, a new "
        f"process): {cli_s * 1000:.0f} ms, 0 LLM requests; cache layer share "
        f"{100 * cache_layer_s / cli_s:.1f}%"
    )
    fingerprints = azure_fingerprints(azure, change.files, requests_of(change.files))
    print(
        f"  not counted above: LLMProvider.fingerprint (builds the prompt each key includes), "
        f"once per target: {fingerprints * 1000:.0f} ms = {100 * fingerprints / warm_s:.1f}% "
        "of the in-process warm run"
    )


def azure_env(endpoint: str) -> dict[str, str]:
    return {
        "provider": "azure",
        "azure_endpoint": endpoint,
        "azure_api_key": "test-key-0123456789abcdef",
        "azure_deployment": "docs-4o",
    }


def warm_cli_run(endpoint: str, root: Path, diff: str) -> float:
    """Wall time of ``python -m bot dry-run`` in a new process, on the cache just filled."""
    diff_file = BENCH / "change.diff"
    diff_file.write_text(diff)
    env = {f"DOCBOT_{k.upper()}": v for k, v in azure_env(endpoint).items()}
    env |= {
        "DOCBOT_CACHE_DIR": str(BENCH / "azure-cache"),
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(BENCH.parents[1]),
    }
    argv = [sys.executable, "-m", "bot", "dry-run", "--diff", str(diff_file), "--root", str(root)]
    argv += ["--format", "json"]
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, cwd=BENCH)
    return time.perf_counter() - started


def requests_of(files: dict[str, str]) -> list[DraftRequest]:
    return [r for path, text in files.items() for r in requests_for(path, text)]


def azure_fingerprints(
    settings: object, files: dict[str, str], requests: list[DraftRequest]
) -> float:
    from bot.providers.llm import make_llm_provider
    from bot.settings import Settings

    assert isinstance(settings, Settings)
    provider = make_llm_provider(settings, files=files, warn=lambda message: None)
    started = time.perf_counter()
    for request in requests:
        provider.fingerprint(request)
    elapsed = time.perf_counter() - started
    asyncio.run(provider.aclose())
    return elapsed


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    args = parser.parse_args()
    root = BENCH / "change"
    files, diff = generate(root, args.targets)
    requests = requests_of(files)
    print(f"{len(requests)} targets in {len(files)} files")

    directory = BENCH / "file"
    shutil.rmtree(directory, ignore_errors=True)
    file_warm = measure(
        "file",
        lambda: FileBackend(directory, ttl_s=30 * DAY, max_bytes=64 << 20, warn=print),
        requests,
    )
    restore_cost(directory)
    redis_backend(requests)
    whole_warm_run(root, diff, file_warm)


if __name__ == "__main__":
    main()
