"""The review payload and summaries: header-line comments, markers, fences, caps, off-diff."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.model import FileDiff, Result, Skip, Status, Suggestion, Target, TargetKind, Usage
from bot.review import (
    COMMENT_LIMIT,
    colon_line_only,
    comment_body,
    fence,
    parse_marker,
    plan_review,
    refuse,
    review_payload,
    unpost,
)
from bot.summary import (
    JOB_SUMMARY_LIMIT,
    SUMMARY_MARKER,
    job_summary,
    summary_comment,
    summary_state,
)

GOLDEN = Path(__file__).parent / "data" / "review"

# geometry.py after the change; the diff adds lines 4-11 (hunk 1-11) and 18-19 (hunk 16-19).
GEOMETRY = """\
import functools


@functools.cache
def area(width: float,
         height: float) -> float:
    return width * height


class Shape:
    def scale(self, k): return k


def untouched():
    return 0


def perimeter(w, h):
    return 2 * (w + h)
"""
DIFF = FileDiff(
    "geometry.py",
    None,
    "modified",
    frozenset({4, 5, 6, 7, 8, 9, 10, 11, 18, 19}),
    ((1, 11), (16, 19)),
)

NO_USAGE = Usage()


def _result(
    qualname: str,
    kind: TargetKind,
    line: int,
    header_end: int,
    docstring: str,
    indent: str = "    ",
    *,
    status: Status = Status.SUGGESTED,
    reason: str | None = None,
    usage: Usage = NO_USAGE,
) -> Result:
    lines = GEOMETRY.splitlines()
    header = "\n".join(lines[line - 1 : header_end])
    target = Target(
        path="geometry.py",
        qualname=qualname,
        kind=kind,
        line=line,
        end_line=header_end + 1,
        header_end=header_end,
        body_indent=indent,
        one_liner=False,
    )
    if status is not Status.SUGGESTED:
        return Result(target, status, reason, usage=usage)
    replacement = f'{header}\n{indent}"""{docstring}"""'
    suggestion = Suggestion("geometry.py", line, header_end, replacement)
    return Result(target, status, reason, docstring, suggestion, usage)


AREA = _result("area", TargetKind.FUNCTION, 5, 6, "Return the area of a rectangle.")
SHAPE = _result("Shape", TargetKind.CLASS, 10, 10, "A plane figure.")
SCALE = _result(
    "Shape.scale",
    TargetKind.METHOD,
    11,
    11,
    "Scale by ``k``.",
    "        ",
    usage=Usage(llm_requests=1, prompt_tokens=310, completion_tokens=42, cost_usd=0.00112),
)
UNTOUCHED = _result("untouched", TargetKind.FUNCTION, 14, 14, "Return zero.")
PERIMETER = _result("perimeter", TargetKind.FUNCTION, 18, 18, "Return the perimeter.")
FAILED = _result(
    "Shape.grow", TargetKind.METHOD, 11, 11, "", status=Status.FAILED, reason="the model timed out"
)


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    skips: tuple[Skip, ...] = ()
    usage: Usage = NO_USAGE
    notes: tuple[str, ...] = ()


@pytest.mark.parametrize(
    ("text", "ticks"),
    [
        ("def f():\n    pass", 3),
        ("x = '``'", 3),
        ('"""Run ``` inside."""', 4),
        ("a ````` b ``` c", 6),
    ],
)
def test_fence_is_longer_than_any_backtick_run_inside(text: str, ticks: int) -> None:
    fenced = fence(text, info="suggestion")
    assert fenced == f"{'`' * ticks}suggestion\n{text}\n{'`' * ticks}"


def test_a_comment_holds_the_suggestion_block_and_the_marker() -> None:
    body = comment_body(AREA)
    assert "```suggestion\n@functools.cache" not in body  # the decorator is not replaced
    assert (
        "```suggestion\ndef area(width: float,\n         height: float) -> float:\n"
        '    """Return the area of a rectangle."""\n```'
    ) in body
    assert parse_marker(body) == ("geometry.py", "area")


def test_markers_of_other_bots_and_paths_with_spaces() -> None:
    assert parse_marker("LGTM <!-- other:bot path=a.py -->") is None
    body = comment_body(replace(AREA, target=replace(AREA.target, path="my pkg/geo metry.py")))
    assert parse_marker(body) == ("my pkg/geo metry.py", "area")


def test_crlf_files_get_plain_newlines_in_the_block() -> None:
    crlf = replace(
        AREA, suggestion=Suggestion("geometry.py", 5, 6, "def area(w,\r\n  h):\r\n    'x'")
    )
    assert "def area(w,\n  h):\n    'x'" in comment_body(crlf)


