"""The run's one-line summary names the docstring style only where Python was written."""

from __future__ import annotations

import pytest

from bot.changes import Change
from bot.model import FileDiff
from bot.report import summary_line
from bot.runner import run
from bot.settings import Settings

SOURCES = {
    "cart.ts": "export function total(items: number[]): number {\n  return 0;\n}\n",
    "cart.py": "def total(items):\n    return 0\n",
}


@pytest.mark.parametrize(
    ("paths", "style_shown"),
    [(("cart.ts",), False), (("cart.py",), True), (("cart.ts", "cart.py"), True)],
)
def test_the_style_is_named_only_for_runs_that_write_python(
    paths: tuple[str, ...], style_shown: bool
) -> None:
    diffs = tuple(FileDiff(p, None, "added", frozenset({1, 2, 3}), ((1, 3),)) for p in paths)
    report = run(Settings(), Change(diffs, {p: SOURCES[p] for p in paths}))
    line = summary_line(report)
    assert line.startswith(f"{len(paths)} targets: {len(paths)} suggested")
    assert ("style google" in line) is style_shown
    assert "provider template" in line
