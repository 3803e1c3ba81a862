"""Delivery as one commit or one pull request, kept in place; each file proven whole first.

``pull_request_of_edits`` is what both the Action (``docbot/<number>`` into the author's
branch) and a backfill (into the branch it ran on) call: shown here for the latter.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.delivery import commit_edits, proven_edits, pull_request_of_edits
from bot.gitdata import GitData
from bot.github import GitHubPR
from bot.model import Result, Status, Suggestion, Target, TargetKind
from tests.fakes.github import FakeGitHub

SOURCE = "def area(w, h):\n    return w * h\n\n\ndef side(a):\n    return a\n"
TREE = {"geo.py": SOURCE, "other.py": "def f():\n    return 1\n", "README.md": "# x\n"}


def _result(path: str, name: str, line: int, replacement: str) -> Result:
    target = Target(path, name, TargetKind.FUNCTION, line, line + 1, line, "    ", False)
    suggestion = Suggestion(path, line, line, replacement)
    return Result(target, Status.SUGGESTED, docstring="Doc.", suggestion=suggestion)


def test_each_file_is_proven_whole_and_a_failing_file_is_left_alone() -> None:
    good = [
        _result("geo.py", "area", 1, 'def area(w, h):\n    """Area."""'),
        _result("geo.py", "side", 5, 'def side(a):\n    """Side."""'),
    ]
    # Each edit alone might pass, but this one changes code: the whole file is refused.
    bad = _result("other.py", "f", 1, "def f():\n    return 2")
    edits = proven_edits([*good, bad], TREE)
    assert edits.files == {
        "geo.py": 'def area(w, h):\n    """Area."""\n    return w * h\n\n\n'
        'def side(a):\n    """Side."""\n    return a\n'
    }
    assert edits.results[:2] == tuple(good)
    failed = edits.results[2]
    assert failed.status is Status.FAILED and failed.suggestion is None
    assert failed.reason == (
        "the file with all its docstrings failed the proof: the edit changes code, "
        "not only docstrings"
    )


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.refs["main"] = server.commit(TREE)
        yield server


def git_of(fake: FakeGitHub) -> GitData:
    client = GitHubPR(
        token="write-token", repo="octo/widgets", number=1, base_url=fake.base_url, write_gap_s=0
    )
    return client.git("octo/widgets")


def _backfill(git: GitData, fake: FakeGitHub, edits: dict[str, str], body: str = "b") -> str:
    done = pull_request_of_edits(
        git, base="main", base_sha=fake.refs["main"], branch="docbot/backfill",
        edits=edits, title="docbot: backfill", body=body,
    )  # fmt: skip
    return done.state


def test_a_pull_request_of_edits_is_opened_kept_updated_and_closed_in_place(
    fake: FakeGitHub,
) -> None:
    git = git_of(fake)
    one = {"geo.py": '"""Geometry."""\n' + SOURCE}
    assert _backfill(git, fake, one) == "opened"
    (pull,) = fake.pulls.values()
    assert (pull.head_ref, pull.base_ref, pull.title) == (
        "docbot/backfill",
        "main",
        "docbot: backfill",
    )
    assert fake.trees[pull.head] == {**TREE, **one}
    assert fake.parents[pull.head] == [fake.refs["main"]]
    writes = len(fake.writes)
    assert _backfill(git, fake, one) == "unchanged"
    assert len(fake.writes) == writes  # nothing written again
    # A summary's state trailer stands for its body: figures around it may differ.
    marked = "b\n<!-- docbot:summary state=0123456789abcdef -->"
    assert _backfill(git, fake, one, body=marked) == "updated"
    assert _backfill(git, fake, one, body="c\n" + marked) == "unchanged"
    assert _backfill(git, fake, one, body="new state") == "updated"
    assert pull.body == "new state"
    two = {**one, "other.py": '"""Other."""\n' + TREE["other.py"]}
    assert _backfill(git, fake, two) == "updated"
    assert fake.trees[pull.head] == {**TREE, **two} and len(fake.pulls) == 1
    assert _backfill(git, fake, {}) == "closed"
    assert pull.state == "closed"
    assert _backfill(git, fake, {}) == "nothing"


def test_commit_edits_without_edits_writes_nothing(fake: FakeGitHub) -> None:
    done = commit_edits(git_of(fake), branch="main", head=fake.refs["main"], edits={}, message="m")
    assert done.state == "nothing" and fake.writes == []
