"""The tree-sitter proof: a doc comment goes in, and provably nothing else changes."""

from __future__ import annotations

import pickle

import pytest
import tree_sitter_javascript
import tree_sitter_typescript

from bot.errors import UnsafeSuggestion
from bot.languages.treeproof import (
    Grammar,
    check_same_but_comments,
    insert,
    lines_of,
    prove_insertion,
)

TS = Grammar("typescript", tree_sitter_typescript.language_typescript)
JS = Grammar("javascript", tree_sitter_javascript.language)

CLASS = """\
/* header */
export class Cart {
  @logged
  add(item: Item, count = 1): void {
    const note = `added
${count}`;
  }
}
"""


def test_insert_puts_the_comment_above_the_anchor_and_keeps_the_anchor_line() -> None:
    found = insert(
        TS, CLASS, path="cart.ts", anchor=3, rendered="/**\n * Add.\n */", indent="  ", what="add"
    )
    assert (found.start_line, found.end_line) == (3, 3)
    assert found.replacement == "  /**\n   * Add.\n   */\n  @logged"


def test_the_file_line_endings_are_kept() -> None:
    crlf = CLASS.replace("\n", "\r\n")
    found = insert(
        TS, crlf, path="cart.ts", anchor=2, rendered="/**\n * Cart.\n */", indent="", what="Cart"
    )
    assert found.replacement == "/**\r\n * Cart.\r\n */\r\nexport class Cart {"


def test_blank_comment_lines_get_no_trailing_indentation() -> None:
    found = insert(
        TS, CLASS, path="c.ts", anchor=3, rendered="/**\n * A.\n\n */", indent="  ", what="a"
    )
    assert found.replacement.split("\n")[2] == ""


@pytest.mark.parametrize(
    ("anchor", "rendered", "reason"),
    [
        (6, "/** inside a template literal */", "change the code"),
        (4, "/** unterminated", "syntax error"),
        (2, "/** a */ let x = 1;", "change the code"),
        (2, "// not a doc comment\nfoo();", "change the code"),
    ],
)
def test_an_insertion_that_is_not_only_a_comment_is_refused(
    anchor: int, rendered: str, reason: str
) -> None:
    with pytest.raises(UnsafeSuggestion, match=reason):
        insert(TS, CLASS, path="c.ts", anchor=anchor, rendered=rendered, indent="", what="t")


def test_an_insertion_inside_a_block_comment_is_refused() -> None:
    source = "/* open\n\nclose */\nfunction f() {}\n"
    with pytest.raises(UnsafeSuggestion):
        insert(JS, source, path="f.js", anchor=2, rendered="/* x */", indent="", what="f")


def test_the_inserted_lines_must_be_exactly_the_comment() -> None:
    modified = "/** a */ /** b */\nfunction f() {}\n"
    prove_insertion(
        JS, "function f() {}\n", modified, start=0, inserted="/** a */ /** b */\n", what="f"
    )
    with pytest.raises(UnsafeSuggestion, match="not the comment's insertion"):
        prove_insertion(JS, "function f() {}\n", modified, start=0, inserted="/** a */\n", what="f")


def test_an_error_the_original_had_is_no_reason_to_refuse() -> None:
    source = "function f( {\n}\nexport function g() {}\n"
    found = insert(JS, source, path="g.js", anchor=3, rendered="/** G. */", indent="", what="g")
    assert found.replacement == "/** G. */\nexport function g() {}"


def test_check_same_but_comments_allows_comments_and_refuses_code() -> None:
    check_same_but_comments(TS, CLASS, CLASS.replace("/* header */", "// other\n/** more */"))
    with pytest.raises(UnsafeSuggestion, match="changes code"):
        check_same_but_comments(TS, CLASS, CLASS.replace("count = 1", "count = 2"))
    with pytest.raises(UnsafeSuggestion, match="syntax error"):
        check_same_but_comments(TS, CLASS, CLASS.replace("/* header */", "/* header"))


def test_a_changed_identifier_is_code() -> None:
    with pytest.raises(UnsafeSuggestion):
        check_same_but_comments(TS, CLASS, CLASS.replace("add(", "ad("))


def test_lines_are_counted_as_git_counts_them() -> None:
    assert lines_of("a\rb\r\nc\nd") == ["a\rb\r\n", "c\n", "d"]


def test_a_grammar_pickles_for_worker_processes() -> None:
    assert pickle.loads(pickle.dumps(TS)).parse("let x = 1;").root_node.type == "program"
