"""docbot attacked through paths: traversal in every change source, names it cannot show.

Part of the hostile suite (``tests/test_hostile.py`` holds the rest): the CLI against real
folders and git checkouts, the Action against the fake GitHub on 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from tests.fakes.azure import KEY, FakeAzure
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import run_docbot, tree
from tests.test_hostile import SMALL, fake

__all__ = ["fake"]  # the fixture, shared with test_hostile.py


# -- guarantee: no path outside the root is read, sent or written ---------------------------

OUTSIDE = "def outside(value):\n    return value\n"


def _traversal_diff(path: str) -> str:
    return (
        f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,2 @@\n+def outside(value):\n+    return value\n"
    )


@pytest.mark.parametrize("kind", ["dotdot", "nested-dotdot", "absolute", "symlink"])
def test_a_diff_naming_a_path_outside_the_root_is_refused_before_anything_is_read(
    tmp_path: Path, kind: str
) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    outside = tmp_path / "outside.py"
    outside.write_text(OUTSIDE)
    (root / "link.py").symlink_to(outside)
    path = {
        "dotdot": "../outside.py",
        "nested-dotdot": "sub/../../outside.py",
        "absolute": str(outside),
        "symlink": "link.py",
    }[kind]
    diff = tmp_path / "change.diff"
    diff.write_text(_traversal_diff(path))
    with FakeAzure() as azure:
        env = {
            "AZURE_OPENAI_ENDPOINT": azure.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE": "false",
        }
        out, err = io.StringIO(), io.StringIO()
        argv = ["dry-run", "--diff", str(diff), "--root", str(root), "--apply"]
        code = main(argv, env=env, stdout=out, stderr=err)
        sent = list(azure.requests)
    assert code == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and path in lines[0] and "root" in lines[0], lines
    assert sent == [] and out.getvalue() == ""
    assert outside.read_text() == OUTSIDE


def test_a_git_checkout_symlink_leading_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    outside = tmp_path / "outside.py"
    outside.write_text(OUTSIDE)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "ok.py").write_text("x = 1\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (repo / "evil.py").symlink_to(outside)
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        code = main(
            ["dry-run", "--apply", "--provider", "template"], env={}, stdout=out, stderr=err
        )
    assert code == 2, (out.getvalue(), err.getvalue())
    assert "evil.py" in err.getvalue() and len(err.getvalue().splitlines()) == 1
    assert outside.read_text() == OUTSIDE


def test_the_action_reads_no_pull_request_path_outside_the_workspace(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "shop").mkdir(parents=True)
    (workspace / "shop/ok.py").write_text(SMALL)
    (tmp_path / "outside.py").write_text("def leaked_secret(value):\n    return value\n")
    git = ["git", "-C", str(workspace), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "head"], check=True)
    sha = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    base = fake.commit({})
    fake.trees[sha] = {"shop/ok.py": SMALL, "../outside.py": OUTSIDE, "/etc/docbot.py": OUTSIDE}
    fake.open_pull(12, base, sha)
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert [c["path"] for c in fake.pulls[12].review_comments] == ["shop/ok.py"]
    everything = run.stdout + run.summary + json.dumps([r.body for r in fake.requests])
    assert "leaked_secret" not in everything
    assert "`../outside.py`: `../outside.py: the path leaves the root folder" in run.summary
    assert "`/etc/docbot.py`: `/etc/docbot.py: the path leaves the root folder" in run.summary


# -- guarantee: a file the Action cannot represent is skipped, the others reviewed ---------


def test_a_file_name_with_a_newline_is_skipped_and_the_others_are_reviewed(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    base = fake.commit(tree("base"))
    odd = {"shop/new\nline.py": SMALL, "shop/tab\there.py": SMALL}
    fake.open_pull(12, base, fake.commit({**tree("head1"), **odd}, base))
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert len(fake.pulls[12].review_comments) == 23
    assert "`shop/new line.py`: `the file name holds a control character (U+000A)" in run.summary
    assert "`shop/tab here.py`: `the file name holds a control character (U+0009)" in run.summary


@pytest.mark.parametrize(
    ("path", "old_path", "why"),
    [
        ("shop/x.py", "../x.py", "../x.py: the path leaves the root folder"),
        ("/abs.py", None, "/abs.py: the path leaves the root folder"),
        ("shop/a\rb.py", None, "control character (U+000D)"),
        ("shop/ok.py", "shop/old.py", None),
    ],
)
def test_a_pull_request_file_is_refused_by_its_new_or_its_old_name(
    path: str, old_path: str | None, why: str | None
) -> None:
    from bot.changes import refused_path  # here: the suite also runs against older bot/ trees

    refused = refused_path(path, old_path, None)
    if why is None:
        assert refused is None
    else:
        assert refused is not None and why in refused.reason
