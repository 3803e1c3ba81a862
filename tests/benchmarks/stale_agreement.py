"""Does docbot call stale exactly the docstrings pydoclint's DOC101-DOC104 report?

``python -m tests.benchmarks.stale_agreement [--packages NAME...]`` takes real upgrades
of packages written in each docstring style (two sdists, one ``git diff -M``, built by
``tests.benchmarks.agreement``'s helpers into .bench/), and compares, on definitions
whose header holds an added line:

- docbot: ``bot.targets.scan`` with ``problems=("stale",)``, the findings' codes;
- pydoclint with the issue's flags, in each style, keeping for each definition the run
  in the style docbot reads from that docstring (for a docstring docbot reads no style
  in, any run's report counts against docbot).

Then it applies docbot's template repairs (``--format patch`` through ``git apply``) and
checks that every repaired definition is pydoclint-clean, that only docstrings changed,
and counts the kept entries whose text survived.  Prints precision and recall per
package and every disagreement.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.docentries import read
from bot.model import FileDiff
from bot.paths import path_selected
from bot.pysource import SourceLines
from bot.stale import literal
from bot.targets import TargetOptions, scan
from tests.benchmarks.agreement import BENCH, _headers, download, make_change

PACKAGES: tuple[tuple[str, str, str, str], ...] = (
    ("rich", "12.6.0", "13.7.1", "google"),
    ("google-auth", "2.20.0", "2.29.0", "google"),
    ("requests", "2.28.2", "2.32.3", "sphinx"),
    ("werkzeug", "2.3.8", "3.0.3", "sphinx"),
    ("click", "8.0.4", "8.1.7", "sphinx"),
    ("networkx", "3.1", "3.3", "numpy"),
    ("geopandas", "0.13.2", "0.14.4", "numpy"),
)
_DEPRECATED_ONLY = (
    "a summary and a `.. deprecated::` directive, no section: pydoclint's numpy parser counts"
    " the directive as a section, its sphinx and google parsers (and docbot) do not"
)
FLAGS = (
    "--arg-type-hints-in-docstring", "False", "--arg-type-hints-in-signature", "False",
    "--check-return-types", "False", "--check-yield-types", "False",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
# Disagreements understood, each with its reason (checked by hand; printed with the figures).
EXPLAINED: dict[tuple[str, str, int], str] = {
    ("networkx", "networkx/algorithms/d_separation.py", 683): _DEPRECATED_ONLY,
    ("networkx", "networkx/algorithms/d_separation.py", 703): _DEPRECATED_ONLY,
}
CODES = ("DOC101", "DOC102", "DOC103", "DOC104")
OPTIONS = TargetOptions(problems=("stale",))
Key = tuple[str, int]


def pydoclint(root: Path, paths: list[str], style: str) -> dict[Key, set[str]]:
    """DOC101-DOC104 per (path, def line) from one pydoclint run over ``paths``."""
    found: dict[Key, set[str]] = defaultdict(set)
    exe = Path(sys.executable).with_name("pydoclint")
    for start in range(0, len(paths), 200):
        chunk = paths[start : start + 200]
        done = subprocess.run(
            [str(exe), "--style", style, *FLAGS, "--quiet", *chunk],
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        path = ""
        for line in (done.stdout + done.stderr).splitlines():
            if line and not line.startswith(" "):
                path = line.strip()
                continue
            parts = line.strip().split(":", 2)
            if len(parts) == 3 and parts[1].strip() in CODES:
                found[(path, int(parts[0]))].add(parts[1].strip())
    return found


def docbot(root: Path, files: list[FileDiff]) -> tuple[dict[Key, set[str]], dict[Key, str]]:
    """docbot's stale targets' codes, and the style it reads in each touched docstring."""
    found: dict[Key, set[str]] = {}
    styles: dict[Key, str] = {}
    for diff in files:
        if not _checked(root, diff):
            continue
        text = (root / diff.path).read_text(encoding="utf-8", errors="replace")
        try:
            result = scan(diff.path, text, diff.added, OPTIONS)
        except Exception:  # an unparsable file: pydoclint skips it too
            continue
        for target in result.targets:
            found[(diff.path, target.line)] = {f.code for f in target.findings}
        styles.update(_styles(diff.path, text))
    return found, styles


def _styles(path: str, text: str) -> dict[Key, str]:
    lines = SourceLines(text)
    out: dict[Key, str] = {}
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            doc = literal(lines, first.lineno, first.end_lineno or first.lineno)
            layout = None if doc is None else read(doc.lines)
            if layout is not None:
                out[(path, node.lineno)] = layout.style
    return out


def compare(name: str, repo: Path, files: list[FileDiff]) -> tuple[int, int, int, list[str]]:
    """(agreed, docbot only, pydoclint only, explanations) on touched definitions."""
    paths = [d.path for d in files if _checked(repo, d)]
    ours, styles = docbot(repo, files)
    runs = {style: pydoclint(repo, paths, style) for style in ("google", "numpy", "sphinx")}
    touched = _touched(repo, files)
    theirs: dict[Key, set[str]] = {}
    for key in touched:
        style = styles.get(key) or _init_style(key, styles, repo)
        picks = [runs[style]] if style else list(runs.values())
        codes = set().union(*(run.get(key, set()) for run in picks))
        if codes:
            theirs[key] = codes
    agreed = sum(1 for k in ours if theirs.get(k) == ours[k])
    notes = [
        f"  {name} {k[0]}:{k[1]} docbot {sorted(ours.get(k, ()))} pydoclint"
        f" {sorted(theirs.get(k, ()))}" + _why(name, k)
        for k in sorted(set(ours) | set(theirs))
        if ours.get(k) != theirs.get(k)
    ]
    only_ours = sum(1 for k in ours if theirs.get(k) != ours[k])
    only_theirs = sum(1 for k in theirs if ours.get(k) != theirs[k])
    return agreed, only_ours, only_theirs, notes


def _why(name: str, key: Key) -> str:
    reason = EXPLAINED.get((name, *key))
    return f"\n    explained: {reason}" if reason else "\n    UNEXPLAINED"


def _init_style(key: Key, styles: dict[Key, str], repo: Path) -> str | None:
    """An ``__init__`` without a docstring is read in its class docstring's style."""
    tree = ast.parse((repo / key[0]).read_text(encoding="utf-8", errors="replace"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.lineno == key[1]:
                    return styles.get((key[0], node.lineno))
    return None


def _checked(root: Path, diff: FileDiff) -> bool:
    return (
        diff.path.endswith(".py")
        and path_selected(diff.path, OPTIONS) is None
        and (root / diff.path).is_file()
    )


def _touched(repo: Path, files: list[FileDiff]) -> set[Key]:
    keys: set[Key] = set()
    for diff in files:
        if not _checked(repo, diff):
            continue
        for line, end in _headers(repo / diff.path).items():
            if not diff.added.isdisjoint(range(line, end + 1)):
                keys.add((diff.path, line))
    return keys


def repaired(name: str, repo: Path, diff_text: str) -> tuple[int, int, int, int, list[str]]:
    """Apply docbot's repairs to a copy: (suggested, clean, code-unchanged, kept-entry ratio)."""
    copy = BENCH / "stale-repaired" / name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / "change.diff").write_text(diff_text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "dry-run", "--diff", "change.diff", "--root", ".",
         "--provider", "template", "--problems", "stale", "--format", "json", "--no-cache"],
        cwd=copy, capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(done.stdout)
    suggested = [t for t in report["targets"] if t["status"] == "suggested"]
    problems: list[str] = [
        f"  {name} {t['path']}:{t['line']} not repaired: {t['reason']}"
        for t in report["targets"]
        if t["status"] != "suggested"
    ]
    subprocess.run(
        [sys.executable, "-m", "bot", "dry-run", "--diff", "change.diff", "--root", ".",
         "--provider", "template", "--problems", "stale", "--apply", "--no-cache"],
        cwd=copy, capture_output=True, text=True, check=False,
    )  # fmt: skip
    paths = sorted({t["path"] for t in suggested})
    code_same = sum(1 for p in paths if _same_code(repo / p, copy / p, problems))
    left: dict[Key, set[str]] = {}
    for style in ("google", "numpy", "sphinx"):
        for key, codes in pydoclint(copy, paths, style).items():
            left.setdefault(key, set()).update(codes)
    styles: dict[Key, str] = {}
    for p in paths:
        styles.update(_styles(p, (copy / p).read_text(encoding="utf-8")))
    kept, survived = 0, 0
    for t in suggested:
        k, s = _kept_text(repo / t["path"], copy / t["path"], t["qualname"])
        kept, survived = kept + k, survived + s
        if s < k:
            problems.append(f"  {name} {t['path']}:{t['line']} lost text of {k - s} kept entries")
    clean = 0
    for t in suggested:
        key = (t["path"], t["line"])
        style = styles.get(key) or _init_style(key, styles, copy)
        codes = pydoclint(copy, [t["path"]], style).get(key, set()) if style else left.get(key)
        if codes:
            problems.append(f"  {name} {key[0]}:{key[1]} still {sorted(codes)} after repair")
        else:
            clean += 1
    return len(suggested), clean, code_same, len(paths), kept, survived, problems


def _kept_text(before: Path, after: Path, qualname: str) -> tuple[int, int]:
    """Kept entries of the old docstring, and how many of them are in the new one verbatim."""
    old = _docstring_lines(before, qualname)
    new = _docstring_lines(after, qualname)
    layout = None if old is None else read(old[1])
    if old is None or new is None or layout is None:
        return 0, 0
    expected = {n.lstrip("*") for n in old[0]}
    text = "\n".join(new[1])
    kept = [e for e in layout.params if e.name.lstrip("*") in expected]
    survived = sum(
        1
        for e in kept
        # a renamed entry (`args` for `*args`) keeps everything after its first line
        if "\n".join(old[1][e.first + (e.name not in old[0]) : e.last + 1]) in text
    )
    return len(kept), survived


def _docstring_lines(path: Path, qualname: str) -> tuple[list[str], tuple[str, ...]] | None:
    """The signature's documented names and the docstring lines documenting them."""
    text = path.read_text(encoding="utf-8")
    lines = SourceLines(text)
    node: ast.AST = ast.parse(text)
    parent: ast.AST = node
    for part in qualname.split("."):
        found = _child(node, part)
        if found is None:
            return None
        parent, node = node, found
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    from bot.pysource import params
    from bot.stale import documented_names

    names = documented_names(params(lines, node, drop_first=isinstance(parent, ast.ClassDef)))
    holder = node if ast.get_docstring(node) is not None else parent
    first = holder.body[0] if isinstance(holder, ast.ClassDef | type(node)) else None
    if first is None:
        return None
    doc = literal(lines, first.lineno, first.end_lineno or first.lineno)
    return None if doc is None else (names, doc.lines)


def _child(node: ast.AST, name: str) -> ast.AST | None:
    for child in ast.walk(node):
        defs = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        if child is not node and isinstance(child, defs) and child.name == name:
            return child
    return None


def _same_code(before: Path, after: Path, problems: list[str]) -> bool:
    from bot.suggest import check_safe

    try:
        check_safe(before.read_text(encoding="utf-8"), after.read_text(encoding="utf-8"))
    except Exception as exc:  # reported, not raised
        problems.append(f"  {after}: {exc}")
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", nargs="*", help="only these packages")
    args = parser.parse_args(argv)
    chosen = [p for p in PACKAGES if not args.packages or p[0] in args.packages]
    BENCH.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(4) as pool:
        archives = list(pool.map(download, [(n, v) for n, a, b, _ in chosen for v in (a, b)]))
    print(f"{'package':12} {'style':7} {'agree':>5} {'docbot+':>7} {'pydoclint+':>10} "
          f"{'precision':>9} {'recall':>6} | {'repaired':>8} {'clean':>5} {'code same':>9}")  # fmt: skip
    notes: list[str] = []
    ok = True
    totals = (0, 0)
    for i, (name, _, _, style) in enumerate(chosen):
        change = make_change(name, archives[2 * i], archives[2 * i + 1])
        agreed, ours, theirs, why = compare(name, change.repo, change.files)
        fixed, clean, same, files, kept, survived, trouble = repaired(
            name, change.repo, change.diff
        )
        totals = (totals[0] + kept, totals[1] + survived)
        precision = agreed / (agreed + ours) if agreed + ours else 1.0
        recall = agreed / (agreed + theirs) if agreed + theirs else 1.0
        print(f"{name:12} {style:7} {agreed:5} {ours:7} {theirs:10} {precision:9.3f} "
              f"{recall:6.3f} | {fixed:8} {clean:5} {same:4}/{files:<4}")  # fmt: skip
        notes += why + trouble
        ok = ok and not any("UNEXPLAINED" in note for note in why)
    print(f"kept entries whose text survived the repair: {totals[1]} of {totals[0]}")
    if notes:
        print("\ndisagreements and repair problems:")
        print("\n".join(notes))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
