"""The GitHub adapter: read a pull request, post one review, upsert the summary comment.

Everything GitHub-shaped stays here; the rest of docbot sees ``FileDiff`` lists, file
texts and a ``ReviewPlan``.  Reads may be many (files are paginated), writes are at
most two per run on the happy path: one review, one summary upsert.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import requests
from github import Auth, Github, GithubException
from tenacity import Retrying, stop_after_attempt

from bot.changes import Change
from bot.errors import GitHubError
from bot.pr_files import Blobs, pull_change
from bot.ratelimit import describe, message_of, rate_limit_wait, transient
from bot.review import COMMENT_LIMIT, ReviewComment, parse_marker, review_body
from bot.summary import summary_state

if TYPE_CHECKING:
    from bot.gitdata import GitData

DEFAULT_API_URL = "https://api.github.com"
BOT_LOGIN = "github-actions[bot]"
"""Who comments with the workflow's ``GITHUB_TOKEN``; ``GET /user`` is closed to that token."""
WRITE_GAP_S = 1.0
"""GitHub asks for a pause of at least a second between mutative requests."""
T = TypeVar("T")


class WriteRefused(GitHubError):
    """The token may read but not write (a fork's pull request): 403 on a write."""


@dataclass(frozen=True, slots=True)
class PullRequestInfo:
    """What the run needs to know about the pull request itself."""

    number: int
    title: str
    draft: bool
    state: str
    head_sha: str
    base_sha: str
    html_url: str
    head_ref: str = ""
    """The branch the pull request comes from (outside text: a name its author chose)."""
    head_repo: str = ""
    """``owner/name`` of the repository holding ``head_ref``: a fork's, or this one."""


@dataclass(frozen=True, slots=True)
class Posted:
    """What posting the review did: its URL (None when nothing was posted) and refusals."""

    url: str | None
    refused: tuple[ReviewComment, ...] = ()


