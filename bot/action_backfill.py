"""The Action's ``mode: backfill``: document the code already on a branch, as pull requests.

Started by ``workflow_dispatch`` (or ``schedule``) on a branch, with that branch checked
out: ``docbot backfill``'s change over ``paths``, every docstring proven per file, then
pull requests into the branch of at most ``max-files`` files each, on branches
``docbot/backfill/<branch>/<part>``.  Re-runs update the same pull requests in place and
close the parts nothing is left for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.backfill import backfill_change
from bot.changes import head_is
from bot.delivery import Delivery, proven_edits, pull_request_of_edits
from bot.errors import ConfigError
from bot.gitdata import GitData
from bot.github import GitHubPR
from bot.model import Result, Skip, Status, Usage
from bot.review import ReviewPlan
from bot.settings import Settings
from bot.summary import summary_comment
from bot.targets import TargetOptions
from bot.workflow import Workflow

if TYPE_CHECKING:
    from bot.runner import RunReport

BACKFILL_EVENTS = ("workflow_dispatch", "schedule")


@dataclass(frozen=True)
class Part:
    """One pull request's share of a backfill: its files' results (a ``ReportLike``)."""

    results: tuple[Result, ...]
    skips: tuple[Skip, ...] = ()
    usage: Usage = field(default_factory=Usage)
    notes: tuple[str, ...] = ()


def split(paths: Sequence[str], max_files: int) -> list[list[str]]:
    """``paths`` in order, in parts of at most ``max_files``."""
    ordered = sorted(paths)
    return [ordered[i : i + max_files] for i in range(0, len(ordered), max_files)]


@dataclass(frozen=True)
class Backfilled:
    """A backfill's report, its summary plan, and what each part's pull request did."""

    report: RunReport
    plan: ReviewPlan
    parts: list[Delivery]


def backfill_branch(
    env: Mapping[str, str], settings: Settings, flow: Workflow, *, workspace: Path, github: GitHubPR
) -> Backfilled:
    """Run the backfill of the checked-out branch and deliver it as pull requests into it."""
    from bot.runner import run

    branch, sha = _branch(env, workspace)
    with flow.group(f"Backfilling {branch} at {sha[:12]}"):
        change = backfill_change(workspace, settings.paths, TargetOptions.from_settings(settings))
        report = run(settings, change, repo=github.repo_name, warn=flow.warning)
    edits = proven_edits(report.results, change.files)
    report = replace(report, results=edits.results)
    git = github.git(github.repo_name)
    parts = split(list(edits.files), settings.max_files)
    done = [
        _deliver_part(git, report.results, edits.files, files, branch=branch, sha=sha,
                      number=k, of=len(parts))
        for k, files in enumerate(parts, 1)
    ]  # fmt: skip
    done += _close_rest(git, branch, len(parts) + 1)
    lines = [_part_line(d) for d in done if d.url]
    delivered = _delivered(report.results, edits.files)
    return Backfilled(report, ReviewPlan((), delivered=delivered, delivery="\n".join(lines)), done)


def _branch(env: Mapping[str, str], workspace: Path) -> tuple[str, str]:
    event = env.get("GITHUB_EVENT_NAME", "")
    if event not in BACKFILL_EVENTS:
        raise ConfigError(f"mode: backfill runs on workflow_dispatch or schedule, not {event!r}")
    ref, sha = env.get("GITHUB_REF", ""), env.get("GITHUB_SHA", "")
    if not ref.startswith("refs/heads/") or not sha:
        raise ConfigError(f"mode: backfill runs on a branch, not {ref or 'an unknown ref'!r}")
    if not head_is(workspace, sha):
        raise ConfigError(
            "mode: backfill reads the files of the checkout: run actions/checkout before docbot"
        )
    return ref.removeprefix("refs/heads/"), sha


def _deliver_part(
    git: GitData,
    results: Sequence[Result],
    edited: Mapping[str, str],
    files: Sequence[str],
    *,
    branch: str,
    sha: str,
    number: int,
    of: int,
) -> Delivery:
    chosen = set(files)
    part = Part(tuple(r for r in results if r.target.path in chosen))
    title = f"docbot: docstrings for {branch}" + (f" ({number}/{of})" if of > 1 else "")
    body = summary_comment(part, ReviewPlan((), delivered=_delivered(part.results, edited)))
    return pull_request_of_edits(
        git, base=branch, base_sha=sha, branch=part_branch(branch, number),
        edits={p: edited[p] for p in files}, title=title, body=body,
    )  # fmt: skip


def part_branch(branch: str, number: int) -> str:
    """docbot's branch for part ``number`` of a backfill of ``branch``."""
    return f"docbot/backfill/{branch}/{number}"


def _close_rest(git: GitData, branch: str, first: int) -> list[Delivery]:
    """Close the open pull requests of parts past the last one (an earlier, larger run's)."""
    closed = []
    number = first
    while (done := pull_request_of_edits(
        git, base=branch, base_sha="", branch=part_branch(branch, number), edits={}, title="",
        body="",
    )).state == "closed":  # fmt: skip
        closed.append(done)
        number += 1
    return closed


def _delivered(results: Sequence[Result], edited: Mapping[str, str]) -> tuple[Result, ...]:
    return tuple(r for r in results if r.status is Status.SUGGESTED and r.target.path in edited)


def _part_line(done: Delivery) -> str:
    what = "closed, nothing left" if done.state == "closed" else done.state
    return f"- pull request [#{done.number}]({done.url}): {what}"