def test_single_and_multi_line_headers_get_line_and_start_line() -> None:
    plan = plan_review([AREA, SHAPE, SCALE], [DIFF])
    placed = {c.qualname: (c.start_line, c.line) for c in plan.comments}
    assert placed == {"area": (5, 6), "Shape": (None, 10), "Shape.scale": (None, 11)}
    multi = plan.comments[0].to_api()
    assert multi == {
        "path": "geometry.py",
        "line": 6,
        "side": "RIGHT",
        "start_line": 5,
        "start_side": "RIGHT",
        "body": comment_body(AREA),
    }
    assert "start_line" not in plan.comments[1].to_api()


def test_headers_off_the_diff_go_to_the_summary() -> None:
    spans_gap = replace(
        PERIMETER, suggestion=replace(PERIMETER.suggestion, start_line=10, end_line=18)
    )
    plan = plan_review([UNTOUCHED, spans_gap, PERIMETER], [DIFF])
    assert [c.qualname for c in plan.comments] == ["perimeter"]
    assert [r.target.qualname for r in plan.off_diff] == ["untouched", "perimeter"]
    unknown_file = replace(AREA, suggestion=replace(AREA.suggestion, path="other.py"))
    assert plan_review([unknown_file], [DIFF]).off_diff == (unknown_file,)


def test_only_suggested_results_are_commented() -> None:
    plan = plan_review([FAILED, AREA], [DIFF])
    assert [c.qualname for c in plan.comments] == ["area"]


def test_suggestions_already_on_the_pull_request_are_not_posted_again() -> None:
    plan = plan_review([AREA, SHAPE], [DIFF], posted=frozenset({("geometry.py", "area")}))
    assert [c.qualname for c in plan.comments] == ["Shape"]
    assert plan.already_posted == (AREA,)


@pytest.mark.parametrize(("cap", "posted"), [(0, 0), (2, 2), (3, 3), (None, 3)])
def test_max_suggestions_caps_the_comments(cap: int | None, posted: int) -> None:
    plan = plan_review([AREA, SHAPE, SCALE], [DIFF], max_suggestions=cap)
    assert len(plan.comments) == posted
    assert len(plan.over_cap) == 3 - posted


def test_refused_comments_move_to_the_summary() -> None:
    plan = plan_review([AREA, SHAPE], [DIFF])
    after = refuse(plan, [plan.comments[0]], [AREA, SHAPE])
    assert [c.qualname for c in after.comments] == ["Shape"]
    assert after.refused == (AREA,)
    assert "Return the area of a rectangle." in summary_comment(Report((AREA, SHAPE)), after)


def test_the_payload_is_one_comment_review_at_the_head() -> None:
    payload = review_payload(Report((AREA, FAILED, SHAPE)), [DIFF], commit_id="abc123")
    assert payload["event"] == "COMMENT"
    assert payload["commit_id"] == "abc123"
    assert payload["body"].startswith("**docbot** suggests 2 docstrings")
    assert [c["line"] for c in payload["comments"]] == [6, 10]
    assert "commit_id" not in review_payload(Report((AREA,)), [DIFF])


def _golden_report() -> Report:
    return Report(
        (AREA, SHAPE, FAILED, SCALE, UNTOUCHED, PERIMETER),
        (Skip("broken.py", "does not parse: line 3: invalid syntax"),),
        Usage(llm_requests=1, prompt_tokens=310, completion_tokens=42, cost_usd=0.00112),
    )


def test_summary_comment_matches_the_golden_file() -> None:
    report = _golden_report()
    plan = plan_review(report.results, [DIFF], max_suggestions=3)
    text = summary_comment(report, plan)
    assert text.rsplit("\n", 1)[-1].startswith(SUMMARY_MARKER + " state=")
    assert text == (GOLDEN / "summary.md").read_text(encoding="utf-8")


def test_the_summary_describes_state_so_a_rerun_renders_the_same_text() -> None:
    report = _golden_report()
    first = plan_review(report.results, [DIFF])
    again = plan_review(
        report.results, [DIFF], posted=frozenset((c.path, c.qualname) for c in first.comments)
    )
    assert summary_comment(report, first) == summary_comment(report, again)


def test_job_summary_leads_with_the_note_and_has_no_marker() -> None:
    report = _golden_report()
    text = job_summary(report, plan_review(report.results, [DIFF]), note="dry run: nothing posted")
    assert text.startswith("> dry run: nothing posted\n\n### docbot")
    assert SUMMARY_MARKER not in text
    assert "| `geometry.py` `Shape.scale` | 11 | suggested (review comment) |" in text


