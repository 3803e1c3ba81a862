"""Docstrings a change made stale: their arguments disagree with the signature.

The oracle is pydoclint run with ``--arg-type-hints-in-docstring False
--arg-type-hints-in-signature False --skip-checking-raises True --allow-init-docstring
True`` in the docstring's own style, restricted to DOC101-DOC104: fewer, more, different
or reordered arguments.  Its rules, reproduced: a summary-only docstring is not checked;
``*args``/``**kwargs`` are documented with their stars; an ``__init__`` without a
docstring of its own is checked against its class's docstring.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot import returntypes, stalechecks, typechecks
from bot.docentries import DocStyle, Layout, read
from bot.model import Finding, Param, Target
from bot.pysource import DefNode, SourceLines, docstring_of

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_OPENING = re.compile(r"[ \t\f]*([rRuU]{0,2})(\"\"\"|''')")
_MESSAGES = {
    "DOC101": "Docstring contains fewer arguments than in function signature.",
    "DOC102": "Docstring contains more arguments than in function signature.",
    "DOC103": "Docstring arguments are different from function arguments.",
    "DOC104": "Arguments are the same in the docstring and the function signature, "
    "but are in a different order.",
}


@dataclass(frozen=True, slots=True)
class Literal:
    """A docstring literal's lines in the file and its text, line by line."""

    first: int
    """1-based file line of the opening quotes."""
    last: int
    """1-based file line of the closing quotes."""
    lines: tuple[str, ...]
    """The docstring's lines: the first without what precedes its text (indentation,
    prefix, quotes), the last without the closing quotes and what follows them."""
    quote: str
    raw: bool = False


def literal(lines: SourceLines | Sequence[str], first: int, last: int) -> Literal | None:
    """The triple-quoted literal on file lines ``first..last``, or ``None`` for any other.

    A literal on one line (``\"\"\":param x: ...\"\"\"``) has that one line of text.
    """
    rows = lines.lines if isinstance(lines, SourceLines) else lines
    head = rows[first - 1].rstrip("\r\n")
    opening = _OPENING.match(head)
    tail = rows[last - 1].rstrip("\r\n")
    if opening is None:
        return None
    quote = opening.group(2)
    close = tail.rfind(quote)
    if first == last:
        if close < opening.end() or quote in head[opening.end() : close]:
            return None
        text = head[opening.end() : close]
        return Literal(first, last, (text,), quote, "r" in opening.group(1).lower())
    if close < 0 or quote in head[opening.end() :]:
        return None
    text = [head[opening.end() :].rstrip("\r")]
    text += [line.rstrip("\r\n") for line in rows[first : last - 1]]
    text.append(tail[:close])
    return Literal(first, last, tuple(text), quote, "r" in opening.group(1).lower())


def documented_names(params: Sequence[Param]) -> list[str]:
    """The names pydoclint expects in the docstring, in order, stars included."""
    stars = {"var_positional": "*", "var_keyword": "**"}
    return [stars.get(p.kind, "") + p.name for p in params]


def findings(layout: Layout, expected: Sequence[str]) -> tuple[Finding, ...]:
    """DOC101-DOC104 as pydoclint decides them for ``layout`` against ``expected`` names."""
    if not layout.sectioned or layout.unreadable is not None:
        return ()
    written = [entry.name for entry in layout.params]
    if not written and not expected:
        return ()
    found: list[Finding] = []
    missing = sorted(set(expected) - set(written))
    extra = sorted(set(written) - set(expected))
    if len(written) < len(expected):
        found.append(Finding("DOC101", _MESSAGES["DOC101"], tuple(missing)))
    if len(written) > len(expected):
        found.append(Finding("DOC102", _MESSAGES["DOC102"], tuple(extra)))
    if written == list(expected):
        return tuple(found)
    if len(written) == len(expected) and set(written) == set(expected):
        found.append(Finding("DOC104", _MESSAGES["DOC104"], tuple(expected)))
    else:
        parts = []
        if missing:
            parts.append(
                f"Arguments in the function signature but not in the docstring: {missing}."
            )
        if extra:
            parts.append(f"Arguments in the docstring but not in the function signature: {extra}.")
        message = " ".join([_MESSAGES["DOC103"], *parts])
        found.append(Finding("DOC103", message, tuple(missing + extra)))
    return tuple(found)


