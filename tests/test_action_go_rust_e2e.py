"""The Action end to end on a pull request mixing Python, Go and Rust.

The Python half is tests/data/action_pr (23 targets); tests/data/action_pr_go_rust adds a
Go package and a Rust crate.  One review carries suggestions for all three; committed the
way GitHub commits them, each file passes its language's proof, golint and rustc report
none of the targets; a re-run posts nothing new.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.languages import Registry
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import run_docbot, tree
from tests.languages.rustc_oracle import rustc_report
from tests.languages.test_golang_targets import missing, run_golint
from tests.test_action_e2e import apply_like_github

DATA = Path(__file__).parent / "data" / "action_pr_go_rust"
GO_TARGETS = {
    ("store/store.go", "ErrMissing"),
    ("store/store.go", "DefaultSize"),
    ("store/store.go", "New"),
    ("store/store.go", "Store.Get"),  # only //go:noinline above it: no documentation
    ("store/store.go", "Cache"),
    ("store/store.go", "Cache.Len"),  # a generic receiver: golint misses it, Go does not
}
RUST_TARGETS = {
    ("shelf/src/lib.rs", "ShelfError.Full"),
    ("shelf/src/lib.rs", "ShelfError.Missing"),
    ("shelf/src/lib.rs", "ShelfError.Missing.title"),
    ("shelf/src/lib.rs", "Shelf"),
    ("shelf/src/lib.rs", "Shelf.capacity"),
    ("shelf/src/lib.rs", "Shelf.put"),
    ("shelf/src/lib.rs", "Shelf.first_unchecked"),
    ("shelf/src/index.rs", "index.Index"),  # re-exported; index.Hidden is not
    ("shelf/src/index.rs", "index.Index.entries"),
}


def _files(version: str) -> dict[str, str]:
    folder = DATA / version
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub(prefix="/api/v3", page_size=3) as server:
        base = server.commit(tree("base") | _files("base"))
        head = server.commit(tree("head1") | _files("head"), base)
        server.open_pull(12, base, head)
        yield server


def _bodies(fake: FakeGitHub) -> dict[tuple[str, str], str]:
    return {
        (str(c["path"]), str(c["body"]).split("`")[1]): str(c["body"])
        for c in fake.pulls[12].review_comments
    }


def test_one_review_suggests_for_python_go_and_rust(fake: FakeGitHub, tmp_path: Path) -> None:
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert [r["state"] for r in fake.pulls[12].reviews] == ["COMMENTED"]
    bodies = _bodies(fake)
    assert {k for k in bodies if k[0].startswith("store/")} == GO_TARGETS
    assert {k for k in bodies if k[0].startswith("shelf/")} == RUST_TARGETS
    assert len([k for k in bodies if k[0].endswith(".py")]) == 23
    expected = str(23 + len(GO_TARGETS) + len(RUST_TARGETS))
    assert run.outputs["targets"] == run.outputs["suggested"] == expected
    # Go: the name first, above the directive; Rust: above the attributes, # Safety.
    assert (
        "```suggestion\n// Get gets.\n//\n//go:noinline\n```"
        in bodies[("store/store.go", "Store.Get")]
    )
    assert (
        "```suggestion\n// Default size.\nconst (\n```" in bodies[("store/store.go", "DefaultSize")]
    )
    assert (
        "```suggestion\n/// Shelf.\n#[derive(Debug, Default)]\n```"
        in bodies[("shelf/src/lib.rs", "Shelf")]
    )
    assert "    /// # Safety\n" in bodies[("shelf/src/lib.rs", "Shelf.first_unchecked")]


def test_committed_suggestions_pass_the_proof_and_the_linters(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    assert run_docbot(fake, tmp_path).code == 0
    head = tree("head1") | _files("head")
    by_path: dict[str, list[dict[str, object]]] = {}
    for comment in fake.pulls[12].review_comments:
        by_path.setdefault(str(comment["path"]), []).append(comment)
    committed = tmp_path / "committed"
    for path, content in _files("head").items():
        (committed / path).parent.mkdir(parents=True, exist_ok=True)
        (committed / path).write_text(content)
    for path, comments in by_path.items():
        after = apply_like_github(head[path], comments)
        language = Registry().language_for(path)
        assert language is not None
        language.check_safe(head[path], after)
        if path.startswith(("store/", "shelf/")):
            (committed / path).write_text(after)
    gofmt = subprocess.run(
        ["gofmt", "-l", str(committed / "store")], capture_output=True, text=True
    )
    assert gofmt.stdout == ""
    assert rustc_report(committed / "shelf") == []
    # Last: without golint (no allowed source installs it) this skips, after all the rest.
    assert missing(run_golint(committed / "store", "store.go")) == []


def test_a_rerun_posts_nothing_new(fake: FakeGitHub, tmp_path: Path) -> None:
    first = run_docbot(fake, tmp_path, action="opened")
    second = run_docbot(fake, tmp_path, action="synchronize")
    assert first.code == second.code == 0
    assert second.writes == []
    assert len(fake.pulls[12].reviews) == 1
