"""Stale docstrings: docbot's DOC101-DOC104 are pydoclint's, and its repairs satisfy pydoclint.

The fixtures in tests/data/stale/ are real definitions whose headers changed between two
releases of rich, google-auth, werkzeug, click, networkx and geopandas (the packages of
``python -m tests.benchmarks.stale_agreement``), one file per docstring style.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.docentries import read
from bot.docmodel import DocstringDraft
from bot.mend import finish_stale
from bot.model import Finding, Param, Status
from bot.providers.template import draft_for
from bot.stale import findings, in_words
from bot.suggest import apply, check_safe
from bot.targets import TargetOptions, scan

DATA = Path(__file__).parent / "data" / "stale"
STYLES = ("google", "sphinx", "numpy")
FLAGS = (
    "--arg-type-hints-in-docstring", "False", "--arg-type-hints-in-signature", "False",
    "--check-return-types", "False", "--check-yield-types", "False",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
CODES = ("DOC101", "DOC102", "DOC103", "DOC104")
STALE = TargetOptions(problems=("stale",))


def pydoclint(path: Path, style: str) -> dict[int, set[str]]:
    """DOC101-DOC104 by line, from the real pydoclint."""
    return pydoclint_codes(path, style, FLAGS, CODES)


def pydoclint_codes(
    path: Path, style: str, flags: tuple[str, ...], codes: tuple[str, ...]
) -> dict[int, set[str]]:
    """The real pydoclint's findings of ``codes`` by line, run with ``flags``."""
    exe = shutil.which("pydoclint", path=str(Path(sys.executable).parent)) or shutil.which(
        "pydoclint"
    )
    if exe is None:
        message = "pydoclint is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [exe, "--style", style, *flags, "--quiet", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[int, set[str]] = {}
    for line in (done.stdout + done.stderr).splitlines():
        parts = line.strip().split(":", 2)
        if len(parts) == 3 and parts[0].isdigit() and parts[1].strip() in codes:
            found.setdefault(int(parts[0]), set()).add(parts[1].strip())
    return found


def everything_added(text: str) -> frozenset[int]:
    return frozenset(range(1, text.count("\n") + 2))


@pytest.mark.parametrize("style", STYLES)
def test_docbot_reports_what_pydoclint_reports_on_real_code(style: str) -> None:
    path = DATA / f"{style}.py"
    text = path.read_text(encoding="utf-8")
    found = scan(path.name, text, everything_added(text), STALE)
    ours = {t.line: {f.code for f in t.findings} for t in found.targets}
    assert all(t.problem == "stale" for t in found.targets)
    assert len(ours) >= 2, "each fixture holds several stale docstrings"
    assert ours == pydoclint(path, style)


@pytest.mark.parametrize("prefix", ["", "summaryless_"])
@pytest.mark.parametrize("style", STYLES)
def test_applied_repairs_leave_pydoclint_nothing_to_report_and_change_no_code(
    style: str, prefix: str, tmp_path: Path
) -> None:
    text = (DATA / f"{prefix}{style}.py").read_text(encoding="utf-8")
    targets = scan("x.py", text, everything_added(text), STALE).targets
    results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
    repaired = [r for r in results if r.status is Status.SUGGESTED]
    assert repaired, [r.reason for r in results]
    fixed = apply(text, [r.suggestion for r in repaired if r.suggestion is not None])
    check_safe(text, fixed)
    out = tmp_path / "x.py"
    out.write_text(fixed, encoding="utf-8")
    left = pydoclint(out, style)
    # Line numbers moved; what counts is that no repaired definition is reported again.
    new = scan("x.py", fixed, everything_added(fixed), STALE).targets
    repaired_names = {r.target.qualname for r in repaired}
    assert not repaired_names & {t.qualname for t in new}
    assert len(left) == len(results) - len(repaired)


def test_a_summary_only_docstring_is_never_stale() -> None:
    text = 'def f(a, b):\n    """Add them.\n\n    More words: here.\n    """\n'
    assert scan("m.py", text, frozenset({1}), STALE).targets == ()


