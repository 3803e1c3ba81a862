"""Do docbot's Go (Rust) targets agree with golint (rustc ``missing_docs``) on real changes?

``python -m tests.benchmarks.lang_agreement --lang go|rust [--rounds N]``

For each repository the oracle module names, two of its releases become one change: the
older tree committed to a scratch repository in ``.bench/lang_agreement/``, the newer put
in its place, ``git diff -M`` taken. Go's releases come from the git history of the
``fetch`` mirrors under ``/work/.mirror`` (or ``--mirror DIR``); golint reads them and
nothing is built. Rust's come from Debian's crate packages (the oracle's ``unpack``), since
rustc compiles what it checks. Then, per language:

1. Agreement on the change: docbot's targets (the adapter's ``scan`` with the diff's
   added lines, ``skip_reason`` applied) against the oracle's findings whose declaration
   line is an added line or whose signature, found by the oracle module independently
   of docbot, holds one. Precision, recall and F1, and every disagreement with its
   explanation (one of the known, tested reasons, or "UNEXPLAINED").
2. The same over every line of every changed file (all declarations).
3. The patch: ``docbot dry-run --provider template`` on the change (the product's own
   path: diff, scan, draft, render, proof); its targets must be the adapter's, every one
   suggested, its ``--format patch`` must ``git apply`` to a copy of the new tree, and the
   oracle run on that copy must report none of them (lines mapped back past the inserted
   comments) and nothing it did not report before ("new").
4. Speed: docbot's detection (parse + scan of the changed files) against the oracle on the
   same files, rounds interleaved, as a ratio in one run.

Exit status 1 on an unexplained disagreement, a failed patch or a target still reported.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.diff import parse_diff
from bot.languages import adapter
from bot.languages.base import Language, Project
from bot.model import FileDiff, Target
from bot.targets import TargetOptions
from tests.benchmarks.oracle_common import Finding, Key, Oracle

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "lang_agreement"
ORACLES = {"go": "tests.benchmarks.go_oracle", "rust": "tests.benchmarks.rust_oracle"}


@dataclass(frozen=True)
class Change:
    """One release-to-release change of a repository, checked out in a scratch repo."""

    name: str
    repo: Path
    files: list[FileDiff]


def main(argv: list[str] | None = None) -> int:
    """Run the phases for one language and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(ORACLES), required=True)
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    oracle: Oracle = importlib.import_module(ORACLES[args.lang]).load()
    language = adapter(args.lang)
    assert language is not None
    changes = [make_change(args.lang, spec, oracle, args.mirror) for spec in oracle.repositories]
    ok = True
    for whole in (False, True):
        ok &= agreement(language, oracle, changes, whole=whole)
    ok &= patch_phase(language, oracle, changes)
    speed(language, oracle, changes, rounds=args.rounds)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def git(repo: Path, *args: str) -> str:
    """``git -C repo args`` with a fixed identity; its stdout."""
    command = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=b@e", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def make_change(lang: str, spec: tuple[str, str, str], oracle: Oracle, mirror: Path) -> Change:
    """The scratch repository of ``spec`` (name, old release, new release) and its diff:
    the releases unpacked by the oracle's ``unpack`` where it has one, else ``git archive``
    of the tags of the mirror ``owner+repo``."""
    name, old, new = spec
    unpack = getattr(oracle, "unpack", None)
    source = mirror / name / "repo"
    if unpack is None and not source.is_dir():
        sys.exit(f"missing {source}: fetch github:{name.replace('+', '/')} first")
    repo = BENCH / lang / f"{name}-{old}-{new}"
    if not (repo / ".git").is_dir():
        shutil.rmtree(repo, ignore_errors=True)
        repo.mkdir(parents=True)
        git(repo, "init", "-q")
        for tag in (old, new):
            for child in repo.iterdir():
                if child.name != ".git":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            if unpack is not None:
                unpack(name, tag, repo)
            else:
                archive = subprocess.run(["git", "-C", str(source), "archive", tag],
                                         check=True, capture_output=True).stdout  # fmt: skip
                subprocess.run(["tar", "-x", "-C", str(repo)], input=archive, check=True)
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "--allow-empty", "-m", tag)
    diff = git(repo, "diff", "-M", "HEAD~1", "HEAD")
    return Change(f"{name.split('+')[-1]} {old}..{new}", repo, parse_diff(diff))


