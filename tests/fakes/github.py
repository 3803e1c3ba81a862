"""A fake GitHub REST API on 127.0.0.1, enough for PyGithub to read a pull request and review it.

It keeps git-like state (trees of text files by commit SHA), derives a pull request's
files and patches from its base and head trees exactly as GitHub shows them, checks
review comments against the diff like GitHub (one bad line: 422 for the whole review),
and records every request.  Start it with ``with FakeGitHub() as gh:``.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def blob_sha(text: str) -> str:
    """Git's blob id of ``text``."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def commit_sha(tree: dict[str, str], parent: str = "") -> str:
    """A stable fake commit id for ``tree``."""
    digest = hashlib.sha1(parent.encode())
    for path in sorted(tree):
        digest.update(f"{path}\0{blob_sha(tree[path])}\n".encode())
    return digest.hexdigest()


def tree_sha(tree: dict[str, str]) -> str:
    """A stable fake tree id for ``tree`` (its paths and blob ids)."""
    digest = hashlib.sha1(b"tree")
    for path in sorted(tree):
        digest.update(f"{path}\0{blob_sha(tree[path])}\n".encode())
    return digest.hexdigest()


def make_patch(old: str, new: str) -> str:
    """The ``patch`` GitHub shows for a file: the hunks, no ``---``/``+++`` header."""
    lines = list(difflib.unified_diff(old.splitlines(True), new.splitlines(True), n=3))[2:]
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out).rstrip("\n")


