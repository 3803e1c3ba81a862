"""Why docbot and mcs disagree on a C# declaration, found from the source, per disagreement.

Three causes are recognised (anything else is printed as unexplained):

- the declaration sits in an ``#if`` branch the project's build leaves out: mcs compiles
  one configuration, docbot counts the code of every branch (README, "Java and C#");
- mcs does not report a parameterless constructor that calls ``: base()`` (a quirk of
  mcs: with ``: base(x)`` or ``: this()`` it does report);
- tree-sitter cannot parse the file, or part of it, where ``#if`` branches each hold a
  piece of one declaration (two headers for one body): docbot skips the file or loses
  the declarations its error recovery swallows.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from bot.languages.csharp import GRAMMAR

_DIRECTIVE = re.compile(r"^\s*#\s*(if|elif|else|endif)\b(.*)$")
_TOKEN = re.compile(r"\s*(\|\||&&|==|!=|!|\(|\)|[A-Za-z_][A-Za-z_0-9]*)")
_BASE_CALL = re.compile(r"\(\s*\)\s*:\s*base\s*\(\s*\)")


def reason(side: str, text: str, line: int, defines: tuple[str, ...], skipped: bool) -> str:
    """The cause of one disagreement at ``line`` of ``text`` (``side``: who reports it)."""
    if side == "docbot only":
        if not active_lines(text, defines)[line - 1]:
            return "in an #if branch this build leaves out; docbot counts every branch"
        if _BASE_CALL.search(text.split("\n")[line - 1]):
            return "mcs reports no parameterless constructor calling `: base()`"
        return "unexplained"
    if skipped:
        return "docbot skips the file: tree-sitter cannot parse it"
    return _syntax_error(text, line) or "unexplained"


def _syntax_error(text: str, line: int) -> str:
    """Whether tree-sitter parses the declaration at ``line`` into an ERROR node, or into
    one holding a syntax error (docbot leaves such a declaration alone); '' if neither."""
    row, stack = line - 1, [GRAMMAR.parse(text).root_node]
    while stack:
        node = stack.pop()
        first, last = node.start_point[0], node.end_point[0]
        if first > row or last < row:
            continue
        if node.type == "ERROR":
            cause = _directives(text, first, last)
            return f"inside lines {first + 1}-{last + 1}, which tree-sitter cannot parse{cause}"
        if first == row and node.is_named and node.has_error:
            cause = _directives(text, first, last)
            return (
                f"the declaration holds a syntax error for tree-sitter (line "
                f"{_first_error(node)}){cause}; docbot leaves such declarations alone"
            )
        stack.extend(node.children)
    return ""


def _directives(text: str, first: int, last: int) -> str:
    """A note naming the ``#if`` directives in rows ``first..last``, if any."""
    rows = text.split("\n")[first : last + 1]
    count = sum(_DIRECTIVE.match(row) is not None for row in rows)
    return f" ({count} #if/#else/#endif directives there split the code)" if count else ""


def _first_error(node: Node) -> int:
    stack = [node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node.start_point[0] + 1
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return 0


def active_lines(text: str, defines: tuple[str, ...]) -> list[bool]:
    """Per line: whether a build defining ``defines`` compiles it."""
    symbols = {*defines, "true"}
    stack: list[tuple[bool, bool]] = []  # (enclosing branch active, a branch taken)
    active, result = True, []
    for row in text.split("\n"):
        match = _DIRECTIVE.match(row)
        if match is not None:
            kind, condition = match[1], match[2].split("//")[0]
            if kind == "if":
                taken = _holds(condition, symbols)
                stack.append((active, taken))
                active = active and taken
            elif stack and kind == "elif":
                outer, taken = stack[-1]
                holds = not taken and _holds(condition, symbols)
                stack[-1], active = (outer, taken or holds), outer and holds
            elif stack and kind == "else":
                outer, taken = stack[-1]
                stack[-1], active = (outer, True), outer and not taken
            elif stack and kind == "endif":
                active = stack.pop()[0]
        result.append(active)
    return result


def _holds(condition: str, symbols: set[str]) -> bool:
    """A preprocessor condition (``A || !(B && C)``, ``A == true``) under ``symbols``."""
    tokens = _TOKEN.findall(condition)
    value, _ = _or(tokens, 0, symbols)
    return value


def _or(tokens: list[str], at: int, symbols: set[str]) -> tuple[bool, int]:
    value, at = _and(tokens, at, symbols)
    while at < len(tokens) and tokens[at] == "||":
        right, at = _and(tokens, at + 1, symbols)
        value = value or right
    return value, at


def _and(tokens: list[str], at: int, symbols: set[str]) -> tuple[bool, int]:
    value, at = _equal(tokens, at, symbols)
    while at < len(tokens) and tokens[at] == "&&":
        right, at = _equal(tokens, at + 1, symbols)
        value = value and right
    return value, at


def _equal(tokens: list[str], at: int, symbols: set[str]) -> tuple[bool, int]:
    value, at = _unary(tokens, at, symbols)
    while at < len(tokens) and tokens[at] in ("==", "!="):
        operator = tokens[at]
        right, at = _unary(tokens, at + 1, symbols)
        value = (value == right) if operator == "==" else (value != right)
    return value, at


def _unary(tokens: list[str], at: int, symbols: set[str]) -> tuple[bool, int]:
    if at >= len(tokens):
        return False, at
    if tokens[at] == "!":
        value, at = _unary(tokens, at + 1, symbols)
        return not value, at
    if tokens[at] == "(":
        value, at = _or(tokens, at + 1, symbols)
        return value, at + 1
    return tokens[at] in symbols, at + 1
