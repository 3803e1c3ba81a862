"""Repair what the opt-in checks find by editing the author's lines, and prove it.

DOC202, DOC403 and DOC502 take the stale Returns, Yields or Raises section out with the
blank lines that set it apart; DOC201, DOC402 and DOC501 add the section where the
style puts it (after the arguments, Returns before Yields before Raises), written the
way the docstring writes its sections; DOC503 drops the Raises entries of exceptions
the body no longer raises and adds the missing ones after the kept entries.  Only the
new entries' words come from the writer; every other line is the author's.  ``verify``
proves a repair: the checks now agree, nothing outside the touched sections changed,
and every kept Raises entry is there as it was.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.docentries import DocStyle, body_of, indentation, read
from bot.docsections import RANK, Item, Section, read_sections
from bot.errors import UnsafeSuggestion
from bot.model import Finding
from bot.repair import NewEntry, Unrepairable, wrap_entry
from bot.sectionwords import short
from bot.stalechecks import (
    CHECK_OF,
    CHECKS,
    FuncNode,
    body_yields,
    findings,
    raised_names,
    return_type,
    yield_type,
    yields_annotated,
)
from bot.types_repair import writable

_UNIT = "    "
_TITLES = {"returns": "Returns", "yields": "Yields", "raises": "Raises"}
_SPHINX_FIELDS = {"returns": ("returns", "rtype"), "yields": ("yields", "ytype")}
_ADDS = {"DOC201": "returns", "DOC402": "yields", "DOC501": "raises"}
_ANNOTATION = (
    "pydoclint wants a Yields section under a Generator or Iterator annotation,"
    " and the repair edits only the docstring"
)
_DROPS = {"DOC202": "returns", "DOC403": "yields", "DOC502": "raises"}


@dataclass(frozen=True, slots=True)
class Words:
    """The writer's words for new section entries (already made inert)."""

    returns: NewEntry | None = None
    yields: NewEntry | None = None
    raises: Mapping[str, str] | None = None
    """Descriptions by exception name."""


@dataclass(frozen=True, slots=True)
class Code:
    """The function the docstring documents, as the checks read it."""

    node: FuncNode
    constructor: bool = False
    """An ``__init__`` documented on its class: its Returns is not checked."""
    typed: bool = False
    """New Returns and Yields entries state the annotation's type (types are checked)."""

    @property
    def checks(self) -> tuple[str, ...]:
        """The opt-in checks that apply to this docstring."""
        return tuple(c for c in CHECKS if not (self.constructor and c == "returns"))


@dataclass(frozen=True, slots=True)
class Mended:
    """The docstring's new lines, the kinds of section it touched, and the kept entries."""

    lines: tuple[str, ...]
    kinds: frozenset[str]
    kept: tuple[tuple[str, ...], ...]


def is_section_finding(found: Finding) -> bool:
    """The finding is one of the section checks' (Returns, Yields, Raises; not types)."""
    return CHECK_OF.get(found.code[:4]) is not None and found.code not in ("DOC203", "DOC404")


def mend(
    lines: Sequence[str],
    style: DocStyle,
    codes: Sequence[str],
    code: Code,
    words: Words,
    *,
    width: int = 88,
) -> Mended:
    """The docstring ``lines`` with the sections the findings ``codes`` name made true."""
    if "DOC403" in codes and body_yields(code.node):
        raise Unrepairable(_ANNOTATION)
    out = tuple(lines)
    kinds: set[str] = set()
    kept: tuple[tuple[str, ...], ...] = ()
    # Added first: a section about to go still shows where the new one belongs.
    for finding, kind in _ADDS.items():
        if finding in codes:
            out = _add(out, style, kind, _new_block(out, style, kind, code, words, width))
            kinds.add(kind)
    if "DOC503" in codes and "DOC501" not in codes:
        out, kept = _fix_raises(out, style, code, words, width)
        kinds.add("raises")
    for finding, kind in _DROPS.items():
        if finding in codes:
            out = _drop_kind(out, style, kind)
            kinds.add(kind)
    return Mended(out, frozenset(kinds), kept)


