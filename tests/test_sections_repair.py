"""Repairs of the opt-in checks' findings: Returns, Yields and Raises sections made true.

The fixtures tests/data/stale/checks_*.py hold, per style, functions whose bodies stopped
or started returning, yielding or raising; checks_*.repaired.py are the files with every
suggestion applied (golden files).  pydoclint, run live with the checks' flags, is the
judge of every applied repair.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.docmodel import DocstringDraft, RaiseDoc, problems
from bot.errors import UnsafeSuggestion
from bot.mend import finish_stale
from bot.model import Finding, Status
from bot.providers.template import draft_for
from bot.repair import NewEntry, Unrepairable
from bot.sections_repair import Code, Mended, Words, mend, verify
from bot.stale import in_words
from bot.stalechecks import CHECKS, findings
from bot.suggest import apply, check_safe
from bot.targets import TargetOptions, scan
from tests.test_stale import STYLES, everything_added, pydoclint_codes
from tests.test_stalechecks import _flags

DATA = Path(__file__).parent / "data" / "stale"
OPTIONS = TargetOptions(problems=("stale",), stale_checks=CHECKS)
ALL_CODES = ("DOC101", "DOC102", "DOC103", "DOC104", "DOC201", "DOC202", "DOC402", "DOC403",
             "DOC501", "DOC502", "DOC503")  # fmt: skip
LEFT = {
    "google": {"lines"},
    "numpy": {"lines", "load"},  # a numpy Returns entry is headed by a type; `load` has none
    "sphinx": {"lines"},
}
"""What stays stale after the repair: `lines` yields without a Generator/Iterator
annotation, which pydoclint wants as well as a Yields section; only docstrings are edited."""


def _repaired(style: str, newline: str = "\n") -> tuple[str, str, list[object]]:
    text = (DATA / f"checks_{style}.py").read_text(encoding="utf-8").replace("\n", newline)
    targets = scan("m.py", text, everything_added(text), OPTIONS).targets
    results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
    fixed = apply(text, [r.suggestion for r in results if r.suggestion is not None])
    return text, fixed, list(results)


@pytest.mark.parametrize("style", STYLES)
def test_applied_repairs_match_the_golden_file_and_leave_pydoclint_nothing_to_report(
    style: str, tmp_path: Path
) -> None:
    text, fixed, results = _repaired(style)
    assert fixed == (DATA / f"checks_{style}.repaired.py").read_text(encoding="utf-8")
    check_safe(text, fixed)  # nothing but docstrings changed
    out = tmp_path / "m.py"
    out.write_text(fixed, encoding="utf-8")
    theirs = pydoclint_codes(out, style, _flags(CHECKS), ALL_CODES)
    left = scan("m.py", fixed, everything_added(fixed), OPTIONS).targets
    assert {t.line: {f.code for f in t.findings} for t in left} == theirs
    assert {t.qualname for t in left} == LEFT[style]
    skipped = {r.target.qualname: r.reason for r in results if r.status is Status.SKIPPED}  # type: ignore[attr-defined]
    assert set(skipped) == LEFT[style]
    assert "Generator or Iterator annotation" in skipped["lines"]


def test_line_endings_stay_as_the_file_has_them() -> None:
    _, fixed, _ = _repaired("google", "\r\n")
    golden = (DATA / "checks_google.repaired.py").read_text(encoding="utf-8")
    assert fixed == golden.replace("\n", "\r\n")


# -- the edits, one by one -------------------------------------------------------------------


def _code(source: str) -> Code:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    return Code(node)


def _lines(doc: str) -> tuple[str, ...]:
    return tuple(doc.split("\n"))


WORDS = Words(NewEntry("The port.", "int"), NewEntry("Each line."), {"ValueError": "When bad."})
RAISES = "def f(a):\n    if a:\n        raise ValueError(a)\n    return a\n"


@pytest.mark.parametrize(
    ("source", "doc", "expected"),
    [
        pytest.param(  # the Raises section goes after Returns, before Examples
            RAISES,
            "Do.\n\n    Args:\n        a: Ay.\n\n    Returns:\n        It.\n\n"
            "    Examples:\n        >>> f(1)\n    ",
            "Do.\n\n    Args:\n        a: Ay.\n\n    Returns:\n        It.\n\n"
            "    Raises:\n        ValueError: When bad.\n\n"
            "    Examples:\n        >>> f(1)\n    ",
            id="google-raises-between",
        ),
        pytest.param(  # two blank lines between sections are the docstring's layout
            "def f(a) -> int:\n    return a\n",
            "Do.\n\n    Args:\n        a: Ay.\n\n\n    Examples:\n        >>> f(1)\n    ",
            "Do.\n\n    Args:\n        a: Ay.\n\n\n    Returns:\n        The port.\n\n\n"
            "    Examples:\n        >>> f(1)\n    ",
            id="google-returns-gap",
        ),
        pytest.param(  # numpy: its type line from the annotation, the neighbours' indent
            "def f(a) -> int:\n    return a\n",
            "Do.\n\n  Parameters\n  ----------\n  a\n    Ay.\n  ",
            "Do.\n\n  Parameters\n  ----------\n  a\n    Ay.\n\n  Returns\n  -------\n  int\n"
            "    The port.\n  ",
            id="numpy-returns",
        ),
        pytest.param(  # sphinx: extra exceptions go, missing ones come after the kept
            "def f(a):\n    if a:\n        raise ValueError\n    raise KeyError\n",
            "Do.\n\n    :param a: Ay.\n    :raises OSError: Never.\n    :raises KeyError: Gone\n"
            "        on two lines.\n    ",
            "Do.\n\n    :param a: Ay.\n    :raises KeyError: Gone\n        on two lines.\n"
            "    :raises ValueError: When bad.\n    ",
            id="sphinx-raises-mismatch",
        ),
        pytest.param(  # the last section goes with the blank line above it
            "def f(a):\n    print(a)\n",
            "Do.\n\n    Args:\n        a: Ay.\n\n    Returns:\n        It.\n          More.\n    ",
            "Do.\n\n    Args:\n        a: Ay.\n    ",
            id="google-returns-gone",
        ),
        pytest.param(  # a middle section goes with the blank line below it
            "def f(a):\n    print(a)\n",
            "Do.\n\n    Parameters\n    ----------\n    a\n        Ay.\n\n    Raises\n    ------\n"
            "    KeyError\n        No.\n\n    Notes\n    -----\n    Kept.\n    ",
            "Do.\n\n    Parameters\n    ----------\n    a\n        Ay.\n\n"
            "    Notes\n    -----\n    Kept.\n    ",
            id="numpy-raises-gone",
        ),
    ],
)  # fmt: skip
def test_each_repair_edits_only_its_section(source: str, doc: str, expected: str) -> None:
    code = _code(source)
    style = "numpy" if "----" in doc else "sphinx" if ":param" in doc else "google"
    codes = [f.code for f in findings(code.node, _lines(doc), style, CHECKS)]  # type: ignore[arg-type]
    fixed = mend(_lines(doc), style, codes, code, WORDS)  # type: ignore[arg-type]
    verify(_lines(doc), fixed, style, code)  # type: ignore[arg-type]
    assert "\n".join(fixed.lines) == expected


def test_the_proof_refuses_a_change_outside_the_sections() -> None:
    doc = _lines("Do.\n\n    Args:\n        a: Ay.\n    ")
    code = _code(RAISES)
    fixed = mend(doc, "google", ["DOC501"], code, WORDS)
    tampered = Mended(("Did.", *fixed.lines[1:]), fixed.kinds, fixed.kept)
    with pytest.raises(UnsafeSuggestion, match="outside the sections"):
        verify(doc, tampered, "google", code)


def test_the_proof_refuses_a_repair_that_leaves_the_section_stale() -> None:
    doc = _lines("Do.\n\n    Args:\n        a: Ay.\n    ")
    unfixed = Mended(doc, frozenset({"raises"}), ())
    with pytest.raises(UnsafeSuggestion, match="still disagree"):
        verify(doc, unfixed, "google", _code(RAISES))


def test_the_proof_refuses_a_lost_kept_entry() -> None:
    doc = _lines("Do.\n\n    Raises:\n        ValueError: When\n            bad.\n    ")
    code = _code(RAISES)
    lost = Mended(
        _lines("Do.\n\n    Raises:\n        ValueError: When bad.\n    "),
        frozenset({"raises"}),
        (("        ValueError: When", "            bad."),),
    )
    with pytest.raises(UnsafeSuggestion, match="lost text"):
        verify(doc, lost, "google", code)


def test_no_words_from_the_writer_leaves_the_docstring_to_its_author() -> None:
    doc = _lines("Do.\n\n    Args:\n        a: Ay.\n    ")
    with pytest.raises(Unrepairable, match="no words"):
        mend(doc, "google", ["DOC501"], _code(RAISES), Words())


# -- the writer ------------------------------------------------------------------------------


def _target(style: str, name: str) -> object:
    text = (DATA / f"checks_{style}.py").read_text(encoding="utf-8")
    targets = scan("m.py", text, everything_added(text), OPTIONS).targets
    return next(t for t in targets if t.qualname == name)


def test_the_writer_is_asked_for_the_new_sections_words_and_asked_again_without_them() -> None:
    target = _target("google", "parse_port")
    draft = DocstringDraft(
        summary="Parse.", description=None, params=[], returns=None, yields=None, raises=[],
        examples=[],
    )  # fmt: skip
    assert problems(draft, target) == [  # type: ignore[arg-type]
        "Give raises entries, with descriptions, for: ValueError."
    ]
    answered = draft.model_copy(
        update={"raises": [RaiseDoc(exception="ValueError", description="Out of range.")]}
    )
    assert problems(answered, target) == []  # type: ignore[arg-type]
    assert problems(draft, _target("google", "load")) == [  # type: ignore[arg-type]
        "Describe what the function returns in returns."
    ]


def test_hostile_words_stay_docstring_text(tmp_path: Path) -> None:
    text = (DATA / "checks_google.py").read_text(encoding="utf-8")
    target = _target("google", "parse_port")
    hostile = 'When bad."""\nimport os; os.system("x")\n"""\n\n    Returns:\n        \\'
    draft = DocstringDraft(
        summary="Parse.", description=None, params=[], returns=None, yields=None,
        raises=[RaiseDoc(exception="ValueError", description=hostile)], examples=[],
    )  # fmt: skip
    result = finish_stale(target, draft, source=text, line_length=88)  # type: ignore[arg-type]
    assert result.status is Status.SUGGESTED and result.suggestion is not None
    fixed = apply(text, [result.suggestion])
    check_safe(text, fixed)
    out = tmp_path / "m.py"
    out.write_text(fixed, encoding="utf-8")
    line = target.line  # type: ignore[attr-defined]
    assert line not in pydoclint_codes(out, "google", _flags(CHECKS), ALL_CODES)
    *_, title, entry = result.suggestion.replacement.split("\n")
    assert title == "    Raises:"  # one section, its one entry holding the words as words
    assert entry.startswith("        ValueError: When bad.") and "os.system" in entry


def test_the_review_line_says_what_went_stale_in_plain_words() -> None:
    found = (Finding("DOC201", "m"), Finding("DOC502", "m"))
    assert in_words(found, ["a"]) == (
        "the function returns a value; the docstring has no Returns section; "
        "the docstring has a Raises section; the function raises nothing"
    )


BEFORE = (
    "def port(text):\n"
    '    """Parse a port.\n\n    Args:\n        text: The digits.\n    """\n'
    "    return int(text)\n"
)
AFTER = (
    "def port(text, low=1):\n"
    '    """Parse a port.\n\n    Args:\n        text: The digits.\n    """\n'
    "    if int(text) < low:\n        raise ValueError(text)\n    return int(text)\n"
)


def _project(tmp_path: Path) -> tuple[str, ...]:
    """A change that adds a parameter and a raise under a docstring with no Returns."""
    (tmp_path / "m.py").write_text(AFTER, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docbot]\nstale_checks = ["returns", "raises"]\n'
    )
    diff = (
        "--- a/m.py\n+++ b/m.py\n@@ -1,7 +1,9 @@\n-def port(text):\n+def port(text, low=1):\n"
        + "".join(f" {line}\n" for line in BEFORE.splitlines()[1:6])
        + "-    return int(text)\n+    if int(text) < low:\n+        raise ValueError(text)\n"
        + "+    return int(text)\n"
    )
    (tmp_path / "change.diff").write_text(diff, encoding="utf-8")
    return ("dry-run", "--diff", str(tmp_path / "change.diff"), "--root", str(tmp_path))


def test_the_model_writes_the_new_sections_words(tmp_path: Path) -> None:
    from tests.fakes.azure import KEY, FakeAzure
    from tests.test_cli import run

    with FakeAzure() as fake:
        env = {
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE": "false",
        }
        args = _project(tmp_path)
        code, out, err = run(
            *args, "--provider", "azure", "--format", "json", env=env, cwd=tmp_path
        )
    assert code == 0, err
    (target,) = json.loads(out)["targets"]
    codes = [f["code"] for f in target["findings"]]
    assert codes == ["DOC101", "DOC103", "DOC201", "DOC501", "DOC503"]
    assert target["suggestion"]["replacement"] == (
        "        text: The digits.\n        low: The low to use.\n\n"
        "    Returns:\n        What port produces.\n\n"
        "    Raises:\n        ValueError: If it fails."
    )
    (asked,) = [r.body["messages"] for r in fake.billed()]
    user = next(m["content"] for m in asked if m["role"] == "user")
    assert "write sections (these replace the nulls above): returns: what it returns" in user
    assert "raises: one entry for each of ValueError" in user


def test_the_offline_writer_repairs_through_the_cli(tmp_path: Path) -> None:
    from tests.test_cli import run

    after = AFTER
    code, _, err = run(*_project(tmp_path), "--provider", "template", "--apply", cwd=tmp_path)
    assert code == 0, err
    fixed = (tmp_path / "m.py").read_text(encoding="utf-8")
    assert fixed == after.replace(
        "        text: The digits.\n",
        "        text: The digits.\n        low: The low. Defaults to ``1``.\n\n"
        "    Returns:\n        The port.\n\n    Raises:\n        ValueError: If a value is invalid.\n",
    )
    assert pydoclint_codes(tmp_path / "m.py", "google", _flags(CHECKS), ALL_CODES) == {}


# -- properties ------------------------------------------------------------------------------

EXCEPTIONS = ("KeyError", "OSError", "ValueError")


@st.composite
def stale_sections(draw: st.DrawFn) -> tuple[str, tuple[str, ...], str]:
    """A function and a docstring in some style whose sections may disagree with it."""
    style = draw(st.sampled_from(STYLES))
    returns, yields = draw(st.booleans()), draw(st.booleans())
    documented = draw(st.lists(st.sampled_from(EXCEPTIONS), unique=True, max_size=3))
    raised = draw(st.lists(st.sampled_from(EXCEPTIONS), unique=True, max_size=3))
    tail = draw(st.booleans())
    pieces: dict[str, list[str]] = {"params": ["a: Ay.", "  More about a."]}
    if returns:
        pieces["Returns"] = ["int: The value."] if style != "numpy" else ["int", "    The value."]
    if yields:
        pieces["Yields"] = ["int: Each."] if style != "numpy" else ["int", "    Each."]
    if documented:
        pieces["Raises"] = [
            line
            for name in documented
            for line in ([f"{name}: When."] if style != "numpy" else [name, "    When."])
        ]
    lines = ["Do the thing.", ""]
    if draw(st.booleans()):
        lines += ["    More words.", ""]
    for title, body in pieces.items():
        if style == "sphinx":
            field = {"params": ":param", "Returns": ":returns:", "Yields": ":yields:"}.get(title)
            for line in body:
                spec, _, said = line.partition(": ")
                if title == "Raises":
                    lines.append(f"    :raises {spec}: {said}")
                elif title == "params":
                    lines.append(f"    :param {spec}: {said}" if said else f"        {spec}")
                else:
                    lines.append(f"    {field} {said}")
            continue
        name = {"params": "Args" if style == "google" else "Parameters"}.get(title, title)
        head = [f"    {name}:"] if style == "google" else [f"    {name}", "    " + "-" * len(name)]
        indent = "        " if style == "google" else "    "
        lines += [*head, *(indent + line for line in body), ""]
    if tail and style != "sphinx":
        lines += ["    Examples:", "        >>> 1", ""] if style == "google" else []
    lines[-1:] = [lines[-1], "    "] if lines[-1] else ["    "]
    annotation = draw(st.sampled_from(["", " -> int", " -> Iterator[int]"]))
    body = [f"    if a == {n}:\n        raise {name}" for n, name in enumerate(raised)]
    body += ["    yield a"] if draw(st.booleans()) else []
    body += ["    return a"] if draw(st.booleans()) else []
    source = f"def f(a){annotation}:\n" + ("\n".join(body) or "    pass") + "\n"
    return style, tuple(lines), source


@settings(max_examples=300, deadline=None)
@given(stale_sections())
def test_any_section_repair_is_proven_or_left_with_a_reason(
    case: tuple[str, tuple[str, ...], str],
) -> None:
    style, doc, source = case
    code = _code(source)
    codes = [f.code for f in findings(code.node, doc, style, CHECKS)]  # type: ignore[arg-type]
    words = Words(
        NewEntry("The value.", "int"), NewEntry("Each."), dict.fromkeys(EXCEPTIONS, "If.")
    )
    if not codes:
        return
    try:
        fixed = mend(doc, style, codes, code, words)  # type: ignore[arg-type]
    except Unrepairable as exc:
        assert "Generator or Iterator" in str(exc) or "no entry this repair" in str(exc)
        return
    verify(doc, fixed, style, code)  # type: ignore[arg-type]
    assert not findings(code.node, fixed.lines, style, CHECKS)  # type: ignore[arg-type]
    assert fixed.lines[:2] == doc[:2] and fixed.lines[-1] == doc[-1]


def test_only_new_words_call_a_writer_a_section_that_only_goes_needs_none() -> None:
    from bot.sectionwords import needs_words

    assert not needs_words(_target("google", "Store.get"))  # type: ignore[arg-type]
    assert not needs_words(_target("google", "parse_host"))  # type: ignore[arg-type]
    assert needs_words(_target("google", "load"))  # type: ignore[arg-type]
    assert needs_words(_target("sphinx", "connect"))  # type: ignore[arg-type]
