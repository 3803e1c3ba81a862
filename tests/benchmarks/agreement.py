"""Does docbot find exactly the definitions ruff's D101/D102/D103/D106 report?

``python -m tests.benchmarks.agreement [--packages NAME...] [--skip-phase2]`` downloads
two released sdists of each package below (``pip download --no-binary :all: --no-deps``
into .bench/), commits the older one's ``.py`` files to a scratch git repository, puts
the newer one's in their place and takes ``git diff -M``: a real upgrade as one change.

Phase 1 compares, per package, with test paths left out the same way on both sides
(``bot.paths.path_selected``):

- docbot: ``bot.diff.parse_diff`` of that diff + ``bot.targets.scan`` of each new file;
- ruff: ``ruff check --isolated --select D101,D102,D103,D106`` on the new files, kept
  to definitions whose header (``def``/``class`` line through the colon that ends it,
  found here with ``tokenize``, independently of docbot) holds an added line;

then again with every line of every new file counted as added (all definitions), and
checks docbot's ``header_end`` against the tokenize one for every target.

Phase 2 runs ``python -m bot dry-run --provider template`` on both kinds of change:
``--format patch`` through ``git apply`` on one copy, ``--apply`` on another; every
changed file must parse, keep its AST once docstrings are dropped, lose ruff's report
for each suggested target, and the two copies must be byte-identical.

Exit status 1 on any disagreement or failure.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tokenize
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.diff import parse_diff
from bot.model import FileDiff
from bot.paths import path_selected
from bot.targets import TargetOptions, scan

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "agreement"
PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("requests", "2.28.2", "2.32.3"),
    ("click", "8.0.4", "8.1.7"),
    ("rich", "12.6.0", "13.7.1"),
    ("httpx", "0.23.3", "0.27.0"),
    ("attrs", "22.2.0", "23.2.0"),
    ("flask", "2.2.5", "3.0.3"),
    ("starlette", "0.27.0", "0.37.2"),
    ("httpcore", "0.17.3", "1.0.5"),
    ("urllib3", "1.26.18", "2.2.1"),
    ("werkzeug", "2.3.8", "3.0.3"),
    ("pydantic", "2.5.3", "2.7.1"),
)
RULES = "D101,D102,D103,D106"
Key = tuple[str, int]


@dataclass
class Change:
    """One package's upgrade, as a scratch git repository holding the new version."""

    name: str
    repo: Path
    diff: str
    files: list[FileDiff]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", nargs="*", help="only these packages")
    parser.add_argument("--skip-phase2", action="store_true", help="agreement table only")
    args = parser.parse_args(argv)
    chosen = [p for p in PACKAGES if not args.packages or p[0] in args.packages]
    BENCH.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(4) as pool:
        archives = list(pool.map(download, [(n, v) for n, *vs in chosen for v in vs]))
    changes = [
        make_change(name, archives[2 * i], archives[2 * i + 1])
        for i, (name, _, _) in enumerate(chosen)
    ]
    ok = agreement(changes)
    ok = agreement(changes, whole=True) and ok
    if not args.skip_phase2:
        ok = phase2(changes) and ok
    return 0 if ok else 1


# -- the data: two sdists per package, one git diff between them
def download(spec: tuple[str, str]) -> Path:
    """The sdist of ``name==version`` under .bench/agreement/sdists, fetched once."""
    name, version = spec
    folder = BENCH / "sdists"
    folder.mkdir(exist_ok=True)
    found = _sdist(folder, name, version)
    if found is None:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-binary",
                ":all:",
                "--no-deps",
                "-d",
                str(folder),
                f"{name}=={version}",
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"pip download {name}=={version} failed:\n{done.stderr}")
        found = _sdist(folder, name, version)
    if found is None:
        raise SystemExit(f"pip download gave no sdist for {name}=={version}")
    return found


def _sdist(folder: Path, name: str, version: str) -> Path | None:
    for path in folder.iterdir():
        lowered = path.name.lower().replace("_", "-")
        if lowered in (f"{name}-{version}.tar.gz", f"{name}-{version}.zip"):
            return path
    return None


