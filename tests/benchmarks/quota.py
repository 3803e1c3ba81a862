"""Many docbot runs sharing one Azure quota: ``python -m tests.benchmarks.quota``.

Several workflow runs on one deployment are simulated as N concurrent processes, each
running ``docbot dry-run --provider azure`` over its own pull requests one after another,
against one fake Azure server (tests/fakes/azure.py) enforcing one quota over fixed
10-second windows as Azure does (default 60 RPM: 10 requests per window).  Every
process is told the quota (``DOCBOT_RPM``).  For 1, 4 and 8 processes it runs:

- ``redis``: this tree, the quota shared through a ``redis-server`` on loopback;
- ``alone``: this tree, each process pacing itself;
- ``before``: the limiter as it was (``bot/`` of commit ``BEFORE``, via ``git archive``);

and prints the wall time against the bound (answered requests at the quota's rate),
both from the processes' start and from the first request's arrival to the last
answer (the span the limiter decides: starting a process takes seconds on a busy
machine), the share of requests answered 429 and the targets lost (not suggested).

The pull requests are real changes: the upgrades of a few packages between two
released sdists (``pip download``, as tests/benchmarks/agreement.py does), cut into
pull requests of ``--files-per-pr`` changed modules that have targets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from bot.pipeline import scan_file
from bot.targets import TargetOptions
from tests.benchmarks import agreement
from tests.conftest import RedisServer
from tests.fakes.azure import KEY, FakeAzure, FakeConfig

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "quota"
BEFORE = "2c139ae"
"""The last commit whose limiter bursts and knows only its own process."""
UPGRADES = (
    ("scrapy", "2.10.1", "2.11.2"),
    ("starlette", "0.27.0", "0.37.2"),
    ("urllib3", "1.26.18", "2.2.1"),
    ("flask", "2.2.5", "3.0.3"),
    ("werkzeug", "2.3.8", "3.0.3"),
    ("django", "4.2.11", "5.0.4"),
)


@dataclass(frozen=True)
class PullRequest:
    """One change as a diff file over the folder of its new files."""

    diff: Path
    root: Path


def pull_requests(files_per_pr: int) -> list[PullRequest]:
    """Every package upgrade cut into pull requests of modules with targets, interleaved."""
    agreement.BENCH = BENCH  # its downloads and scratch repositories go under ours
    BENCH.mkdir(parents=True, exist_ok=True)
    per_package = []
    for name, old, new in UPGRADES:
        change = agreement.make_change(
            name, agreement.download((name, old)), agreement.download((name, new))
        )
        sections = _sections(change.diff)
        wanted = [
            f.path
            for f in change.files
            if f.path in sections
            and (change.repo / f.path).is_file()
            and scan_file(f, (change.repo / f.path).read_text("utf-8"), TargetOptions()).targets
        ]
        prs = []
        folder = BENCH / "prs" / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for n in range(0, len(wanted) - files_per_pr + 1, files_per_pr):
            diff = folder / f"pr{n // files_per_pr:03}.diff"
            diff.write_text("".join(sections[p] for p in wanted[n : n + files_per_pr]), "utf-8")
            prs.append(PullRequest(diff, change.repo))
        per_package.append(prs)
    # Round-robin over packages, so each process gets a mix like an organisation's.
    longest = max(len(prs) for prs in per_package)
    return [prs[i] for i in range(longest) for prs in per_package if i < len(prs)]


def _sections(diff: str) -> dict[str, str]:
    """Each file's part of a git diff, by its new path."""
    parts = re.split(r"(?m)^(?=diff --git )", diff)
    found = {}
    for part in parts:
        match = re.search(r"(?m)^\+\+\+ b/(.+)$", part)
        if match:
            found[match.group(1)] = part
    return found


def before_tree() -> Path | None:
    """``bot/`` as of ``BEFORE``, unpacked under .bench; ``None`` without that history."""
    dest = BENCH / "before"
    if (dest / "bot").is_dir():
        return dest
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BEFORE, "bot"], cwd=ROOT, capture_output=True
    )
    if archive.returncode:
        return None
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


@dataclass
class Outcome:
    wall: float
    """From the processes' start to the last one's end."""
    busy: float
    """From the first request's arrival to the last answer: the span the quota decides."""
    answered: int
    throttled: int
    targets: int
    lost: int


