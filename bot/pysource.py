"""Where things are in a Python file: its lines, source segments, header ends, indents.

``ast`` gives positions (1-based lines, UTF-8 byte columns); ``SourceLines`` turns them
into the file's own text without re-splitting the file per call the way
``ast.get_source_segment`` does.  ``body_facts`` reads what a docstring says about a
function body (returns, yields, raises) without walking more of it than needed.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import accumulate

from bot.model import Param, ParamKind

DefNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.Match,
    *([ast.TryStar] if hasattr(ast, "TryStar") else []),
)
_LONE_CR = re.compile(r"\r(?!\n)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BREAK = re.compile(r"\r\n|\r|\n")
# Where str.splitlines breaks a line and Python's tokenizer does not.
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


@functools.lru_cache(maxsize=8)
def physical_lines(source: str) -> tuple[str, ...]:
    """The lines ``ast`` numbers, endings kept: CRLF, CR or LF ends one.

    Not ``str.splitlines``, which also breaks at form feeds, ``\\v``, ``\\x1c``-``\\x1e``,
    NEL and U+2028/U+2029: Python source can hold those inside a line.
    """
    # Cached: one file's many targets share one split (str caches its hash).
    if any(mark in source for mark in _OTHER_BREAKS):
        return tuple(_LINE.findall(source))
    # Without them splitlines breaks where Python does, at C speed: 0.10 s -> 0.04 s over
    # the detect benchmark's 2,357 files.
    return tuple(source.splitlines(keepends=True))


class SourceLines:
    """A file's lines numbered the way ``ast`` numbers them (a lone CR ends a line too)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.src = text.removeprefix("\ufeff")
        """What to parse: ``ast`` refuses a byte order mark."""
        self.bom = len(text) - len(self.src)
        if "\r" in self.src and _LONE_CR.search(self.src):
            self.lines = _BREAK.split(self.src)
            self.breaks = [m.end() - m.start() for m in _BREAK.finditer(self.src)]
        else:
            self.lines = self.src.split("\n")
            self.breaks = []
        self._starts: list[int] | None = None

    def count(self) -> int:
        """Number of lines, not counting the empty one after a final line break."""
        return max(len(self.lines) - (self.lines[-1] == "" and len(self.lines) > 1), 1)

    def indent(self, line_no: int) -> str:
        """The indentation Python sees: leading whitespace after the last form feed
        (the tokenizer starts counting columns again at one)."""
        line = self.lines[line_no - 1]
        return line[: len(line) - len(line.lstrip(" \t\f"))].rpartition("\f")[2]

    def segment(self, node: ast.expr) -> str:
        """A node's source text (``ast.get_source_segment`` re-splits the file per call)."""
        first, last = node.lineno, node.end_lineno or node.lineno
        start, end = node.col_offset, node.end_col_offset or 0
        if first == last:
            line = self.lines[first - 1]
            return line[start:end] if line.isascii() else line.encode()[start:end].decode()
        head = self.lines[first - 1]
        tail = self.lines[last - 1]
        pieces = [
            head[_char_col(head, start) :],
            *self.lines[first : last - 1],
            tail[: _char_col(tail, end)],
        ]
        return "\n".join(piece.rstrip("\r") for piece in pieces)

    def source(self, first: int, last: int) -> str:
        """Lines ``first..last`` exactly as in the file, line endings (and a BOM) kept."""
        start, end = self.span(first, last)
        return self.text[start:end]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Where lines ``first..last`` start and end in ``text``."""
        if self._starts is None:
            lengths: Iterable[int] = map(len, self.lines)
            if self.breaks:
                lengths = (n + b for n, b in zip(lengths, [*self.breaks, 0], strict=True))
                self._starts = list(accumulate(lengths, initial=0))
            else:
                # One "\n" per line, added back by a C method: the sum stays in C.
                self._starts = list(accumulate(map((1).__add__, lengths), initial=0))
        start = 0 if first == 1 else self._starts[first - 1] + self.bom
        return start, self._starts[last] + self.bom

    def header_end(self, node: DefNode) -> int:
        """The line of the colon that ends the header: the first one outside a comment
        after the header's last sub-expression (no string can sit in that gap)."""
        line_no, col = node.lineno, node.col_offset
        for child in _header_nodes(node):
            end = (child.end_lineno or 0, child.end_col_offset or 0)
            if end > (line_no, col):
                line_no, col = end
        line = self.lines[line_no - 1]
        col = _char_col(line, col)
        while line_no < len(self.lines):
            for j in range(col, len(line)):
                ch = line[j]
                if ch == ":":
                    return line_no
                if ch == "#":
                    break
            line_no += 1
            line, col = self.lines[line_no - 1], 0
        return line_no


def indent_unit(lines: SourceLines, defs: Iterable[DefNode]) -> str:
    """A tab if the file indents with tabs, else its usual step of spaces (4 if none)."""
    steps: Counter[str] = Counter()
    for node in defs:
        inner = lines.indent(first_line(node.body[0]))
        outer = lines.indent(node.lineno)
        if inner.startswith(outer) and len(inner) > len(outer):
            steps[inner[len(outer) :]] += 1
    tabs = sum(n for step, n in steps.items() if "\t" in step)
    spaces = {step: n for step, n in steps.items() if "\t" not in step}
    if tabs and tabs >= sum(spaces.values()):
        return "\t"
    return max(spaces, key=lambda s: (spaces[s], -len(s))) if spaces else "    "