def check(
    doc: Literal,
    params: Sequence[Param],
    node: DefNode | None = None,
    checks: Sequence[str] = (),
    constructor: bool = False,
) -> tuple[DocStyle, tuple[Finding, ...]] | None:
    """The docstring's style and its findings, or ``None`` when it is not stale.

    ``checks`` (``stale_checks``) adds Returns/Yields/Raises findings for ``node``; a
    ``constructor`` (an ``__init__`` its class's docstring documents) has no Returns
    check: pydoclint checks the class docstring's Returns section by other rules.
    """
    layout = read(doc.lines)
    if layout is None:
        return None
    expected = documented_names(checked(params))
    found = findings(layout, expected)
    if checks and isinstance(node, FUNCTIONS) and layout.sectioned and not layout.unreadable:
        if "types" in checks:
            found += typechecks.findings(node, doc.lines, layout, expected)
            if not constructor:
                found += returntypes.findings(node, doc.lines, layout.style)
                found += returntypes.yield_findings(node, doc.lines, layout.style)
        wanted = [c for c in checks if not (constructor and c == "returns")]
        found += stalechecks.findings(node, doc.lines, layout.style, wanted)
    return (layout.style, found) if found else None


def new_params(target: Target) -> tuple[Param, ...]:
    """The signature's parameters a stale docstring has no entry for: what a writer must
    describe."""
    named = {n for f in target.findings for n in f.names}
    expected = documented_names(target.params)
    return tuple(p for p, name in zip(target.params, expected, strict=True) if name in named)


def new_names(target: Target) -> list[str]:
    """``new_params``' names as pydoclint spells them (stars kept)."""
    return documented_names(new_params(target))


def in_words(
    found: Sequence[Finding], expected: Sequence[str], renamed: Sequence[tuple[str, str]] = ()
) -> str:
    """One line for a reviewer: what went stale, in the signature's names.

    Only names that are identifiers are quoted; a docstring's other text is not repeated.
    ``renamed`` are the entries the repair kept under a new name (old, new).
    """
    moved = [(a, b) for a, b in renamed if _NAME.fullmatch(a) and _NAME.fullmatch(b)]
    said = {n for pair in moved for n in pair}
    names = list(dict.fromkeys(n for f in found for n in f.names if _NAME.fullmatch(n)))
    added = [n for n in names if n in expected and n not in said]
    gone = [n for n in names if n not in expected and n not in said]
    parts = []
    if moved:
        (old, new), *more = moved
        pairs = "".join(f", `{a}` to `{b}`" for a, b in more)
        whose = "their descriptions are" if more else "its description is"
        parts.append(f"`{old}` was renamed to `{new}`{pairs}; {whose} kept")
    if added:
        verb, it = ("was", "it") if len(added) == 1 else ("were", "them")
        parts.append(
            f"{_listed(added)} {verb} added to the signature; the docstring does not mention {it}"
        )
    if gone:
        verb = "is" if len(gone) == 1 else "are"
        parts.append(f"the docstring documents {_listed(gone)}, which {verb} not in the signature")
    if not parts and any(f.code == "DOC104" for f in found):
        parts.append("the docstring lists the arguments in another order than the signature")
    parts += stalechecks.in_words(found)
    return "; ".join(parts) or "the docstring's arguments differ from the signature's"


_NAME = re.compile(r"\*{0,2}[A-Za-z_][A-Za-z0-9_]*")


def _listed(names: Sequence[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def documenting(node: DefNode, parent: DefNode | None) -> DefNode | None:
    """The definition whose docstring documents ``node``'s arguments (pydoclint's rule):
    its own, else for an ``__init__`` its class's."""
    if docstring_of(node) is not None:
        return node
    if node.name == "__init__" and isinstance(parent, ast.ClassDef):
        return parent if docstring_of(parent) is not None else None
    return None


def stale_target(
    node: DefNode,
    holder: DefNode | None,
    lines: SourceLines,
    make_names: Callable[[], tuple[Param, ...]],
    make_target: Callable[[], Target | None],
    checks: Sequence[str] = (),
) -> Target | None:
    """``node`` as a stale target when its documenting ``holder``'s docstring disagrees.

    ``make_names`` gives the signature's parameters (their names and kinds are enough);
    ``make_target`` builds the target when the change's scope covers ``node`` (else
    ``None``), only for docstrings that disagree with them.
    """
    if holder is None or isinstance(node, ast.ClassDef):
        return None
    first = holder.body[0]
    assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    text = first.value.value
    if not isinstance(text, str) or not _SECTION_HINT.search(text):
        return None
    if "\n" not in text.strip() and not text.lstrip().startswith(":"):
        return None  # one line: a summary, unless it is a sphinx field
    doc = literal(lines, first.lineno, first.end_lineno or first.lineno)
    found = None if doc is None else check(doc, make_names(), node, checks, holder is not node)
    if doc is None or found is None:
        return None
    target = make_target()
    if target is None:
        return None
    return replace(
        target,
        problem="stale",
        findings=found[1],
        docstring_lines=(doc.first, doc.last),
        params=checked(target.params),
    )


def checked(params: Sequence[Param]) -> tuple[Param, ...]:
    """The parameters pydoclint compares: an underscore-only name (``_``) is not one."""
    return tuple(p for p in params if p.name.strip("_"))


_SECTION_HINT = re.compile(r":[ \t]*$|^[ \t]*:|^[ \t]*-{3,}[ \t]*$", re.MULTILINE)
