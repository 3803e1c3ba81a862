"""The Action's ``delivery: commit | pull-request``: every suggested docstring, one commit.

Neither the 50-comment cap nor the hunk rule applies: a commit holds every target the
run documented.  When GitHub refuses (the branch moved, a fork's token), the caller
falls back to a review with the note this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.delivery import Delivery, commit_edits, proven_edits, pull_request_of_edits
from bot.gitdata import NotFastForward
from bot.github import GitHubPR, PullRequestInfo, WriteRefused
from bot.inert import code_span
from bot.model import Status
from bot.review import ReviewPlan
from bot.settings import Settings
from bot.summary import summary_comment

if TYPE_CHECKING:
    from bot.changes import Change
    from bot.runner import RunReport


@dataclass(frozen=True)
class Handed:
    """A delivery's outcome: the report and plan to summarise, or why to post a review."""

    report: RunReport
    plan: ReviewPlan | None
    """None: nothing was delivered; post a review instead, saying ``note``."""
    url: str
    note: str


def deliver(
    github: GitHubPR, settings: Settings, info: PullRequestInfo, report: RunReport, change: Change
) -> Handed:
    """Commit every proven docstring of ``report`` to the pull request, or to docbot's one."""
    edits = proven_edits(report.results, change.files)
    report = replace(report, results=edits.results)
    delivered = tuple(
        r
        for r in report.results
        if r.status is Status.SUGGESTED and r.suggestion and r.target.path in edits.files
    )
    git = github.git(info.head_repo or github.repo_name)
    title = f"docbot: docstrings for #{info.number}"
    try:
        if settings.delivery == "commit":
            done = commit_edits(
                git,
                branch=info.head_ref,
                head=info.head_sha,
                edits=edits.files,
                message=f"{title}\n\n{_count(len(delivered))}, each proven to change only "
                "documentation.",
            )
        else:
            body = summary_comment(report, ReviewPlan((), delivered=delivered))
            done = pull_request_of_edits(
                git,
                base=info.head_ref,
                base_sha=info.head_sha,
                branch=f"docbot/{info.number}",
                edits=edits.files,
                title=title,
                body=body,
            )
    except (NotFastForward, WriteRefused) as exc:
        return Handed(report, None, "", f"{exc}; posting a review instead")
    line = delivery_line(done, len(delivered), info.head_ref)
    plan = ReviewPlan((), delivered=delivered, delivery=line)
    return Handed(report, plan, done.url, _note(done, len(delivered)))


def delivery_line(done: Delivery, count: int, branch: str) -> str:
    """The summary's markdown line linking docbot's commit or pull request."""
    where = code_span(branch)
    if done.state == "committed":
        return f"Committed {_count(count)} to {where} as [`{done.sha[:7]}`]({done.url})."
    if done.state == "closed":
        return f"Nothing left to document: closed pull request [#{done.number}]({done.url})."
    if done.kind == "pull-request" and done.state != "nothing":
        return f"{_count(count)} in pull request [#{done.number}]({done.url}) into {where}."
    return ""


def _note(done: Delivery, count: int) -> str:
    if done.state == "nothing":
        return "nothing to commit"
    if done.state == "committed":
        return f"committed {_count(count)} as {done.sha[:12]}"
    return f"pull request #{done.number} {done.state} ({_count(count)})"


def _count(count: int) -> str:
    return f"{count} docstring" + ("" if count == 1 else "s")
