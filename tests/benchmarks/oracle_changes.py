"""Real changes from git history, and the scoring shared by the per-language oracle benchmarks.

A change is ``git diff -M OLD NEW`` of a real repository (a release to the next), with
the new version of every changed file.  The repository comes from ``--mirror`` (a bare
clone: the ``fetch`` tool's ``/work/.mirror/OWNER+NAME/repo``; such code is only read,
by tools that parse it, never built), else it is cloned into ``.bench/mirrors/``; or it
is a history of a package's released sources (``registry_sources``), which may be built.  Both sides of a comparison leave out the same files (the adapter's
``skip_reason``) and count a declaration when its signature holds an added line; the
oracle's signature is found here from its report line, independently of docbot: from
there to the first ``{``, ``;``, ``,`` or ``}`` outside brackets, strings and comments
(``,`` and ``}`` end an enum member).
"""

from __future__ import annotations

import difflib
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.diff import parse_diff
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages.base import Language, Project
from bot.model import Target
from bot.providers.template import draft_for
from bot.targets import TargetOptions

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench"
Key = tuple[str, int]


@dataclass
class Change:
    """One real change: the new text and added lines of each selected file it touches."""

    name: str
    files: dict[str, str]
    added: dict[str, frozenset[int]]
    left_out: int
    diff: str = ""
    git_dir: Path = Path()
    new: str = ""
    globs: tuple[str, ...] = ()
    repo: str = ""


def mirror(repo: str, mirrors: Path) -> Path:
    """The bare repository of ``owner/name``: under ``mirrors``, else cloned into .bench."""
    found = mirrors / repo.replace("/", "+") / "repo"
    if found.exists():
        return found
    local = BENCH / "mirrors" / repo.replace("/", "+")
    if not local.exists():
        local.parent.mkdir(parents=True, exist_ok=True)
        url = f"https://github.com/{repo}.git"
        subprocess.run(["git", "clone", "-q", "--bare", url, str(local)], check=True)
    return local


def load_change(
    git_dir: Path, name: str, old: str, new: str, language: Language, suffixes: tuple[str, ...]
) -> Change:
    """The change ``old..new`` of the repository, restricted to ``suffixes``."""
    globs = [f"*{suffix}" for suffix in suffixes]
    diff = _git(git_dir, "diff", "-M", "--no-color", old, new, "--", *globs)
    files: dict[str, str] = {}
    added: dict[str, frozenset[int]] = {}
    left_out = 0
    for file in parse_diff(diff):
        if file.status == "deleted" or not file.path.endswith(suffixes):
            continue
        text = _git(git_dir, "show", f"{new}:{file.path}")
        if language.skip_reason(file.path, text, included=False) is not None:
            left_out += 1
            continue
        files[file.path] = text
        added[file.path] = file.added
    return Change(name, files, added, left_out, diff, git_dir, new, tuple(globs))


def drop_files(change: Change, paths: list[str]) -> None:
    """Take ``paths`` out of the change: its files, added lines and diff."""
    gone = set(paths)
    for path in gone:
        del change.files[path], change.added[path]
    parts = re.split(r"(?m)^(?=diff --git )", change.diff)
    change.diff = "".join(part for part in parts if _diff_path(part) not in gone)
    change.left_out += len(gone)


def _diff_path(part: str) -> str:
    match = re.search(r"(?m)^\+\+\+ b/(.+)$", part) or re.search(r"^diff --git a/.+ b/(.+)$", part)
    return match[1] if match else ""


