"""``docbot dry-run --apply --commit``: one commit of docbot's edits in the working repository.

The commit must hold docstrings and nothing else, so it is refused before anything is
written when the index holds staged changes or a file docbot would edit has changes of
the user's own that are not committed yet.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from bot.errors import ChangeError, ConfigError


def refuse_staged(root: Path) -> None:
    """Refuse when the index differs from HEAD: the commit would carry those changes."""
    _git(root, "rev-parse", "--show-toplevel")
    staged = _git(root, "diff", "--cached", "--name-only", "-z").split("\0")
    if any(staged):
        raise ConfigError(
            f"--commit: the index holds staged changes ({_first(staged)}); commit or unstage "
            "them first, so docbot's commit holds only docstrings"
        )


def refuse_uncommitted(root: Path, paths: Sequence[str]) -> None:
    """Refuse when a file docbot would edit has changes that are not committed."""
    if not paths:
        return
    listing = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    dirty = [entry[3:] for entry in listing.split("\0") if entry]
    if dirty:
        raise ConfigError(
            f"--commit: {_first(dirty)} has changes that are not committed; commit them "
            "first, so docbot's commit holds only docstrings (nothing was written)"
        )


def commit(root: Path, paths: Sequence[str], message: str) -> str:
    """Stage exactly ``paths`` and commit them; returns the new commit's id."""
    _git(root, "add", "--", *paths)
    _git(root, "commit", "--quiet", "-m", message, "--", *paths)
    return _git(root, "rev-parse", "HEAD").strip()


def _first(items: Sequence[str]) -> str:
    shown = [item for item in items if item]
    more = f" and {len(shown) - 1} more" if len(shown) > 1 else ""
    return repr(shown[0]) + more


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, check=False, text=True, errors="replace"
        )
    except FileNotFoundError:
        raise ChangeError("--commit needs git, and git is not installed") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        detail = lines[-1] if lines else f"git {args[0]} failed"
        if "not a git repository" in detail:
            raise ChangeError(f"--commit: {root} is not a git checkout")
        raise ChangeError(f"--commit: git {args[0]} failed: {detail}")
    return done.stdout