def verify(old: Sequence[str], fixed: Mended, style: DocStyle, code: Code) -> None:
    """Prove the repair: the checks agree now, and only the touched sections changed."""
    new = fixed.lines
    before, after = read(old), read(new)
    if after is None or before is None or after.style != style or after.unreadable:
        raise UnsafeSuggestion("the repaired docstring no longer reads in its own style")
    if [e.name for e in after.params] != [e.name for e in before.params]:
        raise UnsafeSuggestion("the section repair changed the parameter entries")
    was = {f.code for f in findings(code.node, old, style, code.checks)}
    now = {f.code for f in findings(code.node, new, style, code.checks)}
    touched = {c for c in now if CHECK_OF[c[:4]] in fixed.kinds}
    if touched or not now <= was:
        raise UnsafeSuggestion("the repaired sections still disagree with the function")
    old_ok = _allowed(old, style, fixed.kinds)
    new_ok = _allowed(new, style, fixed.kinds)
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and not (set(range(i1, i2)) <= old_ok and set(range(j1, j2)) <= new_ok):
            raise UnsafeSuggestion("the repair changed text outside the sections it repairs")
    text = "\n".join(new)
    for block in fixed.kept:
        if "\n".join(block) not in text:
            raise UnsafeSuggestion("the repair lost text of an entry it should keep")


def _allowed(lines: Sequence[str], style: DocStyle, kinds: frozenset[str]) -> set[int]:
    """Lines of the sections of ``kinds`` and the blank runs right around them."""
    allowed: set[int] = set()
    for section in read_sections(lines, style):
        if section.kind not in kinds:
            continue
        allowed.update(range(section.first, section.last + 1))
        above = section.first - 1
        while above > 0 and not lines[above].strip():
            allowed.add(above)
            above -= 1
        below = section.last + 1
        while below < len(lines) - 1 and not lines[below].strip():
            allowed.add(below)
            below += 1
    return allowed


# -- taking out -------------------------------------------------------------------------------


def _drop_kind(lines: tuple[str, ...], style: DocStyle, kind: str) -> tuple[str, ...]:
    for section in reversed(read_sections(lines, style)):
        if section.kind == kind:
            prev = _text_before(lines, section.first)
            after = _text_after(lines, section.last)
            lines = _cut(lines, section.first, section.last, prev, after)
    return lines


def _cut(
    lines: tuple[str, ...], first: int, last: int, prev: int | None, after: int | None
) -> tuple[str, ...]:
    """Lines without ``first..last`` and the blank lines between it and its neighbour."""
    if last >= len(lines) - 1 or first == 0:
        raise Unrepairable("the section shares a line with the docstring's quotes")
    if after is not None:
        return (*lines[:first], *lines[after:])
    start = first if prev is None else prev + 1
    return (*lines[:start], *lines[last + 1 :])


def _text_before(lines: Sequence[str], at: int) -> int | None:
    return next((i for i in range(at - 1, -1, -1) if lines[i].strip()), None)


def _text_after(lines: Sequence[str], at: int) -> int | None:
    return next((i for i in range(at + 1, len(lines)) if lines[i].strip()), None)


# -- the Raises entries -----------------------------------------------------------------------


