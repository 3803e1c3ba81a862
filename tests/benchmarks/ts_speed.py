"""How fast is docbot's TypeScript detection next to eslint's require-jsdoc on the same files?

``python -m tests.benchmarks.ts_speed [--repeat N]`` unpacks rxjs 7.8.1's TypeScript
(``src/**/*.ts`` and ``dist/types/**/*.d.ts``, ``npm pack`` into .bench/ts_speed/) and
writes a diff that adds every file, then times, rounds interleaved, best of N:

- docbot detection: diff text -> targets (``bot.diff.parse_diff`` + ``bot.pipeline.scan_file``
  of every file, in process: what the CLI and the Action do before drafting);
- docbot's whole dry run through the CLI (a subprocess: start-up, template drafts,
  rendering and the proof of every suggestion included);
- eslint with require-jsdoc over the same files (``.ci/node``, a subprocess, as users run it).

It prints the times, the finding counts (equal, or the run fails) and the ratios.  The
goal is docbot's detection <= 0.2x eslint.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.diff import parse_diff
from bot.languages import Registry
from bot.pipeline import scan_file
from bot.targets import TargetOptions
from tests import eslint_oracle

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "ts_speed"
PACKAGE = ("rxjs", "7.8.1")


def main(argv: list[str] | None = None) -> int:
    """Time the three, print the figures; exit 1 when counts differ or eslint is missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best of each is kept")
    args = parser.parse_args(argv)
    if (reason := eslint_oracle.available()) is not None:
        print(f"cannot run: {reason}")
        return 1
    tree, diff_text, paths = _prepare()
    lines = sum((tree / path).read_text("utf-8").count("\n") for path in paths)
    print(f"change: {len(paths)} TypeScript files, {lines} lines, every line added")
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    tasks: dict[str, Callable[[], int]] = {
        "docbot detection (in process)": lambda: _detect(tree, diff_text),
        "docbot dry-run (CLI, template writer)": lambda: _dry_run(tree),
        "eslint require-jsdoc (CLI)": lambda: _eslint(tree, paths),
    }
    for _ in range(args.repeat):
        for name, task in tasks.items():
            start = time.perf_counter()
            counts[name] = task()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    for name, seconds in best.items():
        print(f"{name:<40} {seconds:8.2f} s   {counts[name]:>6} targets")
    eslint = best["eslint require-jsdoc (CLI)"]
    for name in list(best)[:2]:
        print(f"{name:<40} {best[name] / eslint:8.3f}x eslint")
    same = len(set(counts.values())) == 1
    print("finding counts: " + ("equal" if same else "DIFFERENT"))
    return 0 if same else 1


def _prepare() -> tuple[Path, str, list[str]]:
    BENCH.mkdir(parents=True, exist_ok=True)
    name, version = PACKAGE
    tarball = BENCH / f"{name}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=BENCH, check=True)
    tree = BENCH / "tree"
    if not tree.exists():
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                parts = Path(member.name).parts[1:]
                wanted = parts[:1] == ("src",) and member.name.endswith(".ts")
                wanted |= parts[:2] == ("dist", "types") and member.name.endswith(".d.ts")
                if member.isfile() and wanted and ".." not in parts:
                    target = tree.joinpath(*parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = archive.extractfile(member)
                    assert source is not None
                    target.write_bytes(source.read())
    paths = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.ts"))
    chunks = []
    for path in paths:
        body = (tree / path).read_text("utf-8").split("\n")
        if body and body[-1] == "":
            body.pop()
        chunks.append(
            f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
            f"@@ -0,0 +1,{len(body)} @@\n" + "".join(f"+{line}\n" for line in body)
        )
    diff_text = "".join(chunks)
    (BENCH / "change.diff").write_text(diff_text, "utf-8")
    return tree, diff_text, paths


def _detect(tree: Path, diff_text: str) -> int:
    registry = Registry()
    options = TargetOptions()
    found = 0
    for diff in parse_diff(diff_text):
        text = (tree / diff.path).read_text("utf-8")
        found += len(scan_file(diff, text, options, registry).targets)
    return found


def _dry_run(tree: Path) -> int:
    env = {**os.environ, "DOCBOT_CACHE": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "dry-run", "--diff", str(BENCH / "change.diff"),
         "--root", str(tree), "--provider", "template", "--format", "json"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    return len(json.loads(done.stdout)["targets"])


def _eslint(tree: Path, paths: list[str]) -> int:
    report = eslint_oracle.run(tree, paths, batch=len(paths))
    return sum(len(found) for found in report.findings.values())


if __name__ == "__main__":
    sys.exit(main())
