"""Do docbot's opt-in stale checks agree with pydoclint on real code?

``python -m tests.benchmarks.stale_checks_agreement`` scans the installed packages of
the detect benchmark (openai and pydantic in google style, PyGithub in sphinx style,
copied under .bench/detect/tree by ``tests.benchmarks.detect``) with every
``stale_checks`` on, runs pydoclint over the same files with the checks' flags, and
prints, per package, the findings (DOC201/DOC202/DOC402/DOC403/DOC501-DOC503) each side
reports, precision and recall, and the first disagreements.  Definitions whose docstring
docbot reads in another style than the package's are left out on both sides: pydoclint
runs in one style per call, docbot reads each docstring's own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bot.docentries import read
from bot.pysource import SourceLines
from bot.stale import literal
from bot.stalechecks import CHECKS
from bot.targets import TargetOptions, scan
from tests.benchmarks.detect import build

PACKAGES = (("openai", "google"), ("pydantic", "google"), ("github", "sphinx"))
CODES = frozenset({"DOC201", "DOC202", "DOC402", "DOC403", "DOC501", "DOC502", "DOC503"})
FLAGS = (
    "--arg-type-hints-in-docstring", "False", "--arg-type-hints-in-signature", "False",
    "--check-return-types", "False", "--check-yield-types", "False",
    "--skip-checking-raises", "False", "--allow-init-docstring", "True",
)  # fmt: skip
Found = set[tuple[str, int, str]]


def docbot(files: list[Path], style: str) -> tuple[Found, set[tuple[str, int]]]:
    """docbot's findings, and the definitions it reads in another style."""
    options = TargetOptions(problems=("stale",), stale_checks=CHECKS)
    found: Found = set()
    other: set[tuple[str, int]] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        added = frozenset(range(1, text.count("\n") + 2))
        for target in scan(str(path), text, added, options).targets:
            assert target.docstring_lines is not None
            doc = literal(SourceLines(text), *target.docstring_lines)
            layout = None if doc is None else read(doc.lines)
            if layout is None or layout.style != style:
                other.add((str(path), target.line))
                continue
            found |= {(str(path), target.line, f.code) for f in target.findings}
    return {f for f in found if f[2] in CODES}, other


def pydoclint(files: list[Path], style: str) -> Found:
    exe = shutil.which("pydoclint", path=str(Path(sys.executable).parent)) or "pydoclint"
    done = subprocess.run(
        [exe, "--style", style, *FLAGS, "--quiet", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    found: Found = set()
    current = ""
    for line in (done.stdout + done.stderr).splitlines():
        if not line.startswith(" ") and line.endswith(".py"):
            current = line.strip()
            continue
        parts = line.strip().split(":", 2)
        if len(parts) == 3 and parts[0].isdigit() and parts[1].strip() in CODES:
            found.add((current, int(parts[0]), parts[1].strip()))
    return found


def main() -> int:
    tree = build()[0]
    print(f"{'package':10} {'style':7} {'docbot':>7} {'pydoclint':>9} {'both':>6} precision recall")
    shown: list[str] = []
    for package, style in PACKAGES:
        files = sorted((tree / package).rglob("*.py"))
        ours, other = docbot(files, style)
        theirs = {f for f in pydoclint(files, style) if f[:2] not in other}
        both = ours & theirs
        precision = len(both) / len(ours) if ours else 1.0
        recall = len(both) / len(theirs) if theirs else 1.0
        print(
            f"{package:10} {style:7} {len(ours):7} {len(theirs):9} {len(both):6} "
            f"{precision:9.3f} {recall:6.3f}"
        )
        shown += [f"  only docbot:    {f}" for f in sorted(ours - theirs)[:5]]
        shown += [f"  only pydoclint: {f}" for f in sorted(theirs - ours)[:5]]
    print("\n".join(shown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
