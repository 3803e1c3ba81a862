"""Diff parsing: every kind of file a change holds, in new-file line numbers."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import pytest
import unidiff

from bot.diff import diff_lines, parse_diff
from bot.errors import ChangeError
from bot.model import FileDiff

DATA = Path(__file__).parent / "data" / "diffs"


def fixture(name: str) -> str:
    # read_text() would turn the CRLF lines of pkg/dos.py into LF
    return (DATA / name).read_bytes().decode("utf-8")


def by_path(text: str) -> dict[str, FileDiff]:
    return {f.path: f for f in parse_diff(text)}


# -- a real `git diff -M` of one commit with every kind of change ----------------------------

UPGRADE = {
    "logo.png": FileDiff("logo.png", None, "binary", frozenset()),
    "pkg/café.py": FileDiff("pkg/café.py", None, "modified", frozenset({1}), ((1, 1),)),
    "pkg/dos.py": FileDiff("pkg/dos.py", None, "modified", frozenset({3, 4, 5, 6}), ((1, 6),)),
    "pkg/empty.py": FileDiff("pkg/empty.py", None, "added", frozenset()),
    "pkg/gone.py": FileDiff("pkg/gone.py", None, "deleted", frozenset()),
    "pkg/mod.py": FileDiff(
        "pkg/mod.py", None, "modified", frozenset({2, 25, 26}), ((1, 5), (8, 13), (22, 29))
    ),
    "pkg/my file.py": FileDiff("pkg/my file.py", None, "modified", frozenset({1}), ((1, 1),)),
    "pkg/new.py": FileDiff("pkg/new.py", None, "added", frozenset({1, 2}), ((1, 2),)),
    "pkg/new_name.py": FileDiff(
        "pkg/new_name.py", "pkg/old_name.py", "renamed", frozenset({5, 6}), ((2, 9),)
    ),
    "pkg/tail.py": FileDiff("pkg/tail.py", None, "modified", frozenset({2}), ((1, 2),)),
    "run.sh": FileDiff("run.sh", None, "modified", frozenset()),
}


@pytest.mark.parametrize("path", sorted(UPGRADE))
def test_git_diff_fixture(path: str) -> None:
    """binary, quoted non-ASCII path, CRLF lines, new empty file, deleted, three hunks,
    a path with a space (git adds a tab after it), renamed with edits, no newline at end
    of file, mode only."""
    assert by_path(fixture("upgrade.diff"))[path] == UPGRADE[path]


def test_files_keep_the_diffs_order() -> None:
    assert [f.path for f in parse_diff(fixture("upgrade.diff"))] == list(UPGRADE)


def test_same_lines_as_unidiff() -> None:
    """unidiff is the reference grammar; we only skip building its per-line objects."""
    text = fixture("upgrade.diff")
    ours = by_path(text)
    for patched in unidiff.PatchSet(text):
        if patched.is_binary_file or patched.path.startswith('"'):
            continue
        mine = ours[patched.target_file[2:] if not patched.is_removed_file else patched.path]
        assert mine.added == {
            line.target_line_no for hunk in patched for line in hunk if line.is_added
        }
        assert mine.hunks == tuple(
            (h.target_start, h.target_start + h.target_length - 1)
            for h in patched
            if h.target_length
        )


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@127.0.0.1", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_diff_made_by_real_git(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "a.py").write_text("def f():\n    return 1\n" + "x = 0\n" * 20)
    (tmp_path / "b.py").write_text("import os\n" * 30)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "a.py").write_text(
        "def f(x):\n    return x\n" + "x = 0\n" * 20 + "def g():\n    pass\n"
    )
    (tmp_path / "b.py").rename(tmp_path / "c.py")
    (tmp_path / "c.py").write_text("import os\n" * 29 + "import sys\n")
    git(tmp_path, "add", "-A")
    diffs = by_path(git(tmp_path, "diff", "--cached", "-M"))
    assert diffs["a.py"] == FileDiff(
        "a.py", None, "modified", frozenset({1, 2, 23, 24}), ((1, 5), (20, 24))
    )
    assert diffs["c.py"] == FileDiff("c.py", "b.py", "renamed", frozenset({30}), ((27, 30),))


# -- other producers of unified diffs ---------------------------------------------------------


def test_difflib_output_without_git_headers() -> None:
    old = ["a\n", "b\n", "c\n"]
    new = ["a\n", "B\n", "c\n", "d\n"]
    text = "".join(difflib.unified_diff(old, new, "old/pkg/m.py", "new/pkg/m.py"))
    assert parse_diff(text) == [
        FileDiff("pkg/m.py", None, "modified", frozenset({2, 4}), ((1, 4),))
    ]


def test_github_patch_with_a_b_headers() -> None:
    """What bot.github builds from a pull request file's ``patch`` (no trailing newline)."""
    text = "--- a/pkg/m.py\n+++ b/pkg/m.py\n@@ -1,2 +1,3 @@\n x = 1\n+y = 2\n z = 3"
    assert parse_diff(text) == [FileDiff("pkg/m.py", None, "modified", frozenset({2}), ((1, 3),))]


