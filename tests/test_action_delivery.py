"""``delivery: commit | pull-request`` end to end, as the runner starts the Action, on a fake GitHub.

The fixture pull request (tests/data/action_pr) has 23 targets in four files.  What a
commit must hold is fixed independently: the same run in review mode, its suggestion
comments applied the way GitHub applies them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.action_delivery import delivery_line
from bot.delivery import Delivery
from bot.suggest import check_safe
from tests.fakes.github import FakeGitHub, Request
from tests.fakes.github_action import ActionRun, open_fixture_pull, push, run_docbot, tree
from tests.test_action_e2e import apply_like_github

FILES = {"shop/api.py", "shop/geometry.py", "shop/orders.py", "shop/util.py"}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub(page_size=3) as server:
        yield server


def reviewed_tree(tmp_path: Path, version: str = "head1") -> dict[str, str]:
    """The head tree with every review suggestion committed through GitHub's button."""
    with FakeGitHub() as other:
        open_fixture_pull(other)
        if version != "head1":
            push(other, 12, version)
        assert run_docbot(other, tmp_path / "review").code == 0
        files = dict(other.trees[other.pulls[12].head])
        by_path: dict[str, list[dict[str, object]]] = {}
        for comment in other.pulls[12].review_comments:
            by_path.setdefault(str(comment["path"]), []).append(comment)
    return {**files, **{p: apply_like_github(files[p], cs) for p, cs in by_path.items()}}


def _writes(run: ActionRun) -> list[tuple[str, str]]:
    return [(w.method, _shape(w)) for w in run.writes]


def _shape(request: Request) -> str:
    parts = request.path.split("/")[4:]
    return "/".join("N" if p.isdigit() else p for p in parts)


def _documented(source: str) -> set[str]:
    return {
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and ast.get_docstring(node)
    }


