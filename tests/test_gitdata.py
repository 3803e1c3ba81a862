"""Git data through PyGithub against the fake GitHub: snapshots, commits, branch updates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.errors import GitHubError
from bot.gitdata import GitData, NotFastForward, blob_id
from bot.github import GitHubPR, WriteRefused
from bot.redact import Redactor
from tests.fakes.github import FakeGitHub, blob_sha, tree_sha

BASE = {"pkg/a.py": "def a():\n    return 1\n", "bin/tool.py": "print('x')\n", "README.md": "# x\n"}


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.modes["bin/tool.py"] = "100755"
        head = server.commit(BASE)
        server.open_pull(12, head, head)
        yield server


def git_of(fake: FakeGitHub, token: str = "write-token", repo: str = "octo/widgets") -> GitData:
    client = GitHubPR(
        token=token, repo="octo/widgets", number=12, base_url=fake.base_url, write_gap_s=0.0
    )
    return client.git(repo)


def test_blob_ids_are_gits() -> None:
    assert blob_id("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"  # git hash-object
    assert blob_id("é\r\n") == blob_sha("é\r\n")


def test_a_snapshot_lists_every_file_with_its_mode_and_blob(fake: FakeGitHub) -> None:
    head = fake.refs["feature"]
    snap = git_of(fake).snapshot(head)
    assert snap.commit == head and snap.complete
    assert snap.files["bin/tool.py"] == ("100755", blob_sha(BASE["bin/tool.py"]))
    assert set(snap.files) == set(BASE)


def test_a_commit_changes_only_the_edited_files_and_keeps_their_modes(fake: FakeGitHub) -> None:
    git = git_of(fake)
    head = fake.refs["feature"]
    edits = {"bin/tool.py": '"""Tool."""\nprint(\'x\')\n', "pkg/a.py": BASE["pkg/a.py"] + "\n"}
    sha = git.make_commit(git.snapshot(head), edits, "docs")
    assert fake.trees[sha] == {**BASE, **edits}
    assert fake.parents[sha] == [head] and fake.messages[sha] == "docs"
    assert fake.modes["bin/tool.py"] == "100755"
    assert git.holds(sha, git.snapshot(head), edits)
    assert not git.holds(sha, git.snapshot(head), {"pkg/a.py": BASE["pkg/a.py"] + "\n"})
    git.fast_forward("feature", sha)
    assert fake.refs["feature"] == sha == fake.pulls[12].head


def test_a_branch_that_moved_is_not_forced(fake: FakeGitHub) -> None:
    git = git_of(fake)
    head = fake.refs["feature"]
    sha = git.make_commit(git.snapshot(head), {"pkg/a.py": "A = 1\n"}, "docs")
    theirs = fake.commit({**BASE, "NOTES": "n\n"}, head)
    fake.move_branch("feature", theirs)
    with pytest.raises(NotFastForward, match=r"\(422, not a fast forward\): it moved"):
        git.fast_forward("feature", sha)
    assert fake.refs["feature"] == theirs


def test_docbots_own_branch_is_created_then_forced(fake: FakeGitHub) -> None:
    git = git_of(fake)
    head = fake.refs["feature"]
    assert git.branch("docbot/12") is None
    first = git.make_commit(git.snapshot(head), {"pkg/a.py": "A = 1\n"}, "one")
    git.put_branch("docbot/12", first, exists=False)
    second = git.make_commit(git.snapshot(head), {"pkg/a.py": "A = 2\n"}, "two")
    git.put_branch("docbot/12", second, exists=True)
    assert git.branch("docbot/12") == second


@pytest.mark.parametrize(
    ("token", "repo"), [("read-token", "octo/widgets"), ("write-token", "mona/widgets")]
)
def test_a_token_that_cannot_write_there_is_refused(
    fake: FakeGitHub, token: str, repo: str
) -> None:
    fake.forks.add("mona/widgets")
    git = git_of(fake, token, repo)
    snap = git.snapshot(fake.refs["feature"])  # reading is allowed
    with pytest.raises(WriteRefused, match=r"writing a tree \(403\)"):
        git.make_commit(snap, {"pkg/a.py": "A = 1\n"}, "docs")


def test_an_unknown_commit_is_a_clear_error(fake: FakeGitHub) -> None:
    with pytest.raises(GitHubError, match="404 while reading commit"):
        git_of(fake).snapshot("0" * 40)


def test_many_bytes_of_text_go_in_a_chain_of_trees(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.gitdata.TREE_BYTES", 30)
    git = git_of(fake)
    head = fake.refs["feature"]
    edits = {f"pkg/m{n}.py": f'"""Module {n}, twenty bytes."""\n' for n in range(3)}
    sha = git.make_commit(git.snapshot(head), edits, "docs")
    assert fake.trees[sha] == {**BASE, **edits}
    trees = [r for r in fake.writes if r.path.endswith("/git/trees")]
    assert [len(r.body["tree"]) for r in trees] == [1, 1, 1]
    m0, m1 = (f"pkg/m{n}.py" for n in range(2))
    assert [r.body["base_tree"] for r in trees] == [
        tree_sha(BASE),
        tree_sha({**BASE, m0: edits[m0]}),
        tree_sha({**BASE, m0: edits[m0], m1: edits[m1]}),
    ]


def test_the_fake_answers_blobs_and_tree_entries_by_sha_or_deletion_like_github(
    fake: FakeGitHub,
) -> None:
    from github import Auth, Github, GithubException, InputGitTreeElement

    repo = Github(auth=Auth.Token("write-token"), base_url=fake.base_url).get_repo("octo/widgets")
    blob = repo.create_git_blob("new text\n", "utf-8")
    assert blob.sha == blob_id("new text\n")
    base = repo.get_git_tree(tree_sha(BASE))
    made = repo.create_git_tree(
        [
            InputGitTreeElement("docs/new.txt", "100644", "blob", sha=blob.sha),
            InputGitTreeElement("README.md", "100644", "blob", sha=None),
        ],
        base,
    )
    expected = {**BASE, "docs/new.txt": "new text\n"}
    del expected["README.md"]
    assert made.sha == tree_sha(expected)
    with pytest.raises(GithubException, match="422"):
        repo.create_git_tree([InputGitTreeElement("x", "100644", "blob", sha="0" * 40)], base)


def test_commit_messages_and_pull_request_texts_go_through_the_redactor(fake: FakeGitHub) -> None:
    key = "sk-live-0123456789abcdefABCDEF0123"
    client = GitHubPR(
        token="write-token", repo="octo/widgets", number=12, base_url=fake.base_url,
        write_gap_s=0.0, redact=Redactor([key]),
    )  # fmt: skip
    git = client.git("octo/widgets")
    head = fake.refs["feature"]
    sha = git.make_commit(git.snapshot(head), {"pkg/a.py": "x = 1\n"}, f"docs ({key})")
    git.put_branch("docbot/12", sha, exists=False)
    pull = git.create_pull(head="docbot/12", base="feature", title=f"t {key}", body=f"b {key}")
    git.edit_pull(pull, body=f"again {key}")
    texts = [fake.messages[sha], *(p.title + p.body for p in fake.pulls.values())]
    assert texts and all(key not in text for text in texts)
    assert "[redacted]" in fake.messages[sha]
