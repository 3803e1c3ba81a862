"""The GitHub review a run posts, and the summaries, built as plain data and markdown.

Pure: takes the pipeline's results and the PR's diffs, returns the review payload and
markdown.  ``github.py`` sends them; ``action.py`` decides when.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from bot.inert import cell, code_span, marker_field, marker_value
from bot.model import FileDiff, Result, Skip, Status, Suggestion, TargetKind, Usage
from bot.stale import documented_names, in_words

SUMMARY_MARKER = "<!-- docbot:summary"
"""Starts the sticky summary's last line (its trailer), which holds the state digest."""
COMMENT_LIMIT = 65_536
"""GitHub refuses comment bodies longer than this many characters."""
JOB_SUMMARY_LIMIT = 1024 * 1024
"""GitHub takes at most 1 MiB (UTF-8 bytes) of job summary per step."""
T = TypeVar("T")
# Only a trailer counts: the body's last line, fields percent-encoded (``marker_field``),
# so text inside a body (a docstring quoting a marker, a file name) can neither forge nor
# end one.  Who wrote the comment is checked by the caller (``github.py``).
_FIELD = r"([A-Za-z0-9%._/-]*)"
_SUGGESTION_MARKER = re.compile(
    rf"(?:\A|\n)<!-- docbot:suggestion path={_FIELD} qualname={_FIELD} -->\s*\Z"
)
_SUMMARY_TRAILER = re.compile(r"(?:\A|\n)(<!-- docbot:summary state=[0-9a-f]{16} -->)\s*\Z")
_SUMMARY_HEAD = re.compile(r"\A(<!-- docbot:summary state=[0-9a-f]{16} -->)\r?\n")
"""Where summaries written before the marker moved to the end carry it: their first line."""


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
        said = in_words(target.findings, expected)
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


def summary_comment(report: ReportLike, plan: ReviewPlan, *, limit: int = COMMENT_LIMIT) -> str:
    """The sticky PR comment: the same table as the job summary, then the marker.

    Its last line (the trailer) carries a digest of the pull request's state (each
    target, where it stands, why), not of the run's spending, so a re-run with nothing
    new leaves the comment alone (``summary_state``).  Lists are shortened until the
    text fits GitHub's comment size.
    """
    trailer = f"{SUMMARY_MARKER} state={_state_digest(report, plan)} -->"
    return _fitting(report, plan, limit - len(trailer)) + trailer


def summary_state(body: str) -> str | None:
    """A summary comment's marker line (equal lines: an equal pull-request state), or None.

    Only a trailer counts, or the first line of a summary written before trailers.
    """
    found = _SUMMARY_TRAILER.search(body) or _SUMMARY_HEAD.match(body)
    return found.group(1) if found else None


def _state_digest(report: ReportLike, plan: ReviewPlan) -> str:
    where = _placement(plan)
    rows = sorted(
        f"{r.target.path}\0{r.target.qualname}\0{r.status.value}\0{r.reason or ''}\0"
        f"{where.get((r.target.path, r.target.qualname), '')}"
        for r in report.results
    )
    rows += sorted(f"{s.path}\0{s.reason}" for s in report.skips)
    rows += sorted(f"{r.target.path}\0{r.target.qualname}\0too long" for r in plan.too_long)
    rows += [plan.delivery] if plan.delivery else []
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def job_summary(report: ReportLike, plan: ReviewPlan, *, note: str = "") -> str:
    """The job summary (``GITHUB_STEP_SUMMARY``): a note on what was posted, then the table."""
    lead = f"> {note}\n\n" if note else ""
    return lead + _fitting(report, plan, JOB_SUMMARY_LIMIT - _size(lead, True), in_bytes=True)


def _size(text: str, in_bytes: bool) -> int:
    return len(text.encode("utf-8")) if in_bytes else len(text)


def _fitting(report: ReportLike, plan: ReviewPlan, limit: int, *, in_bytes: bool = False) -> str:
    """The summary, lists shortened until it is at most ``limit`` characters (or bytes)."""
    for max_items in (None, 1000, 300, 100, 30, 0):
        text = summary_markdown(report, plan, max_items=max_items)
        if _size(text, in_bytes) <= limit:
            return text
    if not in_bytes:
        return text[: limit - 2] + "…\n"
    # "…\n" is four bytes; a character cut in half is dropped.
    return text.encode("utf-8")[: limit - 4].decode("utf-8", errors="ignore") + "…\n"