def make_change(name: str, old: Path, new: Path) -> Change:
    """Commit ``old``'s .py files, swap in ``new``'s, and diff the two with git."""
    repo = BENCH / "repos" / name
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    git(repo, "init", "--quiet")
    _unpack_python(old, repo)
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "user.name=bench",
        "-c",
        "user.email=bench@127.0.0.1",
        "commit",
        "--quiet",
        "-m",
        "old",
    )
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    _unpack_python(new, repo)
    git(repo, "add", "-A")
    diff = git(repo, "diff", "--cached", "-M", "--no-color", "--no-ext-diff")
    (BENCH / f"{name}.diff").write_text(diff, encoding="utf-8")
    return Change(name, repo, diff, parse_diff(diff))


def _unpack_python(archive: Path, dest: Path) -> None:
    """The archive's .py files under ``dest``, without the sdist's top folder."""
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")[1:]
            if not member.isfile() or not parts or not parts[-1].endswith(".py"):
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = tar.extractfile(member)
            if handle is not None:
                target.write_bytes(handle.read())


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, encoding="utf-8", check=True
    )
    return done.stdout


# -- the comparison
def agreement(changes: list[Change], *, whole: bool = False) -> bool:
    """Print the table; ``whole`` treats every line of every new file as added."""
    print(
        "\n"
        + (
            "every definition of the new versions (all lines added)"
            if whole
            else "definitions whose header the upgrade adds or changes"
        )
    )
    header = f"{'package':<10} {'files':>6} {'added':>7} {'ruff':>6} {'docbot':>7} {'both':>6}"
    print(header + f" {'precision':>9} {'recall':>7}")
    mismatches: list[str] = []
    totals = [0, 0, 0, 0, 0]
    for change in changes:
        files = _whole(change.repo) if whole else change.files
        selected = [
            f
            for f in files
            if f.added and f.status != "deleted" and path_selected(f.path, TargetOptions()) is None
        ]
        ours = docbot_targets(change.repo, selected)
        theirs = ruff_targets(change.repo, selected)
        both = ours & theirs
        row = [
            len(selected),
            sum(len(f.added) for f in selected),
            len(theirs),
            len(ours),
            len(both),
        ]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(_row(change.name, row))
        mismatches += [f"{change.name}: ruff only   {p}:{n}" for p, n in sorted(theirs - ours)]
        mismatches += [f"{change.name}: docbot only {p}:{n}" for p, n in sorted(ours - theirs)]
    print(_row("total", totals))
    for line in mismatches:
        print(line)
    print("agreement: exact" if not mismatches else f"agreement: {len(mismatches)} mismatches")
    return not mismatches


def _whole(repo: Path) -> list[FileDiff]:
    """Every .py file of ``repo`` as if the change added all of it."""
    files = []
    for path in sorted(repo.rglob("*.py")):
        if ".git" in path.parts:
            continue
        count = path.read_bytes().count(b"\n") + 1
        rel = path.relative_to(repo).as_posix()
        files.append(FileDiff(rel, None, "added", frozenset(range(1, count + 1))))
    return files


def _row(name: str, row: list[int]) -> str:
    files, added, ruff, ours, both = row
    precision = both / ours if ours else 1.0
    recall = both / ruff if ruff else 1.0
    counts = f"{files:>6} {added:>7} {ruff:>6} {ours:>7} {both:>6}"
    return f"{name:<10} {counts} {precision:>9.3f} {recall:>7.3f}"


def docbot_targets(repo: Path, files: list[FileDiff]) -> set[Key]:
    found: set[Key] = set()
    for diff in files:
        text = (repo / diff.path).read_bytes().decode("utf-8-sig")
        try:
            # ruff's D1 rules are about missing docstrings; stale ones have their own oracle
            # (tests/benchmarks/stale_agreement.py).
            result = scan(diff.path, text, diff.added, TargetOptions(problems=("missing",)))
        except Exception as exc:  # an unparsable file is reported and compared as empty
            print(f"  docbot skipped {diff.path}: {exc}")
            continue
        headers = _headers(repo / diff.path)
        for t in result.targets:
            found.add((t.path, t.line))
            if headers.get(t.line) != t.header_end:
                print(
                    f"  header_end {t.header_end} != tokenize's {headers.get(t.line)}: "
                    f"{t.path}:{t.line}"
                )
    return found


