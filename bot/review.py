"""The GitHub review a run posts, built as plain data and markdown: comments, markers, plan.

Pure: takes the pipeline's results and the PR's diffs, returns the review payload.
``summary.py`` writes the summaries; ``github.py`` sends both; ``action.py`` decides when.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from bot.inert import code_span, marker_field, marker_value
from bot.model import FileDiff, Result, Skip, Status, Suggestion, TargetKind, Usage
from bot.stale import documented_names, in_words

COMMENT_LIMIT = 65_536
"""GitHub refuses comment bodies longer than this many characters."""
# Only a trailer counts: the body's last line, fields percent-encoded (``marker_field``),
# so text inside a body (a docstring quoting a marker, a file name) can neither forge nor
# end one.  Who wrote the comment is checked by the caller (``github.py``).
_FIELD = r"([A-Za-z0-9%._/-]*)"
_SUGGESTION_MARKER = re.compile(
    rf"(?:\A|\n)<!-- docbot:suggestion path={_FIELD} qualname={_FIELD} -->\s*\Z"
)


class ReportLike(Protocol):
    """What the review needs from a run's report (``bot.runner.RunReport`` has it)."""

    @property
    def results(self) -> tuple[Result, ...]:
        """One result per target, in path/line order."""
        ...

    @property
    def skips(self) -> tuple[Skip, ...]:
        """Files passed over, with reasons."""
        ...

    @property
    def usage(self) -> Usage:
        """Tokens, requests and cost, summed over the run."""
        ...

    @property
    def notes(self) -> tuple[str, ...]:
        """What the scan could not resolve, in words (``RunReport.notes``)."""
        ...


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """One suggestion comment, placed on a definition's header lines."""

    path: str
    qualname: str
    line: int
    start_line: int | None
    body: str

    def to_api(self) -> dict[str, Any]:
        """The comment as GitHub's create-review endpoint takes it."""
        payload: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "side": "RIGHT",
            "body": self.body,
        }
        if self.start_line is not None:
            payload["start_line"] = self.start_line
            payload["start_side"] = "RIGHT"
        return payload


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    """Which suggested results become comments, and where the others go."""

    comments: tuple[ReviewComment, ...]
    off_diff: tuple[Result, ...] = ()
    """Suggested, but the header is not on a commentable line: shown in the summary."""
    over_cap: tuple[Result, ...] = ()
    """Past ``max_suggestions``: listed in the summary."""
    already_posted: tuple[Result, ...] = ()
    """A comment with this path and qualname is already on the pull request."""
    refused: tuple[Result, ...] = ()
    """GitHub rejected the comment (422): shown in the summary like ``off_diff``."""
    unposted: tuple[Result, ...] = ()
    """Meant as comments, but nothing was posted (dry run, read-only token): in the summary."""
    too_long: tuple[Result, ...] = ()
    """The comment would pass GitHub's body limit: shown in the summary like ``off_diff``."""
    delivered: tuple[Result, ...] = ()
    """In docbot's commit or pull request (``delivery``), not in comments."""
    delivery: str = ""
    """A markdown line linking that commit or pull request, shown under the totals."""


def suggestion_marker(path: str, qualname: str) -> str:
    """The hidden marker that identifies a suggestion comment across runs."""
    return f"<!-- docbot:suggestion path={marker_field(path)} qualname={marker_field(qualname)} -->"


def parse_marker(body: str) -> tuple[str, str] | None:
    """``(path, qualname)`` of a suggestion comment's trailer, or None when it has none."""
    found = _SUGGESTION_MARKER.search(body)
    return (marker_value(found.group(1)), marker_value(found.group(2))) if found else None


