"""Does docbot find exactly what eslint-plugin-jsdoc's require-jsdoc (publicOnly) reports?

``python -m tests.benchmarks.ts_agreement [--packages NAME...] [--skip-phase2]`` packs two
releases of each package below (``npm pack`` into .bench/ts_agreement/), commits the older
one's TypeScript/JavaScript files to a scratch git repository, puts the newer one's in
their place and takes ``git diff -M``: a real upgrade as one change.

Phase 1, per package, test paths left out the same way on both sides (the adapters'
``skip_reason``):

- docbot: ``bot.diff.parse_diff`` of that diff + the adapter's ``scan`` of each new file;
- eslint: ``.ci/node``'s eslint with docbot's config and ``--no-inline-config`` on the
  same new files, kept to reports whose signature (the reported line through the line
  where ``{`` or ``=>`` opens the body, found here by scanning the text, independently
  of docbot) holds an added line;

then again with every line of every file counted as added.  Disagreements are listed
with the line's text.

Phase 2 runs ``python -m bot dry-run --provider template --format patch`` on the diff,
applies the patch with ``git apply`` on a copy of the new tree, and runs eslint again:
every suggested target must be gone from its report and nothing else may change.

Exit status 1 on any disagreement or failure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.diff import parse_diff
from bot.errors import UnparsableFile
from bot.languages import Project, Registry
from bot.model import FileDiff, Skip
from bot.paths import glob_selected
from bot.targets import TargetOptions
from tests import eslint_oracle

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "ts_agreement"
PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("commander", "11.1.0", "12.1.0"),  # CommonJS classes + a .d.ts
    ("semver", "7.5.4", "7.6.3"),  # CommonJS functions and classes
    ("chalk", "5.2.0", "5.3.0"),  # ESM JavaScript + .d.ts
    ("immer", "10.0.3", "10.1.1"),  # TypeScript sources, .d.ts, ESM and CJS bundles
    ("axios", "1.6.8", "1.7.7"),  # ESM lib, CJS bundles, .d.ts/.d.cts
    ("@tanstack/query-core", "5.51.1", "5.59.0"),  # TypeScript sources
)
REGISTRY = Registry()
Key = tuple[str, int]


@dataclass
class Tally:
    """Agreement counts of one comparison."""

    both: int = 0
    only_docbot: int = 0
    only_eslint: int = 0

    def add(self, ours: Counter[Key], theirs: Counter[Key]) -> None:
        """Count one file's two multisets of findings (minified code puts many on a line)."""
        self.both += (ours & theirs).total()
        self.only_docbot += (ours - theirs).total()
        self.only_eslint += (theirs - ours).total()

    def f1(self) -> float:
        """F1 of docbot against eslint (1.0 when both found nothing)."""
        found = 2 * self.both + self.only_docbot + self.only_eslint
        return 1.0 if found == 0 else 2 * self.both / found


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; print a table; exit 1 on any disagreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", nargs="*", help="only these packages")
    parser.add_argument("--skip-phase2", action="store_true")
    args = parser.parse_args(argv)
    reason = eslint_oracle.available()
    if reason is not None:
        print(f"cannot run: {reason}")
        return 1
    failed = False
    totals = {"diff": Tally(), "all": Tally()}
    print(
        f"{'package':<22} {'versions':<18} {'mode':<5} {'both':>5} {'docbot':>7} "
        f"{'eslint':>7} {'F1':>6}"
    )
    for name, old, new in PACKAGES:
        if args.packages and name not in args.packages:
            continue
        work = _prepare(name, old, new)
        for mode in ("diff", "all"):
            tally, notes = _compare(work, mode)
            totals[mode].both += tally.both
            totals[mode].only_docbot += tally.only_docbot
            totals[mode].only_eslint += tally.only_eslint
            print(
                f"{name:<22} {old + '->' + new:<18} {mode:<5} {tally.both:>5} "
                f"{tally.only_docbot:>7} {tally.only_eslint:>7} {tally.f1():>6.3f}"
            )
            for note in notes:
                print(f"    {note}")
            failed |= bool(tally.only_docbot or tally.only_eslint)
        if not args.skip_phase2:
            failed |= not _phase2(work)
    for mode, tally in totals.items():
        print(
            f"{'TOTAL':<22} {'':<18} {mode:<5} {tally.both:>5} {tally.only_docbot:>7} "
            f"{tally.only_eslint:>7} {tally.f1():>6.3f}"
        )
    return 1 if failed else 0


# --- preparing a change ----------------------------------------------------------------------


def _prepare(name: str, old: str, new: str) -> Path:
    """A git repository whose HEAD is ``old`` and whose working tree is ``new``."""
    slug = name.replace("/", "+").lstrip("@")
    work = BENCH / f"{slug}-{old}-{new}"
    if (work / "repo" / ".git").exists():
        return work
    shutil.rmtree(work, ignore_errors=True)
    repo = work / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    _unpack(_pack(name, old), repo)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", old)
    for child in repo.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    _unpack(_pack(name, new), repo)
    return work


def _pack(name: str, version: str) -> Path:
    BENCH.mkdir(parents=True, exist_ok=True)
    slug = name.replace("/", "-").lstrip("@")
    tarball = BENCH / f"{slug}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--silent"],
            cwd=BENCH,
            check=True,
            capture_output=True,
        )
    return tarball


def _unpack(tarball: Path, into: Path) -> None:
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            parts = Path(member.name).parts[1:]  # drop the "package/" folder
            if not member.isfile() or not parts or ".." in parts:
                continue
            if REGISTRY.language_for("/".join(parts)) is None:
                continue
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


# --- phase 1 ---------------------------------------------------------------------------------