def ruff_reports(cwd: Path, paths: list[str]) -> list[dict[str, Any]]:
    """ruff's D101-D103/D106 reports on ``paths``, as its JSON output lists them."""
    argv = ["ruff", "check", "--isolated", "--select", RULES, "--output-format", "json"]
    argv += ["--no-cache", "--exit-zero", *paths]
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=True)
    reports: list[dict[str, Any]] = json.loads(done.stdout)
    return reports


def ruff_targets(repo: Path, files: list[FileDiff]) -> set[Key]:
    """ruff's D1 reports on these files whose header holds an added line."""
    by_path = {f.path: f for f in files}
    found: set[Key] = set()
    for chunk in _chunks(sorted(by_path), 200):
        for item in ruff_reports(repo, chunk):
            if not item.get("code"):
                continue
            path = Path(item["filename"]).resolve().relative_to(repo.resolve()).as_posix()
            line = item["location"]["row"]
            headers = _headers(repo / path)
            end = headers.get(line)
            if end is None:
                print(f"  no def/class header found at {path}:{line}")
                continue
            if not by_path[path].added.isdisjoint(range(line, end + 1)):
                found.add((path, line))
    return found


_HEADER_CACHE: dict[Path, dict[int, int]] = {}


def _headers(path: Path) -> dict[int, int]:
    """Line of each def/class name -> line of the colon ending its header, via tokenize:
    the first ``:`` outside brackets after the keyword."""
    if path in _HEADER_CACHE:
        return _HEADER_CACHE[path]
    headers: dict[int, int] = {}
    tokens = tokenize.tokenize(io.BytesIO(path.read_bytes()).readline)
    start: int | None = None
    depth = 0
    expect_name = False
    for tok in tokens:
        if expect_name and tok.type == tokenize.NAME:
            start, depth, expect_name = tok.start[0], 0, False
        elif tok.type == tokenize.NAME and tok.string in ("def", "class"):
            expect_name = True
        elif start is not None and tok.type == tokenize.OP:
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
            elif tok.string == ":" and depth == 0:
                headers[start] = tok.start[0]
                start = None
    _HEADER_CACHE[path] = headers
    return headers


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# -- phase 2: the CLI's suggestions, applied two ways, change nothing but docstrings
def phase2(changes: list[Change]) -> bool:
    """``python -m bot dry-run --provider template`` on each upgrade: ``--format patch``
    through ``git apply`` on one copy, ``--apply`` on another.  Each changed file must
    parse, keep its AST once docstrings are dropped, and lose ruff's report for every
    suggested target; both copies must end up byte-identical."""
    print("\nphase 2: dry-run --provider template, --format patch | git apply, and --apply")
    help_done = subprocess.run(
        [sys.executable, "-m", "bot", "dry-run", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    if help_done.returncode:
        print("phase 2 UNTESTED: `python -m bot dry-run --help` fails:", help_done.stderr[-300:])
        return False
    print(
        f"{'package':<10} {'targets':>7} {'suggested':>9} {'files':>6} {'patch':>6} "
        f"{'apply':>6} {'same':>5} {'AST':>4} {'ruff left':>9}"
    )
    ok = True
    for change in changes:
        ok = _phase2_one(change, BENCH / f"{change.name}.diff", change.name) and ok
    for change in changes:
        whole = BENCH / f"{change.name}-whole.diff"
        whole.write_text(_whole_diff(change.repo), encoding="utf-8")
        ok = _phase2_one(change, whole, change.name + "*") and ok
    print("(* every line of the new version counted as added)")
    return ok


def _whole_diff(repo: Path) -> str:
    """A diff adding every .py file of ``repo`` (one hunk of added lines per file)."""
    parts = []
    for diff in _whole(repo):
        text = (repo / diff.path).read_bytes().decode("utf-8")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        parts.append(f"diff --git a/{diff.path} b/{diff.path}\nnew file mode 100644\n")
        if lines:
            parts.append(f"--- /dev/null\n+++ b/{diff.path}\n@@ -0,0 +1,{len(lines)} @@\n")
            parts.append("".join(f"+{line}\n" for line in lines))
            if not text.endswith("\n"):
                parts.append("\\ No newline at end of file\n")
    return "".join(parts)


def _phase2_one(change: Change, diff_file: Path, label: str) -> bool:
    work = BENCH / "phase2" / label.replace("*", "-whole")
    if work.exists():
        shutil.rmtree(work)
    copies = {name: work / name for name in ("patch", "apply")}
    for copy in copies.values():
        shutil.copytree(change.repo, copy, ignore=shutil.ignore_patterns(".git"))
    report = json.loads(_dry_run(diff_file, copies["patch"], "--format", "json"))
    suggested = [t for t in report["targets"] if t["status"] == "suggested"]
    patch = _dry_run(diff_file, copies["patch"], "--format", "patch")
    # Outside any repository, so git applies the paths relative to the copy (inside one it
    # would silently skip paths outside the current folder).
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(work)}
    applied = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", "--allow-empty", "-"],
        input=patch,
        cwd=copies["patch"],
        capture_output=True,
        text=True,
        env=env,
    )
    patch_ok = applied.returncode == 0
    if not patch_ok:
        print(f"  git apply refused the patch: {applied.stderr.strip()[:300]}")
    _dry_run(diff_file, copies["apply"], "--apply", "--format", "json")
    changed = sorted({t["path"] for t in suggested})
    same = all(
        (copies["patch"] / p).read_bytes() == (copies["apply"] / p).read_bytes() for p in changed
    )
    ast_ok = True
    for path in changed:
        for name, copy in copies.items():
            problem = _same_code(change.repo / path, copy / path)
            if problem:
                ast_ok = False
                print(f"  {name}: {path}: {problem}")
    left = _ruff_left(copies["apply"], changed, suggested)
    for item in left[:10]:
        print(f"  ruff still reports {item}")
    row = (
        f"{label:<10} {len(report['targets']):>7} {len(suggested):>9} {len(changed):>6} "
        f"{_yes(patch_ok):>6} {_yes(bool(changed) or not suggested):>6} {_yes(same):>5} "
        f"{_yes(ast_ok):>4} {len(left):>9}"
    )
    print(row)
    return patch_ok and same and ast_ok and not left