def selected(language: Language, change: Change, *, whole: bool) -> list[FileDiff]:
    """The change's files the adapter owns and does not skip, whole files if asked."""
    out = []
    for file in change.files:
        if file.status == "deleted" or not file.path.endswith(language.extensions):
            continue
        text = (change.repo / file.path).read_text("utf-8", "replace")
        if language.skip_reason(file.path, text, included=False) is not None:
            continue
        if whole:
            count = text.count("\n") + 1
            file = FileDiff(file.path, file.old_path, file.status, frozenset(range(1, count + 1)))
        out.append(file)
    return out


def docbot_targets(language: Language, change: Change, files: list[FileDiff]) -> list[Target]:
    """The adapter's targets in every selected file."""
    project = Project({}, change.repo)
    found: list[Target] = []
    for file in files:
        text = (change.repo / file.path).read_text("utf-8", "replace")
        scan = language.scan(file.path, text, file.added, TargetOptions(), project=project)
        found.extend(scan.targets)
    return found


def agreement(language: Language, oracle: Oracle, changes: list[Change], *, whole: bool) -> bool:
    """Phase 1 (or 2 with ``whole``): the F1 table and every disagreement explained."""
    print(f"\n== {oracle.name}: {'every line of the changed files' if whole else 'the change'}")
    print(f"{'change':38} {'files':>5} {'oracle':>6} {'docbot':>6} {'both':>5}"
          f" {'prec':>6} {'recall':>6} {'F1':>6}")  # fmt: skip
    ok = True
    for change in changes:
        files = selected(language, change, whole=whole)
        mine = {oracle.key(t): t for t in docbot_targets(language, change, files)}
        theirs: dict[Key, Finding] = {
            f.key: f for f in oracle.findings(change.repo, files) if f.in_scope(files)
        }
        both = mine.keys() & theirs.keys()
        prec = len(both) / len(mine) if mine else 1.0
        rec = len(both) / len(theirs) if theirs else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{change.name:38} {len(files):5} {len(theirs):6} {len(mine):6} {len(both):5}"
              f" {prec:6.3f} {rec:6.3f} {f1:6.3f}")  # fmt: skip
        for key in sorted(mine.keys() - theirs.keys()):
            why = oracle.explain_extra(change.repo, mine[key])
            ok &= why is not None
            print(f"    docbot only {key[0]}:{key[1]} {key[2]}: {why or 'UNEXPLAINED'}")
        for key in sorted(theirs.keys() - mine.keys()):
            why = oracle.explain_missed(change.repo, theirs[key])
            ok &= why is not None
            print(f"    {oracle.name} only {key[0]}:{key[1]} {key[2]}: {why or 'UNEXPLAINED'}")
    return ok


