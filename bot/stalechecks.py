"""The opt-in stale checks (``stale_checks``): Returns, Yields and Raises sections.

Each check reproduces pydoclint's decision for a docstring that parsed and is more than
a summary (``stale.findings`` has already ruled out the others):

- ``returns``: DOC201 (the function returns, no Returns section) and DOC202 (a Returns
  section, no return statement nor annotation), as ``--check-return-types False`` has it;
- ``yields``: DOC402 (yields, no Yields section) and DOC403 (a Yields section on a
  function that does not yield, or whose annotation is no Generator/Iterator/Iterable),
  as ``--check-yield-types False`` has it;
- ``raises``: DOC501, DOC502 and DOC503 (the documented exceptions are not the raised
  ones), as ``--skip-checking-raises False`` has it.

Statements count where pydoclint counts them: in the function's own body and its
blocks, not in nested functions or classes; a yield only as a statement of its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bot.docentries import DocStyle, body_of, numpy_title
from bot.model import Finding

CHECKS = ("returns", "yields", "raises")
CHECK_OF = {"DOC2": "returns", "DOC4": "yields", "DOC5": "raises"}
"""The check a finding's code belongs to, by its first four characters."""
_GENERATORS = frozenset({"Generator", "AsyncGenerator"})
_ITERATORS = frozenset({"Iterator", "Iterable", "AsyncIterator", "AsyncIterable"})
_GOOGLE_TITLE = re.compile(r"(Returns|Yields|Raises|Exceptions|Except):[ \t\r\f\v]*")
GOOGLE_ANY_TITLE = re.compile(
    r"(Arguments|Args|Parameters|Params|Raises|Exceptions|Except|Attributes|Example|Examples"
    r"|Returns|Yields):[ \t\r\f\v]*"
)
NUMPY_KINDS = {"Returns": "returns", "Return": "returns", "Yields": "yields",
                "Yield": "yields", "Raises": "raises", "Raise": "raises"}  # fmt: skip
# docstring_parser reads a lone ``:rtype:`` as a Returns section.
SPHINX_KINDS = {"return": "returns", "returns": "returns", "rtype": "returns", "yield": "yields",
                 "yields": "yields", "raises": "raises", "raise": "raises",
                 "except": "raises", "exception": "raises"}  # fmt: skip
FIELD = re.compile(r":([^:\n]*):(.*)")
_MESSAGES = {
    "DOC201": "does not have a return section in docstring",
    "DOC202": "has a return section in docstring, but there are no return statements "
    "or annotations",
    "DOC402": 'has "yield" statements, but the docstring does not have a "Yields" section',
    "DOC403": 'has a "Yields" section in the docstring, but there are no "yield" statements, '
    "or the return annotation is not a Generator/Iterator/Iterable. (Or it could be "
    "because the function lacks a return annotation.)",
    "DOC501": 'has raise statements, but the docstring does not have a "Raises" section',
    "DOC502": 'has a "Raises" section in the docstring, but there are not "raise" '
    "statements in the body",
    "DOC503": 'exceptions in the "Raises" section in the docstring do not match those '
    "in the function body.",
}
_WORDS = {
    "DOC201": "the function returns a value; the docstring has no Returns section",
    "DOC202": "the docstring has a Returns section; the function returns nothing",
    "DOC402": "the function yields; the docstring has no Yields section",
    "DOC403": "the docstring has a Yields section; the function is not a generator",
    "DOC501": "the function raises; the docstring has no Raises section",
    "DOC502": "the docstring has a Raises section; the function raises nothing",
    "DOC503": "the docstring's Raises section lists other exceptions than the function raises",
    "DOC105": "the docstring's argument types differ from the signature's annotations",
    "DOC203": "the docstring's return type differs from the return annotation",
    "DOC404": "the docstring's yield type differs from the return annotation's",
}
FuncNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class Sections:
    """The Returns, Yields and Raises sections a docstring holds, in pydoclint's reading."""

    returns: bool = False
    yields: bool = False
    raises: tuple[str, ...] = ()
    """The documented exceptions' names as pydoclint reads them, sorted."""
    raises_section: bool = False


@dataclass(slots=True)
class _Body:
    returns: bool = False
    yields: bool = False
    raises: bool = False
    raised: list[str] = field(default_factory=list)


def findings(
    node: FuncNode, lines: Sequence[str], style: DocStyle, checks: Sequence[str]
) -> tuple[Finding, ...]:
    """The enabled checks' findings for ``node`` documented by the docstring ``lines``."""
    wanted = [c for c in CHECKS if c in checks]
    if not wanted:
        return ()
    doc = sections(lines, style)
    body = _body(node)
    first = ast.unparse(node.decorator_list[0]) if node.decorator_list else ""
    placeholder = first == "abstractmethod"
    codes: list[str] = []
    if "returns" in wanted:
        codes += _returns(node, doc, body, placeholder, first == "property")
    if "yields" in wanted:
        codes += _yields(node, doc, body, placeholder)
    if "raises" in wanted:
        codes += _raises(doc, body, placeholder)
    return tuple(Finding(code, _MESSAGES[code]) for code in codes)