def _yes(flag: bool) -> str:
    return "ok" if flag else "FAIL"


def _dry_run(diff_file: Path, root: Path, *args: str) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "dry-run",
            "--diff",
            str(diff_file),
            "--root",
            str(root),
            "--provider",
            "template",
            "--no-cache",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"dry-run {' '.join(args)} failed: {done.stderr[-500:]}")
    return done.stdout


def _same_code(before: Path, after: Path) -> str | None:
    """None when ``after`` parses and equals ``before`` once docstrings are dropped."""
    try:
        new_tree = ast.parse(after.read_bytes())
    except SyntaxError as exc:
        return f"does not parse: line {exc.lineno}: {exc.msg}"
    if _without_docstrings(ast.parse(before.read_bytes())) != _without_docstrings(new_tree):
        return "code other than docstrings changed"
    return None


def _without_docstrings(tree: ast.Module) -> str:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _ruff_left(root: Path, paths: list[str], suggested: list[dict[str, object]]) -> list[str]:
    """Suggested targets (by path and qualname) that ruff still reports after the edit."""
    if not paths:
        return []
    reported = set()
    for item in ruff_reports(root, paths):
        path = Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix()
        reported.add((path, _qualnames(root / path).get(item["location"]["row"], "?")))
    wanted = {(str(t["path"]), str(t["qualname"])) for t in suggested}
    return sorted(f"{p}:{q}" for p, q in reported & wanted)


def _qualnames(path: Path) -> dict[int, str]:
    """Line of each def/class -> its dotted name through enclosing classes and functions."""
    names: dict[int, str] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                names[node.lineno] = prefix + node.name
                visit(node.body, prefix + node.name + ".")
            else:
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []) or [], prefix)
                for handler in getattr(node, "handlers", []) or []:
                    visit(handler.body, prefix)
                for case in getattr(node, "cases", []) or []:
                    visit(case.body, prefix)

    visit(ast.parse(path.read_bytes()).body, "")
    return names


if __name__ == "__main__":
    raise SystemExit(main())