def fence(text: str, *, info: str = "") -> str:
    """``text`` in a backtick fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def comment_body(result: Result) -> str:
    """A suggestion comment: one line of context, the suggestion block, the marker."""
    assert result.suggestion is not None
    target = result.target
    replacement = result.suggestion.replacement.replace("\r\n", "\n")
    if target.problem == "stale":
        expected = documented_names(target.params)
        said = in_words(target.findings, expected, result.renamed)
        head = (
            f"**docbot**: {code_span(target.qualname)}'s docstring went stale: {said}."
            " One click fixes it:"
        )
    else:
        # Python has docstrings; the other languages, doc comments above the declaration.
        what = "docstring" if target.language == "python" else "doc comment"
        head = f"**docbot**: {code_span(target.qualname)} has no {what}. One click adds this one:"
    return "\n".join(
        [
            head,
            "",
            fence(replacement, info="suggestion"),
            suggestion_marker(target.path, target.qualname),
        ]
    )


def colon_line_only(result: Result) -> Suggestion | None:
    """A missing docstring's suggestion cut down to the header's last line, or ``None``.

    ``suggest`` writes the header's lines before its last one back unchanged (DESIGN.md,
    "The suggestion"), so dropping them from both sides commits the same file; GitHub then
    takes the suggestion when only the colon's line is in the diff's hunk.
    """
    suggestion, target = result.suggestion, result.target
    if (
        suggestion is None
        or target.problem != "missing"
        or target.kind is TargetKind.MODULE
        or (suggestion.start_line, suggestion.end_line) != (target.line, target.header_end)
        or suggestion.start_line == suggestion.end_line
    ):
        return None
    lines = suggestion.replacement.split("\n")
    keep = suggestion.end_line - suggestion.start_line
    if len(lines) <= keep:
        return None
    return Suggestion(
        suggestion.path, suggestion.end_line, suggestion.end_line, "\n".join(lines[keep:])
    )


def plan_review(
    results: Sequence[Result],
    diffs: Sequence[FileDiff],
    *,
    posted: frozenset[tuple[str, str]] = frozenset(),
    max_suggestions: int | None = None,
) -> ReviewPlan:
    """Sort suggested results into comments, already-posted, off-diff and over-cap ones."""
    by_path = {d.path: d for d in diffs}
    comments: list[ReviewComment] = []
    off_diff: list[Result] = []
    over_cap: list[Result] = []
    already: list[Result] = []
    too_long: list[Result] = []
    for result in results:
        suggestion = result.suggestion
        if result.status is not Status.SUGGESTED:
            continue
        if suggestion is None or (result.target.path, result.target.qualname) in posted:
            already.append(result)
            continue
        diff = by_path.get(suggestion.path)
        start, end = suggestion.start_line, suggestion.end_line
        if diff is not None and not diff.same_hunk(start, end) and diff.same_hunk(end, end):
            narrowed = colon_line_only(result)
            if narrowed is not None:
                result, start = replace(result, suggestion=narrowed), end
        if diff is None or not diff.same_hunk(start, end):
            off_diff.append(result)
            continue
        body = comment_body(result)
        if len(body) > COMMENT_LIMIT:
            too_long.append(result)
            continue
        if max_suggestions is not None and len(comments) >= max_suggestions:
            over_cap.append(result)
            continue
        comment = ReviewComment(
            path=suggestion.path,
            qualname=result.target.qualname,
            line=end,
            start_line=start if start < end else None,
            body=body,
        )
        comments.append(comment)
    return ReviewPlan(
        tuple(comments), tuple(off_diff), tuple(over_cap), tuple(already), too_long=tuple(too_long)
    )


def refuse(
    plan: ReviewPlan, rejected: Iterable[ReviewComment], results: Sequence[Result]
) -> ReviewPlan:
    """The plan once GitHub refused ``rejected``: their results move to ``refused``."""
    gone = {(c.path, c.qualname) for c in rejected}
    return replace(
        plan,
        comments=tuple(c for c in plan.comments if (c.path, c.qualname) not in gone),
        refused=plan.refused
        + tuple(r for r in results if (r.target.path, r.target.qualname) in gone),
    )


def unpost(plan: ReviewPlan, results: Sequence[Result]) -> ReviewPlan:
    """The plan when nothing is posted: the comments' results move to ``unposted``."""
    meant = {(c.path, c.qualname) for c in plan.comments}
    return replace(
        plan,
        comments=(),
        unposted=tuple(r for r in results if (r.target.path, r.target.qualname) in meant),
    )


def review_body(count: int) -> str:
    """The review's own text for ``count`` suggestion comments."""
    noun = "docstring" if count == 1 else "docstrings"
    text = f"**docbot** suggests {count} {noun} for definitions this pull request adds or changes."
    return text + " The summary comment lists every target."


def review_payload(
    report: ReportLike,
    diffs: Sequence[FileDiff],
    *,
    commit_id: str | None = None,
    posted: frozenset[tuple[str, str]] = frozenset(),
    max_suggestions: int | None = None,
) -> dict[str, Any]:
    """The body of ``POST /repos/{owner}/{repo}/pulls/{n}/reviews`` for a run's report.

    What ``docbot dry-run --format review`` prints; the Action posts the same comments.
    """
    plan = plan_review(report.results, diffs, posted=posted, max_suggestions=max_suggestions)
    return plan_payload(plan, commit_id=commit_id)


def plan_payload(plan: ReviewPlan, *, commit_id: str | None = None) -> dict[str, Any]:
    """The review body for exactly the plan's comments (``commit_id`` left out when None)."""
    payload: dict[str, Any] = {"commit_id": commit_id} if commit_id else {}
    payload["event"] = "COMMENT"
    payload["body"] = review_body(len(plan.comments))
    payload["comments"] = [c.to_api() for c in plan.comments]
    return payload
