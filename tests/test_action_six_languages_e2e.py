"""The Action end to end on one pull request touching all six languages.

Python (tests/data/action_pr, 23 targets), TypeScript and JavaScript
(tests/data/action_pr_ts), Go and Rust (tests/data/action_pr_go_rust), Java and C#
(tests/data/action_pr_jvm) in one pull request: one review carries a suggestion for every
target whose lines are in the diff; committed the way GitHub commits them, every file
passes its language's proof and, pushed, leaves docbot nothing to say; a re-run posts
nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.languages import Registry
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import run_docbot, tree
from tests.test_action_e2e import apply_like_github
from tests.test_action_go_rust_e2e import GO_TARGETS, RUST_TARGETS
from tests.test_action_languages_e2e import SCRIPT_TARGETS

DATA = Path(__file__).parent / "data"
JVM_TARGETS = {
    ("ledger/src/main/java/shop/Ledger.java", "Ledger.total"),
    ("ledger/src/main/java/shop/Ledger.java", "Ledger.first"),  # toString: @Override
    ("ShopNet/Ledger.cs", "Ledger.Total"),
    ("ShopNet/Ledger.cs", "Ledger.Count"),  # Clear is internal
}
OTHERS = SCRIPT_TARGETS | GO_TARGETS | RUST_TARGETS | JVM_TARGETS


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def _version(name: str) -> dict[str, str]:
    """The whole repository at ``base`` or ``head``: every fixture folder's files."""
    python = tree("base" if name == "base" else "head1")
    rest = ("action_pr_ts", "action_pr_go_rust", "action_pr_jvm")
    return python | {k: v for part in rest for k, v in _files(DATA / part / name).items()}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub(prefix="/api/v3", page_size=5) as server:
        base = server.commit(_version("base"))
        server.open_pull(12, base, server.commit(_version("head"), base))
        yield server


def _posted(fake: FakeGitHub) -> dict[tuple[str, str], dict[str, object]]:
    return {
        (str(c["path"]), str(c["body"]).split("`")[1]): c for c in fake.pulls[12].review_comments
    }


def test_one_review_suggests_for_all_six_languages(fake: FakeGitHub, tmp_path: Path) -> None:
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert [r["state"] for r in fake.pulls[12].reviews] == ["COMMENTED"]
    posted = _posted(fake)
    assert {k for k in posted if not k[0].endswith(".py")} == OTHERS
    assert len([k for k in posted if k[0].endswith(".py")]) == 23
    languages = {Registry().language_for(path).name for path, _ in posted}  # type: ignore[union-attr]
    assert languages == {"python", "typescript", "javascript", "go", "rust", "java", "csharp"}
    expected = str(23 + len(OTHERS))
    assert run.outputs["targets"] == run.outputs["suggested"] == expected


def test_committed_suggestions_pass_every_proof_and_leave_nothing(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    assert run_docbot(fake, tmp_path / "1").code == 0
    head = _version("head")
    by_path: dict[str, list[dict[str, object]]] = {}
    for comment in fake.pulls[12].review_comments:
        by_path.setdefault(str(comment["path"]), []).append(comment)
    committed = dict(head)
    for path, comments in by_path.items():
        committed[path] = apply_like_github(head[path], comments)
        language = Registry().language_for(path)
        assert language is not None
        language.check_safe(head[path], committed[path])  # raises on any code change
    pull = fake.pulls[12]
    fake.move_branch(pull.head_ref, fake.commit(committed, pull.head))
    after = run_docbot(fake, tmp_path / "2", action="synchronize")
    assert after.code == 0, after.stdout
    assert after.outputs["targets"] == "0"


def test_a_rerun_posts_nothing_new(fake: FakeGitHub, tmp_path: Path) -> None:
    first = run_docbot(fake, tmp_path / "1", action="opened")
    second = run_docbot(fake, tmp_path / "2", action="synchronize")
    assert first.code == second.code == 0
    assert second.writes == []
    assert len(fake.pulls[12].reviews) == 1