def _diffs(work: Path, mode: str) -> list[FileDiff]:
    repo = work / "repo"
    _git(repo, "add", "-A")
    text = _git(repo, "diff", "--cached", "-M", "--no-color", "HEAD")
    diffs = parse_diff(text)
    if mode == "diff":
        return [d for d in diffs if d.status != "deleted" and d.added]
    everything = []
    for path in _git(repo, "ls-files").splitlines():
        count = (repo / path).read_bytes().count(b"\n") + 1
        everything.append(FileDiff(path, None, "added", frozenset(range(1, count + 1))))
    return everything


def _selected(path: str, text: str) -> bool:
    language = REGISTRY.language_for(path)
    if language is None:
        return False
    by_glob = glob_selected(path, TargetOptions())
    if isinstance(by_glob, Skip):
        return False
    return language.skip_reason(path, text, included=by_glob) is None


def _compare(work: Path, mode: str) -> tuple[Tally, list[str]]:
    repo = work / "repo"
    tally = Tally()
    notes: list[str] = []
    diffs = {d.path: d for d in _diffs(work, mode)}
    texts = {p: (repo / p).read_text("utf-8", errors="replace") for p in diffs}
    chosen = sorted(p for p in diffs if _selected(p, texts[p]))
    report = eslint_oracle.run(repo, chosen)
    for path in chosen:
        text = texts[path]
        ours = _docbot(path, text, diffs[path].added, notes)
        theirs = Counter(
            (path, line)
            for line, column in report.findings.get(path, [])
            if _holds_added(text, line, column, diffs[path].added)
        )
        if path in report.fatal:
            notes.append(f"eslint cannot parse {path}: {report.fatal[path]}")
        tally.add(ours, theirs)
        lines = text.split("\n")
        for key in sorted(ours - theirs):
            notes.append(f"only docbot: {key[0]}:{key[1]}: {lines[key[1] - 1].strip()[:90]}")
        for key in sorted(theirs - ours):
            notes.append(f"only eslint: {key[0]}:{key[1]}: {lines[key[1] - 1].strip()[:90]}")
    return tally, notes


def _docbot(path: str, text: str, added: frozenset[int], notes: list[str]) -> Counter[Key]:
    language = REGISTRY.language_for(path)
    assert language is not None
    try:
        found = language.scan(path, text, added, TargetOptions(), project=Project())
    except UnparsableFile as exc:
        notes.append(f"docbot skips {exc}")
        return Counter()
    return Counter((path, target.line) for target in found.targets)


def _holds_added(text: str, line: int, column: int, added: frozenset[int]) -> bool:
    """Whether the reported line through the line opening the body holds an added line."""
    return any(number in added for number in range(line, _body_line(text, line, column) + 1))


def _body_line(text: str, line: int, column: int) -> int:
    """The line of the first ``{``, ``=>`` or ``;`` outside brackets from (line, column)."""
    lines = text.split("\n")
    depth = 0
    for number in range(line, len(lines) + 1):
        row = lines[number - 1][column - 1 :] if number == line else lines[number - 1]
        for index, char in enumerate(row):
            if char in "([":
                depth += 1
            elif char in ")]":
                depth -= 1
            elif depth <= 0 and (char in "{;" or row.startswith("=>", index)):
                return number
    return line


# --- phase 2 ---------------------------------------------------------------------------------


def _phase2(work: Path) -> bool:
    repo = work / "repo"
    patched = work / "patched"
    shutil.rmtree(patched, ignore_errors=True)
    shutil.copytree(repo, patched, ignore=shutil.ignore_patterns(".git"))
    # Its own repository: inside .bench (itself inside docbot's checkout) git apply would
    # take paths relative to docbot's top folder and skip them all.
    _git(patched, "init", "-q")
    diff_file = work / "change.diff"
    diff_file.write_text(_git(repo, "diff", "--cached", "-M", "--no-color", "HEAD"), "utf-8")
    env = {**os.environ, "DOCBOT_CACHE": "false"}
    command = [
        sys.executable,
        "-m",
        "bot",
        "dry-run",
        "--diff",
        str(diff_file),
        "--root",
        str(repo),
        "--provider",
        "template",
    ]
    done = subprocess.run(
        [*command, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    results = json.loads(done.stdout)["targets"] if done.stdout.strip() else []
    suggested = [t for t in results if t["status"] == "suggested"]
    if not suggested:
        print(f"    phase 2: nothing to suggest ({len(results)} targets)")
        return True
    patch = subprocess.run(
        [*command, "--format", "patch"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    ).stdout
    applied = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", "-"],
        input=patch,
        text=True,
        cwd=patched,
        capture_output=True,
        check=False,
    )
    if applied.returncode != 0:
        print(f"    phase 2: git apply failed: {applied.stderr.strip()[:300]}")
        return False
    paths = sorted({t["path"] for t in suggested})
    before = eslint_oracle.run(repo, paths)
    after = eslint_oracle.run(patched, paths)
    ok = True
    by_path: dict[str, int] = {}
    for target in suggested:
        by_path[target["path"]] = by_path.get(target["path"], 0) + 1
    for path in paths:
        expected = len(before.findings.get(path, [])) - by_path[path]
        if len(after.findings.get(path, [])) != expected or path in after.fatal:
            ok = False
            print(
                f"    phase 2: {path}: eslint reports {len(after.findings.get(path, []))}"
                f" after the patch, expected {expected}"
            )
    others = [t for t in results if t["status"] != "suggested"]
    reasons = Counter(str(t["reason"]).split(": ", 2)[-1][:70] for t in others)
    why = "; ".join(f"{count}x {reason}" for reason, count in reasons.most_common()) or "none"
    print(
        f"    phase 2: {len(suggested)} suggested, {len(others)} not ({why});"
        f" git apply ok; eslint after the patch: {'ok' if ok else 'MISMATCH'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
