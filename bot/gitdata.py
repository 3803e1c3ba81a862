"""Git data, branches and pull requests of one repository, through PyGithub.

A commit is made without a checkout: one tree (the edited files' texts inline, over the
parent's tree), one commit with the parent, then a branch update.  GitHub writes the
blobs of inline ``content`` itself, so a commit of any number of files costs three
writes, not one per file.  Reads and writes go through the ``GitHubPR`` plumbing
(rate limits waited out, writes spaced), passed in as functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import requests
from github import GithubException, InputGitTreeElement
from github.GitCommit import GitCommit
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.errors import GitHubError
from bot.github import WriteRefused

T = TypeVar("T")
Read = Callable[[Callable[[], Any], str], Any]
Write = Callable[[Callable[[], Any]], Any]
Refused = Callable[[GithubException, str], GitHubError]

FILE_MODE = "100644"
TREE_BYTES = 4_000_000
"""At most this much file text (UTF-8) in one tree request."""


class NotFastForward(GitHubError):
    """The branch moved since docbot read it: GitHub refused the update (422)."""


def blob_id(text: str) -> str:
    """Git's id of a blob holding ``text`` as UTF-8 (what GitHub lists in a tree)."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A commit: its parents, its tree, and each file's mode and blob id."""

    commit: str
    parents: tuple[str, ...]
    tree: str
    files: Mapping[str, tuple[str, str]]
    complete: bool
    """GitHub listed the whole tree (it truncates past about 100,000 entries)."""

    def with_edits(self, edits: Mapping[str, str]) -> dict[str, tuple[str, str]]:
        """The files of a commit that changes exactly ``edits`` on top of this one."""
        files = dict(self.files)
        for path, text in edits.items():
            files[path] = (self.mode(path), blob_id(text))
        return files

    def mode(self, path: str) -> str:
        """A file's mode, kept by an edit (an executable script stays executable)."""
        return self.files.get(path, (FILE_MODE, ""))[0]


