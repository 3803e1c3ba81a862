"""Repair DOC203 by writing the return annotation as the Returns section's type.

One line changes, or (sphinx) one ``:rtype:`` line is added: google's first Returns line
gets the annotation before its colon (replacing a type that was there, else put in
front of the author's words); numpy's single entry gets it as its type (a name before
it stays); sphinx's ``:rtype:`` field or ``:returns type:`` word gets it, or a new
``:rtype:`` follows ``:returns:``.  What that cannot fix (no annotation, no Returns
section, several numpy entries, an ``:rtype:`` whose text runs on) is left to its
author.  ``verify`` proves the one line is the old one with only its type changed.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Sequence

from bot.docentries import DocStyle, body_of, indentation, read
from bot.docsections import Section, read_sections
from bot.errors import UnsafeSuggestion
from bot.repair import Unrepairable
from bot.returntypes import ITERATORS, findings, yield_findings
from bot.stalechecks import FIELD, FuncNode, annotation_name, yield_type
from bot.typechecks import strip_quotes, unparse
from bot.types_repair import writable


def annotation_of(node: FuncNode, kind: str = "returns") -> str:
    """The return (or yielded) type as pydoclint compares it; the repair needs one."""
    if node.returns is None:
        raise Unrepairable("the function has no return annotation to document")
    if kind == "yields":
        yielded = yield_type(node) if annotation_name(node) in ITERATORS else None
        if yielded is None:
            raise Unrepairable("the annotation is no Generator or Iterator to take a type from")
        return writable(strip_quotes(yielded))
    return writable(strip_quotes(unparse(node.returns)))


def _stale(node: FuncNode, lines: Sequence[str], style: DocStyle, kind: str) -> bool:
    check = findings if kind == "returns" else yield_findings
    return bool(check(node, lines, style))


def mend(
    lines: Sequence[str], style: DocStyle, node: FuncNode, kind: str = "returns"
) -> tuple[str, ...]:
    """The docstring with its Returns (or Yields) section typed by the annotation."""
    wanted = annotation_of(node, kind)
    sections = [s for s in read_sections(lines, style) if s.kind == kind]
    if not sections:
        raise Unrepairable(f"the docstring has no {kind.title()} section to write the type in")
    out = list(lines)
    if style == "google":
        at = _first_text(lines, sections[-1])
        out[at] = _google(lines[at], wanted)
    elif style == "numpy":
        _numpy(out, sections[-1], wanted)
    else:
        _sphinx(out, sections, wanted, "rtype" if kind == "returns" else "ytype")
    fixed = tuple(out)
    if _stale(node, fixed, style, kind):
        raise Unrepairable("the type cannot be written where pydoclint reads it")
    return fixed


def _first_text(lines: Sequence[str], section: Section) -> int:
    at = next((i for i in range(section.first + 1, section.last + 1) if lines[i].strip()), None)
    if at is None:
        raise Unrepairable("the Returns section is empty")
    return at


def _google(line: str, wanted: str) -> str:
    indent, text = indentation(line), line.strip()
    before, colon, rest = text.partition(":")
    if colon and _is_type(before):
        return f"{indent}{wanted}: {rest.lstrip()}"
    return f"{indent}{wanted}: {text}"


def _is_type(text: str) -> bool:
    """The words before a colon read as a type expression (``int``, ``dict[str, int]``)."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return False
    return isinstance(tree, ast.Name | ast.Attribute | ast.Subscript | ast.BinOp | ast.Constant)


def _numpy(out: list[str], section: Section, wanted: str) -> None:
    base, body = body_of(out)
    keys = [i for i in range(section.first + 2, section.last + 1) if body[i][:1].strip()]
    if len(keys) != 1:
        raise Unrepairable("a numpy Returns section with several entries")
    name, colon, _ = body[keys[0]].partition(":")
    out[keys[0]] = f"{base}{name.rstrip()} : {wanted}" if colon else base + wanted


def _sphinx(out: list[str], sections: Sequence[Section], wanted: str, field_name: str) -> None:
    base, body = body_of(out)
    rtypes = [s for s in sections if body[s.first].startswith(f":{field_name}:")]
    if rtypes:
        at = rtypes[-1].first
        following = [i for i in range(at + 1, len(body)) if body[i].strip()]
        if following and not body[following[0]].startswith(":"):
            raise Unrepairable(f"the `:{field_name}:` field's text runs on past its line")
        out[at] = f"{base}:{field_name}: {wanted}"
        return
    field = sections[-1]
    match = FIELD.match(body[field.first])
    words = match.group(1).split() if match else []
    if match is not None and len(words) == 2:
        if any(c.isspace() for c in wanted):
            raise Unrepairable("a type with spaces cannot stand inside `:returns type:`")
        out[field.first] = f"{base}:{words[0]} {wanted}:{body[field.first][match.end(1) + 1 :]}"
        return
    out.insert(field.last + 1, f"{base}:{field_name}: {wanted}")


def verify(
    old: Sequence[str], new: Sequence[str], style: DocStyle, node: FuncNode, kind: str = "returns"
) -> None:
    """Prove the repair: DOC203 (DOC404) is gone, and one line changed only in its type."""
    before, after = read(old), read(new)
    if before is None or after is None or after.style != style:
        raise UnsafeSuggestion("the repaired docstring no longer reads in its own style")
    if _stale(node, new, style, kind):
        raise UnsafeSuggestion("the repaired type still disagrees with the annotation")
    wanted = annotation_of(node, kind)
    field_name = "rtype" if kind == "returns" else "ytype"
    ops = [op for op in difflib.SequenceMatcher(None, old, new).get_opcodes() if op[0] != "equal"]
    if len(ops) != 1:
        raise UnsafeSuggestion("the return type repair changed more than one place")
    op, i1, i2, j1, j2 = ops[0]
    if op == "insert" and j2 - j1 == 1 and new[j1].strip() == f":{field_name}: {wanted}":
        return
    if op != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
        raise UnsafeSuggestion("the return type repair changed more than one line")
    if not _only_type_changed(old[i1].strip(), new[j1].strip(), wanted, style, field_name):
        raise UnsafeSuggestion("the return type repair changed the section's words")


def _only_type_changed(old: str, new: str, wanted: str, style: DocStyle, field_name: str) -> bool:
    if style == "google":
        rest = new.removeprefix(f"{wanted}: ")
        return new.startswith(f"{wanted}: ") and rest in (old, old.partition(":")[2].lstrip())
    if style == "numpy":
        name = old.partition(":")[0].rstrip() if ":" in old else ""
        return new == (f"{name} : {wanted}" if name else wanted)
    if new == f":{field_name}: {wanted}" and old.startswith(f":{field_name}:"):
        return True
    head, _, said = old.partition(":")[2].partition(":")
    return new == f":{head.split()[0]} {wanted}:{said}"