def test_private_and_nested_functions_are_checked_too() -> None:
    text = (
        "def outer(x):\n"
        '    """Outer.\n\n    Args:\n        x: A value.\n    """\n'
        "    def _inner(y, z):\n"
        '        """Inner.\n\n        Args:\n            y: One.\n        """\n'
        "    return _inner\n"
    )
    found = scan("m.py", text, frozenset({7}), STALE).targets
    assert [(t.qualname, [f.code for f in t.findings]) for t in found] == [
        ("outer._inner", ["DOC101", "DOC103"])
    ]


def test_an_init_without_a_docstring_is_checked_against_its_class() -> None:
    text = (
        "class Box:\n"
        '    """A box.\n\n    Args:\n        size: How big.\n    """\n\n'
        "    def __init__(self, size, color):\n"
        "        self.size = size\n"
    )
    (target,) = scan("m.py", text, frozenset({8}), STALE).targets
    assert target.qualname == "Box.__init__"
    assert target.docstring_lines == (2, 6)
    result = finish_stale(target, draft_for(target), source=text, line_length=88)
    assert result.suggestion is not None
    assert result.suggestion.replacement == "        size: How big.\n        color: The color."


def test_a_header_outside_the_change_is_not_looked_at() -> None:
    text = 'def f(a, b):\n    """Add.\n\n    Args:\n        a: One.\n    """\n    return a\n'
    assert scan("m.py", text, frozenset({7}), STALE).targets == ()
    assert scan("m.py", text, frozenset({1}), STALE).targets


def test_missing_only_leaves_stale_docstrings_alone() -> None:
    text = 'def f(a, b):\n    """Add.\n\n    Args:\n        a: One.\n    """\n'
    options = TargetOptions(problems=("missing",))
    assert scan("m.py", text, frozenset({1}), options).targets == ()


@pytest.mark.parametrize(
    ("written", "expected", "codes"),
    [
        (["a"], ["a", "b"], ["DOC101", "DOC103"]),
        (["a", "b"], ["a"], ["DOC102", "DOC103"]),
        (["a", "c"], ["a", "b"], ["DOC103"]),
        (["b", "a"], ["a", "b"], ["DOC104"]),
        (["args"], ["*args"], ["DOC103"]),
        (["a", "b"], ["a", "b"], []),
    ],
)
def test_findings_follow_pydoclints_rules(
    written: list[str], expected: list[str], codes: list[str]
) -> None:
    entries = "".join(f"    {name}: It.\n" for name in written)
    layout = read(["Do it.", "", "Args:", *entries.rstrip("\n").split("\n"), ""])
    assert layout is not None
    assert [f.code for f in findings(layout, expected)] == codes


def test_the_review_line_names_what_went_stale() -> None:
    found = (Finding("DOC101", "", ("timeout",)), Finding("DOC103", "", ("timeout", "verbose")))
    assert in_words(found, ["url", "timeout"]) == (
        "`timeout` was added to the signature; the docstring does not mention it; "
        "the docstring documents `verbose`, which is not in the signature"
    )
    hostile = (Finding("DOC103", "", ("x`](http://evil)",)),)
    assert "evil" not in in_words(hostile, ["a"])


def test_the_draft_supplies_only_the_new_entrys_words() -> None:
    text = 'def f(a, b):\n    """Add.\n\n    Args:\n        a: One.\n    """\n'
    (target,) = scan("m.py", text, frozenset({1}), STALE).targets
    draft = DocstringDraft.model_validate(
        {
            "summary": "Something else entirely.",
            "description": None,
            "params": [
                {"name": "a", "type": None, "description": "Rewritten words."},
                {"name": "b", "type": None, "description": "The second one."},
            ],
            "returns": None,
            "yields": None,
            "raises": [],
            "examples": [],
        }
    )
    result = finish_stale(target, draft, source=text, line_length=88)
    assert result.docstring == "Add.\n\nArgs:\n    a: One.\n    b: The second one."
    assert Param("b", "positional") in target.params


