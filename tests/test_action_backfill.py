"""``mode: backfill`` in the Action: the branch's code documented as pull requests into it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.action_backfill import split
from bot.suggest import check_safe
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import ActionRun, run_docbot

MODULES = {
    f"pkg/{name}.py": f'"""The {name} module."""\n\n\ndef {name}_total(items: list[int]) -> int:\n'
    f"    return sum(items)\n\n\nclass {name.title()}Box:\n    def size(self) -> int:\n"
    "        return 0\n"
    for name in ("alpha", "beta", "gamma")
}
TREE = {**MODULES, "README.md": "# pkg\n", "tests/test_alpha.py": "def test_x():\n    pass\n"}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub() as server:
        yield server


def checkout(workspace: Path, fake: FakeGitHub) -> str:
    """A real checkout of ``TREE`` on main; the fake holds the same commit and branch."""
    workspace.mkdir(parents=True)
    for path, text in TREE.items():
        (workspace / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace / path).write_text(text)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e.x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e.x", "HOME": str(workspace), "PATH": "/usr/bin:/bin"}  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "code"]):
        subprocess.run(["git", *args], cwd=workspace, env=env, check=True, capture_output=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=workspace, check=True, capture_output=True, text=True
    ).stdout.strip()
    fake.store_commit(TREE, [], "code", sha)
    fake.refs["main"] = sha
    return sha


def backfill(fake: FakeGitHub, tmp_path: Path, sha: str, **inputs: str) -> ActionRun:
    return run_docbot(
        fake, tmp_path, event="workflow_dispatch",
        inputs={"mode": "backfill", **inputs},
        env={"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": sha},
    )  # fmt: skip


def test_split_keeps_path_order_in_parts_of_max_files() -> None:
    assert split(["c", "a", "b"], 2) == [["a", "b"], ["c"]]
    assert split([], 2) == []


def test_a_backfill_opens_pull_requests_of_max_files_each_and_keeps_them_in_place(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    sha = checkout(tmp_path / "workspace", fake)
    first = backfill(fake, tmp_path, sha, paths="pkg", **{"max-files": "2"})
    assert first.code == 0, first.stdout
    assert first.outputs["targets"] == first.outputs["suggested"] == "9"
    pulls = sorted(fake.pulls.values(), key=lambda p: p.number)
    assert [(p.head_ref, p.base_ref, p.title) for p in pulls] == [
        ("docbot/backfill/main/1", "main", "docbot: docstrings for main (1/2)"),
        ("docbot/backfill/main/2", "main", "docbot: docstrings for main (2/2)"),
    ]
    for pull, paths in zip(pulls, (["pkg/alpha.py", "pkg/beta.py"], ["pkg/gamma.py"]), strict=True):
        made = fake.trees[pull.head]
        assert fake.parents[pull.head] == [sha]
        assert {p for p in TREE if made[p] != TREE[p]} == set(paths)
        for path in paths:
            check_safe(TREE[path], made[path])
            assert made[path].count('"""') == 2 + 2 * 3
    assert "- pull request [#1](" in first.summary and "- pull request [#2](" in first.summary
    assert first.summary.count("| suggested (delivered) |") == 9
    assert first.outputs["delivery-url"].endswith("/pull/1")

    again = backfill(fake, tmp_path, sha, paths="pkg", **{"max-files": "2"})
    assert again.writes == [] and len(fake.pulls) == 2

    wider = backfill(fake, tmp_path, sha, paths="pkg", **{"max-files": "3"})
    assert wider.code == 0, wider.stdout
    assert len(fake.pulls) == 2
    assert fake.pulls[1].state == "open" and fake.pulls[2].state == "closed"
    assert {p for p in TREE if fake.trees[fake.pulls[1].head][p] != TREE[p]} == set(MODULES)


def test_a_backfill_needs_the_checkout_and_a_branch(fake: FakeGitHub, tmp_path: Path) -> None:
    sha = checkout(tmp_path / "workspace", fake)
    wrong = backfill(fake, tmp_path, "f" * 40)
    assert wrong.code == 2
    assert "run actions/checkout before docbot" in wrong.stdout
    on_tag = run_docbot(
        fake, tmp_path, event="workflow_dispatch", inputs={"mode": "backfill"},
        env={"GITHUB_REF": "refs/tags/v1", "GITHUB_SHA": sha},
    )  # fmt: skip
    assert on_tag.code == 2 and "runs on a branch, not 'refs/tags/v1'" in on_tag.stdout
    assert fake.writes == []
