"""Outlines of Python source: the shape of a module or class without function bodies.

Prompts send a module's outline as context rather than its full text: it tells the
model what surrounds a definition (imports, constants, the signatures of its
neighbours) at a fraction of the tokens, and it does not change when a neighbour's
body does, so a cached answer stays valid after edits elsewhere in the file.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from functools import lru_cache

from bot.pysource import physical_lines

_Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


# A prompt is built for every target, and again for every cache key: the targets of one
# file share its tree and outlines instead of parsing the module once each.
@lru_cache(maxsize=16)
def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source.removeprefix("\ufeff"))
    except (SyntaxError, ValueError):
        return None


@lru_cache(maxsize=64)
def module_outline(source: str) -> str | None:
    """Imports in full; other statements by their first line; definitions by signature."""
    tree = _parse(source)
    if tree is None:
        return None
    return "\n".join(_outline(tree.body, _lines(source)))


@lru_cache(maxsize=256)
def class_outline(source: str, qualname: str) -> str | None:
    """The outline of the class ``qualname`` (dotted for nested classes), if it exists."""
    tree = _parse(source)
    node = _find(tree.body, qualname.split(".")) if tree is not None else None
    if not isinstance(node, ast.ClassDef):
        return None
    return "\n".join(_outline([node], _lines(source)))


def definition_source(source: str, qualname: str) -> str | None:
    """The source of the definition ``qualname`` (decorators through its last line)."""
    tree = _parse(source)
    node = _find(tree.body, qualname.split(".")) if tree is not None else None
    if not isinstance(node, _Def):
        return None
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return "\n".join(_lines(source)[start - 1 : node.end_lineno])


@lru_cache(maxsize=16)
def _lines(source: str) -> tuple[str, ...]:
    """The lines ``ast`` numbers (``str.splitlines`` also breaks at form feeds and more)."""
    return tuple(line.rstrip("\r\n") for line in physical_lines(source.removeprefix("\ufeff")))


def _find(body: list[ast.stmt], names: list[str]) -> ast.stmt | None:
    for node in body:
        if isinstance(node, _Def) and node.name == names[0]:
            return node if len(names) == 1 else _find(node.body, names[1:])
    return None


def _outline(body: list[ast.stmt], lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    for node in body:
        if isinstance(node, ast.ClassDef):
            out += _header(node, lines)
            out += _outline(node.body, lines) or [_indent_of(node, lines) + "    ..."]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            header = _header(node, lines)
            out += [*header[:-1], header[-1] + " ..."]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            out += lines[node.lineno - 1 : node.end_lineno]
        elif not _is_docstring(node):
            first = lines[node.lineno - 1]
            out.append(first + (" ..." if (node.end_lineno or node.lineno) > node.lineno else ""))
    return out


def _header(node: _Def, lines: Sequence[str]) -> list[str]:
    """Decorator lines, then the lines from the keyword through the colon before the body."""
    decorators = [lines[d.lineno - 1] for d in node.decorator_list]
    body = node.body[0]
    if body.lineno > node.lineno:
        header = list(lines[node.lineno - 1 : body.lineno - 1])
        while len(header) > 1 and header[-1].strip()[:1] in ("", "#"):
            header.pop()  # only blank and comment lines come between the colon and the body
    else:  # a one-liner: cut the body off where it starts
        header = list(lines[node.lineno - 1 : body.lineno])
        last = header[-1]
        cut = body.col_offset if last.isascii() else len(last.encode()[: body.col_offset].decode())
        header[-1] = last[:cut].rstrip()  # col_offset counts UTF-8 bytes
    return decorators + header


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _indent_of(node: ast.stmt, lines: Sequence[str]) -> str:
    line = lines[node.lineno - 1]
    return line[: len(line) - len(line.lstrip())]