def params(
    lines: SourceLines, node: ast.FunctionDef | ast.AsyncFunctionDef, *, drop_first: bool
) -> tuple[Param, ...]:
    """Its parameters as written, without ``self``/``cls`` when ``drop_first`` (a method)
    unless it is a ``@staticmethod``."""
    return tuple(
        Param(
            arg.arg,
            kind,
            lines.segment(arg.annotation) if arg.annotation is not None else None,
            lines.segment(default) if default is not None else None,
        )
        for arg, kind, default in _param_rows(node, drop_first)
    )


def param_names(
    node: ast.FunctionDef | ast.AsyncFunctionDef, *, drop_first: bool
) -> tuple[Param, ...]:
    """``params`` without annotations and defaults: enough to compare names, and spared
    the source segments (the stale check compares every documented function's names)."""
    return tuple(Param(arg.arg, kind) for arg, kind, _ in _param_rows(node, drop_first))


def _param_rows(
    node: ast.FunctionDef | ast.AsyncFunctionDef, drop_first: bool
) -> list[tuple[ast.arg, ParamKind, ast.expr | None]]:
    a = node.args
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults))
    defaults += a.defaults
    kinds: list[ParamKind] = ["positional_only"] * len(a.posonlyargs)
    kinds += ["positional"] * len(a.args)
    rows: list[tuple[ast.arg, ParamKind, ast.expr | None]] = list(
        zip(positional, kinds, defaults, strict=True)
    )
    if (
        drop_first
        and rows
        and not any(_is_named(dec, "staticmethod") for dec in node.decorator_list)
    ):
        rows = rows[1:]
    if a.vararg is not None:
        rows.append((a.vararg, "var_positional", None))
    rows += [
        (arg, "keyword_only", default)
        for arg, default in zip(a.kwonlyargs, a.kw_defaults, strict=True)
    ]
    if a.kwarg is not None:
        rows.append((a.kwarg, "var_keyword", None))
    return rows


def _is_named(decorator: ast.expr, name: str) -> bool:
    return (isinstance(decorator, ast.Name) and decorator.id == name) or (
        isinstance(decorator, ast.Attribute) and decorator.attr == name
    )


def body_facts(
    node: ast.FunctionDef | ast.AsyncFunctionDef, source: str
) -> tuple[bool, bool, tuple[str, ...]]:
    """(returns a value, is a generator, raised names) of the function's own body.

    The substring checks spare the walk for the many functions that cannot match.
    """
    returns_value = False
    raises: dict[str, None] = {}
    if "return" in source or "raise" in source:
        pending = list(reversed(node.body))
        while pending:
            stmt = pending.pop()
            if isinstance(stmt, DEFS):
                continue
            if isinstance(stmt, ast.Return):
                value = stmt.value
                if value is not None and not (
                    isinstance(value, ast.Constant) and value.value is None
                ):
                    returns_value = True
            elif isinstance(stmt, ast.Raise) and stmt.exc is not None:
                exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
                name = dotted_name(exc)
                if name and name.rpartition(".")[2][:1].isupper():
                    raises[name] = None
            elif isinstance(stmt, COMPOUND):
                for block in reversed(list(blocks(stmt))):
                    pending += reversed(block)
    is_generator = "yield" in source and _yields(node)
    return returns_value, is_generator, tuple(raises)


def _yields(node: ast.AST) -> bool:
    """A ``yield`` in the function's own body (not in a nested def, class or lambda)."""
    pending = list(ast.iter_child_nodes(node))
    while pending:
        child = pending.pop()
        if isinstance(child, ast.Yield | ast.YieldFrom):
            return True
        if not isinstance(child, (*DEFS, ast.Lambda)):
            pending += ast.iter_child_nodes(child)
    return False


def docstring_of(node: ast.AST) -> str | None:
    """The docstring as written: a first statement that is a string literal (as ruff and
    ``ast.get_docstring(clean=False)`` see it)."""
    body = getattr(node, "body", None)
    if not body or type(body[0]) is not ast.Expr:
        return None
    value = body[0].value
    if type(value) is ast.Constant and type(value.value) is str:
        return value.value
    return None


def dotted_name(expr: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return ".".join([expr.id, *reversed(parts)])


def _header_nodes(node: DefNode) -> list[ast.expr | ast.arg | ast.keyword]:
    nodes: list[ast.expr | ast.arg | ast.keyword] = list(getattr(node, "type_params", None) or ())
    if isinstance(node, ast.ClassDef):
        return [*nodes, *node.bases, *node.keywords]
    a = node.args
    nodes += [*a.posonlyargs, *a.args, *a.kwonlyargs, *a.defaults]
    nodes += [default for default in a.kw_defaults if default is not None]
    nodes += [arg for arg in (a.vararg, a.kwarg) if arg is not None]
    if node.returns is not None:
        nodes.append(node.returns)
    return nodes


def blocks(stmt: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists a compound statement holds, in source order."""
    yield getattr(stmt, "body", [])
    for handler in getattr(stmt, "handlers", ()):
        yield handler.body
    for case in getattr(stmt, "cases", ()):
        yield case.body
    yield getattr(stmt, "orelse", [])
    yield getattr(stmt, "finalbody", [])


def first_line(stmt: ast.stmt) -> int:
    """The line a statement starts on: its first decorator's, if it has any."""
    decorators = getattr(stmt, "decorator_list", None)
    return int(decorators[0].lineno) if decorators else stmt.lineno


def _char_col(line: str, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; str slicing counts characters."""
    return byte_col if line.isascii() else len(line.encode()[:byte_col].decode(errors="ignore"))
