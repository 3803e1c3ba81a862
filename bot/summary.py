"""The sticky summary comment and the job summary: every target of a run, in markdown.

Pure, like ``review.py``: outside text reaches the markdown only through ``bot.inert``;
each summary is cut to GitHub's limit, and the comment ends with the state trailer that
tells a re-run whether anything changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TypeVar

from bot.inert import cell, code_span
from bot.model import Result, Skip, Status
from bot.review import COMMENT_LIMIT, ReportLike, ReviewPlan, fence

SUMMARY_MARKER = "<!-- docbot:summary"
"""Starts the sticky summary's last line (its trailer), which holds the state digest."""
JOB_SUMMARY_LIMIT = 1024 * 1024
"""GitHub takes at most 1 MiB (UTF-8 bytes) of job summary per step."""
T = TypeVar("T")
_SUMMARY_TRAILER = re.compile(r"(?:\A|\n)(<!-- docbot:summary state=[0-9a-f]{16} -->)\s*\Z")
_SUMMARY_HEAD = re.compile(r"\A(<!-- docbot:summary state=[0-9a-f]{16} -->)\r?\n")
"""Where summaries written before the marker moved to the end carry it: their first line."""


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
    rows += sorted(report.notes)
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
    """Totals, the table of targets, off-diff docstrings, the over-cap list, skips, notes.

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
    if report.notes:
        notes = _cut(report.notes, max_items)
        parts += ["", f"Notes ({len(report.notes)}):", ""]
        parts += [f"- {code_span(note)}" for note in notes] + _more(report.notes, max_items)
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