def patch_phase(language: Language, oracle: Oracle, changes: list[Change]) -> bool:
    """Phase 3: ``docbot dry-run --provider template`` on the change; every target is
    suggested, its ``--format patch`` applies, the oracle then reports none of them."""
    print(f"\n== docbot dry-run --format patch (template writer), then {oracle.name} again")
    print(f"{'change':38} {'targets':>7} {'proven':>6} {'applies':>7} {'still reported':>14}"
          f" {'malformed':>9} {'new':>4}")  # fmt: skip
    ok = True
    for change in changes:
        files = selected(language, change, whole=False)
        targets = docbot_targets(language, change, files)
        before = {f.key for f in oracle.findings(change.repo, files)}
        copy = BENCH / "patched" / change.repo.name
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(change.repo, copy, symlinks=True)
        report = json.loads(_dry_run(change, "json"))
        ours = [t for t in report["targets"] if t["path"].endswith(language.extensions)]
        suggested = [t for t in ours if t["status"] == "suggested"]
        (copy / "docbot.patch").write_text(_dry_run(change, "patch"))
        applied = subprocess.run(["git", "-C", str(copy), "apply", "--allow-empty", "docbot.patch"],
                                 capture_output=True, text=True)  # fmt: skip
        inserted = _inserted(suggested)
        after = {_before(f, inserted.get(f.path, [])) for f in oracle.findings(copy, files)}
        still = sorted({oracle.key(t) for t in targets} & after)
        new = sorted(after - before)
        names = {(t.path, t.qualname) for t in targets}
        malformed = sorted(names & oracle.malformed(copy, files))
        same = {(t["path"], t["line"], t["qualname"]) for t in ours} == {
            (t.path, t.line, t.qualname) for t in targets
        }
        ok &= same and applied.returncode == 0 and len(suggested) == len(targets)
        ok &= not still and not malformed and not new
        print(
            f"{change.name:38} {len(targets):7} {len(suggested):6} "
            f"{'yes' if applied.returncode == 0 else 'NO':>7} {len(still):14} {len(malformed):9}"
            f" {len(new):4}"
        )
        if not same:
            print("    the CLI's targets differ from the adapter's")
        for target in ours:
            if target["status"] != "suggested":
                print(
                    f"    {target['status']}: {target['path']}:{target['line']} {target['reason']}"
                )
        for path, line, name in still:
            print(f"    still reported: {path}:{line} {name}")
        for path, name in malformed:
            print(f"    comment of the wrong form: {path} {name}")
        for path, line, name in new:
            print(f"    reported only after the patch: {path}:{line} {name}")
        if applied.returncode:
            print("    " + applied.stderr.strip())
    return ok


def _dry_run(change: Change, form: str) -> str:
    diff = change.repo.parent / f"{change.repo.name}.diff"
    diff.write_text(git(change.repo, "diff", "-M", "HEAD~1", "HEAD"))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "dry-run", "--diff", str(diff), "--root", str(change.repo),
         "--provider", "template", "--format", form],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"docbot dry-run failed on {change.name}: {done.stderr.strip()}")
    return done.stdout


def _inserted(suggested: list[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    """(original line, count) of the comment lines each suggestion inserts, per file."""
    out: dict[str, list[tuple[int, int]]] = {}
    for target in suggested:
        suggestion = target["suggestion"]
        replaced = suggestion["end_line"] - suggestion["start_line"] + 1
        count = suggestion["replacement"].count("\n") + 1 - replaced
        out.setdefault(target["path"], []).append((suggestion["start_line"], count))
    return out


def _before(finding: Finding, inserted: list[tuple[int, int]]) -> Key:
    """The finding's key with its line as it was before the comments were inserted."""
    shift = 0
    for anchor, count in sorted(inserted):
        if finding.line < anchor + shift + count:
            break
        shift += count
    return (finding.path, finding.line - shift, finding.name)


def speed(language: Language, oracle: Oracle, changes: list[Change], *, rounds: int) -> None:
    """Phase 4: detection time of docbot and of the oracle on the same files."""
    print(f"\n== speed: docbot detection vs {oracle.name} on the same files, best of {rounds}")
    print(f"{'change':38} {'files':>5} {'docbot s':>9} {oracle.name + ' s':>9} {'ratio':>7}")
    for change in changes:
        files = selected(language, change, whole=False)
        best_mine = best_theirs = float("inf")
        for _ in range(rounds):
            # Cold each round: no crate reading kept from the round before.
            getattr(importlib.import_module(type(language).__module__), "_CRATES", {}).clear()
            start = time.perf_counter()
            docbot_targets(language, change, files)
            best_mine = min(best_mine, time.perf_counter() - start)
            start = time.perf_counter()
            oracle.findings(change.repo, files, packages=False)
            best_theirs = min(best_theirs, time.perf_counter() - start)
        print(
            f"{change.name:38} {len(files):5} {best_mine:9.3f} {best_theirs:9.3f}"
            f" {best_mine / best_theirs:6.2f}x"
        )


if __name__ == "__main__":
    sys.exit(main())