def test_one_commit_holds_exactly_the_suggested_docstrings(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    _, head = open_fixture_pull(fake)
    run = run_docbot(fake, tmp_path, inputs={"delivery": "commit"})
    assert run.code == 0, run.stdout
    commit = fake.refs["feature"]
    assert commit != head and fake.parents[commit] == [head]
    assert fake.pulls[12].head == commit  # the pull request's branch moved, fast forward
    assert fake.trees[commit] == reviewed_tree(tmp_path)
    changed = {p for p, text in fake.trees[commit].items() if tree("head1").get(p) != text}
    assert changed == FILES
    for path in changed:
        check_safe(tree("head1")[path], fake.trees[commit][path])
    # One tree (texts inline), one commit, one fast-forward update, one summary comment.
    assert _writes(run) == [
        ("POST", "git/trees"),
        ("POST", "git/commits"),
        ("PATCH", "git/refs/heads/feature"),
        ("POST", "issues/N/comments"),
    ]
    assert run.writes[2].body == {"sha": commit, "force": False}
    summary = fake.pulls[12].issue_comments[0]["body"]
    assert f"Committed 23 docstrings to `feature` as [`{commit[:7]}`](" in summary
    assert summary.count("| suggested (delivered) |") == 23
    assert fake.pulls[12].reviews == []
    assert run.outputs["delivery-url"].endswith(f"/commit/{commit}")
    assert run.outputs["review-url"] == ""


def test_a_rerun_makes_no_second_commit(fake: FakeGitHub, tmp_path: Path) -> None:
    open_fixture_pull(fake)
    first = run_docbot(fake, tmp_path, inputs={"delivery": "commit"})
    commit = fake.refs["feature"]
    second = run_docbot(fake, tmp_path, inputs={"delivery": "commit"})
    third = run_docbot(fake, tmp_path, inputs={"delivery": "commit"})
    assert first.code == second.code == third.code == 0
    assert fake.refs["feature"] == commit
    assert second.outputs["targets"] == "0"
    assert _writes(second) == [("PATCH", "issues/comments/N")]  # the summary: 0 targets now
    assert third.writes == []


def test_a_branch_that_moved_meanwhile_refuses_the_commit_and_gets_a_review(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)

    def author_pushes(request: Request) -> None:
        if request.method == "POST" and request.path.endswith("/git/commits"):
            fake.move_branch("feature", fake.commit(tree("head1") | {"NOTES": "x\n"}, pushed))

    pushed = fake.pulls[12].head
    fake.on_request = author_pushes
    run = run_docbot(fake, tmp_path, inputs={"delivery": "commit"})
    fake.on_request = None
    assert run.code == 0, run.stdout
    refused = [r for r in run.requests if r.method == "PATCH" and "/git/refs/" in r.path]
    assert [r.status for r in refused] == [422]
    assert fake.trees[fake.refs["feature"]]["NOTES"] == "x\n"  # the author's push stands
    assert len(fake.pulls[12].review_comments) == 23
    assert "it moved while docbot ran; posting a review instead" in run.summary
    (warning,) = run.commands("warning")
    assert "(422, not a fast forward)" in warning


def test_a_forks_pull_request_gets_a_review_or_with_a_read_only_token_the_job_summary(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake, head_repo="mona/widgets")
    target = run_docbot(fake, tmp_path, inputs={"delivery": "commit"})
    assert target.code == 0, target.stdout
    forbidden = [r for r in target.requests if r.status == 403]
    assert [(r.method, r.path) for r in forbidden] == [("POST", "/repos/mona/widgets/git/trees")]
    assert len(fake.pulls[12].review_comments) == 23
    assert (
        "GitHub refused writing a tree (403): the token cannot write to mona/widgets"
        in target.summary
    )
    assert "missing `contents: write`); posting a review instead" in target.summary

    open_fixture_pull(fake, 13, head_repo="mona/widgets")
    read_only = run_docbot(
        fake, tmp_path, number=13, inputs={"delivery": "commit", "github-token": "read-token"}
    )
    assert read_only.code == 0, read_only.stdout
    assert read_only.writes == []
    assert "the token could not write to the pull request" in read_only.summary
    assert read_only.summary.count("| suggested (below: not posted) |") == 23


def test_a_pull_request_into_the_authors_branch_kept_in_place(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    _, head = open_fixture_pull(fake)
    inputs = {"delivery": "pull-request"}
    first = run_docbot(fake, tmp_path, inputs=inputs)
    assert first.code == 0, first.stdout
    ours = fake.pulls[13]
    assert (ours.head_ref, ours.base_ref, ours.state) == ("docbot/12", "feature", "open")
    assert ours.title == "docbot: docstrings for #12"
    assert "### docbot: missing docstrings" in ours.body and "`Order.add`" in ours.body
    assert fake.parents[ours.head] == [head] and fake.refs["feature"] == head
    assert fake.trees[ours.head] == reviewed_tree(tmp_path)
    summary = fake.pulls[12].issue_comments[0]["body"]
    assert "23 docstrings in pull request [#13](" in summary
    assert first.outputs["delivery-url"].endswith("/pull/13")

    again = run_docbot(fake, tmp_path, inputs=inputs)
    assert again.writes == [] and len(fake.pulls) == 2

    push(fake, 12, "head2")
    newer = run_docbot(fake, tmp_path, inputs=inputs)
    assert len(fake.pulls) == 2 and fake.pulls[13].state == "open"
    assert fake.parents[fake.pulls[13].head] == [fake.pulls[12].head]
    assert fake.trees[fake.pulls[13].head] == reviewed_tree(tmp_path / "2", "head2")
    assert _writes(newer) == [
        ("POST", "git/trees"),
        ("POST", "git/commits"),
        ("PATCH", "git/refs/heads/docbot/N"),
        ("PATCH", "pulls/N"),
        ("PATCH", "issues/comments/N"),
    ]

    # The author documents everything (here: takes docbot's files): nothing is left.
    fake.move_branch("feature", fake.commit(fake.trees[fake.pulls[13].head], fake.pulls[12].head))
    last = run_docbot(fake, tmp_path, inputs=inputs)
    assert last.outputs["targets"] == "0"
    assert fake.pulls[13].state == "closed" and len(fake.pulls) == 2
    assert "closed pull request [#13](" in fake.pulls[12].issue_comments[0]["body"]


def _long_functions(count: int, *, changed: bool) -> str:
    """Functions whose ninth body line the head changes: their headers lie outside the hunk."""
    out = ['"""Long functions."""\n']
    for n in range(count):
        body = [f"    total_{k} = value + {k}\n" for k in range(12)]
        if changed:
            body[8] = "    total_8 = value * 8\n"
        out.append(
            f"\n\ndef long_{n}(value: int) -> int:\n" + "".join(body) + "    return total_0\n"
        )
    return "".join(out)


def _many_new(count: int) -> str:
    return '"""New helpers."""\n' + "".join(
        f"\n\ndef helper_{n}(item: str, times: int = {n}) -> str:\n    return item * times\n"
        for n in range(count)
    )


@pytest.mark.parametrize("delivery", ["commit", "pull-request"])
def test_more_than_fifty_targets_some_outside_the_hunks_are_all_delivered(
    fake: FakeGitHub, tmp_path: Path, delivery: str
) -> None:
    base = fake.commit({"pkg/long.py": _long_functions(12, changed=False)})
    files = {"pkg/long.py": _long_functions(12, changed=True), "pkg/new.py": _many_new(60)}
    fake.open_pull(12, base, fake.commit(files, base))
    inputs = {"delivery": delivery, "scope": "touched"}
    run = run_docbot(fake, tmp_path, inputs=inputs)
    assert run.code == 0, run.stdout
    assert run.outputs["targets"] == run.outputs["suggested"] == "72"
    made = fake.trees[fake.refs["feature" if delivery == "commit" else "docbot/12"]]
    for path, before in files.items():
        check_safe(before, made[path])
    assert _documented(made["pkg/long.py"]) == {f"long_{n}" for n in range(12)}
    assert _documented(made["pkg/new.py"]) == {f"helper_{n}" for n in range(60)}
    summary = fake.pulls[12].issue_comments[0]["body"]
    assert summary.count("| suggested (delivered) |") == 72
    assert "over `max-suggestions`" not in summary and "outside the diff" not in summary


def test_the_same_pull_request_as_a_review_caps_comments_and_lists_the_rest(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    base = fake.commit({"pkg/long.py": _long_functions(12, changed=False)})
    files = {"pkg/long.py": _long_functions(12, changed=True), "pkg/new.py": _many_new(60)}
    fake.open_pull(12, base, fake.commit(files, base))
    run = run_docbot(fake, tmp_path, inputs={"scope": "touched"})
    assert run.code == 0, run.stdout
    # 50 drafted (12 of them only in the summary: off the diff), 22 left for later pushes.
    assert len(fake.pulls[12].review_comments) == 38
    assert run.outputs["suggested"] == "50" and run.outputs["skipped"] == "22"
    summary = fake.pulls[12].issue_comments[0]["body"]
    assert "Docstrings for headers outside the diff (12)" in summary


@pytest.mark.parametrize(
    ("branch", "shown"),
    [
        ("feature", "`feature`"),
        ("a`b", "``a`b``"),
        ("`x``", "``` `x`` ```"),
        ("x](https://evil.invalid)", "`x](https://evil.invalid)`"),
    ],
)
def test_the_authors_branch_name_is_inert_in_the_summary(branch: str, shown: str) -> None:
    done = Delivery("commit", "committed", url="https://github.invalid/c/abc", sha="abc1234def")
    assert delivery_line(done, 2, branch) == (
        f"Committed 2 docstrings to {shown} as [`abc1234`](https://github.invalid/c/abc)."
    )


def test_a_forks_pull_request_in_pull_request_mode_gets_a_review(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake, head_repo="mona/widgets")
    # As the container starts it: ``python -m bot action`` in a process of its own.
    run = run_docbot(fake, tmp_path, inputs={"delivery": "pull-request"}, in_process=False)
    assert run.code == 0, run.stdout
    assert [r.status for r in run.requests if r.status == 403] == [403]
    assert len(fake.pulls) == 1 and len(fake.pulls[12].review_comments) == 23
