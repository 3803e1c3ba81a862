"""Does docbot find exactly the declarations checkstyle reports as missing Javadoc?

``python -m tests.benchmarks.java_agreement [--mirror DIR] [--rounds N]`` takes real
release-to-release changes of two Java projects (jsoup, JavaPoet; see
``oracle_changes`` for where the repositories come from) and compares, per change:

1. docbot's Java targets (``bot.languages.java``) with checkstyle's
   MissingJavadocType/MissingJavadocMethod findings (scope public, minLineCount -2,
   ``tests/data/languages/java/checkstyle.xml``) on the change's new files, both kept
   to declarations whose signature holds an added line.  checkstyle only parses these
   files; a file it cannot parse (``sealed``, ``permits``) is taken out of the change on
   both sides and named, not compiled: the repositories' code is read, never built
   (javac's doclint judges such syntax on the hand-written fixtures instead, see
   ``tests/languages/test_java.py``);
2. the same with every line of those files counted as added (all their declarations);
3. the patch: the template writer's Javadoc for every target of (1), as a unified diff
   that ``git apply`` takes on a copy of the new files; then checkstyle again, which
   must report none of the targets;
4. speed: docbot's detection on the changed files next to checkstyle's run on the same
   files, medians of interleaved rounds, as a ratio.

Prints markdown tables; every disagreement is listed.  Exit status 1 on any.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from pathlib import Path

from bot.languages import adapter
from bot.languages.base import Language
from bot.languages.java import GRAMMAR
from bot.languages.java_targets import findings
from tests import oracle_java
from tests.benchmarks.oracle_changes import (
    BENCH,
    HEADER,
    Change,
    Key,
    Score,
    disagreements,
    docbot_patch,
    docbot_targets,
    drop_files,
    export,
    git_apply,
    in_change,
    load_change,
    mirror,
    moved_line,
    refused,
    timed,
    whole_files,
    write_tree,
)

CHANGES = (
    ("jhy/jsoup", "jsoup-1.20.1", "jsoup-1.21.1"),
    ("jhy/jsoup", "jsoup-1.21.2", "jsoup-1.22.1"),
    ("square/javapoet", "javapoet-1.7.0", "javapoet-1.8.0"),
    ("square/javapoet", "javapoet-1.11.1", "javapoet-1.12.0"),
)
WORK = BENCH / "java"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if shutil.which("checkstyle") is None:
        print("checkstyle is not installed: it is the oracle (see .ci/run)")
        return 2
    java = adapter("java")
    assert java is not None
    shutil.rmtree(WORK, ignore_errors=True)
    changes = []
    for repo, old, new in CHANGES:
        git_dir = mirror(repo, args.mirror)
        name = f"{repo.split('/')[1]} {old.rpartition('-')[2]}..{new.rpartition('-')[2]}"
        change = load_change(git_dir, name, old, new, java, (".java",))
        _ORACLE[change.name] = _unparsable_out(change)
        changes.append(change)
    ok = True
    for every_line in (False, True):
        title = (
            "every declaration of the changed files"
            if every_line
            else "signature holds an added line"
        )
        print(f"\n## Agreement with checkstyle: {title}\n")
        print(HEADER)
        scores = [score(change, java, every_line=every_line) for change in changes]
        for found in scores:
            print(found.row())
        ok &= disagreements(scores)
    ok &= _patches(changes, every_line=False)
    ok &= _patches(changes, every_line=True)
    _speed(changes, args.rounds)
    return 0 if ok else 1


def oracle(change: Change, tree: Path) -> tuple[Counter[Key], list[str]]:
    """checkstyle's findings on the change's files, keys relative to ``tree``; and the
    files it could not parse."""
    files = write_tree(change, tree)
    found, failed = oracle_java.checkstyle(files)
    base = tree.resolve()
    keys = Counter({(str(path.relative_to(base)), line): n for (path, line), n in found.items()})
    return keys, [str(path.relative_to(base)) for path in failed]


def _unparsable_out(change: Change) -> Counter[Key]:
    """checkstyle's findings on the change; the files it cannot parse taken out of the
    change (both sides), and named."""
    found, failed = oracle(change, WORK / change.name.replace(" ", "_") / "new")
    if failed:
        print(f"({change.name}: checkstyle cannot parse {', '.join(failed)}: left out)")
        drop_files(change, failed)
    return found


def score(change: Change, java: Language, *, every_line: bool) -> Score:
    """Agreement on the change's files."""
    found = in_change(change, _ORACLE[change.name], every_line=every_line)
    ours = Counter((t.path, t.line) for t in docbot_targets(change, java, every_line=every_line))
    return Score(change.name, len(change.files), found, ours)


_ORACLE: dict[str, Counter[Key]] = {}


def _patches(changes: list[Change], *, every_line: bool) -> bool:
    what = "every declaration of the changed files" if every_line else "the change's targets"
    print(f"\n## The patch for {what} (`docbot dry-run --provider template --format patch`):")
    print("applies, passes the proof, and the oracle reports none of the suggested targets\n")
    print("| change | targets | refused (share a line) | files patched | git apply "
          "| suggested still reported | new findings |\n|---|---|---|---|---|---|---|")  # fmt: skip
    ok = True
    java = adapter("java")
    assert java is not None
    for original in changes:
        change = whole_files(original) if every_line else original
        targets = docbot_targets(change, java, every_line=every_line)
        skipped = refused(change, java, targets)
        folder = WORK / change.name.replace(" ", "_") / ("whole" if every_line else "change")
        tree = export(change, folder / "patched")
        diff = docbot_patch(change, tree)
        (folder / "docbot.patch").write_text(diff, "utf-8", "surrogateescape")
        git_apply(tree, diff)
        files = {
            p: (tree / p).read_bytes().decode("utf-8", "surrogateescape") for p in change.files
        }
        after, failed = oracle(Change(change.name, files, {}, 0), folder / "after")
        suggested = {_moved(change, files, t.path, t.line) for t in targets if t not in skipped}
        before = {_moved(change, files, *key) for key in _ORACLE[change.name]}
        left, new = set(after) & suggested, set(after) - before
        touched = sum(files[p] != change.files[p] for p in files)
        ok &= not left and not new and not failed
        print(f"| {change.name} | {len(targets)} | {len(skipped)} | {touched} | yes "
              f"| {len(left)} | {len(new)} |")  # fmt: skip
        for path, line in sorted(left | new):
            print(f"- after the patch: {path}:{line}")
        for target in skipped:
            print(f"- refused: {target.path}:{target.line} {target.qualname}")
        for path in failed:
            print(f"- checkstyle cannot parse the patched {path}")
    return ok


def _moved(change: Change, files: dict[str, str], path: str, line: int) -> Key:
    return path, moved_line(change.files[path], files[path], line)


def _speed(changes: list[Change], rounds: int) -> None:
    tree = WORK / "speed"
    files = []
    for change in changes:
        files += write_tree(change, tree / change.name.replace(" ", "_"))
    texts = [path.read_bytes() for path in files]

    def docbot() -> None:
        for src in texts:
            findings(GRAMMAR.parse(src), src)

    def checkstyle() -> None:
        oracle_java.checkstyle(files)

    times = timed(rounds, {"docbot": docbot, "checkstyle": checkstyle})
    print(
        f"\n## Detection speed on the {len(files)} changed files of all changes "
        f"(median of {rounds} interleaved rounds)\n"
    )
    print("| tool | seconds | ratio to checkstyle |\n|---|---|---|")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.3f} | {seconds / times['checkstyle']:.3f}x |")


if __name__ == "__main__":
    sys.exit(main())