def in_words(found: Sequence[Finding]) -> list[str]:
    """What went stale in the sections, one plain clause per finding."""
    return [_WORDS[f.code] for f in found if f.code in _WORDS]


def _annotation_name(node: FuncNode) -> str | None:
    """The terminal name of a bare or subscripted return annotation (pydoclint's reading)."""
    annotation = node.returns
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        name = annotation.attr
        while isinstance(annotation, ast.Attribute):
            annotation = annotation.value
        return name if isinstance(annotation, ast.Name) else None
    return None


def _returns(
    node: FuncNode, doc: Sections, body: _Body, placeholder: bool, prop: bool
) -> list[str]:
    if body.returns and body.yields:
        return _returns_of_generator(node, doc)
    name = _annotation_name(node)
    annotated = node.returns is not None
    codes = []
    yields_only = (body.yields and not body.returns) or (
        placeholder and doc.yields and not body.returns
    )
    if not doc.returns and not prop:
        documentable = body.returns or (annotated and name not in _GENERATORS)
        if documentable and not (yields_only and name in _ITERATORS):
            returns = node.returns
            none = isinstance(returns, ast.Constant) and returns.value is None
            if not none and not (returns is not None and ast.unparse(returns) == "NoReturn"):
                codes.append("DOC201")
    if doc.returns and not (body.returns or annotated) and not placeholder:
        codes.append("DOC202")
    return codes


def _returns_of_generator(node: FuncNode, doc: Sections) -> list[str]:
    """pydoclint's rules for a body that both returns and yields (without type checks)."""
    if doc.returns or _has_bare_return(node):
        return []
    generator = _annotation_name(node) in _GENERATORS
    returned = _generator_return_type(node) if generator else _unparsed(node)
    return [] if returned in ("None", "NoReturn") else ["DOC201"]


def _unparsed(node: FuncNode) -> str | None:
    return None if node.returns is None else ast.unparse(node.returns)


def _generator_return_type(node: FuncNode) -> str | None:
    """The ``R`` of ``Generator[Y, S, R]`` (an ``AsyncGenerator`` returns nothing)."""
    returns = node.returns
    if _annotation_name(node) == "AsyncGenerator" or not isinstance(returns, ast.Subscript):
        return "None"
    args = returns.slice
    if isinstance(args, ast.Tuple) and len(args.elts) == 3:
        return ast.unparse(args.elts[2])
    return "None"  # PEP 696: R defaults to None


def _yields(node: FuncNode, doc: Sections, body: _Body, placeholder: bool) -> list[str]:
    if body.returns and body.yields:
        return []  # DOC402 is for short docstrings only then; DOC404/405 are not ours
    name = _annotation_name(node)
    codes = []
    if not doc.yields and body.yields and _yield_type(node, name) != "None":
        codes.append("DOC402")
    unexpected = not body.yields or name not in _GENERATORS | _ITERATORS
    if doc.yields and unexpected and not placeholder:
        codes.append("DOC403")
    return codes


def return_type(node: FuncNode) -> str | None:
    """What the annotation says the function returns (a generator's ``R``)."""
    if _annotation_name(node) in _GENERATORS:
        return _generator_return_type(node)
    return _unparsed(node)


def annotation_name(node: FuncNode) -> str | None:
    """The terminal name of the return annotation (``Iterator`` of ``t.Iterator[int]``)."""
    return _annotation_name(node)


def body_returns(node: FuncNode) -> bool:
    """``node``'s own body has a return statement."""
    return _body(node).returns


def body_yields(node: FuncNode) -> bool:
    """``node``'s own body has a yield statement."""
    return _body(node).yields


def yields_annotated(node: FuncNode) -> bool:
    """The return annotation is one pydoclint accepts a Yields section under."""
    return _annotation_name(node) in _GENERATORS | _ITERATORS


def yield_type(node: FuncNode) -> str | None:
    """What a generator or iterator annotation says the function yields."""
    return _yield_type(node, _annotation_name(node))


def _yield_type(node: FuncNode, name: str | None) -> str | None:
    """The ``Y`` of the return annotation, when it is a generator or an iterator."""
    returns = node.returns
    if name not in _GENERATORS | _ITERATORS or not isinstance(returns, ast.Subscript):
        return None
    args = returns.slice
    first = args.elts[0] if isinstance(args, ast.Tuple) and args.elts else args
    return ast.unparse(first)


def _raises(doc: Sections, body: _Body, placeholder: bool) -> list[str]:
    codes = []
    if body.raises and not doc.raises_section:
        codes.append("DOC501")
    if not body.raises and doc.raises_section and not placeholder:
        codes.append("DOC502")
    if body.raises:
        raised = sorted(set(body.raised))
        written = list(doc.raises)
        same = len(raised) == len(written) and all(
            r.startswith(w) for r, w in zip(raised, written, strict=True)
        )
        if not same:
            codes.append("DOC503")
    return codes


# -- the body ---------------------------------------------------------------------------------


