"""Do docbot's opt-in stale checks agree with pydoclint on real code?

``python -m tests.benchmarks.stale_checks_agreement`` scans the installed packages of
the detect benchmark (openai and pydantic in google style, PyGithub in sphinx style,
copied under .bench/detect/tree by ``tests.benchmarks.detect``) with every
``stale_checks`` on, runs pydoclint over the same files with the checks' flags, and
prints, per package, the findings (DOC201/DOC202/DOC402/DOC403/DOC501-DOC503) each side
reports, precision and recall, and the first disagreements.  Definitions whose docstring
docbot reads in another style than the package's are left out on both sides: pydoclint
runs in one style per call, docbot reads each docstring's own.

Then the repairs: every definition docbot reports with an opt-in finding gets the
offline writer's draft (``--provider template``); the proven suggestions are applied
(copies under .bench/stale_checks), the result must differ from the package only in
docstrings, and pydoclint, run again over the copies, must report nothing of the
repaired definitions.  Skipped ones are counted by their reason.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.docentries import read
from bot.mend import finish_stale
from bot.model import Status, Target
from bot.providers.template import draft_for
from bot.pysource import SourceLines
from bot.stale import literal
from bot.stalechecks import CHECKS
from bot.suggest import apply, check_safe
from bot.targets import TargetOptions, scan
from tests.benchmarks.detect import BENCH, build

PACKAGES = (("openai", "google"), ("pydantic", "google"), ("github", "sphinx"))
CODES = frozenset({"DOC201", "DOC202", "DOC402", "DOC403", "DOC501", "DOC502", "DOC503"})
FLAGS = (
    "--arg-type-hints-in-docstring", "False", "--arg-type-hints-in-signature", "False",
    "--check-return-types", "False", "--check-yield-types", "False",
    "--skip-checking-raises", "False", "--allow-init-docstring", "True",
)  # fmt: skip
ARGS = frozenset({"DOC101", "DOC102", "DOC103", "DOC104"})
TYPES = frozenset({"DOC105", "DOC203", "DOC404"})
TYPE_FLAGS = (
    "--arg-type-hints-in-docstring", "True", "--arg-type-hints-in-signature", "True",
    "--check-return-types", "True", "--check-yield-types", "True",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
PASSES = (
    ("returns, yields, raises", CHECKS, CODES, FLAGS),
    ("types", ("types",), TYPES, TYPE_FLAGS),
)
Found = set[tuple[str, int, str]]


def in_style(
    path: Path, style: str, checks: tuple[str, ...] = CHECKS
) -> tuple[list[Target], list[Target]]:
    """docbot's stale targets in ``path``: those in ``style``, and those in another."""
    options = TargetOptions(problems=("stale",), stale_checks=checks)
    text = path.read_text(encoding="utf-8")
    added = frozenset(range(1, text.count("\n") + 2))
    ours: list[Target] = []
    other: list[Target] = []
    for target in scan(str(path), text, added, options).targets:
        assert target.docstring_lines is not None
        doc = literal(SourceLines(text), *target.docstring_lines)
        layout = None if doc is None else read(doc.lines)
        (ours if layout is not None and layout.style == style else other).append(target)
    return ours, other


def docbot(
    files: list[Path], style: str, checks: tuple[str, ...] = CHECKS, codes: frozenset[str] = CODES
) -> tuple[Found, set[tuple[str, int]]]:
    """docbot's findings, and the definitions it reads in another style."""
    found: Found = set()
    other: set[tuple[str, int]] = set()
    for path in files:
        ours, others = in_style(path, style, checks)
        other |= {(str(path), t.line) for t in others}
        found |= {(str(path), t.line, f.code) for t in ours for f in t.findings}
    return {f for f in found if f[2] in codes}, other


