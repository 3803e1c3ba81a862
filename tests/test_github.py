"""The GitHub adapter against recorded-style answers (``responses``): reads, writes, limits."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import responses

from bot.errors import GitHubError
from bot.github import GitHubPR, Posted, WriteRefused
from bot.review import ReviewComment, suggestion_marker
from bot.summary import SUMMARY_MARKER
from tests.fakes.github import blob_sha, make_patch

# PyGithub names the port in every URL it requests; the mocks must match it.
API = "https://ghe.example.com:443/api/v3"
REPO = f"{API}/repos/octo/widgets"
BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
HEAD, BASE = "h" * 40, "b" * 40

OLD_CART = "class Cart:\n    pass\n"
NEW_CART = "class Cart:\n    pass\n\n\ndef total(items):\n    return sum(items)\n"
BIG = "".join(f"def f{i}(x):\n    return x\n\n\n" for i in range(3))


def _pull() -> dict[str, Any]:
    return {
        "number": 7,
        "url": f"{REPO}/pulls/7",
        "html_url": "https://ghe.example.com/octo/widgets/pull/7",
        "issue_url": f"{REPO}/issues/7",
        "title": "Totals",
        "state": "open",
        "draft": False,
        "head": {"sha": HEAD},
        "base": {"sha": BASE},
    }


def _file(name: str, status: str, new: str, old: str = "", **extra: Any) -> dict[str, Any]:
    item = {"filename": name, "status": status, "sha": blob_sha(new), "patch": make_patch(old, new)}
    item.update(extra)
    return item


def _blob(text: str) -> dict[str, Any]:
    content = base64.b64encode(text.encode()).decode()
    return {"sha": blob_sha(text), "encoding": "base64", "content": content}


def _adapter(**kwargs: Any) -> GitHubPR:
    waits: list[float] = kwargs.pop("waits", [])
    return GitHubPR(
        token="t0ken",
        repo="octo/widgets",
        number=7,
        base_url=API,
        sleep=waits.append,
        **kwargs,
    )


@responses.activate
def test_reads_metadata_and_paginated_files_from_an_enterprise_server() -> None:
    responses.get(f"{REPO}/pulls/7", json=_pull())
    page2 = f"{REPO}/pulls/7/files?page=2"
    responses.get(
        f"{REPO}/pulls/7/files",
        json=[
            _file("shop/cart.py", "modified", NEW_CART, OLD_CART),
            _file("README.md", "added", "hi\n"),
        ],
        headers={"Link": f'<{page2}>; rel="next", <{page2}>; rel="last"'},
        match=[responses.matchers.query_param_matcher({"per_page": "100"})],
    )
    responses.get(
        f"{REPO}/pulls/7/files",
        json=[
            _file("shop/gone.py", "removed", ""),
            _file(
                "shop/new_name.py", "renamed", NEW_CART, OLD_CART, previous_filename="shop/old.py"
            ),
        ],
        match=[responses.matchers.query_param_matcher({"page": "2"})],
    )
    responses.get(f"{REPO}/git/blobs/{blob_sha(NEW_CART)}", json=_blob(NEW_CART))
    github = _adapter()
    info = github.info()
    assert (info.head_sha, info.base_sha, info.draft) == (HEAD, BASE, False)
    change = github.change(info)
    assert [(d.path, d.old_path, d.status) for d in change.diffs] == [
        ("shop/cart.py", None, "modified"),
        ("shop/new_name.py", "shop/old.py", "renamed"),
    ]
    assert change.diffs[0].added == frozenset({3, 4, 5, 6})
    assert change.files == {"shop/cart.py": NEW_CART, "shop/new_name.py": NEW_CART}
    # one blob read serves both files with the same content
    assert sum("/git/blobs/" in c.request.url for c in responses.calls) == 1


@responses.activate
def test_a_file_whose_patch_github_omits_is_diffed_from_its_blobs() -> None:
    old = BIG.replace("def f1", "def g1")
    responses.get(f"{REPO}/pulls/7", json=_pull())
    omitted = _file("big.py", "modified", BIG, old)
    del omitted["patch"]
    responses.get(f"{REPO}/pulls/7/files", json=[omitted])
    responses.get(f"{REPO}/git/blobs/{blob_sha(BIG)}", json=_blob(BIG))
    responses.get(f"{REPO}/git/blobs/{blob_sha(old)}", json=_blob(old))
    responses.get(
        f"{REPO}/contents/big.py",
        json={"type": "file", "path": "big.py", "name": "big.py", "sha": blob_sha(old)},
        match=[responses.matchers.query_param_matcher({"ref": BASE})],
    )
    github = _adapter()
    (diff,) = github.change(github.info()).diffs
    assert diff.added == frozenset({5})
    assert diff.commentable(5) and not diff.commentable(12)


@responses.activate
def test_files_come_from_the_workspace_when_it_is_checked_out_at_the_head(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop/cart.py").write_text(NEW_CART)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "head"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    responses.get(f"{REPO}/pulls/7", json={**_pull(), "head": {"sha": head.stdout.strip()}})
    responses.get(
        f"{REPO}/pulls/7/files", json=[_file("shop/cart.py", "modified", NEW_CART, OLD_CART)]
    )
    github = _adapter()
    change = github.change(github.info(), workspace=tmp_path)
    assert change.files == {"shop/cart.py": NEW_CART}
    assert not any("/git/blobs/" in c.request.url for c in responses.calls)


@responses.activate
def test_previous_suggestions_are_found_by_marker_across_pages() -> None:
    page2 = f"{REPO}/pulls/7/comments?page=2"
    responses.get(
        f"{REPO}/pulls/7/comments",
        json=[
            {"id": 1, "body": "nit: spacing", "user": BOT},
            {"id": 2, "body": suggestion_marker("a.py", "f"), "user": BOT},
        ],
        headers={"Link": f'<{page2}>; rel="next"'},
        match=[responses.matchers.query_param_matcher({"per_page": "100"})],
    )
    responses.get(
        f"{REPO}/pulls/7/comments",
        json=[{"id": 3, "body": "x\n" + suggestion_marker("b/c.py", "K.m"), "user": BOT}],
        match=[responses.matchers.query_param_matcher({"page": "2"})],
    )
    assert _adapter().posted_suggestions() == {("a.py", "f"), ("b/c.py", "K.m")}


GOOD = ReviewComment("a.py", "f", 3, None, "one")
MULTI = ReviewComment("a.py", "g", 9, 8, "two")
BAD = ReviewComment("a.py", "h", 99, None, "three")


def _review_bodies() -> list[dict[str, Any]]:
    return [json.loads(c.request.body) for c in responses.calls if c.request.method == "POST"]


@responses.activate
def test_one_review_carries_every_comment() -> None:
    url = f"{REPO}/pulls/7/reviews"
    responses.post(url, json={"id": 1, "html_url": "https://ghe.example.com/r/1"})
    posted = _adapter().post_review([GOOD, MULTI], head_sha=HEAD)
    assert posted.url == "https://ghe.example.com/r/1"
    (body,) = _review_bodies()
    assert body["event"] == "COMMENT" and body["commit_id"] == HEAD
    assert body["comments"] == [GOOD.to_api(), MULTI.to_api()]


@responses.activate
def test_a_422_finds_the_bad_comment_and_posts_the_others() -> None:
    def review(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        if any(c["line"] == BAD.line for c in body["comments"]):
            return 422, {}, json.dumps({"message": "Unprocessable Entity"})
        review = {"id": 5, "html_url": "https://r/5", "pull_request_url": f"{REPO}/pulls/7"}
        return 200, {}, json.dumps(review)

    responses.add_callback(responses.POST, f"{REPO}/pulls/7/reviews", callback=review)
    responses.get(f"{REPO}/pulls/7/reviews", json=[])  # no pending review of an earlier run
    responses.delete(re.compile(rf"{REPO}/pulls/7/reviews/5"), json={})
    github = _adapter()
    posted = github.post_review([GOOD, BAD, MULTI], head_sha=HEAD)
    assert posted.refused == (BAD,)
    final = _review_bodies()[-1]
    assert final["event"] == "COMMENT"
    assert [c["line"] for c in final["comments"]] == [GOOD.line, MULTI.line]
    probes = [b for b in _review_bodies() if "event" not in b]
    assert probes and all(len(b["comments"]) < 3 for b in probes)


@responses.activate
def test_a_read_only_token_is_refused_clearly() -> None:
    responses.post(
        f"{REPO}/pulls/7/reviews",
        status=403,
        json={"message": "Resource not accessible by integration"},
    )
    with pytest.raises(WriteRefused, match="cannot write"):
        _adapter().post_review([GOOD], head_sha=HEAD)


@responses.activate
def test_rate_limits_are_waited_out_up_to_the_cap() -> None:
    responses.get(f"{REPO}/pulls/7", status=403, headers={"Retry-After": "2"}, json={})
    responses.get(f"{REPO}/pulls/7", status=429, headers={"Retry-After": "1"}, json={})
    responses.get(f"{REPO}/pulls/7", json=_pull())
    waits: list[float] = []
    assert _adapter(waits=waits).info().number == 7
    assert waits == [2.0, 1.0]


@responses.activate
def test_a_wait_longer_than_the_cap_fails_with_one_line() -> None:
    responses.get(f"{REPO}/pulls/7", status=403, headers={"Retry-After": "3600"}, json={})
    with pytest.raises(GitHubError, match="rate limit while reading pull request #7"):
        _adapter(max_wait_s=60).info()


@responses.activate
def test_a_missing_pull_request_says_what_to_check() -> None:
    responses.get(f"{REPO}/pulls/7", status=404, json={"message": "Not Found"})
    with pytest.raises(GitHubError, match="404 while reading pull request #7"):
        _adapter().info()


@pytest.mark.parametrize(
    ("existing", "body", "create", "expect"),
    [
        ([], "new", True, "POST"),
        ([], "new", False, None),
        (
            [{"id": 4, "body": f"old\n{SUMMARY_MARKER} state={'a' * 16} -->", "user": BOT}],
            f"new\n{SUMMARY_MARKER} state={'b' * 16} -->",
            True,
            "PATCH",
        ),
        # the same state with other run figures (tokens, cost) is not worth a write
        (
            [{"id": 4, "body": f"$0.01\n{SUMMARY_MARKER} state={'a' * 16} -->", "user": BOT}],
            f"$0.00\n{SUMMARY_MARKER} state={'a' * 16} -->",
            True,
            None,
        ),
        # a summary written before the marker moved to the end is still docbot's own
        (
            [{"id": 4, "body": f"{SUMMARY_MARKER} state={'a' * 16} -->\n$0.01", "user": BOT}],
            f"$0.00\n{SUMMARY_MARKER} state={'a' * 16} -->",
            True,
            None,
        ),
    ],
)
@responses.activate
def test_the_summary_is_upserted_by_marker(
    existing: list[dict[str, Any]], body: str, create: bool, expect: str | None
) -> None:
    for comment in existing:
        comment.update(url=f"{REPO}/issues/comments/{comment['id']}", html_url="https://c/4")
    other = {"id": 3, "body": "thanks!", "url": f"{REPO}/issues/comments/3", "html_url": "x"}
    responses.get(f"{REPO}/pulls/7", json=_pull())
    responses.get(f"{REPO}/issues/7/comments", json=[other, *existing])
    responses.post(
        f"{REPO}/issues/7/comments", json={"id": 9, "body": body, "html_url": "https://c/9"}
    )
    responses.patch(
        f"{REPO}/issues/comments/4", json={"id": 4, "body": body, "html_url": "https://c/4"}
    )
    github = _adapter()
    github.upsert_summary(body, create=create)
    writes = [c.request.method for c in responses.calls if c.request.method != "GET"]
    assert writes == ([expect] if expect else [])
    assert github.writes == len(writes)


@responses.activate
def test_reads_are_retried_after_a_server_error_but_writes_are_not() -> None:
    responses.get(f"{REPO}/pulls/7", status=502, json={"message": "Bad Gateway"})
    responses.get(f"{REPO}/pulls/7", json=_pull())
    responses.post(f"{REPO}/pulls/7/reviews", status=502, json={"message": "Bad Gateway"})
    responses.get(f"{REPO}/pulls/7/comments", json=[])  # the review did not land
    waits: list[float] = []
    github = _adapter(waits=waits)
    assert github.info().head_sha == HEAD
    assert waits == [2.0]
    with pytest.raises(GitHubError, match="502 while posting the review"):
        github.post_review([GOOD], head_sha=HEAD)
    assert len(_review_bodies()) == 1


@responses.activate
def test_a_secondary_limit_without_headers_is_waited_out_not_taken_for_a_read_only_token() -> None:
    url = f"{REPO}/pulls/7/reviews"
    responses.post(url, status=403, json={"message": "You have exceeded a secondary rate limit."})
    responses.post(url, json={"id": 1, "html_url": "https://ghe.example.com/r/1"})
    waits: list[float] = []
    posted = _adapter(waits=waits).post_review([GOOD], head_sha=HEAD)
    assert posted.url == "https://ghe.example.com/r/1"
    assert waits == [60.0]


@responses.activate
def test_writes_are_at_least_a_second_apart() -> None:
    responses.post(f"{REPO}/pulls/7/reviews", json={"id": 1, "html_url": "https://r/1"})
    responses.get(f"{REPO}/pulls/7", json=_pull())
    responses.get(f"{REPO}/issues/7/comments", json=[])
    responses.post(f"{REPO}/issues/7/comments", json={"id": 9, "html_url": "https://c/9"})
    now = [100.0]
    waits: list[float] = []
    github = _adapter(waits=waits, clock=lambda: now[0])
    github.post_review([GOOD], head_sha=HEAD)
    now[0] += 0.25
    github.upsert_summary("summary")
    assert waits == [0.75]
    assert github.writes == 2


@responses.activate
def test_a_pull_request_at_githubs_file_cap_says_files_were_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.pr_files.MAX_FILES", 2)
    responses.get(f"{REPO}/pulls/7", json=_pull())
    responses.get(
        f"{REPO}/pulls/7/files",
        json=[_file("README.md", "added", "hi\n"), _file("docs/x.md", "added", "x\n")],
    )
    github = _adapter()
    change = github.change(github.info())
    (skip,) = change.skips
    assert "at most 2 files" in skip.reason


@responses.activate
def test_a_server_error_after_github_created_the_review_counts_as_posted() -> None:
    responses.post(f"{REPO}/pulls/7/reviews", status=502, json={"message": "Bad Gateway"})
    page = "https://ghe.example.com/octo/widgets/pull/7"
    responses.get(
        f"{REPO}/pulls/7/comments",
        json=[
            {"id": 1, "body": "nit", "pull_request_review_id": 3, "html_url": f"{page}#r1"},
            *(
                {
                    "id": 10 + n,
                    "body": f"x\n{suggestion_marker(c.path, c.qualname)}",
                    "user": BOT,
                    "pull_request_review_id": 77,
                    "html_url": f"{page}#discussion_r{10 + n}",
                }
                for n, c in enumerate((GOOD, MULTI))
            ),
        ],
    )
    posted = _adapter().post_review([GOOD, MULTI], head_sha=HEAD)
    assert posted == Posted(f"{page}#pullrequestreview-77")
    assert len(_review_bodies()) == 1  # not posted twice


@responses.activate
def test_files_that_are_not_python_cost_no_reads_even_without_a_patch() -> None:
    # GitHub leaves out ``patch`` for binary files and past its diff limits.
    responses.get(f"{REPO}/pulls/7", json=_pull())
    logo = {"filename": "docs/logo.png", "status": "modified", "sha": "ab" * 20}
    lock = {"filename": "uv.lock", "status": "renamed", "sha": "cd" * 20,
            "previous_filename": "poetry.lock"}  # fmt: skip
    responses.get(f"{REPO}/pulls/7/files", json=[logo, lock])
    github = _adapter()
    change = github.change(github.info())
    assert change.diffs == ()
    assert [c.request.method for c in responses.calls] == ["GET", "GET"]