def _statements(
    body: Sequence[ast.stmt], handler: ast.ExceptHandler | None = None
) -> Iterator[tuple[ast.stmt, ast.ExceptHandler | None]]:
    """The function's own statements with their innermost except handler (no nested defs)."""
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        yield stmt, handler
        for name in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(stmt, name, None) or (), handler)
        for each in getattr(stmt, "handlers", ()):
            yield from _statements(each.body, each)
        for case in getattr(stmt, "cases", ()):
            yield from _statements(case.body, handler)


def _body(node: FuncNode) -> _Body:
    found = _Body()
    for stmt, handler in _statements(node.body):
        if isinstance(stmt, ast.Return):
            found.returns = True
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield | ast.YieldFrom):
            found.yields = True
        elif isinstance(stmt, ast.Raise):
            found.raises = True
            found.raised += _raised(stmt, handler)
    return found


def raised_names(node: FuncNode) -> list[str]:
    """The exceptions ``node``'s own body raises, as pydoclint names them, sorted."""
    return sorted(set(_body(node).raised))


def _has_bare_return(node: FuncNode) -> bool:
    return any(isinstance(s, ast.Return) and s.value is None for s, _ in _statements(node.body))


def _raised(stmt: ast.Raise, handler: ast.ExceptHandler | None) -> list[str]:
    """The exception names pydoclint reads off one raise statement."""
    exc = stmt.exc
    if isinstance(exc, ast.Attribute):
        return [ast.unparse(exc)]
    if isinstance(exc, ast.Call) and isinstance(exc.func, ast.Attribute):
        return [ast.unparse(exc.func)]
    first = next((n for n in _walk(stmt) if isinstance(n, ast.Name)), None)
    if first is None or (handler is not None and handler.name and first.id == handler.name):
        return _caught(handler)
    return [first.id]


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        yield child
        yield from _walk(child)


def _caught(handler: ast.ExceptHandler | None) -> list[str]:
    kind = None if handler is None else handler.type
    elts = kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind is not None else []
    return [ast.unparse(e) for e in elts if isinstance(e, ast.Name | ast.Attribute)]


# -- the docstring ----------------------------------------------------------------------------


def sections(lines: Sequence[str], style: DocStyle) -> Sections:
    """Which of Returns, Yields and Raises the docstring's text holds, in ``style``."""
    _, body = body_of(lines)
    if style == "google":
        return _google(body)
    if style == "numpy":
        return _numpy(body)
    return _sphinx(body)


def _google(body: Sequence[str]) -> Sections:
    titles = [i for i, line in enumerate(body) if i and GOOGLE_ANY_TITLE.fullmatch(line)]
    kinds: dict[str, list[str]] = {}
    for n, start in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(body)
        match = _GOOGLE_TITLE.fullmatch(body[start])
        end = next((i for i in range(start + 1, stop) if body[i][:1].strip()), stop)
        content = [line for line in body[start + 1 : end] if line.strip()]
        if match is None or not content:
            continue
        kind = {"Returns": "returns", "Yields": "yields"}.get(match.group(1), "raises")
        items = kinds.setdefault(kind, [])
        if kind == "raises":
            indent = len(content[0]) - len(content[0].lstrip())
            heads = [c for c in content if len(c) - len(c.lstrip()) == indent]
            names = [h.strip().partition(":")[0].strip() for h in heads]
            items += [n for n in names if n]
    return _made(kinds)


def _numpy(body: Sequence[str]) -> Sections:
    titles = [i for i in range(1, len(body) - 1) if numpy_title(body, i)]
    kinds: dict[str, list[str]] = {}
    for n, start in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(body)
        kind = NUMPY_KINDS.get(body[start].rstrip())
        content = [line for line in body[start + 2 : stop] if line.strip()]
        if kind is None or not content:
            continue
        items = kinds.setdefault(kind, [])
        if kind == "raises":
            items += [line.strip() for line in content if line[:1].strip()]
    return _made(kinds)


def _sphinx(body: Sequence[str]) -> Sections:
    kinds: dict[str, list[str]] = {}
    for i, line in enumerate(body):
        match = FIELD.match(line) if i and line.startswith(":") else None
        words = match.group(1).split() if match else []
        kind = SPHINX_KINDS.get(words[0]) if words else None
        if match is None or kind is None:
            continue
        items = kinds.setdefault(kind, [])
        if kind == "raises" and len(words) > 1:
            items.append(words[-1])
        elif kind == "raises":
            # pydoclint's reading of ``:raises: Name: why``; ``:raises: :class:`X``` gives
            # an empty name, which every raised exception starts with.
            head = match.group(2).strip().split(":")
            if len(head) > 1 and " " not in head[0].strip():
                items.append(head[0].strip())
    return _made(kinds)


def _made(kinds: dict[str, list[str]]) -> Sections:
    raises = kinds.get("raises")
    return Sections(
        returns="returns" in kinds,
        yields="yields" in kinds,
        raises=tuple(sorted(raises or ())),
        raises_section=raises is not None,
    )
