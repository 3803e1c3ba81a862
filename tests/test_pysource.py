"""Source positions: ast's (line, byte column) turned back into the file's own text."""

from __future__ import annotations

import ast

import pytest

from bot.pysource import SourceLines, body_facts, indent_unit, physical_lines


def first_def(lines: SourceLines) -> ast.FunctionDef:
    node = ast.parse(lines.src).body[-1]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize(
    ("text", "count"),
    [("", 1), ("x", 1), ("x\n", 1), ("x\ny\n", 2), ("x\r\ny", 2), ("x\ry\r", 2), ("\n\n", 2)],
)
def test_lines_are_counted_like_python_does(text: str, count: int) -> None:
    assert SourceLines(text).count() == count


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", ()),
        ("a = 1", ("a = 1",)),
        ("a = 1\r\nb = 2\rc = 3\n", ("a = 1\r\n", "b = 2\r", "c = 3\n")),
        ("\n\n", ("\n", "\n")),
        # Python does not end a line at these; str.splitlines would.
        ("x = '\f'\n\fy = 1\n", ("x = '\f'\n", "\fy = 1\n")),
        ("s = '\x0b\x1c\x1d\x1e\x85\u2028\u2029'\n", ("s = '\x0b\x1c\x1d\x1e\x85\u2028\u2029'\n",)),
    ],
    ids=["empty", "no-final-break", "crlf-and-lone-cr", "blank", "form-feed", "unicode-breaks"],
)
def test_physical_lines_break_where_python_does(text: str, lines: tuple[str, ...]) -> None:
    assert physical_lines(text) == lines
    assert "".join(lines) == text


def test_span_is_where_the_lines_sit_in_the_text() -> None:
    lines = SourceLines("\ufeffa = 1\r\nb = 2\n\nc = 3")
    start, end = lines.span(2, 3)
    assert lines.text[start:end] == "b = 2\n\n"
    assert lines.span(1, 1) == (0, len("\ufeffa = 1\r\n"))


def test_source_keeps_bom_crlf_and_lone_cr() -> None:
    text = "\ufeffa = 1\r\nb = 2\rc = 3\n"
    lines = SourceLines(text)
    assert lines.src == text[1:]
    assert [lines.source(n, n) for n in (1, 2, 3)] == ["\ufeffa = 1\r\n", "b = 2\r", "c = 3\n"]
    assert lines.source(1, 3) == text


def test_segment_counts_characters_not_bytes() -> None:
    lines = SourceLines("def f(é='ü',\n      ß={'ñ':\n         1}): pass\n")
    node = first_def(lines)
    assert lines.segment(node.args.defaults[0]) == "'ü'"
    assert lines.segment(node.args.defaults[1]) == "{'ñ':\n         1}"


@pytest.mark.parametrize(
    ("text", "header_end"),
    [
        ("def f(a: 'x:y' = (1,  # ): here\n   2)) -> 'r':  # c:\n    pass\n", 2),
        ("class K(\n    B,  # base: one\n):\n    pass\n", 3),
        ("def f(\n    # only a comment: here\n):\n    pass\n", 3),
    ],
)
def test_header_end_skips_comments_after_the_last_header_part(text: str, header_end: int) -> None:
    lines = SourceLines(text)
    node = ast.parse(lines.src).body[0]
    assert isinstance(node, ast.FunctionDef | ast.ClassDef)
    assert lines.header_end(node) == header_end


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("def a():\n\tpass\n", "\t"),
        ("def a():\n  pass\ndef b():\n  pass\ndef c():\n        pass\n", "  "),
        ("def a(): pass\n", "    "),
    ],
)
def test_indent_unit(text: str, unit: str) -> None:
    lines = SourceLines(text)
    defs = [n for n in ast.parse(lines.src).body if isinstance(n, ast.FunctionDef)]
    assert indent_unit(lines, defs) == unit


@pytest.mark.parametrize(
    ("line", "indent"),
    [("\x0c    def m(self):", "    "), ("  \x0c\tx = 1", "\t"), ("\x0c\n", ""), ("\t  y", "\t  ")],
)
def test_indent_is_what_follows_the_last_form_feed(line: str, indent: str) -> None:
    # The tokenizer sets its column back to zero at a form feed.
    assert SourceLines(line).indent(1) == indent


def test_body_facts_skip_the_walk_when_no_keyword_appears() -> None:
    text = "def f(x):\n    y = x * 2\n    print(y)\n"
    lines = SourceLines(text)
    assert body_facts(first_def(lines), text) == (False, False, ())