def _fix_raises(
    lines: tuple[str, ...], style: DocStyle, code: Code, words: Words, width: int
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Keep the entries of raised exceptions, drop the others, add the missing ones."""
    items = [item for s in read_sections(lines, style) if s.kind == "raises" for item in s.items]
    raised = raised_names(code.node)
    if not items or not raised:
        raise Unrepairable("the Raises section has no entry this repair can match")
    start, stop = items[0].first, items[-1].last + 1
    inside = {i for item in items for i in range(item.first, item.last + 1)}
    if any(lines[i].strip() for i in range(start, stop) if i not in inside):
        raise Unrepairable("other text sits between the Raises entries")
    if stop >= len(lines):
        raise Unrepairable("a Raises entry shares a line with the docstring's quotes")
    open_names = list(raised)
    blocks: list[tuple[str, ...]] = []
    for item in items:
        match = _matching(item.name, open_names)
        if match is not None:
            open_names.remove(match)
            blocks.append(tuple(lines[item.first : item.last + 1]))
    kept = tuple(blocks)
    base, _ = body_of(lines)
    for name in open_names:
        blocks.append(_raise_entry(lines, style, base, name, _said(words, name), width))
    gap = [""] * _item_gap(lines, items)
    region: list[str] = []
    for block in blocks:
        region += [*(gap if region else []), *block]
    return (*lines[:start], *region, *lines[stop:]), kept


def _matching(written: str, raised: Sequence[str]) -> str | None:
    """The raised exception an entry documents: its name, else one it begins (pydoclint)."""
    if written in raised:
        return written
    return next((r for r in raised if written and r.startswith(written)), None)


def _item_gap(lines: Sequence[str], items: Sequence[Item]) -> int:
    if len(items) < 2:
        return 0
    return sum(1 for i in range(items[0].last + 1, items[1].first) if not lines[i].strip())


def _said(words: Words, name: str) -> str:
    given = words.raises or {}
    text = given.get(name)
    if text is None:
        text = next((t for n, t in given.items() if short(n) == short(name)), None)
    if text is None or not text.strip():
        raise Unrepairable(f"the writer gave no words for the exception {name}")
    return " ".join(text.split())


# -- adding -----------------------------------------------------------------------------------


def _add(
    lines: tuple[str, ...], style: DocStyle, kind: str, block: Sequence[str]
) -> tuple[str, ...]:
    """``block`` placed where the style puts a ``kind`` section among the others."""
    sections = read_sections(lines, style)
    rank = RANK[kind]
    lower = [s for s in sections if RANK.get(s.kind, rank) < rank]
    gap = [] if style == "sphinx" else [""] * _section_gap(lines, sections)
    if lower:
        at = max(s.last for s in lower) + 1
        new = [*gap, *block]
    else:
        higher = [s for s in sections if RANK.get(s.kind, rank) > rank] or list(sections)
        if not higher:
            raise Unrepairable("the docstring has no section to place a new one by")
        at = min(s.first for s in higher)
        new = [*block, *gap]
    if not 0 < at < len(lines):
        raise Unrepairable("the new section would share a line with the docstring's quotes")
    return (*lines[:at], *new, *lines[at:])


def _section_gap(lines: Sequence[str], sections: Sequence[Section]) -> int:
    """Blank lines between sections, as the docstring has them (one by default)."""
    if len(sections) < 2:
        return 1
    one, two = sections[0], sections[1]
    return sum(1 for i in range(one.last + 1, two.first) if not lines[i].strip())


def _new_block(
    lines: Sequence[str], style: DocStyle, kind: str, code: Code, words: Words, width: int
) -> list[str]:
    base, body = body_of(lines)
    if kind == "raises":
        names = raised_names(code.node)
        if not names:
            raise Unrepairable("the body raises nothing by name")
        entries = [
            line
            for name in names
            for line in _raise_entry(lines, style, base, name, _said(words, name), width)
        ]
        return _titled(style, base, kind, entries)
    if kind == "yields" and not yields_annotated(code.node):
        raise Unrepairable(_ANNOTATION)
    said = words.returns if kind == "returns" else words.yields
    if said is None or not said.description.strip():
        raise Unrepairable(f"the writer gave no words for the {_TITLES[kind]} section")
    description = " ".join(said.description.split())
    kind_text = _type_of(code, kind) or (" ".join(said.type.split()) if said.type else None)
    unit = _unit(body)
    typed = code.typed or _typed(lines)
    if style == "google":
        head = f"{kind_text}: " if kind_text and typed else ""
        # The type heads the first line whole: a wrapped type reads as another one.
        entries = wrap_entry(description, base + unit + head, base + unit * 2, width)
    elif style == "numpy":
        if not kind_text:
            raise Unrepairable(f"no type to head the numpy {_TITLES[kind]} entry")
        entries = [base + kind_text, *wrap_entry(description, base + unit, base + unit, width)]
    else:
        field, type_field = _SPHINX_FIELDS[kind]
        entries = wrap_entry(f":{field}: {description}", base, base + unit, width)
        if typed and kind_text:
            entries.append(f"{base}:{type_field}: {kind_text}")
    return _titled(style, base, kind, entries)


def _titled(style: DocStyle, base: str, kind: str, entries: list[str]) -> list[str]:
    title = _TITLES[kind]
    if style == "google":
        return [f"{base}{title}:", *entries]
    if style == "numpy":
        return [base + title, base + "-" * len(title), *entries]
    return entries


def _raise_entry(
    lines: Sequence[str], style: DocStyle, base: str, name: str, said: str, width: int
) -> tuple[str, ...]:
    unit = _unit(body_of(lines)[1])
    if style == "google":
        return tuple(wrap_entry(f"{name}: {said}", base + unit, base + unit * 2, width))
    if style == "numpy":
        return (base + name, *wrap_entry(said, base + unit, base + unit, width))
    return tuple(wrap_entry(f":raises {name}: {said}", base, base + unit, width))


def _type_of(code: Code, kind: str) -> str | None:
    """The signature's return (or yielded) type, as the author wrote its annotation."""
    if code.node.returns is None:
        return None
    if kind == "yields":
        kind_text = yield_type(code.node)
        return writable(kind_text) if kind_text else None
    returned = return_type(code.node)
    return writable(" ".join(returned.split())) if returned else None


def _typed(lines: Sequence[str]) -> bool:
    layout = read(lines)
    return layout is not None and any(entry.typed for entry in layout.params)


def _unit(body: Sequence[str]) -> str:
    """One level of the docstring's own indentation under a title or an entry."""
    for i in range(1, len(body) - 1):
        if body[i].strip() and not body[i][:1].isspace() and body[i + 1][:1].isspace():
            step = indentation(body[i + 1])
            if step.strip() == "" and step:
                return step
    return _UNIT
