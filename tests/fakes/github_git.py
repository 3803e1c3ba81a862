"""The fake GitHub's git data, refs and pulls endpoints, answering as GitHub documents them.

Blobs, trees (``base_tree`` overlays, ``content`` entries, ``sha: null`` deletes),
commits with parents, branches that refuse a non-fast-forward update (422 "Update is
not a fast forward"), and pull requests that refuse a duplicate (422 "A pull request
already exists for ...").  Writes to a fork are refused before they get here (403).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes.github import PullState, blob_sha, tree_sha

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub, Request

Answer = tuple[int, Any, dict[str, str]]
NOT_FOUND: Answer = (404, {"message": "Not Found"}, {})


def _invalid(message: str, **extra: Any) -> Answer:
    return 422, {"message": message, **extra}, {}


# -- git data -------------------------------------------------------------------------------


def _git_commit_json(gh: FakeGitHub, sha: str) -> dict[str, Any]:
    return {
        "sha": sha,
        "url": gh.url(f"/repos/{gh.repo}/git/commits/{sha}"),
        "html_url": f"https://github.invalid/{gh.repo}/commit/{sha}",
        "message": gh.messages.get(sha, ""),
        "tree": {"sha": tree_sha(gh.trees[sha]), "url": gh.url(f"/repos/{gh.repo}/git/trees/x")},
        "parents": [
            {"sha": p, "url": gh.url(f"/repos/{gh.repo}/git/commits/{p}")}
            for p in gh.parents.get(sha, [])
        ],
        "author": {
            "name": "docbot",
            "email": "docbot@example.invalid",
            "date": "2026-12-01T00:00:00Z",
        },
        "committer": {
            "name": "GitHub",
            "email": "noreply@github.com",
            "date": "2026-12-01T00:00:00Z",
        },
    }


def _get_commit(gh: FakeGitHub, req: Request, sha: str) -> Answer:
    return (200, _git_commit_json(gh, sha), {}) if sha in gh.trees else NOT_FOUND


def _get_tree(gh: FakeGitHub, req: Request, sha: str) -> Answer:
    files = gh.tree_objects.get(sha)
    if files is None:
        return NOT_FOUND
    recursive = req.query.get("recursive", [""])[0] not in ("", "0", "false")
    entries: dict[str, dict[str, Any]] = {}
    for path, text in sorted(files.items()):
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if (recursive or depth == 1) and folder not in entries:
                inside = {
                    p[len(folder) + 1 :]: t for p, t in files.items() if p.startswith(folder + "/")
                }
                gh.tree_objects.setdefault(tree_sha(inside), inside)
                entries[folder] = {
                    "path": folder,
                    "mode": "040000",
                    "type": "tree",
                    "sha": tree_sha(inside),
                }
        if recursive or len(parts) == 1:
            entries[path] = {
                "path": path,
                "mode": gh.modes.get(path, "100644"),
                "type": "blob",
                "sha": blob_sha(text),
                "size": len(text.encode()),
            }
    body = {"sha": sha, "url": gh.url(req.path), "tree": list(entries.values()), "truncated": False}
    return 200, body, {}


def _create_blob(gh: FakeGitHub, req: Request) -> Answer:
    body = req.body or {}
    content = body.get("content")
    if not isinstance(content, str):
        return _invalid('Invalid request.\n\n"content" wasn\'t supplied.')
    text = base64.b64decode(content).decode() if body.get("encoding") == "base64" else content
    sha = blob_sha(text)
    gh.blobs[sha] = text
    return 201, {"sha": sha, "url": gh.url(f"/repos/{gh.repo}/git/blobs/{sha}")}, {}


def blob_text(gh: FakeGitHub, sha: str) -> str | None:
    """The text of blob ``sha``, made through the API or part of a stored tree."""
    if sha in gh.blobs:
        return gh.blobs[sha]
    for tree in gh.trees.values():
        for text in tree.values():
            if blob_sha(text) == sha:
                return text
    return None


def _create_tree(gh: FakeGitHub, req: Request) -> Answer:
    body = req.body or {}
    base = body.get("base_tree")
    files = dict(gh.tree_objects.get(base, {})) if base else {}
    if base and base not in gh.tree_objects:
        return _invalid("Invalid request.\n\nbase_tree is not a valid tree oid")
    for entry in body.get("tree", []):
        path, mode = entry.get("path", ""), entry.get("mode")
        if mode not in ("100644", "100755", "040000", "160000", "120000") or not path:
            return _invalid("Invalid tree info")
        if "content" in entry:
            files[path] = str(entry["content"])
        elif entry.get("sha") is None:
            files.pop(path, None)
        else:
            text = blob_text(gh, str(entry["sha"]))
            if text is None:
                return _invalid(f"tree.sha {entry['sha']} is not a valid blob")
            files[path] = text
        gh.modes[path] = mode
    sha = tree_sha(files)
    gh.tree_objects[sha] = files
    return (
        201,
        {
            "sha": sha,
            "url": gh.url(f"/repos/{gh.repo}/git/trees/{sha}"),
            "tree": [],
            "truncated": False,
        },
        {},
    )


def _create_commit(gh: FakeGitHub, req: Request) -> Answer:
    body = req.body or {}
    files = gh.tree_objects.get(body.get("tree", ""))
    parents = list(body.get("parents", []))
    if files is None or any(p not in gh.trees for p in parents):
        return _invalid("Tree SHA does not exist" if files is None else "Parent SHA does not exist")
    message = str(body.get("message", ""))
    # A real commit id covers the time it was made: two equal commits get two ids.
    salt = f"{gh.next_id()}{message}{parents}".encode()
    sha = hashlib.sha1(salt + tree_sha(files).encode()).hexdigest()
    gh.store_commit(files, parents, message, sha)
    return 201, _git_commit_json(gh, sha), {}


# -- refs -----------------------------------------------------------------------------------


def _ref_json(gh: FakeGitHub, name: str) -> dict[str, Any]:
    sha = gh.refs[name]
    return {
        "ref": f"refs/heads/{name}",
        "url": gh.url(f"/repos/{gh.repo}/git/refs/heads/{name}"),
        "object": {
            "sha": sha,
            "type": "commit",
            "url": gh.url(f"/repos/{gh.repo}/git/commits/{sha}"),
        },
    }


def _get_ref(gh: FakeGitHub, req: Request, name: str) -> Answer:
    return (200, _ref_json(gh, name), {}) if name in gh.refs else NOT_FOUND


def _create_ref(gh: FakeGitHub, req: Request) -> Answer:
    body = req.body or {}
    ref, sha = str(body.get("ref", "")), str(body.get("sha", ""))
    if not ref.startswith("refs/heads/") or ref.count("/") < 2:
        return _invalid("Reference name is invalid")
    if sha not in gh.trees:
        return _invalid("Object does not exist")
    name = ref.removeprefix("refs/heads/")
    if name in gh.refs:
        return _invalid("Reference already exists")
    gh.move_branch(name, sha)
    return 201, _ref_json(gh, name), {}


def _update_ref(gh: FakeGitHub, req: Request, name: str) -> Answer:
    body = req.body or {}
    sha = str(body.get("sha", ""))
    if name not in gh.refs:
        return _invalid("Reference does not exist")
    if sha not in gh.trees:
        return _invalid("Object does not exist")
    if not body.get("force") and not gh.is_ancestor(gh.refs[name], sha):
        return _invalid(
            "Update is not a fast forward",
            documentation_url="https://docs.github.com/rest/git/refs#update-a-reference",
        )
    gh.move_branch(name, sha)
    return 200, _ref_json(gh, name), {}


def _delete_ref(gh: FakeGitHub, req: Request, name: str) -> Answer:
    if gh.refs.pop(name, None) is None:
        return _invalid("Reference does not exist")
    return 204, None, {}


# -- pull requests --------------------------------------------------------------------------


def _list_pulls(gh: FakeGitHub, req: Request) -> Answer:
    from tests.fakes.github_routes import _page, _pull_json

    state = req.query.get("state", ["open"])[0]
    head = req.query.get("head", [""])[0]
    base = req.query.get("base", [""])[0]
    owner = gh.repo.split("/")[0]
    found = [
        _pull_json(gh, pull)
        for pull in sorted(gh.pulls.values(), key=lambda p: p.number)
        if state in ("all", pull.state)
        and (not head or head == f"{owner}:{pull.head_ref}")
        and (not base or base == pull.base_ref)
    ]
    return _page(gh, req, found)


def _create_pull(gh: FakeGitHub, req: Request) -> Answer:
    from tests.fakes.github_routes import _pull_json

    body = req.body or {}
    owner = gh.repo.split("/")[0]
    head = str(body.get("head", "")).removeprefix(f"{owner}:")
    base = str(body.get("base", ""))
    if head not in gh.refs or base not in gh.refs or not body.get("title"):
        field = "head" if head not in gh.refs else "base" if base not in gh.refs else "title"
        errors = [{"resource": "PullRequest", "field": field, "code": "invalid"}]
        return _invalid("Validation Failed", errors=errors)
    for pull in gh.pulls.values():
        if pull.state == "open" and pull.head_ref == head and pull.base_ref == base:
            return _invalid(
                "Validation Failed",
                errors=[{"resource": "PullRequest", "code": "custom",
                         "message": f"A pull request already exists for {owner}:{head}."}],
            )  # fmt: skip
    if gh.is_ancestor(gh.refs[head], gh.refs[base]):
        errors = [
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": f"No commits between {base} and {head}",
            }
        ]
        return _invalid("Validation Failed", errors=errors)
    number = max(gh.pulls, default=0) + 1
    pull = PullState(
        number, gh.refs[base], gh.refs[head], title=str(body["title"]), head_repo=gh.repo,
        head_ref=head, base_ref=base, body=str(body.get("body") or ""),
    )  # fmt: skip
    gh.pulls[number] = pull
    return 201, _pull_json(gh, pull), {}


def _edit_pull(gh: FakeGitHub, req: Request, number: str) -> Answer:
    from tests.fakes.github_routes import _pull_json

    pull = gh.pulls.get(int(number))
    if pull is None:
        return NOT_FOUND
    body = req.body or {}
    if body.get("state") not in (None, "open", "closed"):
        return _invalid("Validation Failed", errors=[{"field": "state", "code": "invalid"}])
    pull.title = str(body.get("title", pull.title))
    pull.body = str(body.get("body", pull.body))
    pull.state = str(body.get("state", pull.state))
    return 200, _pull_json(gh, pull), {}


GIT_ROUTES: list[tuple[str, str, Callable[..., Answer]]] = [
    ("GET", r"/repos/{repo}/git/commits/([0-9a-f]{40})", _get_commit),
    ("GET", r"/repos/{repo}/git/trees/([0-9a-f]{40})", _get_tree),
    ("POST", r"/repos/{repo}/git/blobs", _create_blob),
    ("POST", r"/repos/{repo}/git/trees", _create_tree),
    ("POST", r"/repos/{repo}/git/commits", _create_commit),
    ("GET", r"/repos/{repo}/git/ref/heads/(.+)", _get_ref),
    ("POST", r"/repos/{repo}/git/refs", _create_ref),
    ("PATCH", r"/repos/{repo}/git/refs/heads/(.+)", _update_ref),
    ("DELETE", r"/repos/{repo}/git/refs/heads/(.+)", _delete_ref),
    ("GET", r"/repos/{repo}/pulls", _list_pulls),
    ("POST", r"/repos/{repo}/pulls", _create_pull),
    ("PATCH", r"/repos/{repo}/pulls/(\d+)", _edit_pull),
]
