"""Docstrings delivered as one commit, or as a pull request of that commit.

``commit_edits`` puts one commit on a branch, fast-forward only.  ``pull_request_of_edits``
keeps one branch and one pull request per purpose up to date in place (the Action's
``docbot/<number>`` into the author's branch; a backfill's into the branch it ran on):
an unchanged commit is not made again, a changed one replaces the branch's, and the
pull request is closed when nothing is left.  Every file is proven whole
(``suggest.check_safe``) before it is committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.errors import UnsafeSuggestion
from bot.gitdata import GitData
from bot.model import Result, Status, Suggestion
from bot.suggest import apply, check_safe
from bot.summary import summary_state

State = Literal["committed", "opened", "updated", "unchanged", "closed", "nothing"]


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a delivery did, and where to see it."""

    kind: Literal["commit", "pull-request"]
    state: State
    url: str = ""
    sha: str = ""
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Edits:
    """New texts of the files to commit, and the results whose file failed the proof."""

    files: Mapping[str, str]
    results: tuple[Result, ...]
    """Every result; those of a file that failed the whole-module proof are now failed."""


def proven_edits(results: Sequence[Result], files: Mapping[str, str]) -> Edits:
    """Apply each file's suggestions together and prove the whole module unchanged but docs.

    A file that fails keeps its text: its targets turn ``failed`` with the reason, and
    the other files are still delivered.
    """
    grouped: dict[str, list[Suggestion]] = {}
    for result in results:
        if result.status is Status.SUGGESTED and result.suggestion is not None:
            grouped.setdefault(result.target.path, []).append(result.suggestion)
    edited: dict[str, str] = {}
    refused: dict[str, str] = {}
    for path, suggestions in grouped.items():
        try:
            new = apply(files[path], suggestions)
            check_safe(files[path], new)
        except UnsafeSuggestion as exc:
            refused[path] = f"the file with all its docstrings failed the proof: {exc}"
            continue
        edited[path] = new
    kept = tuple(
        replace(r, status=Status.FAILED, reason=refused[r.target.path], suggestion=None)
        if r.target.path in refused and r.status is Status.SUGGESTED
        else r
        for r in results
    )
    return Edits(edited, kept)


def commit_edits(
    git: GitData, *, branch: str, head: str, edits: Mapping[str, str], message: str
) -> Delivery:
    """One commit of ``edits`` on ``head``, then ``branch`` moved to it if still at ``head``.

    Raises ``NotFastForward`` when the branch moved meanwhile (the commit stays unused),
    ``WriteRefused`` when the token cannot write to the repository.
    """
    if not edits:
        return Delivery("commit", "nothing")
    parent = git.snapshot(head)
    sha = git.make_commit(parent, edits, message)
    git.fast_forward(branch, sha)
    return Delivery("commit", "committed", url=git.commit_url(sha), sha=sha)


def pull_request_of_edits(
    git: GitData,
    *,
    base: str,
    base_sha: str,
    branch: str,
    edits: Mapping[str, str],
    title: str,
    body: str,
) -> Delivery:
    """Branch ``branch``: ``base_sha`` and one commit of ``edits``, in a pull request to ``base``.

    Re-runs keep the same branch and pull request: the commit is remade only when
    ``base_sha`` or the edits changed, the title and body only when their state marker
    (as in the summary comment) or the title changed.  No edits close
    the pull request.
    """
    existing = git.open_pull(head=branch, base=base)
    if not edits:
        if existing is None:
            return Delivery("pull-request", "nothing")
        git.edit_pull(existing, state="closed")
        return Delivery("pull-request", "closed", url=existing.html_url, number=existing.number)
    parent = git.snapshot(base_sha)
    current = git.branch(branch)
    changed = current is None or not git.holds(current, parent, edits)
    sha = git.make_commit(parent, edits, title) if changed else str(current)
    if changed:
        git.put_branch(branch, sha, exists=current is not None)
    if existing is None:
        pull = git.create_pull(head=branch, base=base, title=title, body=body)
        return Delivery("pull-request", "opened", url=pull.html_url, sha=sha, number=pull.number)
    stale = existing.title != title or _state(existing.body or "") != _state(body)
    if stale:
        git.edit_pull(existing, title=title, body=body)
    state: State = "updated" if changed or stale else "unchanged"
    return Delivery("pull-request", state, url=existing.html_url, sha=sha, number=existing.number)


def _state(body: str) -> str:
    # A summary's state marker stands for the whole body: the rest may differ in spending
    # figures alone.  Other bodies compare whole.
    return summary_state(body) or body