def test_gnu_diff_timestamps_and_new_file() -> None:
    text = (
        "--- /dev/null\t2024-01-01 00:00:00.000000000 +0000\n"
        "+++ b/new.py\t2024-01-02 00:00:00.000000000 +0000\n"
        "@@ -0,0 +1,2 @@\n+a\n+b\n"
    )
    assert parse_diff(text) == [FileDiff("new.py", None, "added", frozenset({1, 2}), ((1, 2),))]


def test_whole_diff_with_crlf_line_endings() -> None:
    """A diff saved on Windows: every line, headers included, ends in CRLF."""
    text = fixture("upgrade.diff").replace("\r\n", "\n").replace("\n", "\r\n")
    assert by_path(text) == UPGRADE


def test_carriage_return_inside_a_line_is_not_a_line_break() -> None:
    text = "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n x = '\r'\n-y\n+z\r\n"
    assert parse_diff(text)[0].added == frozenset({2})


def test_blank_context_line_without_its_space() -> None:
    """Editors strip the lone space of an empty context line; git apply accepts that too."""
    text = "--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n"
    assert parse_diff(text)[0].added == frozenset({3})


def test_format_patch_mail_around_the_diff() -> None:
    text = (
        "From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] change\n\n---\n m.py | 1 +\n\n"
        "diff --git a/m.py b/m.py\nindex 1..2 100644\n--- a/m.py\n+++ b/m.py\n"
        "@@ -1 +1,2 @@\n a\n+b\n-- \n2.40.0\n"
    )
    assert parse_diff(text) == [FileDiff("m.py", None, "modified", frozenset({2}), ((1, 2),))]


def test_no_prefix_and_mnemonic_prefixes() -> None:
    no_prefix = "diff --git a/x.py a/x.py\n--- a/x.py\n+++ a/x.py\n@@ -1 +1 @@\n-a\n+b\n"
    mnemonic = "diff --git i/x.py w/x.py\n--- i/x.py\n+++ w/x.py\n@@ -1 +1 @@\n-a\n+b\n"
    assert parse_diff(no_prefix)[0].path == "a/x.py"
    assert parse_diff(mnemonic)[0].path == "x.py"


def test_pure_rename_and_copy() -> None:
    text = (
        "diff --git a/old.py b/new.py\nsimilarity index 100%\n"
        "rename from old.py\nrename to new.py\n"
        "diff --git a/src.py b/dup.py\nsimilarity index 90%\ncopy from src.py\ncopy to dup.py\n"
        "--- a/src.py\n+++ b/dup.py\n@@ -1 +1 @@\n-a\n+b\n"
    )
    assert parse_diff(text) == [
        FileDiff("new.py", "old.py", "renamed", frozenset()),
        FileDiff("dup.py", "src.py", "added", frozenset({1}), ((1, 1),)),
    ]


def test_zero_context_deletion_hunk_has_no_commentable_lines() -> None:
    text = "--- a/m.py\n+++ b/m.py\n@@ -3,2 +2,0 @@\n-a\n-b\n@@ -9 +8 @@\n-c\n+d\n"
    assert parse_diff(text) == [FileDiff("m.py", None, "modified", frozenset({8}), ((8, 8),))]


# -- what is not a diff -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "  \n\t\n"])
def test_empty_diff_is_no_files(text: str) -> None:
    assert parse_diff(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "hello world\n",
        "def f():\n    return 1\n",
        "@@ -1 +1 @@\n-a\n+b\n",
        "--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n a\n-b\n",
        "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n a\n+b\n+c\n",
        "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n a\nnot a hunk line\n",
        "--- a/m.py\n+++ b/m.py\n@@ -x +1 @@\n",
    ],
    ids=[
        "prose",
        "python",
        "hunk without header",
        "hunk cut short",
        "hunk too long",
        "stray line",
        "bad hunk header",
    ],
)
def test_not_a_diff_raises_one_line_change_error(text: str) -> None:
    with pytest.raises(ChangeError) as caught:
        parse_diff(text)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("not a unified diff: ")


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\n\x0cb\nc", ["a\n", "\x0cb\n", "c"]),  # a form feed does not end a line for git
        ("a\r\nb\u2028c\n", ["a\r\n", "b\u2028c\n"]),
        ("", []),
        ("only\n", ["only\n"]),
    ],
)
def test_diff_lines_counts_lines_as_git_does(text: str, lines: list[str]) -> None:
    assert diff_lines(text) == lines
