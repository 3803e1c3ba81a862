"""Which changed files are scanned: Python sources, tests left out, globs deciding the rest."""

from __future__ import annotations

import pytest

from bot.paths import path_selected
from bot.targets import TargetOptions


@pytest.mark.parametrize(
    ("path", "options", "reason"),
    [
        ("src/pkg/mod.py", {}, None),
        ("README.md", {}, "not a Python file"),
        ("tests/test_mod.py", {}, "test file"),
        ("pkg/test/helpers.py", {}, "test file"),
        ("pkg/testing/util.py", {}, "test file"),
        ("pkg/test_mod.py", {}, "test file"),
        ("pkg/mod_test.py", {}, "test file"),
        ("conftest.py", {}, "test file"),
        ("pkg/contest.py", {}, None),
        ("pkg/testsuite.py", {}, None),
        ("pkg/mod.pyi", {}, "stub file"),
        ("tests/helpers.py", {"include": ("tests/**",)}, None),
        ("src/pkg/mod.py", {"include": ("tests/**",)}, "include globs"),
        ("src/gen/api_pb2.py", {"exclude": ("*_pb2.py",)}, "exclude glob"),
        ("src/gen/x.py", {"exclude": ("src/gen",)}, "exclude glob"),
        ("src/gen/x.py", {"exclude": ("src/gen/",)}, "exclude glob"),
        ("src/a/b/c.py", {"exclude": ("src/**/c.py",)}, "exclude glob"),
        ("src/c.py", {"exclude": ("src/**/c.py",)}, "exclude glob"),
        ("src/a/c.py", {"exclude": ("src/*.py",)}, None),
        ("src/x1.py", {"exclude": ("src/x[0-9].py",)}, "exclude glob"),
        ("tests/x.py", {"include": ("tests/**",), "exclude": ("tests/x.py",)}, "exclude glob"),
    ],
)
def test_path_selected(path: str, options: dict[str, tuple[str, ...]], reason: str | None) -> None:
    skip = path_selected(path, TargetOptions(**options))  # type: ignore[arg-type]
    if reason is None:
        assert skip is None
    else:
        assert skip is not None and skip.path == path and reason in skip.reason
