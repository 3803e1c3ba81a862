"""``docbot dry-run --apply --commit``: one commit of the docstrings, in a real git checkout."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from bot.suggest import check_safe

FEATURE = '''"""Shapes."""


def area(width: float, height: float) -> float:
    return width * height


class Square:
    def __init__(self, side: float) -> None:
        self.side = side

    def scaled(self, factor: float) -> "Square":
        return Square(self.side * factor)
'''


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "t")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "t@example.com")
    monkeypatch.setenv("HOME", str(tmp_path))
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("# shapes\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "shapes.py").write_text(FEATURE)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "feature")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def dry_run(*flags: str) -> tuple[int, str]:
    err = io.StringIO()
    argv = ["dry-run", "--base", "HEAD~1", "--provider", "template", "--no-cache", *flags]
    code = main(argv, env={}, stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def test_one_commit_holds_the_docstrings_and_nothing_else(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD").strip()
    code, err = dry_run("--apply", "--commit")
    assert code == 0, err
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "diff", "--name-only", "HEAD~1", "HEAD").split() == ["shapes.py"]
    assert git(repo, "log", "-1", "--format=%s") == "docs: add 3 docstrings (docbot)\n"
    committed = git(repo, "show", "HEAD:shapes.py")
    check_safe(FEATURE, committed)
    assert committed.count('"""') == 2 + 2 * 3
    assert "committed them as" in err
    # Nothing is left: a second run finds no target and makes no commit.
    assert dry_run("--apply", "--commit")[0] == 0
    assert git(repo, "rev-parse", "HEAD~1").strip() == before


def test_a_staged_change_is_refused_before_anything_is_written(repo: Path) -> None:
    (repo / "README.md").write_text("# shapes, staged\n")
    git(repo, "add", "README.md")
    code, err = dry_run("--apply", "--commit")
    assert code == 2
    assert err.startswith("docbot: error: --commit: the index holds staged changes ('README.md')")
    assert (repo / "shapes.py").read_text() == FEATURE


def test_uncommitted_changes_in_a_file_to_edit_are_refused(repo: Path) -> None:
    (repo / "shapes.py").write_text(FEATURE + "\n\ndef perimeter(side: float) -> float:\n"
                                    "    return 4 * side\n")  # fmt: skip
    code, err = dry_run("--apply", "--commit")
    assert code == 2
    assert "--commit: 'shapes.py' has changes that are not committed" in err
    assert "perimeter" in (repo / "shapes.py").read_text()
    assert '"""Shapes."""' in (repo / "shapes.py").read_text()
    assert (repo / "shapes.py").read_text().count('"""') == 2


def test_commit_goes_with_apply_and_needs_a_git_checkout(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    code, err = dry_run("--commit")
    assert (code, err.strip()) == (2, "docbot: error: --commit goes with --apply")
    plain = tmp_path_factory.mktemp("plain")
    (plain / "shapes.py").write_text(FEATURE)
    diff = git(repo, "diff", "HEAD~1", "HEAD", "--", "shapes.py")
    (plain / "change.diff").write_text(diff)
    err_out = io.StringIO()
    argv = ["dry-run", "--diff", str(plain / "change.diff"), "--root", str(plain), "--apply"]
    code = main([*argv, "--commit"], env={}, stdout=io.StringIO(), stderr=err_out)
    assert code == 2
    assert err_out.getvalue().strip() == f"docbot: error: --commit: {plain} is not a git checkout"
    assert (plain / "shapes.py").read_text() == FEATURE


def test_backfill_commits_the_docstrings_of_the_code_already_there(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD").strip()
    err = io.StringIO()
    argv = ["backfill", "shapes.py", "--provider", "template", "--no-cache", "--apply", "--commit"]
    assert main(argv, env={}, stdout=io.StringIO(), stderr=err) == 0, err.getvalue()
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    assert git(repo, "status", "--porcelain") == ""
    check_safe(FEATURE, git(repo, "show", "HEAD:shapes.py"))
