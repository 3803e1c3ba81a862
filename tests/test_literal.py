"""The docstring literal: the right quotes, and a value equal to the text whatever it holds."""

from __future__ import annotations

import ast

import pytest

from bot.literal import docstring_literal, runtime_value


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("Plain text.", '"""'),
        ("A regex: \\d+\\.\\d+", 'r"""'),
        ('Both \\d and a quote "here".', 'r"""'),
        ('Backslash before a quote \\"', '"""'),
        ('Ends in a quote "', '"""'),
        ("Tab\tand \x00 null", '"""'),
    ],
)
def test_raw_prefix_only_when_backslashes_and_a_raw_string_can_hold_the_text(
    text: str, prefix: str
) -> None:
    literal = docstring_literal(text, "    ")
    assert literal.startswith("    " + prefix)
    assert ast.literal_eval(literal.strip()) == text


def test_runtime_value_indents_continuation_lines_and_closes_on_its_own_line() -> None:
    assert runtime_value("One.", "  ") == "One."
    assert runtime_value("One.\n\nTwo.", "\t") == "One.\n\n\tTwo.\n\t"
