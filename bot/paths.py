"""Which changed files docbot looks at: Python sources, minus tests, as globs say."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.model import Skip
from bot.targets import TargetOptions

_TEST_DIRS = frozenset({"tests", "test", "testing"})


def path_selected(path: str, options: TargetOptions) -> Skip | None:
    """``None`` when the Python file ``path`` is to be scanned, else a ``Skip`` saying why not.

    ``exclude`` globs always win; a path an ``include`` glob matches is scanned even
    under a test folder; with ``include`` set, other paths are left out.
    """
    if not path.endswith((".py", ".pyi")):
        return Skip(path, "not a Python file")
    by_glob = glob_selected(path, options)
    if isinstance(by_glob, Skip):
        return by_glob
    reason = python_skip_reason(path, included=by_glob)
    return None if reason is None else Skip(path, reason)


def glob_selected(path: str, options: TargetOptions) -> Skip | bool:
    """A ``Skip`` when the globs leave ``path`` out, else whether an include glob matched.

    The same for every language: ``exclude`` globs always win; with ``include`` globs
    set, a path none of them matches is left out.
    """
    for pattern in options.exclude:
        if _glob(pattern).fullmatch(path):
            return Skip(path, f"excluded by the exclude glob {pattern!r}")
    if options.include:
        if not any(_glob(pattern).fullmatch(path) for pattern in options.include):
            return Skip(path, "matched by none of the include globs")
        return True
    return False


def python_skip_reason(path: str, *, included: bool) -> str | None:
    """Why the Python file ``path`` is left out once the globs let it through, if it is."""
    if not included and _is_test_path(path):
        return TEST_FILE
    if path.endswith(".pyi"):
        return "stub file: ruff's docstring rules ask for none in .pyi stubs"
    return None


TEST_FILE = "test file (left out by default; an include glob brings it back)"


def _is_test_path(path: str) -> bool:
    *folders, name = path.split("/")
    stem = name.rpartition(".")[0]
    return (
        any(folder in _TEST_DIRS for folder in folders)
        or stem.startswith("test_")
        or stem.endswith("_test")
        or stem == "conftest"
    )


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """fnmatch-style glob -> regex: ``**`` spans folders, ``*``/``?`` stay within one.

    A pattern without ``/`` matches at any depth; any pattern also matches what lies
    under it (``docs`` covers ``docs/conf.py``).
    """
    pat = pattern.strip().removeprefix("./")
    if pat.endswith("/"):
        pat += "**"
    if "/" not in pat:
        pat = "**/" + pat
    out: list[str] = []
    i = 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] in "*?":
            out.append("[^/]*" if pat[i] == "*" else "[^/]")
            i += 1
        elif pat[i] == "[" and "]" in pat[i + 2 :]:
            close = pat.index("]", i + 2)
            body = pat[i + 1 : close]
            out.append(
                "[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]"
            )
            i = close + 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?", re.DOTALL)