@pytest.mark.parametrize("prefix", ["", "r"])
def test_hostile_words_for_a_new_entry_stay_inside_the_docstring(prefix: str) -> None:
    text = (
        f'def f(a, b):\n    {prefix}"""Add.\n\n    Args:\n        a: One.\n    """\n    return a\n'
    )
    (target,) = scan("m.py", text, frozenset({1}), STALE).targets
    words = 'Closes it.""" ; import os; os.system("x") # \\N{oops} \\'
    draft = draft_for(target).model_copy(
        update={
            "params": [
                p.model_copy(update={"description": words}) for p in draft_for(target).params
            ]
        }
    )
    result = finish_stale(target, draft, source=text, line_length=200)
    assert result.status is Status.SUGGESTED, result.reason
    assert result.suggestion is not None
    fixed = apply(text, [result.suggestion])
    check_safe(text, fixed)
    assert fixed.count('"""') == 2


@pytest.mark.parametrize("style", STYLES)
def test_docstrings_docbot_writes_are_not_stale_by_pydoclints_rules(
    style: str, tmp_path: Path
) -> None:
    from bot.changes import Change
    from bot.model import FileDiff
    from bot.runner import run
    from bot.settings import Settings

    text = (
        "def fetch(url, *paths, timeout=1.0, **headers):\n    return url\n\n\n"
        "class Client:\n    def get(self, *args, **kwargs):\n        return args\n"
    )
    lines = everything_added(text) - {text.count("\n") + 1}
    change = Change(
        (FileDiff("net.py", None, "added", lines, ((1, len(lines)),)),), {"net.py": text}
    )
    report = run(Settings(style=style), change)
    assert {r.target.qualname for r in report.results} == {"fetch", "Client", "Client.get"}
    documented = apply(text, [r.suggestion for r in report.results if r.suggestion is not None])
    out = tmp_path / "net.py"
    out.write_text(documented, encoding="utf-8")
    assert pydoclint(out, style) == {}  # *paths, **headers written with their stars
    assert scan("net.py", documented, everything_added(documented), STALE).targets == ()


@pytest.mark.parametrize("style", STYLES)
def test_docstrings_without_a_summary_are_checked_as_pydoclint_checks_them(style: str) -> None:
    # A docstring that opens with a section or field has no description, so pydoclint's
    # short-docstring skip does not apply to it, whatever its sections hold.
    path = DATA / f"summaryless_{style}.py"
    text = path.read_text(encoding="utf-8")
    found = scan(path.name, text, everything_added(text), STALE)
    ours = {t.line: {f.code for f in t.findings} for t in found.targets}
    assert len(ours) >= 4
    assert ours == pydoclint(path, style)


def test_a_field_first_sphinx_docstring_is_repaired_keeping_every_byte() -> None:
    text = (DATA / "summaryless_sphinx.py").read_text(encoding="utf-8")
    targets = scan("x.py", text, everything_added(text), STALE).targets
    (target,) = [t for t in targets if t.qualname == "Repository.get_branch"]
    result = finish_stale(target, draft_for(target), source=text, line_length=88)
    assert result.status is Status.SUGGESTED, result.reason
    assert result.suggestion is not None
    fixed = apply(text, [result.suggestion])
    check_safe(text, fixed)
    assert fixed.replace("        :param protected: The protected.\n", "", 1) == text
    assert result.docstring == (
        ":calls: `GET /repos/{owner}/{repo}/branches/{branch}`\n:param branch: string\n"
        ":param protected: The protected.\n:rtype: :class:`Branch`"
    )


@pytest.mark.parametrize(
    "qualname", ["Repository.delete", "Repository.get_label", "Label.__init__"]
)
def test_a_one_line_field_docstring_is_left_to_its_author(qualname: str) -> None:
    text = (DATA / "summaryless_sphinx.py").read_text(encoding="utf-8")
    targets = scan("x.py", text, everything_added(text), STALE).targets
    (target,) = [t for t in targets if t.qualname == qualname]
    result = finish_stale(target, draft_for(target), source=text, line_length=88)
    assert result.status is Status.SKIPPED
    assert result.reason is not None and "left to its author" in result.reason
