"""Change sources: a real git checkout in every state a user has, and a diff with a folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.changes import from_diff_text, from_git, head_is
from bot.errors import ChangeError


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "PATH": "/usr/bin:/bin",
            "HOME": str(cwd),
        },
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("def old():\n    return 1\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def test_working_tree_against_head_includes_uncommitted_and_untracked_files(repo: Path) -> None:
    (repo / "pkg" / "mod.py").write_text(
        "def old():\n    return 1\n\n\ndef new(x):\n    return x\n"
    )
    (repo / "pkg" / "fresh.py").write_text("class Fresh:\n    pass\n")
    (repo / "notes.txt").write_text("not python\n")
    change = from_git(repo, base=None, head=None)
    by_path = {d.path: d for d in change.diffs}
    assert by_path["pkg/mod.py"].added == frozenset({3, 4, 5, 6})
    assert by_path["pkg/fresh.py"].status == "added"
    assert by_path["pkg/fresh.py"].added == frozenset({1, 2})
    assert set(change.files) == {"pkg/mod.py", "pkg/fresh.py"}
    assert change.files["pkg/fresh.py"] == "class Fresh:\n    pass\n"


def test_committed_range_reads_files_at_head_not_the_working_tree(repo: Path) -> None:
    (repo / "pkg" / "mod.py").write_text(
        "def old():\n    return 1\n\n\ndef new(x):\n    return x\n"
    )
    git(repo, "commit", "-qam", "add new")
    (repo / "pkg" / "mod.py").write_text("garbage that is not the committed text\n")
    change = from_git(repo, base="HEAD~1", head="HEAD")
    assert change.files["pkg/mod.py"].endswith("def new(x):\n    return x\n")


def test_default_base_is_the_merge_base_with_upstream(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    remote = tmp_path_factory.mktemp("remote")
    git(remote, "init", "-q", "--bare")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    (repo / "pkg" / "mod.py").write_text(
        "def old():\n    return 1\n\n\ndef new(x):\n    return x\n"
    )
    git(repo, "commit", "-qam", "local work")
    change = from_git(repo, base=None, head=None)
    assert [d.path for d in change.diffs] == ["pkg/mod.py"]


def test_crlf_and_bom_survive_reading(repo: Path) -> None:
    (repo / "pkg" / "win.py").write_bytes(b"\xef\xbb\xbfdef f():\r\n    return 1\r\n")
    change = from_git(repo, base=None, head=None)
    assert change.files["pkg/win.py"] == "\ufeffdef f():\r\n    return 1\r\n"


def test_a_file_that_is_not_utf8_is_skipped_with_a_reason(repo: Path) -> None:
    (repo / "pkg" / "latin.py").write_bytes(b"x = '\xe9'\n")
    change = from_git(repo, base=None, head=None)
    assert "pkg/latin.py" not in change.files
    assert [(s.path, s.reason) for s in change.skips] == [("pkg/latin.py", "not UTF-8 (byte 5)")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": "nope", "head": None}, "--base nope: no such revision"),
        ({"base": "HEAD", "head": "nope"}, "--head nope: no such revision"),
    ],
)
def test_unknown_revisions_are_named(
    repo: Path, kwargs: dict[str, str | None], message: str
) -> None:
    with pytest.raises(ChangeError, match=message):
        from_git(repo, **kwargs)


def test_outside_a_checkout_says_what_to_do_instead(tmp_path: Path) -> None:
    with pytest.raises(ChangeError, match="not a git checkout; use --diff FILE --root DIR"):
        from_git(tmp_path, base=None, head=None)


DIFF = """\
diff --git a/pkg/mod.py b/pkg/mod.py
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -1,2 +1,5 @@
 def old():
     return 1
+
+def new(x):
+    return x
"""


def test_diff_with_root_reads_the_new_files(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(
        "def old():\n    return 1\n\ndef new(x):\n    return x\n"
    )
    change = from_diff_text(DIFF, tmp_path)
    assert change.diffs[0].added == frozenset({3, 4, 5})
    assert "def new(x)" in change.files["pkg/mod.py"]


def test_diff_naming_a_file_missing_under_root_says_so(tmp_path: Path) -> None:
    with pytest.raises(ChangeError, match=r"pkg/mod\.py: in the diff but not under --root"):
        from_diff_text(DIFF, tmp_path)


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ChangeError, match="not a folder"):
        from_diff_text(DIFF, tmp_path / "missing")


def test_head_is_tells_whether_a_checkout_holds_that_commit(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert head_is(repo, sha)
    assert not head_is(repo, "0" * 40)
    assert not head_is(tmp_path_factory.mktemp("plain"), sha)


def test_the_root_of_the_new_versions_travels_with_the_change(repo: Path, tmp_path: Path) -> None:
    """Rules spanning files (Rust's crate) read unchanged files there; a committed head's
    tree is not on disk, so that change has none."""
    (repo / "pkg" / "mod.py").write_text(
        "def old():\n    return 1\n\n\ndef new(x):\n    return x\n"
    )
    assert from_git(repo, base=None, head=None).root == repo.resolve()
    git(repo, "commit", "-qam", "add new")
    assert from_git(repo, base="HEAD~1", head="HEAD").root is None
    root = tmp_path / "new"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("def old():\n    return 1\n\ndef new(x):\n    return x\n")
    assert from_diff_text(DIFF, root).root == root
