"""Repair DOC105 by rewriting only the type text of the entries whose type went stale.

The new type is the signature's annotation as pydoclint compares it (unparsed).  An
entry that states a type gets it in place of the old one (google keeps its
``, optional``, which docstring_parser takes off before comparing; numpy's whole type
segment is compared, so it is replaced whole); an entry that states none gets one the
style's way (``x (int):``, ``x : int``, a ``:type x: int`` field after the parameter's).
``verify`` proves it: DOC105 is gone, the names and every description are as they were,
and no line outside the changed entries (and their sphinx type fields) moved.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from bot.docentries import Entry, Layout, indentation, read, type_fields
from bot.errors import UnsafeSuggestion
from bot.repair import Unrepairable
from bot.typechecks import FuncNode, doc_types, findings, same_type, signature_types

_GOOGLE_TYPED = re.compile(r"(\s*)(.+?)(\s*\(\s*)(.*[^\s]+)(\s*\))")
_NUMPY_KEY = re.compile(r"^(?P<name>.*?)(?:(?P<colon>\s*:\s*)(?P<type>.*?))?$")
_FIELD = re.compile(r"(\s*):([^:\n]*):")


def mend(
    lines: Sequence[str], layout: Layout, node: FuncNode, expected: Sequence[str]
) -> tuple[str, ...]:
    """The docstring with each stale argument type replaced by the signature's."""
    signature = signature_types(node)
    out = list(lines)
    inserts: list[tuple[int, str]] = []
    for entry, typed in zip(layout.params, doc_types(lines, layout), strict=True):
        wanted = writable(signature.get(entry.name, ""))
        if same_type(typed.text, wanted):
            continue
        if not wanted:
            raise Unrepairable(f"the signature gives `{entry.name}` no annotation to document")
        if layout.style == "google":
            out[entry.first] = _google(out[entry.first], wanted)
        elif layout.style == "numpy":
            out[entry.first] = _numpy(out[entry.first], wanted)
        else:
            inserts += _sphinx(out, layout, entry, typed.text, wanted)
    for at, line in sorted(inserts, reverse=True):
        out.insert(at, line)
    fixed = tuple(out)
    after = read(fixed)
    if after is None or findings(node, fixed, after, expected):
        raise Unrepairable("the type text cannot be written where pydoclint reads it")
    return fixed


def writable(annotation: str) -> str:
    """``annotation`` as docstring text, or ``Unrepairable`` when a docstring would change it:
    a backslash is an escape there, triple quotes would close the literal."""
    if "\\" in annotation or '"""' in annotation or "'''" in annotation or "\n" in annotation:
        raise Unrepairable("the annotation holds quotes or backslashes a docstring would change")
    return annotation


def _google(line: str, wanted: str) -> str:
    spec, colon, rest = line.partition(":")
    if not colon:
        raise Unrepairable("an entry without a colon")
    match = _GOOGLE_TYPED.match(spec)
    if match is None:
        name_end = len(spec.rstrip())
        return f"{spec[:name_end]} ({wanted}){spec[name_end:]}:{rest}"
    start, end = match.span(4)
    kind = match.group(4)
    if kind.endswith(", optional"):
        end -= len(", optional")
    elif kind.endswith("?"):
        end -= 1
    return spec[:start] + wanted + spec[end:] + colon + rest


def _numpy(line: str, wanted: str) -> str:
    indent = indentation(line)
    match = _NUMPY_KEY.match(line[len(indent) :])
    assert match is not None  # the pattern matches any line
    if match.group("type") is None:
        return f"{line.rstrip()} : {wanted}"
    return indent + match.group("name") + match.group("colon") + wanted


def _sphinx(
    out: list[str], layout: Layout, entry: Entry, old: str, wanted: str
) -> list[tuple[int, str]]:
    head = out[entry.first]
    field = _FIELD.match(head)
    assert field is not None
    words = field.group(2).split()
    if len(words) == 3:
        if any(c.isspace() for c in wanted):
            raise Unrepairable("a type with spaces cannot stand inside `:param type name:`")
        start = head.index(words[1], head.index(words[0]) + len(words[0]))
        out[entry.first] = head[:start] + wanted + head[start + len(words[1]) :]
        return []
    spans = type_fields(out, layout.base, entry.name)
    if not spans:
        return [(entry.last + 1, f"{layout.base}:type {entry.name}: {wanted}")]
    first, last = spans[-1]
    if first != last or "\n" in old:
        raise Unrepairable(f"the `:type {entry.name}:` field runs over several lines")
    line = out[first]
    typed = _FIELD.match(line)
    assert typed is not None
    out[first] = f"{line[: typed.end()]} {wanted}"
    return []


def verify(old: Sequence[str], new: Sequence[str], node: FuncNode, expected: Sequence[str]) -> None:
    """Prove the repair: DOC105 is gone, and only the stale entries' types changed."""
    before, after = read(old), read(new)
    if before is None or after is None or after.style != before.style:
        raise UnsafeSuggestion("the repaired docstring no longer reads in its own style")
    if [e.name for e in after.params] != [e.name for e in before.params]:
        raise UnsafeSuggestion("the type repair changed the documented names")
    if findings(node, new, after, expected):
        raise UnsafeSuggestion("the repaired types still disagree with the signature")
    changed = {
        e.name
        for e, t in zip(before.params, doc_types(old, before), strict=True)
        if not same_type(t.text, signature_types(node).get(e.name, ""))
    }
    old_ok = _lines_of(old, before, changed)
    new_ok = _lines_of(new, after, changed)
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and not (set(range(i1, i2)) <= old_ok and set(range(j1, j2)) <= new_ok):
            raise UnsafeSuggestion("the type repair changed text outside the stale entries")
    for one, two in zip(before.params, after.params, strict=True):
        if _untyped(old, one, before.style) != _untyped(new, two, after.style):
            raise UnsafeSuggestion(f"the type repair changed the words of `{one.name}`")


def _lines_of(lines: Sequence[str], layout: Layout, names: set[str]) -> set[int]:
    found: set[int] = set()
    for entry in layout.params:
        if entry.name in names:
            found.add(entry.first)
            if layout.style == "sphinx":
                for first, last in type_fields(lines, layout.base, entry.name):
                    found.update(range(first, last + 1))
    return found


def _untyped(lines: Sequence[str], entry: Entry, style: str) -> tuple[str, ...]:
    """An entry's lines with its type text left out: what the repair must keep."""
    head = lines[entry.first]
    rest = tuple(lines[entry.first + 1 : entry.last + 1])
    if style == "google":
        spec, _, said = head.partition(":")
        match = _GOOGLE_TYPED.match(spec)
        name = match.group(2) if match else spec.strip()
        return (name, said, *rest)
    if style == "numpy":
        match = _NUMPY_KEY.match(head.strip())
        return ((match.group("name") if match else head), *rest)
    field = _FIELD.match(head)
    words = field.group(2).split() if field else []
    return (words[-1] if words else "", head[field.end() :] if field else head, *rest)
