"""The ``types`` stale check, return side: DOC203 and DOC404 as pydoclint reports them.

The fixtures tests/data/stale/returns_*.py hold Returns sections whose types agree with
the return annotation or do not (changed, missing, untyped, unannotated); pydoclint
runs live with ``--check-return-types True``.  A missing Returns section is added,
typed by the annotation, with the writer's words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import returntypes_repair
from bot.errors import UnsafeSuggestion
from bot.mend import finish_stale
from bot.model import Status
from bot.providers.template import draft_for
from bot.repair import Unrepairable
from bot.returntypes import findings
from bot.suggest import apply, check_safe
from bot.targets import TargetOptions, scan
from tests.test_stale import STYLES, everything_added, pydoclint_codes

DATA = Path(__file__).parent / "data" / "stale"
OPTIONS = TargetOptions(problems=("stale",), stale_checks=("types",))
RETURN_FLAGS = (
    "--arg-type-hints-in-docstring", "True", "--arg-type-hints-in-signature", "True",
    "--check-return-types", "True", "--check-yield-types", "False",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
CODES = ("DOC101", "DOC102", "DOC103", "DOC104", "DOC105", "DOC203")
EXPECTED = {
    "google": {"changed", "untyped", "unannotated", "missing"},
    "numpy": {"changed", "unannotated"},
    "sphinx": {"changed", "untyped", "prose"},
}


@pytest.mark.parametrize("style", STYLES)
def test_docbot_reports_what_pydoclint_reports_with_return_types_on(style: str) -> None:
    path = DATA / f"returns_{style}.py"
    text = path.read_text(encoding="utf-8")
    found = scan(path.name, text, everything_added(text), OPTIONS).targets
    ours = {t.line: {f.code for f in t.findings} for t in found}
    assert ours == pydoclint_codes(path, style, RETURN_FLAGS, CODES)
    assert {t.qualname for t in found} == EXPECTED[style]


LEFT = {
    "google": {"unannotated": "the function has no return annotation to document"},
    "numpy": {"unannotated": "the function has no return annotation to document"},
    "sphinx": {"prose": "the `:rtype:` field's text runs on past its line"},
}


@pytest.mark.parametrize("style", STYLES)
def test_applied_return_type_repairs_match_the_golden_file_and_satisfy_pydoclint(
    style: str, tmp_path: Path
) -> None:
    text = (DATA / f"returns_{style}.py").read_text(encoding="utf-8")
    targets = scan("m.py", text, everything_added(text), OPTIONS).targets
    results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
    fixed = apply(text, [r.suggestion for r in results if r.suggestion is not None])
    assert fixed == (DATA / f"returns_{style}.repaired.py").read_text(encoding="utf-8")
    check_safe(text, fixed)
    out = tmp_path / "m.py"
    out.write_text(fixed, encoding="utf-8")
    left = scan("m.py", fixed, everything_added(fixed), OPTIONS).targets
    assert {t.line: {f.code for f in t.findings} for t in left} == pydoclint_codes(
        out, style, RETURN_FLAGS, CODES
    )
    skipped = {
        r.target.qualname: (r.reason or "").removeprefix("stale docstring left to its author: ")
        for r in results
        if r.status is Status.SKIPPED
    }
    assert skipped == LEFT[style]
    assert {t.qualname for t in left} == set(LEFT[style])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (("Do.", "", "    Returns:", "        float: It.", "    "), "        int: It!"),
        (("Do.", "", "    Returns:", "        float: It.", "    "), "        int: float: It"),
    ],
)
def test_the_proof_refuses_a_return_type_repair_that_changes_words(
    old: tuple[str, ...], new: str
) -> None:
    node = ast.parse("def f() -> int:\n    return 1\n").body[0]
    assert isinstance(node, ast.FunctionDef)
    fixed = returntypes_repair.mend(old, "google", node)
    assert fixed[3] == "        int: It."
    returntypes_repair.verify(old, fixed, "google", node)
    with pytest.raises(UnsafeSuggestion, match="words"):
        returntypes_repair.verify(old, (*old[:3], new, old[4]), "google", node)


def test_a_missing_returns_section_asks_the_writer_for_its_words() -> None:
    from bot.sectionwords import asked

    text = (DATA / "returns_google.py").read_text(encoding="utf-8")
    targets = {t.qualname: t for t in scan("m.py", text, everything_added(text), OPTIONS).targets}
    assert asked(targets["missing"]).returns
    assert not asked(targets["changed"]).returns


def test_an_added_returns_type_is_never_wrapped(tmp_path: Path) -> None:
    kind = "dict[str, tuple[int, int, int, int, int, int, int, int, int, int, int, int, int]]"
    text = (
        f"def load(path: str) -> {kind}:\n"
        '    """Load.\n\n    Args:\n        path (str): Where.\n    """\n'
        "    return {}\n"
    )
    (target,) = scan("m.py", text, everything_added(text), OPTIONS).targets
    result = finish_stale(target, draft_for(target), source=text, line_length=60)
    assert result.suggestion is not None
    *_, title, head, rest = result.suggestion.replacement.split("\n")
    assert (title, head, rest) == ("    Returns:", f"        {kind}: The", "            load.")
    out = tmp_path / "m.py"
    out.write_text(apply(text, [result.suggestion]), encoding="utf-8")
    assert pydoclint_codes(out, "google", RETURN_FLAGS, CODES) == {}


YIELD_FLAGS = (
    "--arg-type-hints-in-docstring", "True", "--arg-type-hints-in-signature", "True",
    "--check-return-types", "True", "--check-yield-types", "True",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
YIELD_CODES = (*CODES, "DOC404")


@pytest.mark.parametrize("style", STYLES)
def test_yield_types_are_found_as_pydoclint_finds_them_and_repaired(
    style: str, tmp_path: Path
) -> None:
    path = DATA / f"yields_{style}.py"
    text = path.read_text(encoding="utf-8")
    targets = scan(path.name, text, everything_added(text), OPTIONS).targets
    ours = {t.line: {f.code for f in t.findings} for t in targets}
    assert ours == pydoclint_codes(path, style, YIELD_FLAGS, YIELD_CODES)
    assert all(codes == {"DOC404"} for codes in ours.values())
    results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
    assert {r.status for r in results} == {Status.SUGGESTED}
    fixed = apply(text, [r.suggestion for r in results if r.suggestion is not None])
    assert fixed == (DATA / f"yields_{style}.repaired.py").read_text(encoding="utf-8")
    check_safe(text, fixed)
    out = tmp_path / "m.py"
    out.write_text(fixed, encoding="utf-8")
    assert pydoclint_codes(out, style, YIELD_FLAGS, YIELD_CODES) == {}


# -- properties ------------------------------------------------------------------------------

RETURNED = ("", "int", "str", "'int'", "Optional[int]", "dict[str, int]", "tuple[int, str]")


@st.composite
def returning(draw: st.DrawFn) -> tuple[str, tuple[str, ...], ast.FunctionDef]:
    """A docstring in some style with a Returns section typed some way, and a signature."""
    style = draw(st.sampled_from(STYLES))
    kind = draw(st.sampled_from(RETURNED))
    said = draw(st.sampled_from(["The value.", "The value: counted.", "Counted\n        twice."]))
    lines = ["Do the thing.", ""]
    if style == "google":
        lines += ["    Args:", "        a (int): Ay.", "", "    Returns:"]
        lines += [f"        {kind + ': ' if kind else ''}{said}"]
    elif style == "numpy":
        lines += ["    Parameters", "    ----------", "    a : int", "        Ay.", ""]
        lines += ["    Returns", "    -------", f"    {kind or 'value'}", f"        {said}"]
    else:
        lines += ["    :param int a: Ay.", f"    :returns: {said}"]
        lines += [f"    :rtype: {kind}"] if kind else []
    lines = [*"\n".join(lines).split("\n"), "    "]
    annotation = draw(st.sampled_from(RETURNED[1:]))
    node = ast.parse(f"def f(a: int) -> {annotation}:\n    return a\n").body[0]
    assert isinstance(node, ast.FunctionDef)
    return style, tuple(lines), node


@settings(max_examples=300, deadline=None)
@given(returning())
def test_any_return_type_repair_is_proven_or_left_with_a_reason(
    case: tuple[str, tuple[str, ...], ast.FunctionDef],
) -> None:
    style, doc, node = case
    if not findings(node, doc, style):  # type: ignore[arg-type]
        return
    try:
        fixed = returntypes_repair.mend(doc, style, node)  # type: ignore[arg-type]
    except Unrepairable as exc:
        assert "several numpy entries" in str(exc) or "with spaces" in str(exc)
        return
    returntypes_repair.verify(doc, fixed, style, node)  # type: ignore[arg-type]
    assert not findings(node, fixed, style)  # type: ignore[arg-type]
