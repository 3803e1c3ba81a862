"""Where a change comes from on the user's machine: a git checkout, or a diff file plus a folder.

This is an edge module: it runs git and reads files, and hands the pipeline a
``Change`` of plain data.  The GitHub event source lives in ``github.py``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bot.diff import parse_diff
from bot.errors import ChangeError
from bot.gcpause import collector_paused
from bot.inert import all_inside, inside, relative, unshowable
from bot.languages import Registry
from bot.model import FileDiff, Skip

_REGISTRY = Registry()
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree


@dataclass(frozen=True)
class Change:
    """The diffs of a change and the new text of each changed source file, by posix path."""

    diffs: tuple[FileDiff, ...]
    files: dict[str, str] = field(default_factory=dict)
    skips: tuple[Skip, ...] = ()
    root: Path | None = None
    """A folder holding the new versions of every file, changed or not, when there is one
    (``--root``, a working tree): rules that span files (Rust's crate) read it."""


def decode(path: str, data: bytes) -> str | Skip:
    """A file's text with its line endings kept, or why it cannot be read as Python source."""
    if b"\0" in data[:8192]:
        return Skip(path, "binary file")
    try:
        # A byte-order mark stays in the text (as U+FEFF): the stages skip it, and a file
        # written back keeps it.
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Skip(path, f"not UTF-8 (byte {exc.start})")


def wants_text(diff: FileDiff, registry: Registry = _REGISTRY) -> bool:
    """Whether the pipeline needs this file's new text: a source file the change adds to,
    in a language docbot reads."""
    return (
        diff.status != "deleted"
        and bool(diff.added)
        and registry.language_for(diff.path) is not None
    )


def from_diff_text(text: str, root: Path) -> Change:
    """A change from a unified diff and ``root``, the folder holding the new versions."""
    if not root.is_dir():
        raise ChangeError(f"--root {root}: not a folder")
    # A large diff's lines and line sets are many objects and no cycle (bot.gcpause).
    with collector_paused():
        diffs = parse_diff(text)
        _all_inside(root, diffs)
        files: dict[str, str] = {}
        skips: list[Skip] = []
        for diff in diffs:
            if wants_text(diff):
                _keep(diff.path, decode(diff.path, _read(root, diff.path)), files, skips)
    return Change(tuple(diffs), files, tuple(skips), root)


def _read(root: Path, name: str) -> bytes:
    path = root / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ChangeError(
            f"{name}: in the diff but not under --root {root}; "
            "--root must hold the new versions of the files"
        ) from None
    except OSError as exc:
        raise ChangeError(f"{path}: cannot read ({exc.strerror})") from None


def from_git(root: Path, *, base: str | None, head: str | None) -> Change:
    """A change from a git checkout.

    With ``head``, the committed tree at ``head`` against ``base``; without, the
    working tree (uncommitted and untracked files included) against ``base``.  The
    default ``base`` is the merge-base with the upstream branch, else ``HEAD``.
    """
    top = toplevel(root)
    if base is None:
        base = _default_base(top)
    _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{tree}}", what=f"--base {base}")
    if head is not None:
        _git(top, "rev-parse", "--verify", "--quiet", f"{head}^{{commit}}", what=f"--head {head}")
    spec = [base, head] if head is not None else [base]
    text = _git(
        top,
        "diff",
        "--no-color",
        "--no-ext-diff",
        "-M",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        *spec,
        "--",
    )
    diffs = parse_diff(text)
    if head is None:
        diffs += _untracked(top)
        # The working tree is read through the file system, where a symlink may lead out.
        _all_inside(top, [diff for diff in diffs if wants_text(diff)])
    files: dict[str, str] = {}
    skips: list[Skip] = []
    for diff in diffs:
        if not wants_text(diff):
            continue
        if head is None:
            data = (top / diff.path).read_bytes()
        else:
            data = _git_bytes(top, "show", f"{head}:{diff.path}")
        _keep(diff.path, decode(diff.path, data), files, skips)
    # Only the working tree holds the new versions; a committed head may differ from it.
    return Change(tuple(diffs), files, tuple(skips), top if head is None else None)


def head_is(root: Path, sha: str) -> bool:
    """Whether ``root`` is a git checkout whose HEAD is ``sha``, so its files are that commit's."""
    try:
        # In a container action the workspace belongs to the runner's user: trust it explicitly.
        return _git(root, "-c", "safe.directory=*", "rev-parse", "HEAD").strip() == sha
    except ChangeError:
        return False


def toplevel(cwd: Path) -> Path:
    """The top folder of the git checkout holding ``cwd``."""
    return Path(_git(cwd, "rev-parse", "--show-toplevel").strip())


def refused_path(path: str, old_path: str | None, root: Path | None) -> Skip | None:
    """Why a file named by a pull request is passed over unread, or None for the usual file.

    A name docbot cannot show (a control character), or one leaving ``root`` (the checked
    out workspace; without one, leaving the repository).
    """
    for name in dict.fromkeys((path, old_path or path)):
        why = unshowable(name)
        if why is not None:
            return Skip(name, why)
        try:
            if root is not None:
                inside(root, name)
            else:
                relative(name)
        except ChangeError as exc:
            return Skip(name, str(exc))
    return None


def _all_inside(root: Path, diffs: list[FileDiff]) -> None:
    """A ChangeError naming the first path of ``diffs`` that leaves ``root``, before any read."""
    all_inside(root, [p for d in diffs for p in (d.path, d.old_path) if p is not None])


def _keep(path: str, text: str | Skip, files: dict[str, str], skips: list[Skip]) -> None:
    if isinstance(text, Skip):
        skips.append(text)
    else:
        files[path] = text


def _default_base(top: Path) -> str:
    try:
        return _git(top, "merge-base", "HEAD", "@{upstream}").strip()
    except ChangeError:
        pass
    try:
        _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except ChangeError:  # a repository with no commits yet: everything is new
        return _EMPTY_TREE
    return "HEAD"


def _untracked(top: Path) -> list[FileDiff]:
    """New files git does not track yet: every line of each is added."""
    globs = [f"*{suffix}" for suffix in _REGISTRY.suffixes()]
    listing = _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", *globs)
    diffs = []
    for path in filter(None, listing.split("\0")):
        data = inside(top, path).read_bytes()
        count = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        lines = frozenset(range(1, count + 1))
        diffs.append(FileDiff(path, None, "added", lines, ((1, count),) if count else ()))
    return diffs


def _git_bytes(cwd: Path, *args: str, what: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise ChangeError("git is not installed; use --diff FILE --root DIR instead") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        detail = message[-1] if message else f"git {args[0]} failed"
        if "not a git repository" in detail:
            raise ChangeError(f"{cwd}: not a git checkout; use --diff FILE --root DIR instead")
        raise ChangeError(f"{what}: no such revision" if what else detail)
    return done.stdout


def _git(cwd: Path, *args: str, what: str | None = None) -> str:
    return _git_bytes(cwd, *args, what=what).decode("utf-8", errors="surrogateescape")
