"""A pull request's changed files as the pipeline takes them: diffs and new texts.

Texts come from the workspace when it is checked out at the head commit, else from git
blobs; a patch GitHub left out (a large diff) is rebuilt from both versions' blobs.  Only
files some language owns are read at all.
"""

from __future__ import annotations

import base64
import difflib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from github import GithubException

from bot.changes import Change, decode, head_is, refused_path, wants_text
from bot.diff import diff_lines, parse_diff
from bot.languages import Registry
from bot.model import FileDiff, FileStatus, Skip

MAX_FILES = 3000
"""``GET pulls/{n}/files`` lists at most this many files of a pull request."""

Read = Callable[[Callable[[], Any], str], Any]
"""The client's read: a call and what it is doing, with its retries and rate-limit waits."""

_REGISTRY = Registry()
_STATUS: dict[str, FileStatus] = {
    "added": "added",
    "copied": "added",
    "modified": "modified",
    "changed": "modified",
    "renamed": "renamed",
    "removed": "deleted",
}


class Blobs:
    """The blobs and file texts of one repository, each read once through ``read``."""

    def __init__(self, repo: Any, read: Read) -> None:
        self._repo = repo
        self._read = read
        self._cache: dict[str, bytes] = {}

    def data(self, sha: str) -> bytes:
        """Blob ``sha``'s bytes."""
        if sha not in self._cache:
            blob = self._read(lambda: self._repo.get_git_blob(sha), f"reading blob {sha[:12]}")
            content = str(blob.content)
            raw = base64.b64decode(content) if blob.encoding == "base64" else content.encode()
            self._cache[sha] = raw
        return self._cache[sha]

    def text(self, sha: str) -> str:
        """Blob ``sha`` as text (undecodable bytes replaced: only for rebuilding hunks)."""
        return self.data(sha).decode("utf-8", errors="replace")

    def text_at(self, path: str, ref: str) -> str:
        """``path``'s text at commit ``ref``; empty when it did not exist there."""

        def fetch() -> str:
            try:
                content = self._repo.get_contents(path, ref=ref)
            except GithubException as exc:
                if exc.status == 404:
                    return ""
                raise
            if isinstance(content, list):
                return ""
            return self.text(content.sha)

        return str(self._read(fetch, f"reading {path} at {ref[:12]}"))


def pull_change(
    files: Sequence[Any],
    blobs: Blobs,
    *,
    base_sha: str,
    head_sha: str,
    workspace: Path | None,
) -> Change:
    """The change of GitHub's listed ``files`` (PyGithub ``File`` objects)."""
    local = workspace if workspace is not None and head_is(workspace, head_sha) else None
    diffs: list[FileDiff] = []
    texts: dict[str, str] = {}
    skips: list[Skip] = []
    for file in files:
        if _REGISTRY.language_for(str(file.filename)) is None:
            # Before _file_diff: a file without ``patch`` (binary, or past GitHub's diff
            # limits) would cost blob reads only to be passed over.
            continue
        refused = refused_path(file.filename, file.previous_filename, local)
        if refused is not None:
            skips.append(refused)
            continue
        diff = _file_diff(file, blobs, base_sha)
        if diff is None or not wants_text(diff):
            continue
        diffs.append(diff)
        data = _read_local(local, diff.path) if local else None
        text = decode(diff.path, blobs.data(file.sha) if data is None else data)
        if isinstance(text, Skip):
            skips.append(text)
        else:
            texts[diff.path] = text
    if len(files) >= MAX_FILES:
        skips.append(
            Skip(
                f"(files past the {MAX_FILES}th)",
                f"GitHub lists at most {MAX_FILES} files of a pull request; "
                "the files after them were not read",
            )
        )
    # The workspace at the head holds the new version of every file: Rust reads its crate there.
    return Change(tuple(diffs), texts, tuple(skips), local)


def _file_diff(file: Any, blobs: Blobs, base_sha: str) -> FileDiff | None:
    status = _STATUS.get(file.status)
    if status is None or status == "deleted":
        return None
    old = file.previous_filename or file.filename
    patch = file.patch
    if patch is None:
        patch = _patch_from_blobs(file, old, blobs, base_sha)
    # The names are GitHub's, set on the result below: only the hunks are parsed here.
    text = f"--- a/file\n+++ b/file\n{patch}\n"
    parsed = parse_diff(text) if patch else []
    base = parsed[0] if parsed else FileDiff(file.filename, None, status, frozenset())
    return replace(
        base, path=file.filename, old_path=old if status == "renamed" else None, status=status
    )


def _patch_from_blobs(file: Any, old: str, blobs: Blobs, base_sha: str) -> str:
    """GitHub omits ``patch`` for large diffs: rebuild the hunks from both blobs."""
    new = blobs.text(file.sha)
    before = "" if file.status in ("added", "copied") else blobs.text_at(old, base_sha)
    lines = difflib.unified_diff(diff_lines(before), diff_lines(new), n=3)
    body = [line if line.endswith("\n") else line + "\n" for line in list(lines)[2:]]
    return "".join(body).rstrip("\n")


def _read_local(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None
