"""The code that is already there as a change: every line of the chosen files counts as added.

``docbot backfill`` and the Action's backfill mode hand the pipeline this ``Change``
instead of a diff's, so targets, publicity, include/exclude and test-path rules, the
cache, the reports and ``--apply`` are the dry-run's own.  An edge module: it lists and
reads files, and every path it takes is proven to lie inside the root.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot.changes import Change, decode
from bot.errors import ChangeError
from bot.languages import Registry
from bot.model import FileDiff, Skip
from bot.paths import path_selected
from bot.targets import TargetOptions

# Folders a walk outside git never enters: tools' caches and environments, not source.
_REGISTRY = Registry()
_NEVER = frozenset({"__pycache__", "node_modules", "site-packages"})


def whole_file(path: str, text: str) -> FileDiff:
    """``path`` as if the change added every one of its lines."""
    count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    hunks = ((1, count),) if count else ()
    return FileDiff(path, None, "added", frozenset(range(1, count + 1)), hunks)


def backfill_change(root: Path, paths: Sequence[str], options: TargetOptions) -> Change:
    """Every source file under ``paths`` (files or folders; none: the whole ``root``).

    Paths are taken relative to ``root`` unless absolute; one outside it is a
    ``ChangeError``.  In a git checkout the files are what git lists (tracked and
    untracked, ignored ones left out), elsewhere a walk that skips hidden folders.
    Files the path rules leave out are not read.
    """
    top = root.resolve()
    if not top.is_dir():
        raise ChangeError(f"{root}: not a folder")
    wanted = [_inside(top, raw) for raw in paths] or [top]
    diffs: list[FileDiff] = []
    files: dict[str, str] = {}
    skips: list[Skip] = []
    for rel in sorted(set(_listed(top, wanted))):
        if path_selected(rel, options) is not None:
            continue
        try:
            data = (top / rel).read_bytes()
        except OSError as exc:
            skips.append(Skip(rel, f"cannot read ({exc.strerror})"))
            continue
        text = decode(rel, data)
        if isinstance(text, Skip):
            skips.append(text)
            continue
        files[rel] = text
        diffs.append(whole_file(rel, text))
    return Change(tuple(diffs), files, tuple(skips), top)


def _inside(top: Path, raw: str) -> Path:
    """``raw`` resolved (symlinks too), refused unless it exists inside ``top``."""
    resolved = (top / raw).resolve()
    if resolved != top and top not in resolved.parents:
        raise ChangeError(f"{raw}: outside the root {top}; backfill only documents files in it")
    if not resolved.exists():
        raise ChangeError(f"{raw}: no such file or folder under {top}")
    return resolved


def _listed(top: Path, wanted: Sequence[Path]) -> Iterator[str]:
    """Posix paths relative to ``top`` of the source files in ``wanted`` (any language)."""
    in_git = _git_files(top, wanted)
    candidates = in_git if in_git is not None else _walk(top, wanted)
    for rel in candidates:
        if _REGISTRY.language_for(rel) is None:
            continue
        path = top / rel
        # A linked file is documented where it really is, if that is inside the root:
        # read through the link it could come from anywhere, and --apply would replace
        # the link with a copy.
        if not path.is_symlink() and top in path.resolve().parents and path.is_file():
            yield rel


def _git_files(top: Path, wanted: Sequence[Path]) -> list[str] | None:
    """What git lists under ``wanted`` (tracked and untracked, not ignored).

    ``None`` unless ``top`` is the top of a checkout: a folder inside another
    repository may be one that repository ignores, and then git would list nothing.
    """
    if _git(top, "rev-parse", "--show-toplevel").strip() != str(top):
        return None
    specs = [p.relative_to(top).as_posix() for p in wanted]
    listing = _git(
        top, "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", *specs
    )
    return [name for name in listing.split("\0") if name]


def _git(top: Path, *args: str) -> str:
    """git's output in ``top``, or "" when git is missing or fails."""
    try:
        done = subprocess.run(
            ["git", "--literal-pathspecs", "-c", "core.quotepath=off", *args],
            cwd=top,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        return ""
    if done.returncode != 0:
        return ""
    return done.stdout.decode("utf-8", errors="surrogateescape")


def _walk(top: Path, wanted: Sequence[Path]) -> Iterator[str]:
    for start in wanted:
        if start.is_file():
            yield start.relative_to(top).as_posix()
            continue
        for folder, subfolders, names in os.walk(start):
            subfolders[:] = sorted(
                d for d in subfolders if not d.startswith(".") and d not in _NEVER
            )
            base = Path(folder)
            for name in sorted(names):
                yield (base / name).relative_to(top).as_posix()
