"""TSDoc/JSDoc style, read from a file's comments, and rendering a draft in it."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc, ReturnDoc
from bot.languages.base import CommentStyle
from bot.languages.jsdoc import choose, render, votes

TSDOC_FILE = """\
/**
 * Add two numbers.
 *
 * @param a - The first.
 * @param b - The second.
 * @returns The sum.
 */
"""
JSDOC_TYPED_FILE = """\
/**
 * Add two numbers.
 * @param {number} a The first.
 * @param {number} b The second.
 * @return {number} The sum.
 */
"""
DRAFT = DocstringDraft(
    summary="Add an item to the cart.",
    description="Quantities of the same SKU add up; a */ in text stays inert.",
    params=[
        ParamDoc(name="sku", type="string", description="The product's ``sku``."),
        ParamDoc(name="quantity", type="number", description="How many."),
    ],
    returns=ReturnDoc(type="number", description="The new line count."),
    yields=None,
    raises=[RaiseDoc(exception="errors.RangeError", description="If quantity is not positive.")],
    examples=[],
)


@pytest.mark.parametrize(
    ("file", "javascript", "expected"),
    [
        (TSDOC_FILE, False, CommentStyle("tsdoc", types=False, tags=frozenset({"returns"}))),
        (TSDOC_FILE, True, CommentStyle("tsdoc", types=False, tags=frozenset({"returns"}))),
        (JSDOC_TYPED_FILE, True, CommentStyle("jsdoc", types=True, tags=frozenset({"return"}))),
        # Types in braces only in JavaScript: a TypeScript file states them in the code.
        (JSDOC_TYPED_FILE, False, CommentStyle("jsdoc", types=False, tags=frozenset({"return"}))),
        ("", False, CommentStyle("tsdoc", types=False, tags=frozenset({"returns"}))),
        ("", True, CommentStyle("jsdoc", types=False, tags=frozenset({"returns"}))),
    ],
)
def test_the_files_own_comments_choose_the_style(
    file: str, javascript: bool, expected: CommentStyle
) -> None:
    assert choose(votes(file), Counter(), "auto", javascript=javascript) == expected


def test_a_file_without_comments_follows_the_run_and_the_setting_wins() -> None:
    run = votes(JSDOC_TYPED_FILE)
    assert choose(Counter(), run, "auto", javascript=True).name == "jsdoc"
    assert choose(votes(JSDOC_TYPED_FILE), run, "tsdoc", javascript=True).name == "tsdoc"


def test_tsdoc_rendering() -> None:
    style = CommentStyle("tsdoc", types=False, tags=frozenset({"returns"}))
    assert render(DRAFT, style, width=60) == (
        "/**\n"
        " * Add an item to the cart.\n"
        " *\n"
        " * Quantities of the same SKU add up; a *\\/ in text stays\n"
        " * inert.\n"
        " *\n"
        " * @param sku - The product's `sku`.\n"
        " * @param quantity - How many.\n"
        " * @returns The new line count.\n"
        " * @throws {@link RangeError} If quantity is not positive.\n"
        " */"
    )


def test_typed_jsdoc_rendering() -> None:
    style = CommentStyle("jsdoc", types=True, tags=frozenset({"return"}))
    text = render(DRAFT, style, width=80)
    assert " * @param {string} sku The product's `sku`.\n" in text
    assert " * @return {number} The new line count.\n" in text
    assert " * @throws {RangeError} If quantity is not positive.\n" in text


def test_long_tag_lines_wrap_under_their_tag() -> None:
    draft = DRAFT.model_copy(
        update={"params": [ParamDoc(name="sku", type=None, description="word " * 20)]}
    )
    lines = render(draft, CommentStyle("tsdoc"), width=50).split("\n")
    wrapped = [line for line in lines if line.startswith(" *   ")]
    assert wrapped and all(len(line) <= 50 for line in lines if "@param" in line or line in wrapped)


def test_template_tags_where_the_code_base_writes_them() -> None:
    typed = choose(
        votes("/**\n * Box.\n * @template T\n */\n"), Counter(), "auto", javascript=False
    )
    assert "template" in typed.tags
    text = render(DRAFT, typed, width=80, type_params=("T", "U"))
    assert " *\n * @template T\n * @template U\n * @param sku - " in text
    assert "@template" not in render(DRAFT, CommentStyle("tsdoc"), width=80, type_params=("T",))
