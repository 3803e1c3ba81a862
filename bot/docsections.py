"""Where a docstring's sections are: spans of the author's lines, by kind, in its own style.

The opt-in stale checks (``stalechecks``) read whether a Returns, Yields or Raises section
is there; their repair (``sections_repair``) needs where each section and each Raises
entry is, and where the other sections sit, to cut, splice and place.  The reading
follows ``stalechecks.sections``: google titles and numpy titles at the docstring's base
indentation, sphinx fields starting a line at it, each a section of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.docentries import (
    GOOGLE_PARAMS,
    NUMPY_PARAMS,
    PARAM_KEYWORDS,
    DocStyle,
    body_of,
    last_text,
    numpy_title,
)
from bot.stalechecks import FIELD, GOOGLE_ANY_TITLE, NUMPY_KINDS, SPHINX_KINDS

RANK = {"params": 0, "returns": 1, "yields": 2, "raises": 3}
"""The order sections go in (google: Args, Returns/Yields, Raises; numpy: Parameters,
Returns, Yields, Raises; sphinx: ``:param``, ``:returns:``, ``:raises X:``)."""
_GOOGLE_KINDS = {**dict.fromkeys(GOOGLE_PARAMS, "params"), "Returns": "returns",
                 "Yields": "yields", "Raises": "raises", "Exceptions": "raises",
                 "Except": "raises"}  # fmt: skip
_SPHINX_PARAMS = PARAM_KEYWORDS | {"type"}
_SPHINX_TYPES = {"rtype": "returns", "ytype": "yields"}


@dataclass(frozen=True, slots=True)
class Item:
    """One Raises entry: the exception's name as pydoclint reads it, and its lines."""

    name: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Section:
    """A section (a sphinx field) on lines ``first..last`` (indices into the docstring)."""

    kind: str
    """``params``, ``returns``, ``yields``, ``raises``, or ``other``."""
    first: int
    last: int
    """Its last line that holds text."""
    items: tuple[Item, ...] = ()
    """Raises sections only: their entries."""


def read_sections(lines: Sequence[str], style: DocStyle) -> tuple[Section, ...]:
    """Every section of the docstring ``lines`` in ``style``, in order."""
    _, body = body_of(lines)
    if style == "google":
        return _google(body)
    if style == "numpy":
        return _numpy(body)
    return _sphinx(body)


def _google(body: Sequence[str]) -> tuple[Section, ...]:
    titles = [i for i, line in enumerate(body) if i and GOOGLE_ANY_TITLE.fullmatch(line)]
    found = []
    for n, start in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(body)
        end = next((i for i in range(start + 1, stop) if body[i][:1].strip()), stop)
        last = last_text(body, start, end)
        kind = _GOOGLE_KINDS.get(body[start].split(":", 1)[0], "other")
        items: tuple[Item, ...] = ()
        if kind == "raises" and last > start:
            first = next(i for i in range(start + 1, last + 1) if body[i].strip())
            indent = len(body[first]) - len(body[first].lstrip())
            heads = [
                i
                for i in range(first, last + 1)
                if body[i].strip() and len(body[i]) - len(body[i].lstrip()) == indent
            ]
            names = [body[i].strip().partition(":")[0].strip() for i in heads]
            items = _items(body, heads, names, last)
        found.append(Section(kind, start, last, items))
    return tuple(found)


def _numpy(body: Sequence[str]) -> tuple[Section, ...]:
    titles = [i for i in range(1, len(body) - 1) if numpy_title(body, i)]
    found = []
    for n, start in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(body)
        title = body[start].rstrip()
        kind = NUMPY_KINDS.get(title) or ("params" if title in NUMPY_PARAMS else "other")
        last = last_text(body, start + 1, stop)
        items: tuple[Item, ...] = ()
        if kind == "raises":
            heads = [i for i in range(start + 2, last + 1) if body[i][:1].strip()]
            items = _items(body, heads, [body[i].strip() for i in heads], last)
        found.append(Section(kind, start, last, items))
    return tuple(found)


def _sphinx(body: Sequence[str]) -> tuple[Section, ...]:
    starts = [i for i, line in enumerate(body) if i and line.startswith(":") and FIELD.match(line)]
    found = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(body)
        end = next((i for i in range(start + 1, stop) if body[i][:1].strip()), stop)
        last = last_text(body, start, end)
        match = FIELD.match(body[start])
        assert match is not None
        words = match.group(1).split()
        keyword = words[0] if words else ""
        kind = SPHINX_KINDS.get(keyword) or _SPHINX_TYPES.get(keyword)
        if kind is None:
            kind = "params" if keyword in _SPHINX_PARAMS else "other"
        items: tuple[Item, ...] = ()
        if kind == "raises":
            items = (Item(sphinx_raised(words, match.group(2)), start, last),)
        found.append(Section(kind, start, last, items))
    return tuple(found)


def sphinx_raised(words: Sequence[str], rest: str) -> str:
    """The exception a ``:raises X:`` (or ``:raises: X: why``) field names, as pydoclint reads."""
    if len(words) > 1:
        return words[-1]
    head = rest.strip().split(":")
    return head[0].strip() if len(head) > 1 and " " not in head[0].strip() else ""


def _items(body: Sequence[str], heads: list[int], names: list[str], last: int) -> tuple[Item, ...]:
    bounds = [*heads[1:], last + 1]
    return tuple(
        Item(name, head, last_text(body, head, end))
        for head, end, name in zip(heads, bounds, names, strict=True)
    )
