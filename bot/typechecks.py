"""The ``types`` stale check: DOC105, argument types in the docstring against the signature's.

pydoclint with ``--arg-type-hints-in-signature True --arg-type-hints-in-docstring True``
reports DOC105 when the docstring's argument names are the signature's (in order, or
in another order, which DOC104 reports too) and some argument's type differs.  The
types are read as it reads them: the docstring's type text as docstring_parser gives
it (google ``x (int, optional)`` -> ``int``; numpy keeps ``int, optional`` whole; sphinx
``:param int x:`` or ``:type x: int``, whose text runs to the next field), the
signature's annotation unparsed; both are parsed and unparsed again, quotes aside.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.docentries import Entry, Layout, body_of
from bot.model import Finding

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
_GOOGLE_TYPED = re.compile(r"\s*(.+?)\s*\(\s*(.*[^\s]+)\s*\)")
_NUMPY_KEY = re.compile(r"^(?P<name>.*?)(?:\s*:\s*(?P<type>.*?))?$")
_FIELD = re.compile(r":([^:\n]*):")
_TUPLE_STAR = re.compile(r"(tuple|Tuple)\[\*(.*?),\]")
_LITERAL_OR_OTHER = re.compile(r"Literal\[[^\]]+\]|[^L]+")
MESSAGE = "Argument names match, but type hints in these args do not match: "


@dataclass(frozen=True, slots=True)
class Typed:
    """One documented argument's type as pydoclint reads it, and where it is written."""

    name: str
    text: str
    """The type text ('' when the entry gives none)."""


def signature_types(node: FuncNode) -> dict[str, str]:
    """Each argument's annotation as pydoclint unparses it, by its documented name."""
    args = node.args
    found = {a.arg: unparse(a.annotation) for a in (*args.posonlyargs, *args.args)}
    if args.vararg is not None:
        found["*" + args.vararg.arg] = unparse(args.vararg.annotation)
    found |= {a.arg: unparse(a.annotation) for a in args.kwonlyargs}
    if args.kwarg is not None:
        found["**" + args.kwarg.arg] = unparse(args.kwarg.annotation)
    return found


def unparse(node: ast.AST | None) -> str:
    """An annotation as pydoclint unparses it ('' for none)."""
    return "" if node is None else _TUPLE_STAR.sub(r"\1[*\2]", ast.unparse(node)).strip()


def findings(
    node: FuncNode, lines: Sequence[str], layout: Layout, expected: Sequence[str]
) -> tuple[Finding, ...]:
    """DOC105 for the docstring ``lines`` (read as ``layout``) against ``node``'s signature."""
    written = doc_types(lines, layout)
    names = [t.name for t in written]
    if len(names) != len(expected) or sorted(names) != sorted(expected):
        return ()
    signature = signature_types(node)
    if names == list(expected):
        differ = [t.name for t in written if not same_type(t.text, signature.get(t.name, ""))]
    else:  # pydoclint compares sets of arguments: their hashes too
        differ = [
            t.name
            for t in written
            if strip_quotes(t.text) != strip_quotes(signature.get(t.name, ""))
            or not same_type(t.text, signature.get(t.name, ""))
        ]
    if not differ:
        return ()
    ordered = [n for n in expected if n in differ]
    return (Finding("DOC105", MESSAGE + ", ".join(ordered)),)


def doc_types(lines: Sequence[str], layout: Layout) -> list[Typed]:
    """The documented arguments with their type text, in the docstring's order."""
    _, body = body_of(lines)
    if layout.style == "google":
        return [Typed(e.name, _google_type(body, e)) for e in layout.params]
    if layout.style == "numpy":
        return [Typed(e.name, _numpy_type(body, e)) for e in layout.params]
    return [Typed(e.name, _sphinx_type(body, e)) for e in layout.params]


def _google_type(body: Sequence[str], entry: Entry) -> str:
    before = body[entry.first].strip().split(":", 1)[0]
    match = _GOOGLE_TYPED.match(before)
    if match is None:
        return ""
    kind = match.group(2)
    if kind.endswith(", optional"):
        return kind[: -len(", optional")]
    return kind[:-1] if kind.endswith("?") else kind


def _numpy_type(body: Sequence[str], entry: Entry) -> str:
    match = _NUMPY_KEY.match(body[entry.first])
    return (match.group("type") or "") if match else ""


def _sphinx_type(body: Sequence[str], entry: Entry) -> str:
    match = _FIELD.match(body[entry.first])
    words = match.group(1).split() if match else []
    if len(words) == 3:
        return words[1][:-1] if words[1].endswith("?") else words[1]
    for i, line in enumerate(body):
        field = _FIELD.match(line) if line.startswith(":") else None
        parts = field.group(1).split() if field else []
        if field and len(parts) == 2 and parts[0] == "type" and parts[1] == entry.name:
            return field_text(body, i, field.end())
    return ""


def field_text(body: Sequence[str], at: int, start: int) -> str:
    """A sphinx field's text as docstring_parser cuts it: up to the next field, or the end."""
    stop = next((i for i in range(at + 1, len(body)) if body[i].startswith(":")), len(body))
    text = "\n".join([body[at][start:], *body[at + 1 : stop]]).strip()
    if "\n" in text:
        first, rest = text.split("\n", 1)
        text = first + "\n" + inspect.cleandoc(rest)
    return text


def same_type(doc: str, signature: str) -> bool:
    """pydoclint's equality of two type hints: parsed and unparsed, quotes alike."""
    return special_equal(_normal(doc), _normal(signature))


def _normal(hint: str) -> str:
    try:
        return unparse(ast.parse(strip_quotes(hint)))
    except (SyntaxError, ValueError):
        return hint


def strip_quotes(hint: str) -> str:
    """pydoclint's ``stripQuotes``: backticks around, quotes inside (but in ``Literal``)."""
    if hint.startswith("``") and hint.endswith("``") and len(hint) >= 4:
        hint = hint[2:-2]
    elif hint.startswith("`") and hint.endswith("`") and len(hint) >= 2:
        hint = hint[1:-1]
    return _LITERAL_OR_OTHER.sub(_unquoted, hint)


def _unquoted(match: re.Match[str]) -> str:
    text = match.group(0)
    if text.startswith("Literal") or ", default=" in text:
        return text
    return text.replace('"', "").replace("'", "")


def special_equal(one: str, two: str) -> bool:
    """pydoclint's ``specialEqual``: quotes alike, comments and line breaks aside."""
    if one == two:
        return True
    if "#" in one:
        one = one.partition("#")[0].rstrip()
    if "#" in two:
        two = two.partition("#")[0].rstrip()
    if "\n" in one or "\n" in two:
        one = one.replace(" ", "").replace("\n", "")
        two = two.replace(" ", "").replace("\n", "")
    if len(one) != len(two):
        return False
    quotes = {'"', "'"}
    return all(a == b or (a in quotes and b in quotes) for a, b in zip(one, two, strict=True))