def whole_files(change: Change) -> Change:
    """The change as if it added its files whole: every line added, a diff from nothing."""
    parts = []
    for path, text in change.files.items():
        lines = text.splitlines(keepends=True)
        parts.append(f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n")
        parts.append(f"+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n")
        parts += [f"+{line}" for line in lines]
        if lines and not lines[-1].endswith("\n"):
            parts.append("\n\\ No newline at end of file\n")
    added = {path: frozenset(range(1, text.count("\n") + 2)) for path, text in change.files.items()}
    return replace(change, name=change.name, added=added, diff="".join(parts))


def refused(change: Change, language: Language, targets: list[Target]) -> list[Target]:
    """The targets docbot gives no suggestion (a member sharing its line with another)."""
    found = []
    style = language.style(Counter(), Counter(), "auto")
    for target in targets:
        rendered = language.render(draft_for(target), target, style, line_length=100)
        try:
            language.suggest(target, change.files[target.path], rendered)
        except UnsafeSuggestion:
            found.append(target)
    return found


def export(change: Change, dest: Path) -> Path:
    """The new version's files of the change's language under ``dest`` (``git archive``;
    a mirror may lack large binaries, which no step here reads)."""
    dest.mkdir(parents=True, exist_ok=True)
    command = ["git", f"--git-dir={change.git_dir}", "archive", change.new, "--", *change.globs]
    archive = subprocess.run(command, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def docbot_patch(change: Change, root: Path) -> str:
    """``docbot dry-run --format patch`` (template writer) for the change, run for real."""
    diff_file = root.parent / "change.diff"
    diff_file.write_text(change.diff, "utf-8", "surrogateescape")
    run = subprocess.run(
        [sys.executable, "-m", "bot", "dry-run", "--diff", str(diff_file), "--root", str(root),
         "--provider", "template", "--format", "patch"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if run.returncode not in (0, 1):
        raise RuntimeError(f"docbot dry-run failed: {run.stderr[-2000:]}")
    return run.stdout


def _git(git_dir: Path, *args: str) -> str:
    run = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=True)
    return run.stdout.decode("utf-8", "surrogateescape")


def write_tree(change: Change, dest: Path) -> list[Path]:
    """The change's new files under ``dest``; their paths."""
    written = []
    for path, text in change.files.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8", "surrogateescape"))
        written.append(target)
    return written


def docbot_targets(change: Change, language: Language, *, every_line: bool) -> list[Target]:
    """docbot's targets in the change (or in the whole of its files)."""
    found: list[Target] = []
    for path, text in change.files.items():
        added = frozenset(range(1, text.count("\n") + 2)) if every_line else change.added[path]
        try:
            scan = language.scan(path, text, added, TargetOptions(), project=Project())
        except UnparsableFile:
            continue  # docbot skips the file with this reason; see ``unparsable``
        found.extend(scan.targets)
    return found


def unparsable(change: Change, language: Language) -> list[str]:
    """docbot's reasons for the change's files it skips as unparsable (and so finds
    nothing in: whatever the oracle reports there is docbot's miss)."""
    reasons = []
    for path, text in change.files.items():
        try:
            language.scan(path, text, frozenset(), TargetOptions(), project=Project())
        except UnparsableFile as error:
            reasons.append(str(error))
    return reasons


def signature_lines(text: str, line: int) -> range:
    """Lines from ``line`` to the first ``{ ; , }`` outside brackets, strings, comments."""
    lines = text.split("\n")
    depth, number, quote, block = 0, line, "", False
    while number <= len(lines):
        row, i = lines[number - 1], 0
        while i < len(row):
            char, pair = row[i], row[i : i + 2]
            if block:
                if pair == "*/":
                    block, i = False, i + 1
            elif quote:
                if char == "\\":
                    i += 1
                elif char == quote:
                    quote = ""
            elif pair == "//":
                break
            elif pair == "/*":
                block, i = True, i + 1
            elif char in "\"'":
                quote = char
            elif char in "([<":
                depth += 1
            elif char in ")]>":
                depth -= 1
            elif char in "{;,}" and depth <= 0:
                return range(line, number + 1)
            i += 1
        number += 1
    return range(line, len(lines) + 1)


def in_change(change: Change, found: Counter[Key], *, every_line: bool) -> Counter[Key]:
    """The oracle's findings whose signature holds an added line."""
    return Counter(
        {
            (path, line): count
            for (path, line), count in found.items()
            if path in change.files
            and (
                every_line
                or any(n in change.added[path] for n in signature_lines(change.files[path], line))
            )
        }
    )


@dataclass
class Score:
    """Agreement of docbot's findings with the oracle's on one change, as multisets of
    ``(path, line)``: a line may hold several (``public int A, B;``, ``enum E { A, B }``)."""

    name: str
    files: int
    oracle: Counter[Key]
    docbot: Counter[Key]

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (1.0 when both sides are empty)."""
        both = (self.oracle & self.docbot).total()
        total = self.oracle.total() + self.docbot.total()
        return 1.0 if total == 0 else 2 * both / total

    def row(self) -> str:
        """The table row: counts, precision (of docbot's), recall (of the oracle's), F1."""
        both = (self.oracle & self.docbot).total()
        extra = (self.docbot - self.oracle).total()
        missed = (self.oracle - self.docbot).total()
        precision = both / self.docbot.total() if self.docbot else 1.0
        recall = both / self.oracle.total() if self.oracle else 1.0
        return (
            f"| {self.name} | {self.files} | {self.oracle.total()} | {self.docbot.total()} "
            f"| {both} | {extra} | {missed} | {precision:.3f} | {recall:.3f} | {self.f1:.3f} |"
        )


HEADER = (
    "| change | files | oracle | docbot | both | docbot only | oracle only "
    "| precision | recall | F1 |\n|---|---|---|---|---|---|---|---|---|---|"
)


def git_apply(tree: Path, diff: str) -> None:
    """Apply ``diff`` in ``tree`` with ``git apply`` (raises when it does not apply).

    ``tree`` lies inside docbot's own checkout (.bench/): git must not find that
    repository, or it would read the paths as relative to its top and skip them."""
    if not diff:
        return
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tree.resolve().parent)}
    subprocess.run(
        ["git", "apply", "-"],
        input=diff.encode("utf-8", "surrogateescape"),
        cwd=tree,
        env=env,
        check=True,
    )


def moved_line(old: str, new: str, line: int) -> int:
    """Where line ``line`` of ``old`` is in ``new`` (lines only inserted, from the diff)."""
    matcher = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal" and i1 < line <= i2:
            return j1 + (line - i1)
    return line


def disagreements(
    scores: list[Score], explain: Callable[[str, str, Key], str] | None = None
) -> bool:
    """Print every key on one side only (with ``explain(change, side, key)``'s reason);
    whether there were none."""
    wrong = [
        (s.name, "docbot only", k) for s in scores for k in sorted((s.docbot - s.oracle).elements())
    ]
    wrong += [
        (s.name, "oracle only", k) for s in scores for k in sorted((s.oracle - s.docbot).elements())
    ]
    for name, side, (path, line) in wrong:
        why = f": {explain(name, side, (path, line))}" if explain else ""
        print(f"- {name}: {side}: {path}:{line}{why}")
    if not wrong:
        print("\nNo disagreement.")
    return not wrong


def timed(rounds: int, tools: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds of each tool over ``rounds`` interleaved rounds (so load bursts on
    the shared machine hit every tool alike)."""
    times: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(rounds):
        for name, run in tools.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}
