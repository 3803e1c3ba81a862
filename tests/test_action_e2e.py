"""The Action end to end, as the runner starts it, against a fake GitHub on 127.0.0.1.

The pull request is real code (tests/data/action_pr): 23 definitions without docstrings
across four files, with multi-line headers, decorators, one-liners, async code and a
nested class; a file under testing/ and a README change that docbot passes over.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.suggest import check_safe
from tests.fakes.github import FakeGitHub, commentable_lines, make_patch
from tests.fakes.github_action import ActionRun, open_fixture_pull, push, run_docbot, tree

NEW_IN_HEAD2 = {
    ("shop/geometry.py", "rotate"),
    ("shop/api.py", "Client.close"),
    ("shop/money.py", "to_cents"),
    ("shop/money.py", "format_price"),
}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    # In-process runs need not keep GitHub's one second between writes to a fake.
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    # The /api/v3 prefix is GitHub Enterprise Server's: GITHUB_API_URL must be honoured.
    with FakeGitHub(prefix="/api/v3", page_size=3) as server:
        yield server


def _suggestions(fake: FakeGitHub, number: int = 12) -> list[dict[str, object]]:
    return fake.pulls[number].review_comments


def _block(body: str) -> str:
    match = re.search(r"^(`{3,})suggestion\n(.*?)\n\1$", body, re.M | re.S)
    assert match, body
    return match.group(2)


def apply_like_github(source: str, comments: list[dict[str, object]]) -> str:
    """Commit every suggestion: lines start_line..line become the block's text."""
    lines = source.splitlines(keepends=True)
    spans = []
    for comment in comments:
        end = int(str(comment["line"]))
        start = int(str(comment.get("start_line") or end))
        spans.append((start, end, _block(str(comment["body"]))))
    for start, end, text in sorted(spans, reverse=True):
        lines[start - 1 : end] = [text + "\n"]
    return "".join(lines)


def _report(label: str, run: ActionRun) -> None:
    print(f"{label}: {len(run.requests)} API requests, {len(run.writes)} writes")


def test_one_review_puts_every_suggestion_on_a_line_of_the_diff(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path)
    _report("first run", run)
    assert run.code == 0, run.stdout
    reviews = fake.pulls[12].reviews
    assert [r["state"] for r in reviews] == ["COMMENTED"]
    comments = _suggestions(fake)
    assert len(comments) == 23
    assert [(w.method, w.path.rsplit("/", 1)[-1]) for w in run.writes] == [
        ("POST", "reviews"),
        ("POST", "comments"),
    ]
    for comment in comments:
        path = str(comment["path"])
        hunks = commentable_lines(make_patch(tree("base").get(path, ""), tree("head1")[path]))
        first, last = (
            int(str(comment.get("start_line") or comment["line"])),
            int(str(comment["line"])),
        )
        assert any(lo <= first and last <= hi for lo, hi in hunks), comment
    placed = {str(c["body"]).split("`")[1]: (c.get("start_line"), c["line"]) for c in comments}
    assert placed["Order.add"] == (25, 26)  # a two-line header
    assert placed["midpoint"] == (43, 46)  # a header broken over four lines
    assert placed["area_of_circle"] == (None, 29)  # the def line, not the decorator's
    assert placed["Point.norm"] == (None, 12)  # a one-liner
    assert run.outputs["targets"] == run.outputs["suggested"] == "23"
    assert run.outputs["review-url"].endswith(f"#pullrequestreview-{reviews[0]['id']}")
    assert "| `shop/orders.py` `Order.add` | 25 | suggested (review comment) |" in run.summary
    assert "`testing/builders.py`: `test file" in run.summary


