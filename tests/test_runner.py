"""The runner: one result in-process or over processes, caps, and held-back targets."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from bot import runner
from bot.changes import Change
from bot.diff import parse_diff
from bot.model import FileDiff, Status
from bot.settings import Settings

MODULE = """\
def first(a, b=1):
    return a + b


class Shape:
    def area(self) -> float:
        return 0.0

    def _private(self):
        pass


def gen(n: int):
    yield from range(n)
"""


def all_added(path: str, text: str) -> FileDiff:
    count = text.count("\n")
    return FileDiff(path, None, "added", frozenset(range(1, count + 1)), ((1, count),))


def change_of(files: dict[str, str]) -> Change:
    return Change(tuple(all_added(p, t) for p, t in files.items()), dict(files))


def test_worker_processes_give_the_same_report_as_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {f"pkg/mod{i:02}.py": MODULE for i in range(24)}
    settings = Settings(provider="template")
    alone = runner.run(settings, change_of(files))
    monkeypatch.setattr(runner, "_PARALLEL_BYTES", 0)
    assert isinstance(runner._executor(1), ProcessPoolExecutor)
    fanned = runner.run(settings, change_of(files))
    assert len(alone.results) == 24 * 4
    assert fanned.results == alone.results


def test_already_posted_targets_count_as_suggested_and_are_not_drafted() -> None:
    report = runner.run(
        Settings(provider="template"),
        change_of({"m.py": MODULE}),
        posted=frozenset({("m.py", "Shape.area")}),
    )
    by_name = {r.target.qualname: r for r in report.results}
    assert by_name["Shape.area"].status is Status.SUGGESTED
    assert by_name["Shape.area"].suggestion is None
    assert by_name["first"].suggestion is not None


def test_a_limit_skips_the_rest_with_the_reason() -> None:
    report = runner.run(Settings(provider="template"), change_of({"m.py": MODULE}), limit=2)
    assert [r.status for r in report.results] == [
        Status.SUGGESTED,
        Status.SUGGESTED,
        Status.SKIPPED,
        Status.SKIPPED,
    ]
    assert report.results[-1].reason == "over max-suggestions (2)"


def test_two_suggestions_on_one_line_keep_the_first_and_skip_the_other() -> None:
    text = "def top(x): return x\n"
    report = runner.run(
        Settings(provider="template", include_modules=True), change_of({"m.py": text})
    )
    statuses = sorted((r.target.kind.value, r.status.value) for r in report.results)
    assert statuses == [("function", "skipped"), ("module", "suggested")]
    skipped = next(r for r in report.results if r.status is Status.SKIPPED)
    assert skipped.reason == "shares lines with another suggestion; run again after applying it"


def test_style_auto_follows_the_existing_docstrings() -> None:
    numpy_doc = 'def old(x):\n    """Old.\n\n    Parameters\n    ----------\n    x : int\n        X.\n    """\n'
    text = numpy_doc + "\n\ndef new(y):\n    return y\n"
    diff = parse_diff(
        "--- a/m.py\n+++ b/m.py\n@@ -8,0 +9,4 @@\n+\n+\n+def new(y):\n+    return y\n"
    )
    report = runner.run(Settings(provider="template"), Change(tuple(diff), {"m.py": text}))
    assert report.style == "numpy"
    assert "Parameters\n----------" in (report.results[0].docstring or "")


def test_annotated_types_are_not_repeated_where_the_code_base_does_not() -> None:
    untyped = 'def old(x: int) -> int:\n    """Old.\n\n    Args:\n        x: The x.\n    """\n    return x\n'
    text = untyped + "\n\ndef new(y: int, z) -> int:\n    return y\n"
    diff = parse_diff(
        "--- a/m.py\n+++ b/m.py\n@@ -7,0 +8,4 @@\n+\n+\n+def new(y: int, z) -> int:\n+    return y\n"
    )
    report = runner.run(Settings(provider="template"), Change(tuple(diff), {"m.py": text}))
    docstring = report.results[0].docstring or ""
    assert "    y: The y." in docstring
    assert "    z: The z." in docstring
    assert "Returns:\n    The" in docstring


def test_what_a_language_could_not_resolve_reaches_the_report_once() -> None:
    # A Rust file whose crate root the run cannot read (not in the change, no checkout):
    # publicity falls back to each item's own `pub`, and the report says so.
    text = "pub struct Shelf;\n\npub fn put() {}\n"
    other = "pub fn take() {}\n"
    diffs = tuple(
        FileDiff(path, None, "added", frozenset(range(1, body.count("\n") + 1)), ((1, 3),))
        for path, body in (("shelf/src/index.rs", text), ("shelf/src/other.rs", other))
    )
    change = Change(diffs, {"shelf/src/index.rs": text, "shelf/src/other.rs": other})
    report = runner.run(Settings(), change)
    assert {r.target.qualname for r in report.results} >= {"Shelf", "put", "take"}
    assert len(report.notes) == 2
    assert all("could not be read" in note for note in report.notes)
    assert report.notes[0].startswith("shelf/src/index.rs: the crate root ")
