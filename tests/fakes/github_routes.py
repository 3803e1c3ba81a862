"""The endpoints of the fake GitHub (see ``tests/fakes/github.py``), one small function each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes.github import b64, blob_sha, commentable_lines, make_patch
from tests.fakes.github_git import GIT_ROUTES, blob_text

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub, PullState, Request

Answer = tuple[int, Any, dict[str, str]]
NOT_FOUND: Answer = (404, {"message": "Not Found"}, {})


def route(gh: FakeGitHub, req: Request) -> Answer:
    """Dispatch ``req`` to the endpoint that serves it."""
    repo = re.escape(gh.repo)
    for method, pattern, handler in _ROUTES:
        match = re.fullmatch(pattern.replace("{repo}", repo), req.path)
        if match and method == req.method:
            return handler(gh, req, *match.groups())
    return NOT_FOUND


def _repo(gh: FakeGitHub, req: Request) -> Answer:
    return 200, _repo_json(gh), {}


def _repo_json(gh: FakeGitHub) -> dict[str, Any]:
    owner, name = gh.repo.split("/")
    return {
        "id": 1,
        "name": name,
        "full_name": gh.repo,
        "owner": {"login": owner, "id": 2, "type": "Organization"},
        "url": gh.url(f"/repos/{gh.repo}"),
        "html_url": f"https://github.invalid/{gh.repo}",
        "private": False,
    }


def _pull_json(gh: FakeGitHub, pull: PullState) -> dict[str, Any]:
    base_url = gh.url(f"/repos/{gh.repo}/pulls/{pull.number}")
    return {
        "id": pull.number * 10,
        "number": pull.number,
        "url": base_url,
        "html_url": f"https://github.invalid/{gh.repo}/pull/{pull.number}",
        "issue_url": gh.url(f"/repos/{gh.repo}/issues/{pull.number}"),
        "comments_url": gh.url(f"/repos/{gh.repo}/issues/{pull.number}/comments"),
        "review_comments_url": base_url + "/comments",
        "title": pull.title,
        "state": pull.state,
        "draft": pull.draft,
        "body": pull.body,
        "head": {
            "sha": pull.head,
            "ref": pull.head_ref,
            "label": f"{pull.head_repo.split('/')[0]}:{pull.head_ref}",
            "repo": {"full_name": pull.head_repo},
        },
        "base": {"sha": pull.base, "ref": pull.base_ref, "repo": _repo_json(gh)},
    }


def _pull(gh: FakeGitHub, req: Request, number: str) -> Answer:
    pull = gh.pulls.get(int(number))
    return NOT_FOUND if pull is None else (200, _pull_json(gh, pull), {})


def _page(gh: FakeGitHub, req: Request, items: list[Any]) -> Answer:
    per_page = min(int(req.query.get("per_page", ["30"])[0]), gh.page_size)
    page = int(req.query.get("page", ["1"])[0])
    chunk = items[(page - 1) * per_page : page * per_page]
    last = max(1, -(-len(items) // per_page))
    links = []
    if page < last:
        links.append(f'<{gh.url(req.path)}?page={page + 1}&per_page={per_page}>; rel="next"')
        links.append(f'<{gh.url(req.path)}?page={last}&per_page={per_page}>; rel="last"')
    return 200, chunk, ({"Link": ", ".join(links)} if links else {})


def _files(gh: FakeGitHub, req: Request, number: str) -> Answer:
    if int(number) not in gh.pulls:
        return NOT_FOUND
    return _page(gh, req, gh.files(int(number)))


def _blob(gh: FakeGitHub, req: Request, sha: str) -> Answer:
    text = blob_text(gh, sha)
    if text is None:
        return NOT_FOUND
    data = {"sha": sha, "size": len(text.encode()), "encoding": "base64", "content": b64(text)}
    data["url"] = gh.url(req.path)
    return 200, data, {}


def _contents(gh: FakeGitHub, req: Request, path: str) -> Answer:
    ref = req.query.get("ref", [""])[0]
    text = gh.trees.get(ref, {}).get(path)
    if text is None:
        return NOT_FOUND
    return (
        200,
        {
            "type": "file",
            "encoding": "base64",
            "size": len(text.encode()),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": b64(text),
            "sha": blob_sha(text),
            "url": gh.url(req.path),
        },
        {},
    )


def _bad_comment(gh: FakeGitHub, pull: PullState, comment: dict[str, Any], commit: str) -> bool:
    """GitHub's rule: ``line`` in a hunk of the file, ``start_line`` before it in the same hunk.

    Lines are those of the diff at ``commit`` (the review's ``commit_id``).
    """
    old, new = gh.trees[pull.base], gh.trees[commit]
    path = comment.get("path", "")
    if path not in new or comment.get("side", "RIGHT") != "RIGHT":
        return True
    hunks = commentable_lines(make_patch(old.get(path, ""), new[path]))
    line = comment.get("line")
    start = comment.get("start_line", line)
    if (path, line) in gh.refuse_lines:
        return True
    if not isinstance(line, int) or not isinstance(start, int) or start > line:
        return True
    return not any(first <= start and line <= last for first, last in hunks)


def _create_review(gh: FakeGitHub, req: Request, number: str) -> Answer:
    pull = gh.pulls.get(int(number))
    if pull is None:
        return NOT_FOUND
    body = req.body or {}
    event = body.get("event")
    comments = body.get("comments", [])
    # An earlier head is accepted (its comments show as outdated where later pushes moved
    # the lines); a commit that was never the pull request's head is not.
    commit = body.get("commit_id") or pull.head
    if commit != pull.head and commit not in pull.past_heads:
        errors = ["Commit is not part of the pull request"]
        return 422, {"message": "Unprocessable Entity", "errors": errors}, {}
    # Every review here is the one token user's: a pending one blocks any new review.
    if any(r["state"] == "PENDING" for r in pull.reviews):
        errors = ["User can only have one pending review per pull request"]
        return 422, {"message": "Unprocessable Entity", "errors": errors}, {}
    if event == "COMMENT" and not body.get("body"):
        return 422, {"message": "Unprocessable Entity", "errors": ["Body is required"]}, {}
    refused = _too_long(str(body.get("body") or ""))
    for comment in comments:
        refused = refused or _too_long(str(comment.get("body") or ""))
    if refused:
        return refused
    if any(_bad_comment(gh, pull, c, commit) for c in comments):
        message = "Line could not be resolved"
        return 422, {"message": "Unprocessable Entity", "errors": [message]}, {}
    review_id = gh.next_id()
    review = {
        "id": review_id,
        "body": body.get("body", ""),
        "state": "COMMENTED" if event == "COMMENT" else "PENDING",
        "commit_id": commit,
        "html_url": f"https://github.invalid/{gh.repo}/pull/{number}#pullrequestreview-{review_id}",
        "pull_request_url": gh.url(f"/repos/{gh.repo}/pulls/{number}"),
        "user": _user(req),
    }
    pull.reviews.append(review)
    if event is not None:
        for comment in comments:
            pull.review_comments.append(_review_comment(gh, pull, review_id, comment, commit, req))
    return 200, review, {}


def _user(req: Request) -> dict[str, Any]:
    return {"login": req.login, "id": 41898282, "type": "Bot"}


def _review_comment(
    gh: FakeGitHub,
    pull: PullState,
    review_id: int,
    comment: dict[str, Any],
    commit: str,
    req: Request,
) -> dict[str, Any]:
    comment_id = gh.next_id()
    return {
        **comment,
        "id": comment_id,
        "pull_request_review_id": review_id,
        "commit_id": commit,
        "original_commit_id": commit,
        "url": gh.url(f"/repos/{gh.repo}/pulls/comments/{comment_id}"),
        "html_url": f"https://github.invalid/{gh.repo}/pull/{pull.number}#discussion_r{comment_id}",
        "user": _user(req),
    }


def _delete_review(gh: FakeGitHub, req: Request, number: str, review_id: str) -> Answer:
    pull = gh.pulls[int(number)]
    for review in pull.reviews:
        if review["id"] == int(review_id):
            if review["state"] != "PENDING":
                return 422, {"message": "Can not delete a non-pending pull request review"}, {}
            pull.reviews.remove(review)
            return 200, review, {}
    return NOT_FOUND


def _reviews(gh: FakeGitHub, req: Request, number: str) -> Answer:
    # GitHub lists a pending review to its author only; here every review is the token's.
    return _page(gh, req, gh.pulls[int(number)].reviews)


def _review_comments(gh: FakeGitHub, req: Request, number: str) -> Answer:
    return _page(gh, req, gh.pulls[int(number)].review_comments)


def _issue_comments(gh: FakeGitHub, req: Request, number: str) -> Answer:
    return _page(gh, req, gh.pulls[int(number)].issue_comments)


def _too_long(body: str) -> Answer | None:
    """GitHub's answer to a body past 65,536 characters (issue, review and review comment)."""
    if len(body) > 65536:
        errors = ["Body is too long (maximum is 65536 characters)"]
        return 422, {"message": "Validation Failed", "errors": errors}, {}
    return None


def _add_issue_comment(gh: FakeGitHub, req: Request, number: str) -> Answer:
    refused = _too_long((req.body or {}).get("body", ""))
    if refused:
        return refused
    comment_id = gh.next_id()
    comment = {
        "id": comment_id,
        "body": (req.body or {}).get("body", ""),
        "url": gh.url(f"/repos/{gh.repo}/issues/comments/{comment_id}"),
        "html_url": f"https://github.invalid/{gh.repo}/pull/{number}#issuecomment-{comment_id}",
        "user": _user(req),
    }
    gh.pulls[int(number)].issue_comments.append(comment)
    return 201, comment, {}


def _edit_issue_comment(gh: FakeGitHub, req: Request, comment_id: str) -> Answer:
    # GitHub lets a token with write access edit anyone's comment: the fake does too, and
    # tests assert docbot never asks to.
    refused = _too_long((req.body or {}).get("body", ""))
    if refused:
        return refused
    for pull in gh.pulls.values():
        for comment in pull.issue_comments:
            if comment["id"] == int(comment_id):
                comment["body"] = (req.body or {}).get("body", "")
                return 200, comment, {}
    return NOT_FOUND


_ROUTES: list[tuple[str, str, Callable[..., Answer]]] = [
    ("GET", r"/repos/{repo}", _repo),
    ("GET", r"/repos/{repo}/pulls/(\d+)", _pull),
    ("GET", r"/repos/{repo}/pulls/(\d+)/files", _files),
    ("GET", r"/repos/{repo}/git/blobs/([0-9a-f]+)", _blob),
    ("GET", r"/repos/{repo}/contents/(.+)", _contents),
    ("POST", r"/repos/{repo}/pulls/(\d+)/reviews", _create_review),
    ("GET", r"/repos/{repo}/pulls/(\d+)/reviews", _reviews),
    ("DELETE", r"/repos/{repo}/pulls/(\d+)/reviews/(\d+)", _delete_review),
    ("GET", r"/repos/{repo}/pulls/(\d+)/comments", _review_comments),
    ("GET", r"/repos/{repo}/issues/(\d+)/comments", _issue_comments),
    ("POST", r"/repos/{repo}/issues/(\d+)/comments", _add_issue_comment),
    ("PATCH", r"/repos/{repo}/issues/comments/(\d+)", _edit_issue_comment),
    *GIT_ROUTES,
]