def test_committing_every_suggestion_changes_nothing_but_docstrings(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    assert run_docbot(fake, tmp_path).code == 0
    head = tree("head1")
    by_path: dict[str, list[dict[str, object]]] = {}
    for comment in _suggestions(fake):
        by_path.setdefault(str(comment["path"]), []).append(comment)
    assert set(by_path) == {"shop/api.py", "shop/geometry.py", "shop/orders.py", "shop/util.py"}
    for path, comments in by_path.items():
        after = apply_like_github(head[path], comments)
        check_safe(head[path], after)  # parses; the AST without docstrings is unchanged
        documented = {
            node.name
            for node in ast.walk(ast.parse(after))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and ast.get_docstring(node)
        }
        for comment in comments:
            assert str(comment["body"]).split("`")[1].rsplit(".", 1)[-1] in documented


def test_reruns_post_only_what_is_new_and_edit_the_summary_in_place(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    first = run_docbot(fake, tmp_path, action="opened")
    summary_id = fake.pulls[12].issue_comments[0]["id"]
    push(fake, 12, "head2")  # four new definitions; Order.total gets a docstring
    second = run_docbot(fake, tmp_path, action="synchronize")
    third = run_docbot(fake, tmp_path, action="synchronize")
    for label, run in (("first", first), ("second", second), ("third", third)):
        _report(f"{label} run", run)
        assert run.code == 0, run.stdout
    new_review = fake.pulls[12].reviews[1]
    new = {
        (str(c["path"]), str(c["body"]).split("`")[1])
        for c in _suggestions(fake)
        if c["pull_request_review_id"] == new_review["id"]
    }
    assert new == NEW_IN_HEAD2
    assert [(w.method, w.path.rsplit("/", 1)[-1]) for w in second.writes] == [
        ("POST", "reviews"),
        ("PATCH", str(summary_id)),
    ]
    assert [c["id"] for c in fake.pulls[12].issue_comments] == [summary_id]
    assert "`Order.total`" not in fake.pulls[12].issue_comments[0]["body"]
    assert second.outputs["targets"] == "26"  # 23 - Order.total + 4 new
    assert third.writes == []
    assert len(fake.pulls[12].reviews) == 2
    assert third.outputs["review-url"] == ""


def test_a_forks_read_only_token_gets_the_job_summary_and_annotations(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake, head_repo="mona/widgets")
    run = run_docbot(fake, tmp_path, inputs={"github-token": "read-token"}, in_process=False)
    _report("fork run", run)
    assert run.code == 0, run.stdout
    assert run.writes == []
    assert [r.status for r in run.requests if r.is_write] == [403]
    (warning,) = run.commands("warning")
    assert "cannot write" in warning and "job summary" in warning
    # GitHub shows ten notices per step: nine suggestions and a pointer to the summary.
    notices = run.commands("notice")
    assert len(notices) == 10
    assert all(n.startswith("::notice file=shop/") for n in notices[:9])
    assert notices[9] == "::notice::docbot: 14 more suggested docstrings are in the job summary"
    assert "> the token could not write to the pull request" in run.summary
    # Nothing was posted: every docstring is in the job summary, none claims a comment.
    assert "| suggested (review comment) |" not in run.summary
    assert run.summary.count("| suggested (below: not posted) |") == 23
    assert "<summary>Suggested docstrings, not posted (23)</summary>" in run.summary
    assert "`shop/orders.py:25` `Order.add`\n\n```text\nAdd." in run.summary


def test_dry_run_posts_nothing(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, inputs={"dry-run": "true"})
    assert run.code == 0
    assert [r for r in run.requests if r.is_write] == []
    assert "> dry run: nothing was posted" in run.summary
    assert len(run.commands("notice file=")) == 9
    assert run.summary.count("| suggested (below: not posted) |") == 23


def test_workflow_dispatch_reviews_the_numbered_pull_request(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake, number=31)
    run = run_docbot(
        fake, tmp_path, event="workflow_dispatch", number=31, inputs={"pr-number": "31"},
        in_process=False,
    )  # fmt: skip
    _report("workflow_dispatch run", run)
    assert run.code == 0, run.stdout
    assert len(_suggestions(fake, 31)) == 23
    # The number may also come from the dispatch event's own inputs.
    push(fake, 31, "head2")
    again = run_docbot(fake, tmp_path, event="workflow_dispatch", number=31)
    assert again.code == 0, again.stdout
    assert len(_suggestions(fake, 31)) == 23 + len(NEW_IN_HEAD2)


def test_workflow_dispatch_without_a_number_says_so(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, event="workflow_dispatch", pr_number="")
    assert run.code == 2
    assert run.commands("error") == [
        "::error title=docbot::workflow_dispatch needs the pr-number input: "
        "the pull request to review"
    ]
    assert run.requests == []


def test_other_events_fail_with_a_clear_error(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, env={"GITHUB_EVENT_NAME": "push"})
    assert run.code == 2
    (error,) = run.commands("error")
    assert "pull_request, pull_request_target or workflow_dispatch, not 'push'" in error


@pytest.mark.parametrize("action", ["closed", "labeled", "edited"])
def test_other_pull_request_actions_do_nothing(
    fake: FakeGitHub, tmp_path: Path, action: str
) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, action=action)
    assert (run.code, run.requests) == (0, [])
    assert run.outputs["targets"] == "0"


def test_pull_request_target_is_reviewed_like_pull_request(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake, head_repo="mona/widgets")
    run = run_docbot(fake, tmp_path, event="pull_request_target", action="opened")
    assert run.code == 0
    assert len(_suggestions(fake)) == 23


def test_drafts_wait_unless_asked(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake, draft=True)
    skipped = run_docbot(fake, tmp_path)
    assert skipped.code == 0
    assert "is a draft" in skipped.commands("notice")[0]
    assert [r for r in skipped.requests if r.is_write] == []
    asked = run_docbot(fake, tmp_path, inputs={"include-drafts": "true"})
    assert len(_suggestions(fake)) == 23, asked.stdout


def test_secrets_are_masked_before_anything_is_logged(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    run = run_docbot(
        fake,
        tmp_path,
        inputs={"openai-api-key": "sk-not-used-here", "redis-url": "redis://:pw@127.0.0.1:1/0"},
    )
    lines = run.stdout.splitlines()
    masks = [line for line in lines if line.startswith("::add-mask::")]
    assert lines[: len(masks)] == masks
    assert set(masks) >= {
        "::add-mask::write-token",
        "::add-mask::sk-not-used-here",
        "::add-mask::redis://:pw@127.0.0.1:1/0",
    }


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("error", 0), ("undocumented", 1)])
def test_fail_on_decides_the_exit_code(
    fake: FakeGitHub, tmp_path: Path, fail_on: str, code: int
) -> None:
    open_fixture_pull(fake)
    assert run_docbot(fake, tmp_path, inputs={"fail-on": fail_on}).code == code