class GitHubPR:
    """One pull request of one repository, through PyGithub."""

    def __init__(
        self,
        *,
        token: str,
        repo: str,
        number: int,
        base_url: str = DEFAULT_API_URL,
        max_wait_s: float = 120.0,
        attempts: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        write_gap_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        login: str = BOT_LOGIN,
        redact: Callable[[str], str] = str,
    ) -> None:
        # PyGithub's own urllib3 retry would sleep on rate limits uncapped; we wait here.
        self._gh = Github(
            auth=Auth.Token(token),
            base_url=base_url.rstrip("/"),
            retry=None,
            lazy=True,
            per_page=100,  # GitHub's maximum: fewer pages of files and comments
            # Writes are spaced here (``_write``), with the injectable sleep and clock.
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        self._repo = self._gh.get_repo(repo)
        self._pr = self._repo.get_pull(number)
        self._max_wait_s = max_wait_s
        self._attempts = attempts
        self._sleep = sleep
        self._clock = clock
        self._write_gap_s = WRITE_GAP_S if write_gap_s is None else write_gap_s
        self._last_write: float | None = None
        self.number = number
        self.repo_name = repo
        self.writes = 0
        self.login = login
        """The identity docbot posts as: only its comments' markers are believed."""
        self._redact = redact
        self._blobs = Blobs(self._repo, self._read)

    # -- reading -------------------------------------------------------------------------

    def info(self) -> PullRequestInfo:
        """The pull request's head and base commits, draft flag and address."""
        return self._read(self._fetch_pr, f"reading pull request #{self.number}")

    def _fetch_pr(self) -> PullRequestInfo:
        pr = self._repo.get_pull(self.number)
        self._pr = pr
        return PullRequestInfo(
            number=pr.number,
            title=pr.title,
            draft=bool(pr.draft),
            state=pr.state,
            head_sha=pr.head.sha,
            base_sha=pr.base.sha,
            html_url=pr.html_url,
            head_ref=pr.head.ref or "",
            head_repo=pr.head.repo.full_name if pr.head.repo else "",
        )

    def change(self, info: PullRequestInfo, *, workspace: Path | None = None) -> Change:
        """The pull request's source diffs and head texts, as the pipeline takes them."""
        files = self._read(lambda: list(self._pr.get_files()), "listing the changed files")
        return pull_change(
            files, self._blobs, base_sha=info.base_sha, head_sha=info.head_sha, workspace=workspace
        )

    def posted_suggestions(self) -> frozenset[tuple[str, str]]:
        """``(path, qualname)`` of every suggestion comment docbot already left here."""
        comments = self._read(
            lambda: list(self._pr.get_review_comments()), "reading the review comments"
        )
        found = (parse_marker(c.body or "") for c in comments)
        return frozenset(
            key for key, c in zip(found, comments, strict=True) if key is not None and self._mine(c)
        )

    def _mine(self, comment: Any) -> bool:
        """Whether docbot's identity wrote ``comment`` (anyone can copy its markers)."""
        return self._author(comment) == self.login

    @staticmethod
    def _author(item: Any) -> str:
        """The login that wrote a comment or review; empty when GitHub gave none."""
        try:
            user = item.user
        except (GithubException, requests.RequestException):
            return ""
        return str(user.login) if user is not None and user.login else ""

    # -- writing -------------------------------------------------------------------------

    def post_review(self, comments: Sequence[ReviewComment], *, head_sha: str) -> Posted:
        """Post one COMMENT review; if GitHub refuses some lines (422), post the rest."""
        try:
            return self._post_review(comments, head_sha)
        except requests.RequestException as exc:
            raise GitHubError(f"cannot reach GitHub while posting the review: {exc}") from None

    def _post_review(self, comments: Sequence[ReviewComment], head_sha: str) -> Posted:
        comments = [replace(c, body=self._redact(c.body)) for c in comments]
        over = tuple(c for c in comments if len(c.body) > COMMENT_LIMIT)
        if over:
            # Measured before posting: GitHub would refuse the whole review for one of these.
            posted = self._post_review([c for c in comments if c not in over], head_sha)
            return Posted(posted.url, posted.refused + over)
        if not comments:
            return Posted(None)
        try:
            return Posted(self._create_review(comments, head_sha))
        except GithubException as exc:
            if transient(exc):
                # A 5xx may come after GitHub created the review (large reviews time out
                # at its front end): look for the comments before calling it a failure.
                url = self._landed(comments)
                if url is not None:
                    return Posted(url)
            if exc.status != 422:
                raise self._write_error(exc, "posting the review") from None
        if self._discard_pending():
            # A pending review left by an interrupted run blocks every new review
            # ("User can only have one pending review per pull request").
            try:
                return Posted(self._create_review(comments, head_sha))
            except GithubException as exc:
                if exc.status != 422:
                    raise self._write_error(exc, "posting the review") from None
        refused = self._find_refused(list(comments), head_sha, known_bad=True)
        kept = [c for c in comments if c not in refused]
        if not kept:
            return Posted(None, tuple(refused))
        try:
            return Posted(self._create_review(kept, head_sha), tuple(refused))
        except GithubException as exc:
            raise self._write_error(exc, "posting the review") from None

    def _create_review(self, comments: Sequence[ReviewComment], head_sha: str) -> str:
        plan_body = self._redact(review_body(len(comments)))
        review = self._write(
            lambda: self._pr.create_review(
                commit=self._repo.get_commit(head_sha),
                body=plan_body,
                event="COMMENT",
                comments=[c.to_api() for c in comments],  # type: ignore[misc]
            )
        )
        author = self._author(review)
        if author:
            # The review says who docbot is: an App or a personal token posts under its own name.
            self.login = author
        return str(review.html_url)

    def _landed(self, comments: Sequence[ReviewComment]) -> str | None:
        """The URL of the review holding every one of ``comments``, if GitHub made it."""
        found = self._read(
            lambda: list(self._pr.get_review_comments()), "reading the review comments"
        )
        by_key = {parse_marker(c.body or ""): c for c in found if self._mine(c)}
        hits = [by_key.get((c.path, c.qualname)) for c in comments]
        first = hits[0]
        if first is None or any(hit is None for hit in hits):
            return None
        page = str(first.html_url).split("#", 1)[0]
        return f"{page}#pullrequestreview-{first.pull_request_review_id}"

    def _discard_pending(self) -> bool:
        """Delete the token's own pending reviews; whether there were any.

        GitHub lists a pending review to its author only, so every pending review the
        token can see is its own: a probe of an earlier run that did not get to delete it.
        """
        reviews = self._read(lambda: list(self._pr.get_reviews()), "reading the reviews")
        pending = [r for r in reviews if r.state == "PENDING"]
        for review in pending:
            try:
                self._write(review.delete)
            except GithubException as exc:
                raise self._write_error(exc, "deleting a pending review") from None
        return bool(pending)

    def _find_refused(
        self, comments: list[ReviewComment], head_sha: str, *, known_bad: bool = True
    ) -> list[ReviewComment]:
        """Bisect for the comments GitHub refuses, probing with pending reviews.

        A pending review is validated like a real one but stays invisible and is
        deleted at once, so probing never shows the author a half review.  A half is
        not probed when the answers so far already say it fails.
        """
        if not known_bad and self._accepts(comments, head_sha):
            return []
        if len(comments) == 1:
            return comments
        middle = len(comments) // 2
        left = self._find_refused(comments[:middle], head_sha, known_bad=False)
        right = self._find_refused(comments[middle:], head_sha, known_bad=known_bad and not left)
        return left + right

    def _accepts(self, comments: Sequence[ReviewComment], head_sha: str) -> bool:
        try:
            pending = self._write(
                lambda: self._pr.create_review(
                    commit=self._repo.get_commit(head_sha),
                    comments=[c.to_api() for c in comments],  # type: ignore[misc]
                )
            )
        except GithubException as exc:
            if exc.status == 422:
                return False
            raise self._write_error(exc, "checking review comments") from None
        self._write(pending.delete)
        return True

    def upsert_summary(self, body: str, *, create: bool = True) -> str | None:
        """Edit docbot's summary comment in place, or create it when ``create``.

        Unchanged text is not sent again.  Returns the comment's URL, if there is one.
        Only a comment docbot's identity wrote is edited, whatever markers others copy.
        """
        body = self._redact(body)
        if len(body) > COMMENT_LIMIT:
            raise GitHubError(
                f"the summary comment is {len(body)} characters, over GitHub's {COMMENT_LIMIT}"
            )
        comments = self._read(lambda: list(self._pr.get_issue_comments()), "reading the comments")
        mine = next(
            (c for c in comments if summary_state(c.body or "") is not None and self._mine(c)),
            None,
        )
        try:
            if mine is None and not create:
                return None
            if mine is None:
                return str(self._write(lambda: self._pr.create_issue_comment(body)).html_url)
            if summary_state(mine.body or "") != summary_state(body):
                self._write(lambda: mine.edit(body))
            return str(mine.html_url)
        except GithubException as exc:
            raise self._write_error(exc, "writing the summary comment") from None
        except requests.RequestException as exc:
            raise GitHubError(f"cannot reach GitHub while writing the summary: {exc}") from None

    def git(self, repo: str) -> GitData:
        """Git data, refs and pull requests of ``repo`` (the head's), through this client."""
        from bot.gitdata import GitData

        return GitData(
            self._gh.get_repo(repo),
            read=self._read,
            write=self._write,
            refused=self._write_error,
            redact=self._redact,
        )

    # -- plumbing ------------------------------------------------------------------------

    def _write(self, fn: Callable[[], T]) -> T:
        """A mutative request, at least ``write_gap_s`` after the previous one."""
        if self._last_write is not None:
            gap = self._write_gap_s - (self._clock() - self._last_write)
            if gap > 0:
                self._sleep(gap)
        self.writes += 1
        try:
            return self._call(fn)
        finally:
            self._last_write = self._clock()

    def _call(self, fn: Callable[[], T], *, idempotent: bool = False) -> T:
        """Call GitHub, waiting out rate limits up to ``max_wait_s`` per wait.

        ``idempotent`` calls (reads) are also retried after a 5xx or a dropped
        connection; a write is not, since GitHub may have done it before failing.
        """

        def wait(state: Any) -> float:
            exc = state.outcome.exception() if state.outcome else None
            limit = self._limit_wait(exc, state.attempt_number)
            return limit if limit is not None else min(2.0**state.attempt_number, 8.0)

        def retryable(state: Any) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            if exc is None:
                return False
            limit = self._limit_wait(exc, state.attempt_number)
            if limit is not None:
                return limit <= self._max_wait_s
            return idempotent and transient(exc)

        retrying = Retrying(
            retry=retryable,
            wait=wait,
            stop=stop_after_attempt(self._attempts),
            sleep=self._sleep,
            reraise=True,
        )
        return retrying(fn)

    def _read(self, fn: Callable[[], T], doing: str) -> T:
        """A read: like ``_call``, with GitHub's refusal turned into one actionable line."""
        try:
            return self._call(fn, idempotent=True)
        except GithubException as exc:
            if exc.status == 404:
                raise GitHubError(
                    f"GitHub answered 404 while {doing}: check the repository, the pull request "
                    "number and that the token can read them"
                ) from None
            raise describe(exc, doing) from None
        except requests.RequestException as exc:
            raise GitHubError(f"cannot reach GitHub while {doing}: {exc}") from None

    def _limit_wait(self, exc: BaseException | None, attempt: int = 1) -> float | None:
        if not isinstance(exc, GithubException):
            return None
        return rate_limit_wait(
            exc.status, exc.headers, now=time.time(), message=message_of(exc), attempt=attempt
        )

    def _write_error(self, exc: GithubException, doing: str) -> GitHubError:
        if exc.status in (401, 403, 404) and self._limit_wait(exc) is None:
            return WriteRefused(
                f"GitHub refused {doing} ({exc.status}): the token cannot write to this pull "
                "request (a fork's read-only token, or missing `pull-requests: write`)"
            )
        return describe(exc, doing)
