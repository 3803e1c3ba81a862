"""Throughput of the LLM layer under a quota, against the fake Azure server.

    python -m tests.benchmarks.throughput               # 200 targets, 150 ms, 60k TPM / 300 RPM
    python -m tests.benchmarks.throughput --tokens-only # prompt tokens per target, batching, cache

The throughput run answers 200 real targets (40 small standard-library modules) twice,
each against its own fake server (so the quotas are independent and both run at once):
docbot's provider (limiter + retries + concurrency) and a plain sequential client
(one request at a time, no limiter, honouring retry-after).  It prints the wall time,
the physical bound max(Σtokens/TPM, requests/RPM, N·latency/concurrency), their ratio
and the 429s.  Σtokens counts what the quota charges: prompt + completion allowance.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.changes import from_diff_text
from bot.pipeline import scan_file
from bot.providers.base import DraftOutcome, DraftRequest
from bot.providers.llm import make_llm_provider
from bot.targets import TargetOptions
from tests.fakes.azure import FakeAzure, FakeConfig, settings_for
from tests.fakes.code import requests as requests_from
from tests.fakes.code import stdlib_requests

ROOT = Path(__file__).resolve().parents[2]


async def _write(settings: Any, reqs: Sequence[DraftRequest]) -> list[DraftOutcome]:
    provider = make_llm_provider(settings, files={}, warn=lambda _: None, backoff_s=0.2)
    try:
        return await provider.write(reqs)
    finally:
        await provider.aclose()


def _run_one(
    label: str, fake: FakeAzure, settings: Any, reqs: Sequence[DraftRequest]
) -> dict[str, Any]:
    started = time.monotonic()
    outcomes = asyncio.run(_write(settings, reqs))
    wall = time.monotonic() - started
    billed = fake.billed()
    charged = sum(
        r.usage["prompt_tokens"]
        + int(r.body.get("max_tokens") or r.body.get("max_completion_tokens"))
        for r in billed
        if r.usage is not None
    )
    config = fake.config
    assert config.tpm and config.rpm
    bound = max(
        charged / config.tpm * 60,
        len(billed) / config.rpm * 60,
        len(billed) * config.latency_s / settings.concurrency,
    )
    return {
        "label": label,
        "wall": wall,
        "bound": bound,
        "ratio": bound / wall,
        "requests": len(fake.requests),
        "answered": len(billed),
        "429": fake.count(429),
        "charged": charged,
        "suggested": sum(o.status.value == "suggested" for o in outcomes),
    }


def throughput(*, targets: int, latency: float, tpm: int, rpm: int, allowance: int) -> None:
    """Run docbot's provider and a plain sequential client side by side; print both."""
    reqs = stdlib_requests(40, targets // 40)
    config = {"latency_s": latency, "tpm": tpm, "rpm": rpm}
    results: list[dict[str, Any]] = []
    with FakeAzure(FakeConfig(**config)) as ours, FakeAzure(FakeConfig(**config)) as plain:
        common = {"max_completion_tokens": allowance, "max_retries": 20, "timeout_s": 30}
        limited = settings_for(ours, rpm=rpm, tpm=tpm, concurrency=8, **common)
        runs = [
            ("docbot (limiter, concurrency 8)", ours, limited),
            ("plain sequential client", plain, settings_for(plain, concurrency=1, **common)),
        ]

        async def both() -> None:
            loop = asyncio.get_running_loop()
            done = await asyncio.gather(
                *(loop.run_in_executor(None, _run_one, *run, reqs) for run in runs)
            )
            results.extend(done)

        asyncio.run(both())
    print(
        f"{len(reqs)} targets in 40 files, fake: {latency * 1000:.0f} ms latency, "
        f"{tpm} TPM / {rpm} RPM, completion allowance {allowance}/target"
    )
    for r in results:
        share = r["429"] / r["requests"]
        print(
            f"  {r['label']:34} wall {r['wall']:6.1f} s  bound {r['bound']:6.1f} s  "
            f"ratio {r['ratio']:.2f}  requests {r['requests']:3} (answered {r['answered']}, "
            f"429s {r['429']} = {share:.1%})  charged tokens {r['charged']}  "
            f"suggested {r['suggested']}"
        )


def _real_diff() -> dict[str, str]:
    """The Python files of docbot's own first commits: a real change of a real project."""
    names = subprocess.run(
        ["git", "ls-files", "bot/*.py", "bot/**/*.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return {name: (ROOT / name).read_text(encoding="utf-8") for name in sorted(names)}


def _diff_requests(diff: Path, root: Path) -> list[DraftRequest]:
    """The requests docbot would send for a unified diff over the new files in ``root``."""
    change = from_diff_text(diff.read_text(encoding="utf-8"), root)
    options = TargetOptions()
    scans = [
        scan_file(d, change.files[d.path], options) for d in change.diffs if d.path in change.files
    ]
    return [DraftRequest(t, change.files[t.path], "google") for s in scans for t in s.targets]


def tokens_only(diff: Path | None, root: Path | None) -> None:
    """Prompt tokens per target with and without batching, and the cache share of request 2."""
    if diff is not None:
        reqs = _diff_requests(diff, root or Path("."))
        print(f"real change: {diff} ({len(reqs)} targets)")
    else:
        files = _real_diff()
        reqs = [r for path, text in files.items() for r in requests_from(path, text)]
        print(f"real change: {len(files)} files of docbot's bot/ package, {len(reqs)} public defs")
    for batch in (False, True):
        with FakeAzure() as fake:
            settings = settings_for(fake, batch=batch, concurrency=1)
            outcomes = asyncio.run(_write(settings, reqs))
        per_target = sorted(o.usage.prompt_tokens for o in outcomes)
        billed = fake.billed()
        assert billed[1].usage is not None
        second = billed[1].usage
        cached = second["prompt_tokens_details"]["cached_tokens"]
        all_cached = sum(
            r.usage["prompt_tokens_details"]["cached_tokens"] for r in billed if r.usage
        )
        all_prompt = sum(r.usage["prompt_tokens"] for r in billed if r.usage)
        p95 = per_target[int(0.95 * (len(per_target) - 1))]
        print(
            f"  batching {'on ' if batch else 'off'}: {len(billed)} requests, prompt tokens per "
            f"target mean {statistics.mean(per_target):.0f}, p95 {p95}, total {all_prompt}; "
            f"request 2: {cached}/{second['prompt_tokens']} cached "
            f"({cached / second['prompt_tokens']:.0%}); "
            f"whole run {all_cached / all_prompt:.0%} cached"
        )


def main() -> None:
    """Parse the flags and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens-only", action="store_true")
    parser.add_argument("--diff", type=Path, help="with --tokens-only: a real unified diff")
    parser.add_argument("--root", type=Path, help="with --diff: the folder of the new files")
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=150)
    parser.add_argument("--tpm", type=int, default=60_000)
    parser.add_argument("--rpm", type=int, default=300)
    parser.add_argument("--allowance", type=int, default=128)
    args = parser.parse_args()
    if args.tokens_only:
        tokens_only(args.diff, args.root)
        return
    throughput(
        targets=args.targets,
        latency=args.latency_ms / 1000,
        tpm=args.tpm,
        rpm=args.rpm,
        allowance=args.allowance,
    )


if __name__ == "__main__":
    main()