class GitData:
    """The git objects, branches and pull requests of one repository."""

    def __init__(
        self,
        repo: Repository,
        *,
        read: Read,
        write: Write,
        refused: Refused,
        redact: Callable[[str], str] = str,
    ) -> None:
        self._repo = repo
        self._redact = redact
        self._read = read
        self._write = write
        self._refused = refused
        self._commits: dict[str, GitCommit] = {}
        self._trees: dict[str, GitTree] = {}
        self._pages: dict[str, str] = {}
        self.full_name = repo.full_name

    # -- reading -------------------------------------------------------------------------

    def snapshot(self, sha: str) -> Snapshot:
        """Commit ``sha`` and its whole tree: two reads."""
        commit = self._read(lambda: self._repo.get_git_commit(sha), f"reading commit {sha[:12]}")
        tree_sha = commit.tree.sha
        tree = self._read(
            lambda: self._repo.get_git_tree(tree_sha, recursive=True), "reading the tree"
        )
        self._commits[sha] = commit
        self._trees[tree_sha] = tree
        files = {e.path: (e.mode, e.sha) for e in tree.tree if e.type == "blob"}
        complete = not tree.raw_data.get("truncated", False)
        parents = tuple(p.sha for p in commit.parents)
        return Snapshot(sha, parents, tree_sha, files, complete)

    def branch(self, name: str) -> str | None:
        """The commit branch ``name`` points at, or None when there is no such branch."""
        ref = self._ref(name)
        return None if ref is None else str(ref.object.sha)

    def _ref(self, name: str) -> GitRef | None:
        """The branch's ref, read (its ``url`` is then the one GitHub updates refs at)."""

        def fetch() -> GitRef | None:
            ref = self._repo.get_git_ref(f"heads/{name}")
            try:
                ref.object  # noqa: B018 - completes the lazy ref with one GET
            except GithubException as exc:
                if exc.status == 404:
                    return None
                raise
            return ref

        return self._read(fetch, "reading a branch")  # type: ignore[no-any-return]

    def open_pull(self, *, head: str, base: str) -> PullRequest | None:
        """The open pull request from branch ``head`` into ``base``, if there is one."""
        owner = self.full_name.split("/")[0]
        found = self._read(
            lambda: list(self._repo.get_pulls(state="open", head=f"{owner}:{head}", base=base)),
            "listing pull requests",
        )
        return found[0] if found else None

    def holds(self, sha: str, parent: Snapshot, edits: Mapping[str, str]) -> bool:
        """Whether commit ``sha`` is ``parent`` plus exactly ``edits``: nothing to redo."""
        if not parent.complete:
            return False
        made = self.snapshot(sha)
        return (
            made.complete
            and made.parents == (parent.commit,)
            and (dict(made.files) == parent.with_edits(edits))
        )

    def commit_url(self, sha: str) -> str:
        """The page of a commit made here (GitHub named it when making it)."""
        return self._pages.get(sha, "")

    # -- writing -------------------------------------------------------------------------

    def make_commit(self, parent: Snapshot, edits: Mapping[str, str], message: str) -> str:
        """One commit of ``edits`` (path -> new text) on ``parent``; its id.

        Two writes (a tree, a commit) up to ``TREE_BYTES`` of text; past that the texts
        go in a chain of trees, each over the last, so no request grows without bound.
        """
        if parent.commit not in self._commits:
            self.snapshot(parent.commit)
        tree = self._trees[parent.tree]
        for chunk in _chunks(sorted(edits.items()), TREE_BYTES):
            elements = [
                InputGitTreeElement(path, parent.mode(path), "blob", content=text)
                for path, text in chunk
            ]
            tree = self._send(partial(self._repo.create_git_tree, elements, tree), "writing a tree")
        made = tree
        commit = self._send(
            lambda: self._repo.create_git_commit(
                self._redact(message), made, [self._commits[parent.commit]]
            ),
            "writing a commit",
        )
        self._pages[commit.sha] = str(commit.html_url)
        return str(commit.sha)

    def fast_forward(self, name: str, sha: str) -> None:
        """Move branch ``name`` to ``sha`` only if that keeps its commits (no force)."""
        ref = self._ref(name)
        if ref is None:
            raise NotFastForward(f"the branch {name!r} is gone: nothing to add docbot's commit to")
        try:
            self._send(lambda: ref.edit(sha, force=False), "updating the branch", quiet=(422,))
        except GithubException as exc:
            # GitHub's own words stay out: they would reach the summary's markdown.
            raise NotFastForward(
                f"GitHub refused to move the branch to docbot's commit ({exc.status}, not a "
                "fast forward): it moved while docbot ran"
            ) from None

    def put_branch(self, name: str, sha: str, *, exists: bool) -> None:
        """Create branch ``name`` at ``sha``, or force it there: docbot's own branch."""
        ref = self._ref(name) if exists else None
        if ref is not None:
            self._send(lambda: ref.edit(sha, force=True), "updating docbot's branch")
        else:
            self._send(
                lambda: self._repo.create_git_ref(f"refs/heads/{name}", sha), "creating a branch"
            )

    def create_pull(self, *, head: str, base: str, title: str, body: str) -> PullRequest:
        """Open a pull request from ``head`` into ``base``."""
        return self._send(
            lambda: self._repo.create_pull(
                base=base, head=head, title=self._redact(title), body=self._redact(body)
            ),
            "opening a pull request",
        )

    def edit_pull(self, pull: PullRequest, **fields: str) -> None:
        """Change a pull request's title, body or state."""
        clean = {key: self._redact(value) for key, value in fields.items()}
        self._send(lambda: pull.edit(**clean), "editing a pull request")  # type: ignore[arg-type]

    def _send(self, fn: Callable[[], T], doing: str, *, quiet: tuple[int, ...] = ()) -> T:
        """A write; GitHub's refusals become docbot's errors, except ``quiet`` statuses."""
        try:
            return self._write(fn)  # type: ignore[no-any-return]
        except GithubException as exc:
            if exc.status in quiet:
                raise
            error = self._refused(exc, doing)
            if isinstance(error, WriteRefused):
                error = WriteRefused(
                    f"GitHub refused {doing} ({exc.status}): the token cannot write to "
                    f"{self.full_name} (a fork's pull request, or missing `contents: write`)"
                )
            raise error from None
        except requests.RequestException as exc:
            raise GitHubError(f"cannot reach GitHub while {doing}: {exc}") from None


def _chunks(items: Sequence[tuple[str, str]], limit: int) -> Iterator[list[tuple[str, str]]]:
    """``items`` in order, in runs of at most ``limit`` bytes of text (at least one item)."""
    run: list[tuple[str, str]] = []
    size = 0
    for path, text in items:
        weight = len(text.encode("utf-8"))
        if run and size + weight > limit:
            yield run
            run, size = [], 0
        run.append((path, text))
        size += weight
    if run:
        yield run