def summary_markdown(report: ReportLike, plan: ReviewPlan, *, max_items: int | None = None) -> str:
    """Totals, the table of targets, off-diff docstrings, the over-cap list and skips.

    ``max_items`` shortens each list to that many entries, saying how many were left out.
    """
    parts = ["### docbot: missing docstrings", "", _totals(report)]
    if plan.delivery:
        parts += ["", plan.delivery]
    if report.results:
        parts += [
            "",
            _table(_cut(report.results, max_items), plan),
            *_more(report.results, max_items),
        ]
    if plan.unposted:
        title = "Suggested docstrings, not posted"
        parts += ["", _off_diff_section(_cut(plan.unposted, max_items), title=title)]
        parts += _more(plan.unposted, max_items)
    shown_below = plan.off_diff + plan.refused + plan.too_long
    if shown_below:
        parts += ["", _off_diff_section(_cut(shown_below, max_items))]
        parts += _more(shown_below, max_items)
    if plan.over_cap:
        parts += ["", _over_cap_section(_cut(plan.over_cap, max_items))]
        parts += _more(plan.over_cap, max_items)
    if report.skips:
        parts += [
            "",
            _skips_section(_cut(report.skips, max_items)),
            *_more(report.skips, max_items),
        ]
    return "\n".join(parts) + "\n"


def _cut(items: Sequence[T], max_items: int | None) -> Sequence[T]:
    return items if max_items is None else items[:max_items]


def _more(items: Sequence[object], max_items: int | None) -> list[str]:
    if max_items is None or len(items) <= max_items:
        return []
    return ["", f"… and {len(items) - max_items} more; the job summary lists them all."]


def _totals(report: ReportLike) -> str:
    results = report.results
    count = {status: sum(r.status is status for r in results) for status in Status}
    usage = report.usage
    tokens = usage.prompt_tokens + usage.completion_tokens
    return (
        f"**{len(results)}** targets: **{count[Status.SUGGESTED]}** suggested, "
        f"**{count[Status.SKIPPED]}** skipped, **{count[Status.FAILED]}** failed · "
        f"{usage.llm_requests} LLM requests · {tokens} tokens "
        f"({usage.cached_prompt_tokens} cached prompt) · "
        f"{usage.cache_hits} cache hits · ${usage.cost_usd:.4f}"
    )


def _table(results: Sequence[Result], plan: ReviewPlan) -> str:
    where = _placement(plan)
    rows = [
        "| Target | Line | Status | Reason | Tokens | Cost | Cache |",
        "|---|---:|---|---|---:|---:|---|",
    ]
    for result in results:
        target, usage = result.target, result.usage
        key = (target.path, target.qualname)
        status = result.status.value
        if result.status is Status.SUGGESTED:
            status += f" ({where.get(key, 'review comment')})"
        stale = " (stale docstring)" if target.problem == "stale" else ""
        rows.append(
            f"| {cell(target.path)} {cell(target.qualname)}{stale} | {target.line} | {status} "
            f"| {cell(result.reason) if result.reason else ''} "
            f"| {usage.prompt_tokens + usage.completion_tokens} "
            f"| ${usage.cost_usd:.4f} | {'hit' if usage.cache_hits else ''} |"
        )
    return "\n".join(rows)


def _placement(plan: ReviewPlan) -> dict[tuple[str, str], str]:
    where: dict[tuple[str, str], str] = {}
    for result in plan.off_diff:
        where[(result.target.path, result.target.qualname)] = "below: header not on a diff line"
    for result in plan.refused:
        where[(result.target.path, result.target.qualname)] = "below: GitHub refused the comment"
    for result in plan.over_cap:
        where[(result.target.path, result.target.qualname)] = "below: over max-suggestions"
    for result in plan.unposted:
        where[(result.target.path, result.target.qualname)] = "below: not posted"
    for result in plan.too_long:
        where[(result.target.path, result.target.qualname)] = "below: too long for a comment"
    for result in plan.delivered:
        where[(result.target.path, result.target.qualname)] = "delivered"
    return where


def _off_diff_section(
    results: Sequence[Result], *, title: str = "Docstrings for headers outside the diff"
) -> str:
    lines = [f"<details><summary>{title} ({len(results)})</summary>", ""]
    for result in results:
        target = result.target
        stale = ", its stale docstring repaired" if target.problem == "stale" else ""
        lines += [
            f"{code_span(f'{target.path}:{target.line}')} {code_span(target.qualname)}{stale}",
            "",
        ]
        lines += [fence(result.docstring or "", info="text"), ""]
    lines.append("</details>")
    return "\n".join(lines)


def _over_cap_section(results: Sequence[Result]) -> str:
    lines = [f"Not posted, over `max-suggestions` ({len(results)}):", ""]
    lines += [
        f"- {code_span(f'{r.target.path}:{r.target.line}')} {code_span(r.target.qualname)}"
        for r in results
    ]
    return "\n".join(lines)


def _skips_section(skips: Sequence[Skip]) -> str:
    lines = [f"Passed over ({len(skips)}):", ""]
    for skip in skips:
        where = skip.path + (f":{skip.line}" if skip.line else "")
        name = f" {code_span(skip.qualname)}" if skip.qualname else ""
        lines.append(f"- {code_span(where)}{name}: {code_span(skip.reason)}")
    return "\n".join(lines)
