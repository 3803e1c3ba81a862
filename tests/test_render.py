"""render(): each style's text, compared with golden files; detect_style(): the vote.

Golden files: tests/data/golden/<case>.<style>.txt, from the draft and widths in
tests/data/drafts/<case>.json.  ``DOCBOT_UPDATE_GOLDEN=1 pytest tests/test_render.py``
rewrites them; review the diff before keeping it.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.docmodel import DocstringDraft, ParamDoc, ReturnDoc
from bot.render import (
    TAB_WIDTH,
    ConcreteStyle,
    _wrap,
    columns,
    detect_style,
    render,
    style_votes,
    types_wanted,
)

DATA = Path(__file__).parent / "data"
CASES = sorted(path.stem for path in (DATA / "drafts").glob("*.json"))
STYLES: tuple[ConcreteStyle, ...] = get_args(ConcreteStyle)
UPDATE = os.environ.get("DOCBOT_UPDATE_GOLDEN") == "1"


def load_case(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "drafts" / f"{case}.json").read_text("utf-8"))
    data["draft"] = DocstringDraft.model_validate(data["draft"])
    return data


def rendered(case: str, style: ConcreteStyle) -> tuple[str, dict[str, Any]]:
    data = load_case(case)
    text = render(data["draft"], style, line_length=data["line_length"], indent=data["indent"])
    return text, data


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES)
def test_render_matches_golden_file(case: str, style: ConcreteStyle) -> None:
    text, _ = rendered(case, style)
    golden = DATA / "golden" / f"{case}.{style}.txt"
    if UPDATE:
        golden.write_text(text + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with DOCBOT_UPDATE_GOLDEN=1"
    assert text + "\n" == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES)
def test_lines_fit_once_indented_and_quoted(case: str, style: ConcreteStyle) -> None:
    text, data = rendered(case, style)
    # below 24 columns deeply nested code would get a word per line: the width never drops below
    room = max(data["line_length"] - columns(data["indent"]), 24)
    for number, line in enumerate(text.split("\n")):
        quotes = 7 if number == 0 else 0
        if len(line) + quotes <= room:
            continue
        # only a word that fits on no line, a type (never broken) or a doctest may stick out
        assert len(line.split()) == 1 or "[" in line or line.startswith(">>>"), line


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES)
def test_summary_first_then_blank_line_and_no_trailing_space(
    case: str, style: ConcreteStyle
) -> None:
    text, data = rendered(case, style)
    lines = text.split("\n")
    summary_lines = len(lines) if "" not in lines else lines.index("")
    assert " ".join(lines[:summary_lines]) == data["draft"].summary
    assert all(line == line.rstrip() for line in lines)
    assert not text.startswith((" ", "\n")) and not text.endswith("\n")


def draft(**fields: Any) -> DocstringDraft:
    base: dict[str, Any] = dict(
        summary="Do it.", description=None, params=[], returns=None, yields=None, raises=[],
        examples=[],
    )  # fmt: skip
    return DocstringDraft(**(base | fields))


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("google", "Do it.\n\nArgs:\n    x (int): The x.\n\nReturns:\n    bool: Whether."),
        ("numpy", "Do it.\n\nParameters\n----------\nx : int\n    The x.\n\n"
                  "Returns\n-------\nbool\n    Whether."),
        ("sphinx", "Do it.\n\n:param x: The x.\n:type x: int\n:returns: Whether.\n:rtype: bool"),
    ],
)  # fmt: skip
def test_each_style_spells_its_sections(style: ConcreteStyle, expected: str) -> None:
    text = render(
        draft(params=[ParamDoc(name="x", type="int", description="The x.")],
              returns=ReturnDoc(type="bool", description="Whether.")),
        style, line_length=88, indent="    ",
    )  # fmt: skip
    assert text == expected


def test_a_tab_counts_as_four_columns() -> None:
    words = "word " * 30
    with_tab = render(draft(summary=words), "google", line_length=60, indent="\t")
    with_spaces = render(draft(summary=words), "google", line_length=60, indent=" " * TAB_WIDTH)
    assert with_tab == with_spaces
    assert with_tab != render(draft(summary=words), "google", line_length=60, indent=" ")


GOOGLE_DOC = """Load a file.

    Args:
        path: Where it is.

    Returns:
        The bytes.
    """
NUMPY_DOC = """Load a file.

    Parameters
    ----------
    path : str
        Where it is.
    """
SPHINX_DOC = """Load a file.

    :param path: Where it is.
    :returns: The bytes.
    """


@pytest.mark.parametrize(
    ("docstrings", "expected"),
    [
        ([GOOGLE_DOC, GOOGLE_DOC, NUMPY_DOC], "google"),
        ([NUMPY_DOC, SPHINX_DOC, NUMPY_DOC], "numpy"),
        ([SPHINX_DOC, "Just a summary.", "Another."], "sphinx"),
        ([GOOGLE_DOC, NUMPY_DOC, SPHINX_DOC], "google"),
        ([NUMPY_DOC.replace("\n", "\r\n")], "numpy"),
        (["Just a summary.", "Returns the thing, as in: Returns: nothing"], None),
        ([], None),
    ],
)
def test_detect_style_is_a_majority_vote(
    docstrings: list[str], expected: ConcreteStyle | None
) -> None:
    assert detect_style(docstrings) == expected


@pytest.mark.parametrize("style", STYLES)
def test_detect_style_recognises_what_render_writes(style: ConcreteStyle) -> None:
    text, _ = rendered("full", style)
    assert detect_style([text]) == style


@pytest.mark.parametrize(
    ("docstring", "votes"),
    [
        (
            "Do.\n\nArgs:\n    x (int): The x.\n    y: Y.\n\nReturns:\n    int: R.\n",
            {"google": 1, "typed": 1},
        ),
        (
            "Do.\n\n    Args:\n        x: The x.\n            More.\n\n    Raises:\n        ValueError: V.\n",
            {"google": 1, "untyped": 1},
        ),
        (
            "Do.\n\nParameters\n----------\nx : int\n    The x.\n\nReturns\n-------\nint\n",
            {"numpy": 1, "typed": 1},
        ),
        (
            "Do.\n\n    Parameters\n    ----------\n    x\n        The x.\n\n    Returns\n    -------\n    int\n",
            {"numpy": 1, "untyped": 1},
        ),
        ("Do.\n\n:param x: The x.\n:type x: int\n", {"sphinx": 1, "typed": 1}),
        ("Do.\n\n:param int x: The x.\n", {"sphinx": 1, "typed": 1}),
        ("Do.\n\n:param x: The x.\n:returns: R.\n", {"sphinx": 1, "untyped": 1}),
        ("Do.\n\nReturns:\n    The thing.\n", {"google": 1}),
        ("Just prose.", {}),
    ],
)
def test_each_docstring_votes_for_its_style_and_whether_it_types_parameters(
    docstring: str, votes: dict[str, int]
) -> None:
    assert dict(style_votes([docstring])) == votes


def test_types_are_left_out_only_when_the_code_base_mostly_omits_them() -> None:
    assert types_wanted(Counter())
    assert types_wanted(Counter(typed=2, untyped=2))
    assert not types_wanted(Counter(typed=1, untyped=2))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab \t\n\x00\xa0:.,-"), max_size=60),
    width=st.integers(min_value=1, max_value=40),
    first=st.sampled_from(["", "...", "    "]),
)
def test_wrapping_is_textwraps_however_short_the_text(text: str, width: int, first: str) -> None:
    reference = textwrap.TextWrapper(
        width=width,
        initial_indent=first,
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    ).wrap(text) or ([first.rstrip()] if first.strip() else [])
    expected = [line.replace("\x00", " ") for line in reference]
    assert _wrap(text, width, first=first, rest="    ") == expected
