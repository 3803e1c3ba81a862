"""Repair a stale docstring by editing the author's lines, never by regenerating them.

Kept entries stay byte for byte (continuation lines, blank lines and all); entries of
parameters the signature lost go; a new parameter gets an entry at its signature
position written the way its neighbours are written (types when they carry types,
their ``, optional``, their indentation and wrapping); entries follow the signature's
order.  Everything outside the parameter entries is left as it was, and ``verify``
proves that of every repair before it becomes a suggestion.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.docentries import Entry, Layout, indentation, read, type_fields
from bot.errors import UnsafeSuggestion
from bot.model import Param
from bot.renames import NotRenamed, keeps_words, movable, renamed_block, retyped
from bot.stale import documented_names, findings

_UNIT = "    "


class Unrepairable(ValueError):
    """The docstring's layout is one the repair does not edit safely; says which."""


@dataclass(frozen=True, slots=True)
class Repair:
    """The docstring's new lines, and which old lines the edit replaced."""

    lines: tuple[str, ...]
    start: int
    """First replaced line (index into the docstring's lines)."""
    stop: int
    """One past the last replaced line."""
    kept: tuple[tuple[str, ...], ...]
    """The kept entries' texts, as they were."""
    renamed: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    """Entries kept under a new name: the old name, the new one, the entry as it was."""


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What a new parameter's entry says, from the provider."""

    description: str
    type: str | None = None


def repair(
    lines: Sequence[str],
    params: Sequence[Param],
    new: Mapping[str, NewEntry],
    *,
    width: int = 88,
    renames: Mapping[str, str] | None = None,
) -> Repair:
    """The docstring ``lines`` with its parameter entries made to match ``params``.

    ``renames`` (old entry name -> new documented name, ``renames.claims``) keeps an
    entry the signature lost for the parameter that is it under its new name.
    """
    layout = read(lines)
    if layout is None or layout.unreadable:
        raise Unrepairable("the docstring has no section this repair can read")
    expected = documented_names(params)
    by_name = {p.name: p for p in params}
    for entry in layout.params:
        if "," in entry.name or " " in entry.name.strip():
            raise Unrepairable(f"an entry documents several names at once ({entry.name!r})")
    if not layout.params:
        return _new_section(lines, layout, params, new, width)
    start, stop = _region(lines, layout)
    if not expected and layout.section is not None:
        start = layout.section[0]  # the signature lost every argument: the section goes
        while stop < len(lines) - 1 and not lines[stop].strip():
            stop += 1
        return Repair((*lines[:start], *lines[stop:]), start, stop, ())
    blocks = _blocks(lines, layout, stop)
    sep = _separator(lines, layout)
    chosen: dict[str, tuple[str, ...]] = {}
    kept: list[tuple[str, ...]] = []
    renamed: list[tuple[str, str, tuple[str, ...]]] = []
    moves = movable(layout, expected, renames or {})
    for entry, block in zip(layout.params, blocks, strict=True):
        key = _match(entry.name, expected) or moves.get(entry.name)
        if key is None or key in chosen:
            continue
        if key != entry.name:
            renamed.append((entry.name, key, block))
            try:
                block = renamed_block(block, entry.name, key, layout)
            except NotRenamed as exc:
                raise Unrepairable(str(exc)) from None
        else:
            kept.append(block)
        chosen[key] = block
    sample = layout.params[0]
    out: list[str] = []
    for name in expected:
        found = chosen.get(name)
        if found is not None:
            block = found
        else:
            param = by_name[name.lstrip("*")]
            block = _entry(lines, layout, sample, name, param, new.get(param.name), width)
        if out and sep:
            out += [""] * sep
        out += block
    edited = (*lines[:start], *out, *lines[stop:])
    if layout.style == "sphinx":
        edited = _drop_orphan_types(edited, layout, [*expected, *moves])
        try:
            edited = retyped(edited, layout.base, moves)
        except NotRenamed as exc:
            raise Unrepairable(str(exc)) from None
    return Repair(edited, start, stop, tuple(kept), tuple(renamed))


def verify(old: Sequence[str], fixed: Repair, params: Sequence[Param]) -> None:
    """Prove the repair: the arguments now agree, and only the entries changed."""
    layout = read(fixed.lines)
    if layout is None or findings(layout, documented_names(params)):
        raise UnsafeSuggestion("the repaired docstring still disagrees with the signature")
    new = fixed.lines
    tail = len(old) - fixed.stop
    outside_changed = tuple(old[: fixed.start]) != new[: fixed.start] or (
        tail and tuple(old[fixed.stop :]) != new[len(new) - tail :]
    )
    # Sphinx's `:type x:` fields of dropped parameters may sit anywhere among the fields.
    if outside_changed and layout.style != "sphinx":
        raise UnsafeSuggestion("the repair changed text outside the parameter entries")
    text = "\n".join(new)
    for block in fixed.kept:
        if block and "\n".join(block) not in text:
            raise UnsafeSuggestion("the repair lost text of an entry it should keep")
    for name, to, block in fixed.renamed:
        if not keeps_words(block, name, to, new):
            raise UnsafeSuggestion(f"the repair lost text of the entry it renamed to {to!r}")


# -- where entries are ------------------------------------------------------------------------