def run(
    fake: FakeAzure, work: list[list[PullRequest]], *, code: Path, redis_url: str | None, rpm: int
) -> Outcome:
    """Start one process per list of pull requests, all at once; wait for every one."""
    fake.requests.clear()
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "AZURE_OPENAI_ENDPOINT": fake.endpoint,
        "AZURE_OPENAI_API_KEY": KEY,
        "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
        "DOCBOT_RPM": str(rpm),
        "DOCBOT_CACHE": "false",
    }
    if redis_url is not None:
        env["DOCBOT_REDIS_URL"] = redis_url
    script = (
        "import subprocess, sys\n"
        "for diff, root in zip(sys.argv[1::2], sys.argv[2::2]):\n"
        "    subprocess.run([sys.executable, '-m', 'bot', 'dry-run', '--provider', 'azure',\n"
        "                    '--format', 'json', '--diff', diff, '--root', root])\n"
    )
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *[str(p) for pr in prs for p in (pr.diff, pr.root)]],
            env=env,
            cwd=BENCH,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for prs in work
    ]
    outputs = [proc.communicate()[0] for proc in procs]
    wall = time.monotonic() - started
    targets = lost = 0
    for stats in (report["stats"] for output in outputs for report in _reports(output)):
        targets += stats["targets"]
        lost += stats["targets"] - stats["suggested"]
    arrivals = [r.at for r in fake.requests]
    busy = max(arrivals) - min(arrivals) + fake.config.latency_s if arrivals else 0.0
    return Outcome(wall, busy, fake.count(200), fake.count(429), targets, lost)


def _reports(output: str) -> Iterator[dict[str, Any]]:
    """The JSON reports of the dry-runs one process ran, printed one after another."""
    decoder = json.JSONDecoder()
    at = 0
    while (start := output.find("{", at)) >= 0:
        report, at = decoder.raw_decode(output, start)
        yield report


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(BENCH / "redis")
    try:
        yield server
    finally:
        server.stop()


def main() -> None:
    """Parse the flags, build the pull requests, run every configuration, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpm", type=int, default=60)
    parser.add_argument("--prs-per-process", type=int, default=2)
    parser.add_argument("--files-per-pr", type=int, default=6)
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 4, 8])
    parser.add_argument("--latency-ms", type=float, default=300)
    args = parser.parse_args()
    prs = pull_requests(args.files_per_pr)
    need = max(args.processes) * args.prs_per_process
    if len(prs) < need:
        raise SystemExit(f"only {len(prs)} pull requests for {need}; lower --prs-per-process")
    old = before_tree()
    variants = [("redis", ROOT), ("alone", ROOT)] + ([("before", old)] if old else [])
    print(
        f"{len(prs)} pull requests of {args.files_per_pr} changed modules "
        f"({', '.join(f'{n} {a}->{b}' for n, a, b in UPGRADES)}); "
        f"{args.prs_per_process} per process, one after another; fake quota {args.rpm} RPM "
        f"over fixed 10 s windows ({args.rpm // 6} per window), {args.latency_ms:.0f} ms latency"
    )
    if old is None:
        print(f"(no 'before' rows: commit {BEFORE} is not in this clone's history)")
    print(
        "| limiter | processes | wall s | requests span s | bound s | wall/bound "
        "| span/bound | requests | 429s | lost |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    config = FakeConfig(rpm=args.rpm, latency_s=args.latency_ms / 1000)
    with FakeAzure(config) as fake, redis_server() as server:
        for count in args.processes:
            work = [
                prs[i * args.prs_per_process : (i + 1) * args.prs_per_process] for i in range(count)
            ]
            for label, code in variants:
                url = server.url if label == "redis" else None
                if url is not None:
                    with redis.Redis.from_url(url) as client:
                        client.flushall()
                got = run(fake, work, code=code, redis_url=url, rpm=args.rpm)
                bound = got.answered * 60 / args.rpm
                sent = got.answered + got.throttled
                print(
                    f"| {label} | {count} | {got.wall:.1f} | {got.busy:.1f} | {bound:.1f} | "
                    f"{got.wall / bound:.2f}x | {got.busy / bound:.2f}x | {sent} | "
                    f"{got.throttled / sent:.0%} | "
                    f"{got.lost} of {got.targets} |",
                    flush=True,
                )
                time.sleep(10)  # the next configuration starts on fresh windows


if __name__ == "__main__":
    main()
