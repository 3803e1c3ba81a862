"""The Action end to end on a pull request that adds Java and C# members, against a fake
GitHub on 127.0.0.1: one review of suggestions on the diff's lines, each committed as
GitHub commits it passes the proof and leaves the linter's rules nothing to report, a
re-run posts nothing new.

The head files are real (``NativeAsyncStorageModuleSpec.java`` from the
@react-native-async-storage/async-storage npm package, ``exceptiontest.cs`` from the
pythonnet sdist: see tests/data/languages/SOURCES.md); the base is each with members taken
out, so the pull request adds them.  A test file of each language rides along and is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.languages import adapter
from bot.languages.base import Project
from bot.targets import TargetOptions
from tests.fakes.github import FakeGitHub, commentable_lines, make_patch
from tests.fakes.github_action import run_docbot
from tests.test_action_e2e import apply_like_github

DATA = Path(__file__).parents[1] / "data" / "languages"
JAVA_PATH = "android/src/oldarch/java/com/reactnativecommunity/asyncstorage/NativeAsyncStorageModuleSpec.java"
CS_PATH = "src/testing/exceptiontest.cs"
JAVA_ADDED = tuple(
    f"\n  @ReactMethod\n  @DoNotStrip\n  public abstract void {name}(Callback callback);\n"
    for name in ("getAllKeys", "clear")
)
CS_ADDED = (
    "\n        public static OverflowException GetExplicitException()\n        {\n"
    '            return new OverflowException("error");\n        }\n',
    "\n        public static Exception GetWidenedException()\n        {\n"
    '            return new OverflowException("error");\n        }\n',
    "\n        public static bool ThrowException()\n        {\n"
    '            throw new OverflowException("error");\n        }\n',
)


def _head() -> dict[str, str]:
    return {
        JAVA_PATH: (DATA / "java" / "NativeAsyncStorageModuleSpec.java").read_text(),
        CS_PATH: (DATA / "csharp" / "exceptiontest.cs").read_text(),
        "android/src/test/java/com/x/StorageTest.java": "package com.x;\npublic class StorageTest { public void x() {} }\n",
        "src/embed_tests/ExceptionTests.cs": "public class ExceptionTests { public void X () {} }\n",
    }


def _base(head: dict[str, str]) -> dict[str, str]:
    java, csharp = head[JAVA_PATH], head[CS_PATH]
    for added in JAVA_ADDED:
        assert added in java
        java = java.replace(added, "")
    for added in CS_ADDED:
        assert added in csharp
        csharp = csharp.replace(added, "")
    return {JAVA_PATH: java, CS_PATH: csharp}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub(prefix="/api/v3", page_size=3) as server:
        yield server


def test_a_java_and_csharp_pull_request_end_to_end(fake: FakeGitHub, tmp_path: Path) -> None:
    head = _head()
    base = _base(head)
    fake.open_pull(12, fake.commit(base), fake.commit(head, fake.commit(base)))
    first = run_docbot(fake, tmp_path)
    assert first.code == 0, first.stdout
    assert [r["state"] for r in fake.pulls[12].reviews] == ["COMMENTED"]
    comments = fake.pulls[12].review_comments
    names = sorted(str(c["body"]).split("`")[1] for c in comments)
    assert names == [
        "ExceptionTest.GetExplicitException", "ExceptionTest.GetWidenedException",
        "ExceptionTest.ThrowException",
        "NativeAsyncStorageModuleSpec.clear", "NativeAsyncStorageModuleSpec.getAllKeys",
    ]  # fmt: skip
    assert first.outputs["targets"] == first.outputs["suggested"] == "5"
    for comment in comments:
        path = str(comment["path"])
        hunks = commentable_lines(make_patch(base[path], head[path]))
        line = int(str(comment["line"]))
        assert any(lo <= line <= hi for lo, hi in hunks), comment
    for path, language in ((JAVA_PATH, "java"), (CS_PATH, "csharp")):
        found = adapter(language)
        assert found is not None
        after = apply_like_github(head[path], [c for c in comments if c["path"] == path])
        found.check_safe(head[path], after)
        every = frozenset(range(1, after.count("\n") + 2))
        left = found.scan(path, after, every, TargetOptions(), project=Project()).targets
        assert not {t.qualname for t in left} & set(names)
    assert "StorageTest.java`: `test file" in first.summary
    assert "ExceptionTests.cs`: `test file" in first.summary

    again = run_docbot(fake, tmp_path, action="synchronize")
    assert again.code == 0, again.stdout
    assert len(fake.pulls[12].reviews) == 1
    assert not [w for w in again.writes if w.path.endswith(("reviews", "comments"))]