def commentable_lines(patch: str) -> list[tuple[int, int]]:
    """Inclusive new-file line ranges of each hunk of ``patch`` (RIGHT side)."""
    hunks: list[tuple[int, int]] = []
    for match in re.finditer(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", patch, re.M):
        start, count = int(match.group(1)), int(match.group(2) or "1")
        if count:
            hunks.append((start, start + count - 1))
    return hunks


@dataclass
class Request:
    """One request the fake answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0
    login: str = "github-actions[bot]"
    """Who the request's token is: what GitHub records as a comment's author."""

    @property
    def is_write(self) -> bool:
        """Whether the request asks GitHub to change something."""
        return self.method in WRITE_METHODS


@dataclass
class PullState:
    """A pull request: base and head commits, its reviews and comments."""

    number: int
    base: str
    head: str
    title: str = "Add things"
    draft: bool = False
    state: str = "open"
    head_repo: str = ""
    head_ref: str = "feature"
    base_ref: str = "main"
    body: str = ""
    past_heads: list[str] = field(default_factory=list)
    """Earlier heads: GitHub takes a review whose ``commit_id`` is one of them."""
    reviews: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)


class FakeGitHub:
    """The server and its state; a context manager that serves on a free loopback port."""

    def __init__(
        self, repo: str = "octo/widgets", *, prefix: str = "", page_size: int = 100
    ) -> None:
        self.repo = repo
        self.prefix = prefix.rstrip("/")
        self.page_size = page_size
        self.trees: dict[str, dict[str, str]] = {}
        self.pulls: dict[int, PullState] = {}
        self.tokens: dict[str, str] = {"write-token": "write", "read-token": "read"}
        self.logins: dict[str, str] = {}
        """Token -> login of its user; unlisted tokens are the workflow's github-actions[bot]."""
        self.omit_patch: set[str] = set()
        self.refuse_lines: set[tuple[str, int]] = set()
        """(path, line) review comments get 422 on, as when GitHub's diff moved on."""
        self.requests: list[Request] = []
        # Git data: branches, commit parents and messages, trees and blobs made through
        # the API, file modes (100644 unless named), and forks (writes there: 403).
        self.refs: dict[str, str] = {}
        self.parents: dict[str, list[str]] = {}
        self.messages: dict[str, str] = {}
        self.tree_objects: dict[str, dict[str, str]] = {}
        self.blobs: dict[str, str] = {}
        self.modes: dict[str, str] = {}
        self.forks: set[str] = set()
        self.on_request: Callable[[Request], None] | None = None
        """Called before each request is answered: a push racing the run, for instance."""
        self.limit_queue: list[tuple[int, dict[str, str]]] = []
        self._ids = iter(range(1000, 10**9))
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- state the tests set up ------------------------------------------------------------

    def commit(self, tree: dict[str, str], parent: str = "") -> str:
        """Store a tree; returns its commit SHA."""
        return self.store_commit(tree, [parent] if parent else [], "", commit_sha(tree, parent))

    def store_commit(self, tree: dict[str, str], parents: list[str], message: str, sha: str) -> str:
        """Keep commit ``sha`` of ``tree`` with its parents and message."""
        self.trees[sha] = dict(tree)
        self.tree_objects[tree_sha(tree)] = dict(tree)
        self.parents[sha] = list(parents)
        self.messages[sha] = message
        return sha

    def open_pull(self, number: int, base: str, head: str, **fields: Any) -> PullState:
        """Open pull request ``number`` from ``head`` into ``base``; both become branches."""
        fields.setdefault("head_repo", self.repo)
        pull = PullState(number, base, head, **fields)
        self.pulls[number] = pull
        self.refs.setdefault(pull.base_ref, base)
        self.refs[pull.head_ref] = head
        if pull.head_repo != self.repo:
            self.forks.add(pull.head_repo)
        return pull

    def move_branch(self, name: str, sha: str) -> None:
        """Point branch ``name`` at ``sha``; open pull requests from it follow (a push)."""
        self.refs[name] = sha
        for pull in self.pulls.values():
            if pull.head_ref == name and pull.state == "open" and pull.head != sha:
                pull.past_heads.append(pull.head)
                pull.head = sha

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether commit ``older`` is ``newer`` or one of its ancestors."""
        seen, todo = set(), [newer]
        while todo:
            sha = todo.pop()
            if sha == older:
                return True
            if sha not in seen:
                seen.add(sha)
                todo += self.parents.get(sha, [])
        return False

    def rate_limit_next(self, count: int = 1, *, kind: str = "secondary") -> None:
        """Answer the next ``count`` requests with a rate limit of the given kind."""
        headers = {
            "secondary": ({"Retry-After": "0"}, 403),
            "primary": ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"}, 403),
            "429": ({"Retry-After": "0"}, 429),
        }[kind]
        self.limit_queue += [(headers[1], headers[0])] * count

    def files(self, number: int) -> list[dict[str, Any]]:
        """The pull request's files as ``GET pulls/N/files`` lists them."""
        pull = self.pulls[number]
        old, new = self.trees[pull.base], self.trees[pull.head]
        out = []
        for path in sorted(old.keys() | new.keys()):
            if old.get(path) == new.get(path):
                continue
            status = "added" if path not in old else "removed" if path not in new else "modified"
            patch = make_patch(old.get(path, ""), new.get(path, ""))
            item: dict[str, Any] = {
                "sha": blob_sha(new.get(path, "")),
                "filename": path,
                "status": status,
                "additions": patch.count("\n+"),
                "deletions": patch.count("\n-"),
                "changes": 0,
                "blob_url": f"https://github.invalid/{self.repo}/blob/{pull.head}/{path}",
                "raw_url": f"https://github.invalid/{self.repo}/raw/{pull.head}/{path}",
                "contents_url": self.url(f"/repos/{self.repo}/contents/{path}?ref={pull.head}"),
            }
            if path not in self.omit_patch:
                item["patch"] = patch
            out.append(item)
        return out

    @property
    def writes(self) -> list[Request]:
        """Every write request answered so far."""
        return [r for r in self.requests if r.is_write]

    # -- serving -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to put in ``GITHUB_API_URL``."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    def url(self, path: str) -> str:
        """An absolute API URL for ``path``."""
        return self.base_url + path

    def __enter__(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _serve(self) -> None:
                fake._handle(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, http: BaseHTTPRequestHandler) -> None:
        split = urlsplit(http.path)
        path = unquote(split.path)
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        length = int(http.headers.get("Content-Length") or 0)
        raw = http.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        request = Request(http.command, path, parse_qs(split.query), body)
        with self._lock:
            self.requests.append(request)
            if self.on_request is not None:
                self.on_request(request)
            status, payload, headers = self._route(http, request)
        request.status = status
        data = json.dumps(payload).encode() if payload is not None else b""
        http.send_response(status)
        http.send_header("Content-Type", "application/json; charset=utf-8")
        http.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            http.send_header(name, value)
        http.end_headers()
        http.wfile.write(data)

    def _route(self, http: BaseHTTPRequestHandler, req: Request) -> tuple[int, Any, dict[str, str]]:
        if self.limit_queue:
            status, headers = self.limit_queue.pop(0)
            return status, {"message": "You have exceeded a secondary rate limit."}, headers
        auth = http.headers.get("Authorization", "")
        role = self.tokens.get(auth.split(" ", 1)[-1])
        if role is None:
            return 401, {"message": "Bad credentials"}, {}
        if req.is_write and role != "write":
            return 403, {"message": "Resource not accessible by integration"}, {}
        req.login = self.logins.get(auth.split(" ", 1)[-1], req.login)
        fork = next((f for f in self.forks if req.path.startswith(f"/repos/{f}/")), None)
        if fork is not None:
            # The workflow's token may read a fork's objects (they are the network's) but
            # not write to the fork.
            if req.is_write:
                return 403, {"message": "Resource not accessible by integration"}, {}
            req = Request(req.method, req.path.replace(fork, self.repo, 1), req.query, req.body)
        from tests.fakes.github_routes import route

        return route(self, req)

    def comment_as(self, number: int, login: str, body: str, **review: Any) -> dict[str, Any]:
        """A comment by ``login`` on pull request ``number``: an issue comment, or a review
        comment when ``review`` holds its ``path`` and ``line``."""
        pull = self.pulls[number]
        comment_id = self.next_id()
        kind = "pulls" if review else "issues"
        comment = {
            **review,
            "id": comment_id,
            "body": body,
            "url": self.url(f"/repos/{self.repo}/{kind}/comments/{comment_id}"),
            "html_url": f"https://github.invalid/{self.repo}/pull/{number}#c{comment_id}",
            "user": {"login": login, "id": 7, "type": "User" if "[bot]" not in login else "Bot"},
        }
        if review:
            comment.update(pull_request_review_id=self.next_id(), commit_id=pull.head)
            pull.review_comments.append(comment)
        else:
            pull.issue_comments.append(comment)
        return comment

    def next_id(self) -> int:
        """A fresh object id."""
        return next(self._ids)


def b64(text: str) -> str:
    """Base64 of ``text``'s UTF-8 bytes, as GitHub sends content."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