def repairs(
    package: str,
    files: list[Path],
    style: str,
    checks: tuple[str, ...] = CHECKS,
    codes: frozenset[str] = CODES,
    flags: tuple[str, ...] = FLAGS,
) -> Counter[str]:
    """Repair every opt-in finding offline, apply, and ask pydoclint again."""
    counts: Counter[str] = Counter()
    out = BENCH.parent / "stale_checks" / checks[0] / package
    shutil.rmtree(out, ignore_errors=True)
    repaired: dict[str, list[str]] = {}
    for path in files:
        ours = in_style(path, style, checks)[0]
        targets = [t for t in ours if any(f.code in codes for f in t.findings)]
        if not targets:
            continue
        text = path.read_text(encoding="utf-8")
        results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
        counts["targets"] += len(targets)
        for result in results:
            counts[f"{result.status.value}: {result.reason}" if result.reason else "suggested"] += 1
        done = [r for r in results if r.status is Status.SUGGESTED and r.suggestion]
        if not done:
            continue
        fixed = apply(text, [r.suggestion for r in done if r.suggestion is not None])
        check_safe(text, fixed)  # raises unless only docstrings changed
        counts["only docstrings changed"] += len(done)
        copy = out / f"{len(repaired)}_{path.name}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(fixed, encoding="utf-8")
        repaired[str(copy)] = [r.target.qualname for r in done]  # overloads share a name
    left = pydoclint([Path(p) for p in repaired], style, codes | ARGS, flags)
    counts["pydoclint findings in the copies"] = len(left)  # of others: it did run
    for name, qualnames in repaired.items():
        lines = _def_lines(Path(name).read_text(encoding="utf-8"))
        reported = {lines.get(line) for file, line, _ in left if file == name}
        counts["pydoclint clean after"] += sum(1 for q in qualnames if q not in reported)
    return counts


def _def_lines(text: str) -> dict[int, str]:
    """Each function's def line and qualname (where pydoclint reports it)."""
    names: dict[int, str] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if not isinstance(child, ast.ClassDef):
                    names[child.lineno] = prefix + child.name
                walk(child, prefix + child.name + ".")

    walk(ast.parse(text), "")
    return names


def pydoclint(
    files: list[Path], style: str, codes: frozenset[str] = CODES, flags: tuple[str, ...] = FLAGS
) -> Found:
    exe = shutil.which("pydoclint", path=str(Path(sys.executable).parent)) or "pydoclint"
    done = subprocess.run(
        [exe, "--style", style, *flags, "--quiet", *map(str, files)],
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
        if len(parts) == 3 and parts[0].isdigit() and parts[1].strip() in codes:
            found.add((current, int(parts[0]), parts[1].strip()))
    return found


def main() -> int:
    tree = build()[0]
    shown: list[str] = []
    for name, checks, codes, flags in PASSES:
        print(f"stale_checks = {name}: {', '.join(sorted(codes))}")
        print(
            f"{'package':10} {'style':7} {'docbot':>7} {'pydoclint':>9} {'both':>6} precision recall"
        )
        for package, style in PACKAGES:
            files = sorted((tree / package).rglob("*.py"))
            ours, other = docbot(files, style, checks, codes)
            theirs = {f for f in pydoclint(files, style, codes, flags) if f[:2] not in other}
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
    print("\nrepairs (offline writer; applied; only docstrings changed; pydoclint again):")
    for name, checks, codes, flags in PASSES:
        print(f"stale_checks = {name}")
        for package, style in PACKAGES:
            files = sorted((tree / package).rglob("*.py"))
            counts = repairs(package, files, style, checks, codes, flags)
            total, clean = counts.pop("targets", 0), counts.pop("pydoclint clean after", 0)
            others = counts.pop("pydoclint findings in the copies", 0)
            print(
                f"{package:10} {style:7} definitions {total:5}  repaired {counts['suggested']:5}"
                f"  only docstrings changed {counts.pop('only docstrings changed', 0):5}"
                f"  pydoclint clean after {clean:5}  (its findings left on others: {others})"
            )
            for reason, n in counts.most_common():
                if reason != "suggested":
                    print(f"  {n:5}  {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
