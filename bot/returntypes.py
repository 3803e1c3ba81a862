"""The ``types`` stale check, return side: DOC203 as pydoclint reports it.

With ``--check-return-types True``, pydoclint compares the Returns section's type with
the return annotation: google's type is the text before the section's first colon
(none without a colon), sphinx's the ``:returns type:`` word or the ``:rtype:`` field,
numpy's each entry's type line (a ``tuple[...]`` annotation may be documented element by
element).  No section is fine for ``-> None``/``NoReturn``, a generator or iterator
annotation, or a property.  A body that both returns and yields is checked by other
rules (pydoclint's ``checkReturnAndYield``), not reproduced here: nothing is reported.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Sequence

from bot.docentries import DocStyle, body_of
from bot.docsections import read_sections
from bot.model import Finding
from bot.stalechecks import (
    FIELD,
    FuncNode,
    annotation_name,
    body_returns,
    body_yields,
    yield_type,
)
from bot.typechecks import field_text, special_equal, strip_quotes, unparse

ITERATORS = frozenset({"Generator", "AsyncGenerator", "Iterator", "Iterable", "AsyncIterator",
                         "AsyncIterable"})  # fmt: skip
_RETURN_KEY = re.compile(r"^(?:(?P<name>.*?)\s*:\s*)?(?P<type>.*?)$")
MESSAGE = "return type(s) in docstring not consistent with the return annotation."
YIELD_MESSAGE = "yield type(s) in docstring not consistent with the return annotation."


def findings(node: FuncNode, lines: Sequence[str], style: DocStyle) -> tuple[Finding, ...]:
    """DOC203 for the docstring ``lines`` in ``style`` against ``node``'s return annotation."""
    if body_yields(node) and body_returns(node):
        return ()
    annotation = None if node.returns is None else strip_quotes(unparse(node.returns))
    documented = section_types(lines, style)
    if documented is None:
        first = ast.unparse(node.decorator_list[0]) if node.decorator_list else ""
        quiet = annotation in ("None", "NoReturn") or first == "property"
        if quiet or annotation_name(node) in ITERATORS:
            return ()
        documented = []
    stale = _numpy(annotation, documented) if style == "numpy" else _one(annotation, documented)
    return (Finding("DOC203", MESSAGE),) if stale else ()


def _one(annotation: str | None, documented: Sequence[str]) -> bool:
    if documented:
        return annotation is None or not special_equal(strip_quotes(documented[0]), annotation)
    return bool(annotation)


def _numpy(annotation: str | None, documented: Sequence[str]) -> bool:
    types = [strip_quotes(t) for t in documented]
    if ([] if annotation is None else [annotation]) == types:
        return False
    items = _decompose(annotation)
    return len(items) != len(types) or not all(map(special_equal, types, items))


def _decompose(annotation: str | None) -> list[str]:
    """A ``tuple[...]`` annotation's elements (pydoclint's ``ReturnAnnotation.decompose``)."""
    if annotation is None:
        return []
    try:
        value = ast.parse(annotation).body[0]
    except (SyntaxError, ValueError, IndexError):
        return [annotation]
    tuple_ = (
        isinstance(value, ast.Expr)
        and isinstance(value.value, ast.Subscript)
        and isinstance(value.value.value, ast.Name)
        and value.value.value.id in ("tuple", "Tuple")
    )
    if not tuple_ or annotation.lower() == "tuple[]":
        return [] if tuple_ else [annotation]
    inside = annotation[6:-1]
    if inside.endswith("..."):
        return [annotation]
    elts = ast.parse(inside).body[0]
    assert isinstance(elts, ast.Expr)
    if isinstance(elts.value, ast.Tuple):
        return [unparse(e) for e in elts.value.elts]
    return [inside]


def yield_findings(node: FuncNode, lines: Sequence[str], style: DocStyle) -> tuple[Finding, ...]:
    """DOC404: the Yields section's type against the generator annotation's yield type.

    pydoclint compares the section's first type with ``Y`` of ``Generator[Y, ...]`` or
    ``Iterator[Y]`` as plain text; a generator without a Yields section is reported
    unless it yields ``None``.
    """
    if not body_yields(node) or body_returns(node):
        return ()
    iterates = annotation_name(node) in ITERATORS and node.returns is not None
    annotation = strip_quotes(unparse(node.returns)) if iterates else None
    yielded = yield_type(node) if iterates else None
    yielded = strip_quotes(yielded) if yielded is not None else annotation
    documented = section_types(lines, style, "yields")
    if documented:
        stale = annotation is None or documented[0] != yielded
    else:
        stale = not (iterates and yielded == "None")
    return (Finding("DOC404", YIELD_MESSAGE),) if stale else ()


def section_types(lines: Sequence[str], style: DocStyle, kind: str = "returns") -> list[str] | None:
    """A Returns (or Yields) section's types as docstring_parser reads them; ``None``
    without one."""
    _, body = body_of(lines)
    sections = [s for s in read_sections(lines, style) if s.kind == kind]
    if style == "sphinx":
        return _sphinx(body, [s.first for s in sections], kind)
    content = [
        (s, [body[i] for i in range(s.first + (2 if style == "numpy" else 1), s.last + 1)])
        for s in sections
    ]
    content = [(s, text) for s, text in content if any(t.strip() for t in text)]
    if not content:
        return None
    text = content[-1][1]  # docstring_parser keeps the last section of a title
    if style == "numpy":
        keys = [t for t in text if t[:1].strip()]
        found = [_RETURN_KEY.match(k) for k in keys]
        return [m.group("type") if m else "" for m in found]
    chunk = inspect.cleandoc("\n".join(text).strip("\n"))
    if ":" not in chunk:
        return [""]
    before = chunk.split(":", 1)[0]
    if "\n" in before:
        first, rest = before.split("\n", 1)
        before = first + inspect.cleandoc(rest)
    return [before]


def _sphinx(body: Sequence[str], starts: Sequence[int], kind: str) -> list[str] | None:
    keys, type_key = (
        (("return", "returns"), "rtype") if kind == "returns" else (("yield", "yields"), "ytype")
    )
    found: list[str | None] = []
    typed: str | None = None
    for at in starts:
        match = FIELD.match(body[at])
        assert match is not None
        words = match.group(1).split()
        if words and words[0] == type_key and len(words) == 1:
            typed = field_text(body, at, match.start(2))
        elif words and words[0] in keys:
            found.append(words[1] if len(words) == 2 else None)
    if found:
        return [each if each else (typed or "") for each in found]
    # docstring_parser reads a lone ``:rtype:`` as a Returns section, not a ``:ytype:``.
    return None if typed is None or kind == "yields" else [typed]