def _region(lines: Sequence[str], layout: Layout) -> tuple[int, int]:
    first, last = layout.params[0].first, layout.params[-1].last
    for entry in layout.params:
        first, last = min(first, entry.first), max(last, entry.last)
    if first <= 0 or (last >= len(lines) - 1 and lines[-1].strip()):
        raise Unrepairable("an entry shares a line with the docstring's quotes")
    return first, last + 1


def _blocks(lines: Sequence[str], layout: Layout, stop: int) -> list[tuple[str, ...]]:
    entries = layout.params
    if any(b.first <= a.first for a, b in pairwise(entries)):
        raise Unrepairable("parameter entries are split over several sections")
    blocks = []
    for n, entry in enumerate(entries):
        end = entries[n + 1].first if n + 1 < len(entries) else stop
        block = list(lines[entry.first : end])
        while block and not block[-1].strip():
            block.pop()
        if layout.style == "sphinx" and n + 1 < len(entries):
            _only_own_fields(block, entry, layout.base)
        blocks.append(tuple(block))
    return blocks


def _only_own_fields(block: Sequence[str], entry: Entry, base: str) -> None:
    for line in block[1:]:
        if line.startswith(base + ":") and not line.startswith(f"{base}:type {entry.name}:"):
            raise Unrepairable("other fields sit between the parameter fields")


def _separator(lines: Sequence[str], layout: Layout) -> int:
    if len(layout.params) < 2:
        return 0
    one, two = layout.params[0], layout.params[1]
    return sum(1 for line in lines[one.last + 1 : two.first] if not line.strip())


def _match(name: str, expected: Sequence[str]) -> str | None:
    if name in expected:
        return name
    # `args` written for `*args`: the same parameter, its stars missing.
    bare = [n for n in expected if n.lstrip("*") == name.lstrip("*")]
    return bare[0] if len(bare) == 1 else None


def _drop_orphan_types(
    lines: tuple[str, ...], layout: Layout, expected: Sequence[str]
) -> tuple[str, ...]:
    gone = {e.name for e in layout.params} - set(expected)
    drop: set[int] = set()
    for name in gone:
        for first, last in type_fields(lines, layout.base, name):
            drop.update(range(first, last + 1))
    return tuple(line for i, line in enumerate(lines) if i not in drop)


# -- writing new entries ----------------------------------------------------------------------


def _entry(
    lines: Sequence[str],
    layout: Layout,
    sample: Entry,
    name: str,
    param: Param,
    new: NewEntry | None,
    width: int,
) -> tuple[str, ...]:
    head = lines[sample.first]
    indent = indentation(head)
    more = [line for line in lines[sample.first + 1 : sample.last + 1] if line.strip()]
    cont = (
        indentation(more[0]) if more and len(indentation(more[0])) > len(indent) else indent + _UNIT
    )
    description = " ".join((new.description if new else "").split()) or "..."
    kind = _type(param, new, optional=", optional" in head or "optional" in head.split(":")[0])
    if layout.style == "numpy":
        title = f"{indent}{name} : {kind}" if sample.typed and kind else f"{indent}{name}"
        return (title, *wrap_entry(description, cont, cont, width))
    if layout.style == "google":
        spec = f"{name} ({kind})" if sample.typed and kind else name
        return tuple(wrap_entry(f"{spec}: {description}", indent, cont, width))
    inline = head.strip().split(":")[1].split()
    field = (
        f":param {kind} {name}:"
        if len(inline) == 3 and kind and " " not in kind
        else f":param {name}:"
    )
    out = wrap_entry(f"{field} {description}", indent, cont, width)
    typed_apart = sample.typed and len(inline) == 2
    if typed_apart and kind:
        out.append(f"{indent}:type {name}: {kind}")
    return tuple(out)


def _type(param: Param, new: NewEntry | None, *, optional: bool) -> str | None:
    kind = " ".join(param.annotation.split()) if param.annotation else (new.type if new else None)
    if kind and optional and param.default is not None:
        kind += ", optional"
    return kind


def wrap_entry(text: str, first: str, rest: str, width: int) -> list[str]:
    """An entry's text wrapped under its first line's prefix, never narrower than 40."""
    wrapper = textwrap.TextWrapper(
        width=max(width, 40),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text) or [first.rstrip()]


def _new_section(
    lines: Sequence[str],
    layout: Layout,
    params: Sequence[Param],
    new: Mapping[str, NewEntry],
    width: int,
) -> Repair:
    at = layout.first_section
    if not at:  # none, or on the quotes' line
        raise Unrepairable("no place for a parameter section")
    base = layout.base
    names = documented_names(params)
    entries: list[str] = []
    for name, param in zip(names, params, strict=True):
        doc = new.get(param.name)
        description = " ".join((doc.description if doc else "").split()) or "..."
        if layout.style == "google":
            entries += wrap_entry(f"{name}: {description}", base + _UNIT, base + _UNIT * 2, width)
        elif layout.style == "numpy":
            entries += [base + name, *wrap_entry(description, base + _UNIT, base + _UNIT, width)]
        else:
            entries += wrap_entry(f":param {name}: {description}", base, base + _UNIT, width)
    if layout.style == "google":
        block = [base + "Args:", *entries, ""]
    elif layout.style == "numpy":
        block = [base + "Parameters", base + "-" * len("Parameters"), *entries, ""]
    else:
        block = entries
    if at >= len(lines) - 1 and lines[-1].strip():
        raise Unrepairable("the docstring's first section shares a line with its quotes")
    return Repair((*lines[:at], *block, *lines[at:]), at, at, ())
