"""`docbot backfill`: the code already there, as a change whose every line is added."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.backfill import backfill_change, whole_file
from bot.errors import ChangeError
from bot.targets import TargetOptions
from tests.test_cli import EXAMPLE, EXPECTED, run, strip_docstrings

UNDOCUMENTED = (
    "def public(x):\n    return x\n\n\nclass Thing:\n    def method(self):\n        pass\n"
)


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base"],
        cwd=root,
        check=True,
    )


@pytest.mark.parametrize(
    ("text", "added", "hunks"),
    [
        ("", frozenset(), ()),
        ("x = 1\n", frozenset({1}), ((1, 1),)),
        ("x = 1\ny = 2", frozenset({1, 2}), ((1, 2),)),
        ("a\r\nb\r\n", frozenset({1, 2}), ((1, 2),)),
    ],
)
def test_a_whole_file_is_a_file_whose_every_line_is_added(
    text: str, added: frozenset[int], hunks: tuple[tuple[int, int], ...]
) -> None:
    diff = whole_file("m.py", text)
    assert (diff.status, diff.added, diff.hunks) == ("added", added, hunks)


def test_folders_and_files_give_their_python_files_and_the_path_rules_hold(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "pkg/a.py": UNDOCUMENTED,
            "pkg/sub/b.py": UNDOCUMENTED,
            "pkg/tests/test_a.py": UNDOCUMENTED,
            "pkg/conftest.py": UNDOCUMENTED,
            "pkg/notes.txt": "not python",
            "pkg/.hidden/c.py": UNDOCUMENTED,
            "pkg/__pycache__/d.py": UNDOCUMENTED,
            "other/e.py": UNDOCUMENTED,
        },
    )
    change = backfill_change(tmp_path, ["pkg"], TargetOptions())
    assert sorted(change.files) == ["pkg/a.py", "pkg/sub/b.py"]
    assert [d.path for d in change.diffs] == ["pkg/a.py", "pkg/sub/b.py"]
    everything = backfill_change(tmp_path, [], TargetOptions())
    assert sorted(everything.files) == ["other/e.py", "pkg/a.py", "pkg/sub/b.py"]
    one = backfill_change(tmp_path, [str(tmp_path / "other/e.py")], TargetOptions())
    assert list(one.files) == ["other/e.py"]
    tests_too = TargetOptions(include=("pkg/tests/**",), exclude=("pkg/sub",))
    assert sorted(backfill_change(tmp_path, ["pkg"], tests_too).files) == ["pkg/tests/test_a.py"]


def test_in_a_git_checkout_ignored_files_are_left_out_and_untracked_ones_kept(
    tmp_path: Path,
) -> None:
    tree(tmp_path, {"a.py": UNDOCUMENTED, ".gitignore": "venv/\nbuild.py\n"})
    git_init(tmp_path)
    tree(tmp_path, {"new.py": UNDOCUMENTED, "venv/lib/x.py": UNDOCUMENTED, "build.py": "x = 1\n"})
    assert sorted(backfill_change(tmp_path, [], TargetOptions()).files) == ["a.py", "new.py"]


@pytest.mark.parametrize("outside", ["..", "../elsewhere.py", "/etc"])
def test_a_path_outside_the_root_is_refused_in_one_line(tmp_path: Path, outside: str) -> None:
    root = tree(tmp_path / "root", {"a.py": UNDOCUMENTED})
    tree(tmp_path, {"elsewhere.py": UNDOCUMENTED})
    with pytest.raises(ChangeError, match="outside the root"):
        backfill_change(root, [outside], TargetOptions())


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(ChangeError, match=r"nope\.py: no such file or folder"):
        backfill_change(tmp_path, ["nope.py"], TargetOptions())


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    secret = tree(tmp_path / "secret", {"s.py": UNDOCUMENTED})
    root = tree(tmp_path / "root", {"a.py": UNDOCUMENTED})
    os.symlink(secret / "s.py", root / "link.py")
    os.symlink(secret, root / "linked")
    os.symlink(root / "a.py", root / "same.py")  # inside, but --apply would break the link
    assert list(backfill_change(root, [], TargetOptions()).files) == ["a.py"]
    git_init(root)
    assert list(backfill_change(root, [], TargetOptions()).files) == ["a.py"]


def test_binary_and_non_utf8_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": UNDOCUMENTED, "bin.py": b"\0\1\2", "latin.py": b"x = '\xe9'\n"})
    change = backfill_change(tmp_path, [], TargetOptions())
    assert list(change.files) == ["a.py"]
    assert {(s.path, s.reason) for s in change.skips} == {
        ("bin.py", "binary file"),
        ("latin.py", "not UTF-8 (byte 5)"),
    }


def test_the_cli_finds_every_undocumented_target_and_the_patch_applies(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE / "shop", root / "shop")
    tree(root, {"shop/old.py": UNDOCUMENTED, "tests/test_old.py": UNDOCUMENTED})
    git_init(root)
    code, out, err = run("backfill", "--format", "json", "--provider", "template", cwd=root)
    assert code == 0, err
    found = json.loads(out)
    targets = {(t["path"], t["qualname"]) for t in found["targets"]}
    # What the example's diff shows, and what no diff touched; tests are left out.
    old = {("shop/old.py", "public"), ("shop/old.py", "Thing"), ("shop/old.py", "Thing.method")}
    assert targets == EXPECTED | old
    assert found["stats"]["suggested"] == len(targets)

    code, patch, _ = run("backfill", "shop", "--format", "patch", cwd=root)
    before = {p.name: p.read_text() for p in (root / "shop").glob("*.py")}
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=root, check=True)
    for name, old in before.items():
        assert strip_docstrings((root / "shop" / name).read_text()) == strip_docstrings(old)
    code, out, _ = run("backfill", "--format", "json", "--check", cwd=root)
    assert (code, json.loads(out)["stats"]["targets"]) == (0, 0)


def test_apply_writes_the_files_and_a_second_backfill_finds_nothing(tmp_path: Path) -> None:
    root = tree(tmp_path, {"pkg/a.py": UNDOCUMENTED})
    code, _, err = run("backfill", "--root", str(root), "--apply")
    assert code == 0 and "wrote docstrings into 1 files" in err
    assert '"""' in (root / "pkg/a.py").read_text()
    code, out, _ = run("backfill", "--root", str(root), "--format", "json", "--check")
    assert code == 0 and json.loads(out)["stats"]["targets"] == 0


def test_backfill_refuses_a_path_outside_the_root_with_exit_2(tmp_path: Path) -> None:
    root = tree(tmp_path / "root", {"a.py": UNDOCUMENTED})
    code, out, err = run("backfill", "--root", str(root), str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith("docbot: error: ") and "outside the root" in err
    assert err.count("\n") == 1


def test_batch_with_the_offline_writer_is_a_usage_error(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": UNDOCUMENTED})
    code, _, err = run("backfill", "--root", str(tmp_path), "--batch", "--provider", "template")
    assert code == 2 and "Batch API is Azure OpenAI's" in err


def test_names_git_would_read_as_patterns_or_quote_are_taken_as_they_are(tmp_path: Path) -> None:
    tree(
        tmp_path, {"[ab]/x.py": UNDOCUMENTED, "a/y.py": UNDOCUMENTED, "ünï cödé/z.py": UNDOCUMENTED}
    )
    git_init(tmp_path)
    assert list(backfill_change(tmp_path, ["[ab]"], TargetOptions()).files) == ["[ab]/x.py"]
    assert list(backfill_change(tmp_path, ["ünï cödé"], TargetOptions()).files) == ["ünï cödé/z.py"]
