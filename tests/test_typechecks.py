"""The ``types`` stale check: DOC105 as pydoclint reports it, and its repair of the type text.

The fixtures tests/data/stale/types_*.py hold, per style, documented arguments whose
types agree with the signature or do not (changed, missing, reordered, quoted, numpy's
``, optional``); types_*.repaired.py are the files with every suggestion applied.
pydoclint runs live with ``--arg-type-hints-in-signature True
--arg-type-hints-in-docstring True``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.docentries import read
from bot.errors import UnsafeSuggestion
from bot.mend import finish_stale
from bot.model import Status
from bot.providers.template import draft_for
from bot.repair import Unrepairable
from bot.suggest import apply, check_safe
from bot.targets import TargetOptions, scan
from bot.typechecks import findings, same_type
from bot.types_repair import mend, verify
from tests.test_stale import STYLES, everything_added, pydoclint_codes

DATA = Path(__file__).parent / "data" / "stale"
OPTIONS = TargetOptions(problems=("stale",), stale_checks=("types",))
FLAGS = (
    "--arg-type-hints-in-docstring", "True", "--arg-type-hints-in-signature", "True",
    "--check-return-types", "False", "--check-yield-types", "False",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
CODES = ("DOC101", "DOC102", "DOC103", "DOC104", "DOC105")


@pytest.mark.parametrize("style", STYLES)
def test_docbot_reports_what_pydoclint_reports_with_types_on(style: str) -> None:
    path = DATA / f"types_{style}.py"
    text = path.read_text(encoding="utf-8")
    found = scan(path.name, text, everything_added(text), OPTIONS).targets
    ours = {t.line: {f.code for f in t.findings if f.code in CODES} for t in found}
    assert ours == pydoclint_codes(path, style, FLAGS, CODES)
    assert sum("DOC105" in codes for codes in ours.values()) >= 3


def test_the_types_check_is_off_unless_asked_for() -> None:
    text = (DATA / "types_google.py").read_text(encoding="utf-8")
    found = scan("m.py", text, everything_added(text), TargetOptions(problems=("stale",)))
    assert [t.qualname for t in found.targets] == ["swapped"]  # DOC104 alone


@pytest.mark.parametrize("style", STYLES)
def test_applied_type_repairs_match_the_golden_file_and_satisfy_pydoclint(
    style: str, tmp_path: Path
) -> None:
    text = (DATA / f"types_{style}.py").read_text(encoding="utf-8")
    targets = scan("m.py", text, everything_added(text), OPTIONS).targets
    results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
    fixed = apply(text, [r.suggestion for r in results if r.suggestion is not None])
    assert fixed == (DATA / f"types_{style}.repaired.py").read_text(encoding="utf-8")
    check_safe(text, fixed)
    out = tmp_path / "m.py"
    out.write_text(fixed, encoding="utf-8")
    left = scan("m.py", fixed, everything_added(fixed), OPTIONS).targets
    assert {t.line: {f.code for f in t.findings} for t in left} == pydoclint_codes(
        out, style, FLAGS, CODES
    )
    skipped = {r.target.qualname: r.reason for r in results if r.status is Status.SKIPPED}
    assert {t.qualname for t in left} == set(skipped)
    assert skipped == (
        {"inline": "stale docstring left to its author: a type with spaces cannot stand"
         " inside `:param type name:`"} if style == "sphinx" else {}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("doc", "signature", "same"),
    [
        ("str", "str", True),
        ("'Foo'", "Foo", True),
        ("``int``", "int", True),
        ("Literal['a']", 'Literal["a"]', True),
        ("Dict[str,int]", "Dict[str, int]", True),
        ("dict[str, int]", "Dict[str, int]", False),
        ("int, optional", "int", False),
        ("", "int", False),
        ("str or None", "str | None", False),
    ],
)
def test_types_compare_as_pydoclint_compares_them(doc: str, signature: str, same: bool) -> None:
    assert same_type(doc, signature) is same


def _node(source: str) -> ast.FunctionDef:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


def test_the_proof_refuses_changed_words_and_a_type_left_stale() -> None:
    node = _node("def f(a: int, b: str): pass\n")
    doc = ("Do.", "", "    Args:", "        a (float): Ay.", "        b (str): Bee.", "    ")
    fixed = mend(doc, read(doc), node, ["a", "b"])  # type: ignore[arg-type]
    assert fixed[3] == "        a (int): Ay."
    verify(doc, fixed, node, ["a", "b"])
    with pytest.raises(UnsafeSuggestion, match="words of `a`"):
        verify(doc, (*fixed[:3], "        a (int): Ay!", *fixed[4:]), node, ["a", "b"])
    with pytest.raises(UnsafeSuggestion, match="still disagree"):
        verify(doc, doc, node, ["a", "b"])
    with pytest.raises(UnsafeSuggestion, match="outside the stale entries"):
        verify(doc, ("Did.", *fixed[1:]), node, ["a", "b"])


def test_an_argument_without_annotation_is_left_to_its_author() -> None:
    node = _node("def f(a, b: str): pass\n")
    doc = ("Do.", "", "    Args:", "        a (float): Ay.", "        b (str): Bee.", "    ")
    with pytest.raises(Unrepairable, match="no annotation"):
        mend(doc, read(doc), node, ["a", "b"])  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------------

TYPES = ("", "int", "str", "'int'", "Optional[int]", "dict[str, int]", "int, optional")


@st.composite
def typed_docstrings(draw: st.DrawFn) -> tuple[str, tuple[str, ...], ast.FunctionDef]:
    """A docstring in some style typing two arguments some way, and a signature."""
    style = draw(st.sampled_from(STYLES))
    kinds = [draw(st.sampled_from(TYPES)) for _ in range(2)]
    notes = [draw(st.sampled_from(["", "More words."])) for _ in range(2)]
    lines = ["Do the thing.", ""]
    if style == "google":
        lines.append("    Args:")
    elif style == "numpy":
        lines += ["    Parameters", "    ----------"]
    for name, kind, note in zip("ab", kinds, notes, strict=True):
        if style == "google":
            lines.append(f"        {name}{f' ({kind})' if kind else ''}: The {name}.")
        elif style == "numpy":
            lines += [f"    {name}{f' : {kind}' if kind else ''}", f"        The {name}."]
        else:
            lines.append(f"    :param {name}: The {name}.")
            lines += [f"    :type {name}: {kind}"] if kind else []
        lines += [f"            {note}"] if note and style != "sphinx" else []
    lines += ["    :returns: It." if style == "sphinx" else "", "    "]
    annotations = [draw(st.sampled_from(TYPES[1:6])) for _ in range(2)]
    node = _node(f"def f(a: {annotations[0]}, b: {annotations[1]}): pass\n")
    return style, tuple(lines), node


@settings(max_examples=300, deadline=None)
@given(typed_docstrings())
def test_any_type_repair_is_proven_and_leaves_no_doc105(
    case: tuple[str, tuple[str, ...], ast.FunctionDef],
) -> None:
    style, doc, node = case
    layout = read(doc)
    assert layout is not None and layout.style == style
    if not findings(node, doc, layout, ["a", "b"]):
        return
    fixed = mend(doc, layout, node, ["a", "b"])
    verify(doc, fixed, node, ["a", "b"])
    after = read(fixed)
    assert after is not None and not findings(node, fixed, after, ["a", "b"])


def test_the_type_repair_through_the_cli_without_a_model(tmp_path: Path) -> None:
    from tests.test_cli import run

    before = (
        "def read(path: str, size: float) -> None:\n"
        '    """Read.\n\n    Args:\n        path (str): Where.\n        size (float): How much.\n'
        '    """\n'
    )
    after = before.replace("size: float", "size: int")
    (tmp_path / "m.py").write_text(after, encoding="utf-8")
    diff = (
        "--- a/m.py\n+++ b/m.py\n@@ -1,7 +1,7 @@\n"
        f"-{before.splitlines()[0]}\n+{after.splitlines()[0]}\n"
        + "".join(f" {line}\n" for line in before.splitlines()[1:])
    )
    (tmp_path / "change.diff").write_text(diff, encoding="utf-8")
    args = ("dry-run", "--diff", str(tmp_path / "change.diff"), "--root", str(tmp_path))
    env = {"DOCBOT_STALE_CHECKS": "types"}
    code, _, err = run(*args, "--provider", "template", "--apply", env=env, cwd=tmp_path)
    assert code == 0, err
    fixed = (tmp_path / "m.py").read_text(encoding="utf-8")
    assert fixed == after.replace("size (float)", "size (int)")
    assert pydoclint_codes(tmp_path / "m.py", "google", FLAGS, CODES) == {}


def test_an_annotation_a_docstring_would_change_is_not_written_into_one() -> None:
    text = (
        "def read(path: 'Literal[\"a\\\\b\"]') -> None:\n"
        '    """Read.\n\n    Args:\n        path (str): Where.\n    """\n'
    )
    (target,) = scan("m.py", text, everything_added(text), OPTIONS).targets
    result = finish_stale(target, draft_for(target), source=text, line_length=88)
    assert (result.status, result.reason) == (
        Status.SKIPPED,
        "stale docstring left to its author: the annotation holds quotes or backslashes"
        " a docstring would change",
    )
