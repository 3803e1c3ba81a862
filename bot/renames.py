"""A renamed parameter keeps its entry: which claims of a draft stand, and the proof of it.

A stale docstring's writer may say that a parameter new to the docstring is one it
documents under a name the signature lost (``ParamDoc.renamed_from``): ``timeout_s``
became ``timeout``.  The repair then keeps that entry, every word of it, and writes only
the new name in place of the old.  A claim is data from outside (a model, a cache entry)
and stands only when it names a removed entry that no other parameter claims, for a
parameter the docstring does not document yet; any other claim is refused (the model is
asked again) or, where a draft arrives already checked, counts as no claim at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.docentries import DocStyle, Layout, indentation, type_fields
from bot.model import Target
from bot.stale import documented_names, new_names

if TYPE_CHECKING:
    from bot.docmodel import DocstringDraft

_NAME = re.compile(r"\*{0,2}[A-Za-z_][A-Za-z0-9_]*")


class NotRenamed(ValueError):
    """The entry's first line does not hold its name where its style puts it."""


def removed_names(target: Target) -> list[str]:
    """The names a stale docstring documents that its signature lost: what may be claimed.

    An entry the repair pairs by itself (``args`` written for ``*args``) is no candidate,
    nor is a name that is not an identifier (the docstring's text is the author's).
    """
    expected = documented_names(target.params)
    bare = {name.lstrip("*") for name in expected}
    named = dict.fromkeys(n for f in target.findings for n in f.names)
    return [
        n for n in named if n not in expected and n.lstrip("*") not in bare and _NAME.fullmatch(n)
    ]


def claims(draft: DocstringDraft, target: Target) -> tuple[dict[str, str], list[str]]:
    """The claims that stand (old entry name -> new documented name) and, for the others,
    sentences for the model's repair round; they never repeat the model's own words."""
    if target.problem != "stale":
        return {}, []  # a new docstring has no old entry to keep: the field is unused
    allowed = removed_names(target)
    expected = documented_names(target.params)
    by_bare = {n.lstrip("*"): n for n in expected}
    # `*args` documented as `args` is paired by the repair itself: it is not new.
    paired = {n.lstrip("*") for f in target.findings for n in f.names if n not in expected}
    new = {n.lstrip("*") for n in new_names(target)} - paired
    taken: list[tuple[str, str]] = []
    problems: list[str] = []
    for param in draft.params:
        name = param.name.lstrip("*")
        if param.renamed_from is None or name not in new:
            continue  # an entry that should not be there at all has its own problem
        old = _resolve(param.renamed_from, allowed)
        if old is not None:
            taken.append((old, by_bare[name]))
        elif allowed:
            problems.append(
                f"renamed_from of {name} is not a removed name: set it to null or to one of"
                f" the names under 'may be renamed from' ({', '.join(allowed)})."
            )
        else:
            problems.append(f"Set renamed_from of {name} to null: no documented name was removed.")
    olds = Counter(old for old, _ in taken)
    takers = Counter(taker for _, taker in taken)
    for old, count in olds.items():
        if count > 1:
            who = ", ".join(dict.fromkeys(t.lstrip("*") for o, t in taken if o == old))
            problems.append(f"Only one parameter can be renamed from {old}; {who} all claim it.")
    stands = {old: taker for old, taker in taken if olds[old] == 1 and takers[taker] == 1}
    return stands, problems


def _resolve(value: str, allowed: Sequence[str]) -> str | None:
    if value in allowed:
        return value
    bare = [n for n in allowed if n.lstrip("*") == value.lstrip("*")]
    return bare[0] if len(bare) == 1 else None


def movable(layout: Layout, expected: Sequence[str], renames: Mapping[str, str]) -> dict[str, str]:
    """The ``renames`` that move an entry: from a name the signature lost to one it has
    that no entry documents yet."""
    written = {entry.name for entry in layout.params}
    bare = {name.lstrip("*") for name in written}
    return {
        old: new
        for old, new in renames.items()
        if old in written and old not in expected and new in expected
        if new.lstrip("*") not in bare
    }


def renamed_block(block: Sequence[str], old: str, new: str, layout: Layout) -> tuple[str, ...]:
    """An entry's lines naming ``new``: its first line, and a sphinx entry's ``:type`` field."""
    first = renamed_line(block[0], old, new, layout.style)
    rest = list(block[1:])
    if layout.style == "sphinx":
        rest = [_type_field(line, layout.base, old, new) or line for line in rest]
    return (first, *rest)


def retyped(lines: Sequence[str], base: str, moves: Mapping[str, str]) -> tuple[str, ...]:
    """Sphinx ``:type old:`` fields away from their entry, naming the new parameter too."""
    out = list(lines)
    for old, new in moves.items():
        for first, _ in type_fields(out, base, old):
            field = _type_field(out[first], base, old, new)
            if field is None:
                raise NotRenamed(f"cannot find {old!r} in its :type field")
            out[first] = field
    return tuple(out)


def renamed_line(line: str, old: str, new: str, style: DocStyle) -> str:
    """An entry's first line with its name ``old`` written ``new``, nothing else touched.

    The name is where the style puts it (``:param int x:``'s last word, a google or numpy
    entry's first): never another occurrence of the same word, like a parameter called
    ``param`` in ``:param param:``.
    """
    if style == "sphinx":
        opening = line.find(":")
        close = line.find(":", opening + 1)
        field = line[:close].rstrip() if opening >= 0 and close > opening else ""
        at = len(field) - len(old)
        ok = field.endswith(old) and (at == 0 or field[at - 1] in " \t:")
    else:
        at = len(indentation(line))
        after = line[at + len(old) : at + len(old) + 1]
        ok = line.startswith(old, at) and not (after.isalnum() or after == "_")
    if not ok:
        raise NotRenamed(f"cannot find {old!r} where its entry names it")
    return line[:at] + new + line[at + len(old) :]


def _type_field(line: str, base: str, old: str, new: str) -> str | None:
    found = re.match(re.escape(base) + r"(:type[ \t]+)" + re.escape(old) + r"[ \t]*:", line)
    if found is None:
        return None
    return line[: found.end(1)] + new + line[found.end(1) + len(old) :]


def keeps_words(block: Sequence[str], old: str, new: str, lines: Sequence[str]) -> bool:
    """Whether ``lines`` hold the entry ``block`` renamed in place: line for line the same,
    but for ``old`` written ``new`` once in its first line (and in a ``:type`` field)."""
    size = len(block)
    for start in range(len(lines) - size + 1):
        window = lines[start : start + size]
        if window[0] != block[0] and all(
            _same_but_name(a, b, old, new) for a, b in zip(block, window, strict=True)
        ):
            return True
    return False


def _same_but_name(before: str, after: str, old: str, new: str) -> bool:
    if before == after:
        return True
    at = before.find(old)
    while at >= 0:
        if before[:at] + new + before[at + len(old) :] == after:
            return True
        at = before.find(old, at + 1)
    return False