def test_max_suggestions_caps_the_review_and_lists_the_rest(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, inputs={"max-suggestions": "5"})
    assert len(_suggestions(fake)) == 5
    # the rest are not even drafted: a cap saves money, not only comments
    assert "**23** targets: **5** suggested, **18** skipped" in run.summary
    assert run.summary.count("| skipped | `over max-suggestions (5)` |") == 18


def test_rate_limits_are_waited_out(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    fake.rate_limit_next(1, kind="secondary")
    fake.rate_limit_next(1, kind="429")
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert [r.status for r in run.requests[:3]] == [403, 429, 200]
    assert len(_suggestions(fake)) == 23


def test_invalid_inputs_fail_fast_naming_the_setting(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, inputs={"fail-on": "sometimes"})
    assert run.code == 2
    assert "setting fail_on" in run.commands("error")[0]


def test_the_azure_provider_end_to_end_with_its_cache(fake: FakeGitHub, tmp_path: Path) -> None:
    from tests.fakes.azure import KEY, FakeAzure

    open_fixture_pull(fake)
    inputs = {
        "provider": "azure",
        "azure-endpoint": "",
        "azure-deployment": "docs-4o",
        "azure-api-key": KEY,
        "cache-dir": ".docbot-cache",
    }
    with FakeAzure() as azure:
        inputs["azure-endpoint"] = azure.endpoint
        first = run_docbot(fake, tmp_path, inputs={**inputs, "dry-run": "true"})
        billed = len(azure.billed())
        second = run_docbot(fake, tmp_path, inputs=inputs)
        billed_again = len(azure.billed()) - billed
        push(fake, 12, "head2")
        third = run_docbot(fake, tmp_path, inputs=inputs)
    _report("azure run", first)
    assert first.code == second.code == third.code == 0, first.stdout
    assert billed >= 1
    assert float(first.outputs["cost-usd"]) > 0
    # The dry run posted nothing but paid for the answers: the next run reuses all of them.
    assert billed_again == 0
    assert second.outputs["cache-hits"] == "23"
    assert len(_suggestions(fake)) == 23 + len(NEW_IN_HEAD2)
    # Suggestions already on the pull request are neither drafted nor paid for again.
    assert third.outputs["cache-hits"] == "0"
    assert "| `shop/util.py` `clamp` | 11 | suggested (review comment) |" in third.summary
    assert (tmp_path / "workspace/.docbot-cache").is_dir()
    for run in (first, second, third):
        assert run.stdout.count(KEY) == 1  # only in its ::add-mask:: line
        assert KEY not in run.summary


def test_a_file_whose_patch_github_omits_is_reviewed_all_the_same(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    fake.omit_patch.add("shop/geometry.py")
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert sum(c["path"] == "shop/geometry.py" for c in _suggestions(fake)) == 9


def test_a_comment_github_refuses_costs_only_itself(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    fake.refuse_lines.add(("shop/orders.py", 26))  # Order.add's header ends there
    run = run_docbot(fake, tmp_path)
    _report("run with one refused comment", run)
    assert run.code == 0, run.stdout
    assert [r["state"] for r in fake.pulls[12].reviews] == ["COMMENTED"]
    posted = {str(c["body"]).split("`")[1] for c in _suggestions(fake)}
    assert len(posted) == 22 and "Order.add" not in posted
    assert "GitHub refused 1 comments" in run.commands("warning")[0]
    summary = fake.pulls[12].issue_comments[0]["body"]
    assert (
        "`shop/orders.py` `Order.add` | 25 | suggested (below: GitHub refused the comment)"
        in summary
    )
    assert "`shop/orders.py:25` `Order.add`\n\n```text\nAdd." in summary


def test_a_push_between_reading_and_posting_still_lands_on_the_commit_that_was_read(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    # GitHub takes a review whose commit_id is an earlier head of the pull request: its
    # lines are those of that commit's diff (the comments may show as outdated).
    from bot.github import GitHubPR
    from bot.review import ReviewComment

    _, head = open_fixture_pull(fake)
    github = GitHubPR(token="write-token", repo=fake.repo, number=12, base_url=fake.base_url)
    info = github.info()
    push(fake, 12, "head2")
    comment = ReviewComment("shop/orders.py", "Order.add", 26, 25, "```suggestion\nx\n```")
    posted = github.post_review([comment], head_sha=info.head_sha)
    assert posted.refused == () and posted.url
    (review,) = fake.pulls[12].reviews
    assert review["commit_id"] == head == info.head_sha
    assert fake.pulls[12].review_comments[0]["commit_id"] == head


def test_a_dispatch_whose_payload_has_null_inputs_takes_the_action_input(tmp_path: Path) -> None:
    import json

    from bot.action import resolve_event
    from bot.errors import ConfigError

    event = tmp_path / "event.json"
    event.write_text(json.dumps({"inputs": None, "ref": "refs/heads/main"}))
    env = {"GITHUB_EVENT_NAME": "workflow_dispatch", "GITHUB_EVENT_PATH": str(event)}
    assert resolve_event(env, {"pr-number": "31"}).number == 31
    with pytest.raises(ConfigError, match="needs the pr-number input"):
        resolve_event(env, {})


def test_a_pending_review_left_by_an_interrupted_run_is_cleared_first(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    # GitHub: "User can only have one pending review per pull request" refuses every new
    # review, submitted or not, while the token's own pending review exists.
    _, head = open_fixture_pull(fake)
    stale = {
        "id": 7,
        "state": "PENDING",
        "body": "",
        "commit_id": head,
        "html_url": "https://github.invalid/x",
        "pull_request_url": fake.url(f"/repos/{fake.repo}/pulls/12"),
        "user": {"login": "github-actions[bot]"},
    }
    fake.pulls[12].reviews.append(stale)
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert [r["state"] for r in fake.pulls[12].reviews] == ["COMMENTED"]
    assert len(_suggestions(fake)) == 23
    assert [(w.method, w.path.rsplit("/", 2)[-2:]) for w in run.writes][:2] == [
        ("DELETE", ["reviews", "7"]),
        ("POST", ["12", "reviews"]),
    ]


def test_annotations_stay_within_the_ten_github_shows_per_kind_and_step() -> None:
    import io
    from dataclasses import replace

    from bot.action import _annotate
    from bot.workflow import Workflow
    from tests.test_review import FAILED

    failed = tuple(
        replace(FAILED, target=replace(FAILED.target, qualname=f"f{n}")) for n in range(12)
    )
    out = io.StringIO()
    flow = Workflow({}, out)
    flow.warning("docbot: redis is unreachable")  # an earlier warning of the same step
    _annotate(flow, failed)
    warnings = [line for line in out.getvalue().splitlines() if line.startswith("::warning")]
    assert len(warnings) == 10
    assert warnings[-1] == "::warning::docbot: 4 more failed targets are in the job summary"
    assert flow.annotations["warning"] == 10


STALE_BASE = '''"""The shop's HTTP client."""


class Client:
    """Talks to the shop's server."""

    def get(self, path):
        """Fetch one resource.

        :param path: Where it lives on the server.
        :returns: The decoded body.
        """
        return self._send("GET", path)

    def _send(self, method, path, timeout=None):
        return method, path, timeout
'''
STALE_HEAD = STALE_BASE.replace("def get(self, path):", "def get(self, path, timeout=10):").replace(
    'self._send("GET", path)', 'self._send("GET", path, timeout)'
)


def test_a_parameter_added_to_a_documented_method_gets_one_suggestion_that_fixes_it(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    from bot.targets import TargetOptions, scan

    base = fake.commit({"shop/client.py": STALE_BASE})
    fake.open_pull(14, base, fake.commit({"shop/client.py": STALE_HEAD}, base))
    first = run_docbot(fake, tmp_path, number=14, action="opened")
    assert first.code == 0, first.stdout
    (comment,) = _suggestions(fake, 14)
    assert str(comment["body"]).startswith(
        "**docbot**: `Client.get`'s docstring went stale: `timeout` was added to the signature;"
        " the docstring does not mention it. One click fixes it:"
    )
    assert (comment.get("start_line"), comment["line"]) == (None, 10)
    committed = apply_like_github(STALE_HEAD, [comment])
    check_safe(STALE_HEAD, committed)
    assert committed == STALE_HEAD.replace(
        "        :param path: Where it lives on the server.\n",
        "        :param path: Where it lives on the server.\n"
        "        :param timeout: The timeout. Defaults to ``10``.\n",
    )
    everything = frozenset(range(1, committed.count("\n") + 2))
    assert (
        scan("shop/client.py", committed, everything, TargetOptions(problems=("stale",))).targets
        == ()
    )
    again = run_docbot(fake, tmp_path, number=14, action="synchronize")
    assert again.code == 0, again.stdout
    assert again.writes == []
    assert len(_suggestions(fake, 14)) == 1
