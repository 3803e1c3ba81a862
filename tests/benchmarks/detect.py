"""How fast is docbot on a huge change, next to interrogate and ruff?

``python -m tests.benchmarks.detect [--repeat N]`` copies the ``.py`` files of some
installed packages (openai, github, pydantic: ~2,300 files, ~330k lines) under
.bench/detect/tree and writes a diff that adds every one of them, then times, in
one run, best of N:

- docbot: diff text -> suggestions with the template provider and no cache
  (``bot.changes.from_diff_text`` + ``bot.runner.run``, in process; before the
  runner existed, ``parse_diff`` + ``scan``), and the same through the CLI;
- ``interrogate`` over the tree (a subprocess, as a user runs it);
- ``ruff check --isolated --select D1`` over the tree.

It prints the wall times and the ratios docbot/interrogate and docbot/ruff.  The goals:
docbot <= 0.6x interrogate with stale checking on (the default), <= 0.5x looking for
missing docstrings only.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "detect"
PACKAGES = ("openai", "github", "pydantic")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each tool N times, keep the best"
    )
    args = parser.parse_args(argv)
    tree, diff_path, files, lines = build()
    print(f"change: {files} new files, {lines} added lines ({', '.join(PACKAGES)})")
    diff_text = diff_path.read_bytes().decode("utf-8")
    ruff_argv = ["ruff", "check", "--isolated", "--no-cache", "--exit-zero", "-q"]

    tools: dict[str, Callable[[], str]] = {
        "docbot": lambda: docbot_in_process(diff_text, tree),
        "docbot missing only": lambda: docbot_in_process(diff_text, tree, "missing"),
        "docbot CLI": lambda: docbot_cli(diff_path, tree),
        "interrogate": lambda: command(["interrogate", "-q", str(tree)]),
        "ruff": lambda: command([*ruff_argv, "--select", "D1", str(tree)]),
    }
    times, notes = interleaved(args.repeat, tools)
    docbot, missing, cli, interrogate, ruff = (times[name] for name in tools)
    print(f"docbot      {docbot:6.2f} s  ({notes['docbot']})")
    print(f"  missing only {missing:6.2f} s  (stale checking off: {notes['docbot missing only']})")
    print(f"docbot CLI  {cli:6.2f} s  (python -m bot dry-run ... --format json, with start-up)")
    print(f"interrogate {interrogate:6.2f} s")
    print(f"ruff        {ruff:6.2f} s")
    print(
        f"docbot/interrogate {docbot / interrogate:5.2f}x (CLI {cli / interrogate:5.2f}x)"
        "   goal <= 0.60x with stale checking on"
    )
    print(
        f"  missing only/interrogate {missing / interrogate:5.2f}x (stale checking costs "
        f"{docbot / missing - 1:+.0%})   goal <= 0.50x"
    )
    print(f"docbot/ruff        {docbot / ruff:5.2f}x (CLI {cli / ruff:5.2f}x)")
    return 0


def build() -> tuple[Path, Path, int, int]:
    """The tree of new files and the all-added diff, made once."""
    tree = BENCH / "tree"
    diff_path = BENCH / "change.diff"
    stamp = BENCH / "done"
    if not stamp.exists():
        if tree.exists():
            shutil.rmtree(tree)
        parts: list[str] = []
        for package in PACKAGES:
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                raise SystemExit(f"{package} is not installed")
            base = Path(next(iter(spec.submodule_search_locations))).parent
            for source in sorted((base / package).rglob("*.py")):
                rel = source.relative_to(base).as_posix()
                data = source.read_bytes()
                (tree / rel).parent.mkdir(parents=True, exist_ok=True)
                (tree / rel).write_bytes(data)
                parts.append(_added_file(rel, data.decode("utf-8")))
        diff_path.write_text("".join(parts), encoding="utf-8")
        stamp.write_text("")
    text = diff_path.read_bytes().decode("utf-8")
    files = text.count("\ndiff --git ") + text.startswith("diff --git ")
    added = sum(
        1 for line in text.split("\n") if line.startswith("+") and not line.startswith("+++ ")
    )
    return tree, diff_path, files, added


def _added_file(path: str, text: str) -> str:
    """``git diff`` of a new file: one hunk of added lines (none for an empty file)."""
    head = f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n"
    lines = _LINE.findall(text)
    if not lines:
        return head
    body = "".join("+" + line for line in lines)
    if not body.endswith("\n"):
        body += "\n\\ No newline at end of file\n"
    return f"{head}--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{body}"


def docbot_in_process(diff_text: str, tree: Path, problems: str = "missing,stale") -> str:
    try:
        from bot.changes import from_diff_text
        from bot.runner import run
        from bot.settings import validate
    except ImportError:
        return _scan_only(diff_text, tree)
    report = run(
        validate({"provider": "template", "cache": False, "style": "google", "problems": problems}),
        from_diff_text(diff_text, tree),
        warn=lambda message: None,
    )
    counts = report.counts()
    stale = sum(1 for r in report.results if r.target.problem == "stale")
    return (
        f"{counts['targets']} targets ({stale} stale), {counts['suggested']} suggested, runner.run"
    )


def _scan_only(diff_text: str, tree: Path) -> str:
    from bot.diff import parse_diff
    from bot.paths import path_selected
    from bot.targets import TargetOptions, scan

    options = TargetOptions()
    found = 0
    for diff in parse_diff(diff_text):
        if diff.added and path_selected(diff.path, options) is None:
            text = (tree / diff.path).read_bytes().decode("utf-8")
            found += len(scan(diff.path, text, diff.added, options).targets)
    return f"{found} targets, parse_diff + scan only (no runner yet)"


def docbot_cli(diff_path: Path, tree: Path) -> str:
    argv = ["--diff", str(diff_path), "--root", str(tree), "--provider", "template"]
    argv += ["--style", "google", "--format", "json", "--no-cache"]
    return command([sys.executable, "-m", "bot", "dry-run", *argv])


def command(argv: list[str]) -> str:
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return ""


def interleaved(
    repeat: int, tools: dict[str, Callable[[], str]]
) -> tuple[dict[str, float], dict[str, str]]:
    """Each tool's shortest wall time over ``repeat`` rounds, and what its last call said.

    Every round runs every tool once, so a burst of load from the machine's neighbours
    lands on all of them alike rather than on whichever happened to be running.
    """
    times: dict[str, list[float]] = {name: [] for name in tools}
    notes: dict[str, str] = {}
    for _ in range(max(repeat, 1)):
        for name, fn in tools.items():
            start = time.perf_counter()
            notes[name] = fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}, notes


if __name__ == "__main__":
    raise SystemExit(main())
