"""The opt-in stale checks agree with pydoclint: Returns, Yields and Raises sections.

The fixtures in tests/data/stale/checks_*.py hold, per docstring style, functions whose
bodies stopped or started returning, yielding or raising while their docstrings stayed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.stalechecks import CHECKS, sections
from bot.targets import TargetOptions, scan
from tests.test_stale import STYLES, everything_added, pydoclint_codes

DATA = Path(__file__).parent / "data" / "stale"
ARGS = ("DOC101", "DOC102", "DOC103", "DOC104")
FLAGS = {
    "returns": ("--check-return-types", "False"),
    "yields": ("--check-yield-types", "False"),
    "raises": ("--skip-checking-raises", "False"),
}
CODES = {"returns": ("DOC201", "DOC202"), "yields": ("DOC402", "DOC403"),
         "raises": ("DOC501", "DOC502", "DOC503")}  # fmt: skip


def _flags(checks: tuple[str, ...]) -> tuple[str, ...]:
    base = {
        "--arg-type-hints-in-docstring": "False", "--arg-type-hints-in-signature": "False",
        "--check-return-types": "False", "--check-yield-types": "False",
        "--skip-checking-raises": "True", "--allow-init-docstring": "True",
    }  # fmt: skip
    for check in checks:
        flag, value = FLAGS[check]
        base[flag] = value
    return tuple(part for pair in base.items() for part in pair)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("checks", [CHECKS, *((c,) for c in CHECKS)])
def test_docbot_reports_what_pydoclint_reports_with_the_checks_on(
    style: str, checks: tuple[str, ...]
) -> None:
    path = DATA / f"checks_{style}.py"
    text = path.read_text(encoding="utf-8")
    options = TargetOptions(problems=("stale",), stale_checks=checks)
    found = scan(path.name, text, everything_added(text), options).targets
    ours = {t.line: {f.code for f in t.findings} for t in found}
    codes = ARGS + tuple(code for c in checks for code in CODES[c])
    theirs = pydoclint_codes(path, style, _flags(checks), codes)
    assert ours == theirs
    assert {code for found in ours.values() for code in found} >= set(codes) - set(ARGS)


def test_the_checks_are_off_by_default() -> None:
    text = (DATA / "checks_google.py").read_text(encoding="utf-8")
    found = scan("m.py", text, everything_added(text), TargetOptions(problems=("stale",)))
    assert found.targets == ()


@pytest.mark.parametrize(
    ("doc", "style", "returns", "yields", "raises"),
    [
        ("Do.\n\nReturns:\n    int: One.\n", "google", True, False, ()),
        ("Do.\n\nReturns:\n", "google", False, False, ()),
        ("Do.\n\nRaises:\n    B: b.\n    A: a.\n", "google", False, False, ("A", "B")),
        ("Do.\n\nYields\n------\nint\n    One.\n", "numpy", False, True, ()),
        ("Do.\n\nRaises\n------\nKeyError\n    When.\n", "numpy", False, False, ("KeyError",)),
        ("Do.\n\n:raises ValueError: When.\n:returns: It.\n", "sphinx", True, False,
         ("ValueError",)),
        ("Do.\n\n:raises: OSError: When.\n", "sphinx", False, False, ("OSError",)),
        ("Do.\n\n:param x: It.\n:rtype: int\n", "sphinx", True, False, ()),
    ],
)  # fmt: skip
def test_sections_are_read_as_pydoclint_reads_them(
    doc: str, style: str, returns: bool, yields: bool, raises: tuple[str, ...]
) -> None:
    found = sections(doc.split("\n"), style)  # type: ignore[arg-type]
    assert (found.returns, found.yields, found.raises) == (returns, yields, raises)


def test_statements_of_nested_functions_do_not_count() -> None:
    text = (
        "def outer(x):\n"
        '    """Outer.\n\n    Args:\n        x: A value.\n    """\n'
        "    def inner():\n        raise ValueError\n        return 1\n"
        "    inner()\n"
    )
    options = TargetOptions(problems=("stale",), stale_checks=CHECKS)
    assert scan("m.py", text, frozenset({1}), options).targets == ()
    assert ast.parse(text)