def test_table_cells_escape_pipes_and_newlines() -> None:
    odd = replace(FAILED, reason="bad | answer\nfrom model")
    text = summary_comment(Report((odd,)), plan_review([odd], [DIFF]))
    assert "| `bad \\| answer from model` |" in text


def test_a_huge_summary_is_shortened_to_fit_a_github_comment() -> None:
    many = tuple(
        replace(SCALE, target=replace(SCALE.target, qualname=f"Shape.scale_{n}", line=n))
        for n in range(3000)
    )
    report = Report(many)
    text = summary_comment(report, plan_review(many, [DIFF]))
    assert len(text) <= COMMENT_LIMIT
    assert "Shape.scale_0`" in text
    assert re.search(r"… and \d+ more; the job summary lists them all\.", text)
    assert "Shape.scale_2999`" in job_summary(report, plan_review(many, [DIFF]))


def test_a_job_summary_fits_githubs_one_mib_in_bytes_not_characters() -> None:
    # GitHub caps a step's summary at 1 MiB; a docstring of non-ASCII text is
    # two or three bytes a character.
    wide = "€" * 2000  # 2,000 characters, 6,000 bytes
    many = tuple(
        replace(
            SCALE,
            target=replace(SCALE.target, qualname=f"Shape.scale_{n}", line=n),
            reason=wide,
            status=Status.FAILED,
        )
        for n in range(400)
    )
    report = Report(many)
    text = job_summary(report, plan_review(many, [DIFF]), note="ü" * 10)
    assert JOB_SUMMARY_LIMIT == 1024 * 1024
    assert len(text.encode("utf-8")) <= JOB_SUMMARY_LIMIT
    assert "Shape.scale_0`" in text


def test_when_nothing_is_posted_every_docstring_is_in_the_summary() -> None:
    report = Report((AREA, SHAPE, UNTOUCHED))
    plan = unpost(plan_review(report.results, [DIFF]), report.results)
    assert plan.comments == ()
    assert [r.target.qualname for r in plan.unposted] == ["area", "Shape"]
    text = job_summary(report, plan, note="dry run")
    assert "| `geometry.py` `area` | 5 | suggested (below: not posted) |" in text
    assert "<summary>Suggested docstrings, not posted (2)</summary>" in text
    assert "```text\nReturn the area of a rectangle.\n```" in text
    assert "below: header not on a diff line" in text  # untouched stays off-diff


def test_a_comment_past_githubs_body_limit_is_not_planned_but_shown_below() -> None:
    assert SCALE.suggestion is not None
    huge = replace(
        SCALE,
        suggestion=replace(SCALE.suggestion, replacement="x" * COMMENT_LIMIT),
    )
    plan = plan_review([AREA, huge], [DIFF])
    assert [c.qualname for c in plan.comments] == ["area"]
    assert plan.too_long == (huge,)
    text = summary_comment(Report((AREA, huge)), plan)
    assert "suggested (below: too long for a comment)" in text
    assert len(text) <= COMMENT_LIMIT


def test_a_header_whose_first_lines_are_off_the_hunk_gets_its_colon_line_alone() -> None:
    from bot.suggest import apply, suggest
    from bot.targets import TargetOptions, scan

    source = "def fetch(\n    url,\n    timeout,\n):\n    return url\n"
    (target,) = scan("net.py", source, frozenset({3}), TargetOptions()).targets
    full = suggest(target, source, "Fetch a URL.")
    result = Result(target, Status.SUGGESTED, suggestion=full)
    # The hunk starts at the added line 3: the `def` line cannot take the comment.
    diff = FileDiff("net.py", "net.py", "modified", frozenset({3}), ((3, 5),))
    (comment,) = plan_review([result], [diff]).comments
    assert (comment.start_line, comment.line) == (None, 4)
    narrowed = colon_line_only(result)
    assert narrowed is not None
    assert narrowed.replacement == '):\n    """Fetch a URL."""'
    assert apply(source, [narrowed]) == apply(source, [full])
    # A header wholly off the hunk still goes to the summary.
    off = FileDiff("net.py", "net.py", "modified", frozenset({3}), ((5, 5),))
    assert plan_review([result], [off]).off_diff == (result,)


def test_notes_are_listed_as_inert_text_and_change_the_state() -> None:
    plan = plan_review([AREA], [DIFF])
    plain = summary_comment(Report((AREA,)), plan)
    noted = Report((AREA,), notes=("lib.rs: could not be read <!-- @octocat",))
    text = summary_comment(noted, plan)
    assert "Notes (1):\n\n- `lib.rs: could not be read <!-- @octocat`" in text
    assert summary_state(text) != summary_state(plain)
