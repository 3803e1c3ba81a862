"""Where a written docstring documents its parameters: style, sections and entry lines.

Read the way pydoclint's parser (docstring_parser) reads each style, so that findings
agree with it: google titles (``Args:``) and numpy titles (``Parameters`` over a dash
line of the title's length) sit at the docstring's base indentation; sphinx fields
(``:param x:``) start a line at it.  Nothing here composes text: entries are spans of
the author's own lines, which ``repair.py`` cuts and splices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

DocStyle = Literal["google", "numpy", "sphinx"]

GOOGLE_PARAMS = ("Arguments", "Args", "Parameters", "Params")
_GOOGLE_TITLES = (*GOOGLE_PARAMS, "Raises", "Exceptions", "Except", "Attributes", "Example",
                  "Examples", "Returns", "Yields")  # fmt: skip
_GOOGLE_MULTI = (*GOOGLE_PARAMS, "Raises", "Exceptions", "Except", "Attributes")
_GOOGLE_TITLE = re.compile(r"(" + "|".join(_GOOGLE_TITLES) + r"):[ \t\r\f\v]*")
_GOOGLE_TITLE_LINE = re.compile("^" + _GOOGLE_TITLE.pattern + "$", re.MULTILINE)
NUMPY_PARAMS = ("Parameters", "Params", "Arguments", "Args", "Other Parameters", "Other Params",
    "Other Arguments", "Other Args", "Receives", "Receive")  # fmt: skip
# Sections whose content makes a docstring more than a summary for pydoclint.
_NUMPY_COUNTED = (*NUMPY_PARAMS, "Raises", "Raise", "Warns", "Warn", "Attributes", "Attribute",
    "Returns", "Return", "Yields", "Yield", "Examples", "Example")  # fmt: skip
_NUMPY_OTHER = ("Warnings", "Warning", "See Also", "Related", "Notes", "Note", "References",
                "Reference", "Todo")  # fmt: skip
_NUMPY_TITLES = frozenset(_NUMPY_COUNTED + _NUMPY_OTHER)
_NUMPY_KV = frozenset(_NUMPY_COUNTED) - {"Examples", "Example"}
# The indentation of each line that holds more than whitespace.
_INDENTS = re.compile(r"^([ \t]*)(?=[^\n]*?\S)", re.MULTILINE)
_DASHES = re.compile(r"[ \t]*-{3,}[ \t]*")
_DEPRECATED = re.compile(r"\.\.\s*deprecated\s*::")
PARAM_KEYWORDS = frozenset({"param", "parameter", "arg", "argument", "key", "keyword"})
# docstring_parser reads ``:attr x:`` and ``:example:`` as plain fields, and ``:rtype:``
# alone as a Returns section.
_SPHINX_COUNTED = PARAM_KEYWORDS | {
    "raises", "raise", "except", "exception", "return", "returns", "rtype", "yield", "yields",
    "deprecation", "deprecated",
}  # fmt: skip
_FIELD = re.compile(r":([^:\n]*):")
_GOOGLE_TYPED = re.compile(r"\s*(.+?)\s*\(\s*(.*[^\s]+)\s*\)")


@dataclass(frozen=True, slots=True)
class Entry:
    """One documented parameter: lines ``first..last`` (indices into the docstring's lines)."""

    name: str
    """As pydoclint compares it: as written, backslashes removed, stars kept."""
    first: int
    last: int
    """Its last non-blank line (continuation lines included)."""
    typed: bool = False
    """The entry states a type (``x (int):``, ``x : int``, ``:param int x:``/``:type x:``)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """What a docstring's text says about its parameters, in its own style."""

    style: DocStyle
    sectioned: bool
    """More than a summary: pydoclint's ``skip-checking-short-docstrings`` passes it over
    otherwise."""
    params: tuple[Entry, ...]
    base: str
    """The indentation of section titles and (sphinx) fields."""
    section: tuple[int, int] | None = None
    """The parameter section's title line and its last line (google, numpy)."""
    first_section: int | None = None
    """The first line of the first section or field: where a new parameter section goes."""
    unreadable: str | None = None
    """Why pydoclint could not parse it (it then reports DOC001 and checks no arguments)."""


def indentation(line: str) -> str:
    """The line's leading spaces and tabs."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def base_indent(lines: Sequence[str]) -> str:
    """What ``inspect.cleandoc`` removes: the smallest indentation after the first line."""
    rest = _INDENTS.findall("\n".join(lines[1:]))
    return min(rest, key=len) if rest else ""


def body_of(lines: Sequence[str]) -> tuple[str, list[str]]:
    """The base indentation and the lines without it (the first line stripped): the text
    every style's titles and fields are read from."""
    base = base_indent(lines)
    if base:
        body = [line[len(base) :] if line.startswith(base) else line.lstrip() for line in lines]
    else:
        body = list(lines)
    body[0] = lines[0].strip()
    return base, body


def read(lines: Sequence[str]) -> Layout | None:
    """The layout of a docstring given as its lines (the first holds the summary).

    ``None`` when no section of any style shows: such a docstring is never stale.  One
    that opens with a section or field (no summary) is checked whatever its sections
    hold: pydoclint passes over only docstrings with a description and no section.
    """
    return _read(tuple(lines))


# The repair reads again the docstring the scan read: a Layout is frozen, so the scan's
# can be reused.  Sized for a large change: fanned out, a repair runs in the scan's worker
# process about as often as not, and finds the layout there if it is still held.
@lru_cache(maxsize=8192)
def _read(lines: tuple[str, ...]) -> Layout | None:
    base, body = body_of(lines)
    # Searches over the joined text first: most docstrings show no title of a style, and
    # one C-speed search each spares a Python pass over their lines (the detect benchmark).
    rest = "\n".join(body[1:])
    if "---" in rest and any(numpy_title(body, i) for i in range(len(body) - 1)):
        return _numpy(body, base)
    if (body[0].startswith(":") or rest.startswith(":") or "\n:" in rest) and any(
        line.startswith(":") and _FIELD.match(line) for line in body
    ):
        return _sphinx(body, base)
    if _GOOGLE_TITLE.fullmatch(body[0]) or _GOOGLE_TITLE_LINE.search(rest):
        layout = _google(body, base)
        return _google_title_first(body, layout)
    return None


def _google_title_first(body: Sequence[str], layout: Layout) -> Layout:
    """A docstring that opens with a title, ``Args:`` on the quotes' next line.

    pydoclint cleans the text twice (``ast.get_docstring``, then docstring_parser): the
    second pass moves every line after the title left by their common indentation, so
    the entries land at the title's column and the section reads as empty (DOC001).
    """
    if body[0].strip():
        return layout
    texts = [i for i, line in enumerate(body) if line.strip()]
    if not texts or not _GOOGLE_TITLE.fullmatch(body[texts[0]]):
        return layout
    title = body[texts[0]].split(":", 1)[0]
    rest = [line for line in body[texts[0] + 1 :] if line.strip()]
    if title in _GOOGLE_MULTI and rest and all(line[:1].isspace() for line in rest):
        unreadable = f"nothing under {title}: once pydoclint has dedented the docstring"
        return replace(layout, unreadable=unreadable)
    return layout


# -- google -----------------------------------------------------------------------------------


def _google(body: list[str], base: str) -> Layout:
    titles = [i for i, line in enumerate(body) if _GOOGLE_TITLE.fullmatch(line)]
    sectioned = bool(titles) and titles[0] == _lead(body)
    params: list[Entry] = []
    section: tuple[int, int] | None = None
    unreadable = None
    for n, start in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(body)
        title = body[start].split(":", 1)[0]
        # docstring_parser ends a section at the first line back at the base indentation.
        end = next((i for i in range(start + 1, stop) if body[i][:1].strip()), stop)
        last = last_text(body, start, end)
        if last == start:
            if title in _GOOGLE_MULTI:
                unreadable = f"nothing under {title}: at the entries' indentation"
            continue
        sectioned = True
        if title not in GOOGLE_PARAMS or section is not None:
            if title in GOOGLE_PARAMS:  # a second Args section: docstring_parser keeps the last
                params.clear()
            else:
                continue
        section = (start, last)
        items = _items(body, start + 1, last)
        for first, item_last in items:
            spec, colon, _ = body[first].strip().partition(":")
            if not colon:
                unreadable = f"an entry without a colon: {body[first].strip()!r}"
                continue
            typed = _GOOGLE_TYPED.fullmatch(spec)
            name = typed.group(1) if typed else spec.strip()
            params.append(Entry(_clean(name), first, item_last, typed is not None))
    return Layout(
        "google",
        sectioned,
        tuple(params),
        base,
        section,
        titles[0] if titles else None,
        unreadable,
    )


def _items(body: Sequence[str], start: int, last: int) -> list[tuple[int, int]]:
    """Entries of a section body: lines at the first entry's indentation start one."""
    first = next(i for i in range(start, last + 1) if body[i].strip())
    indent = indentation(body[first])
    n = len(indent)
    starts = [
        i
        for i in range(first, last + 1)
        if body[i][n : n + 1] not in ("", " ", "\t") and body[i].startswith(indent)
        if body[i].strip()
    ]
    bounds = [*starts[1:], last + 1]
    return [(s, last_text(body, s, e)) for s, e in zip(starts, bounds, strict=True)]


# -- numpy ------------------------------------------------------------------------------------


def numpy_title(body: Sequence[str], i: int) -> bool:
    """Line ``i`` is a numpy section title: a known name over dashes of its length."""
    title = body[i].rstrip()
    return title in _NUMPY_TITLES and body[i + 1].rstrip() == "-" * len(title)


def _numpy(body: list[str], base: str) -> Layout:
    titles = [i for i in range(len(body) - 1) if numpy_title(body, i)]
    opens = bool(titles) and titles[0] == _lead(body)
    sectioned = opens or any(_DEPRECATED.match(line) for line in body)
    params: list[Entry] = []
    section = None
    unreadable = _unsupported_title(body)
    for n, start in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(body)
        title = body[start].rstrip()
        last = last_text(body, start + 1, stop)
        if last == start + 1:
            continue
        sectioned = sectioned or title in _NUMPY_COUNTED
        if title in _NUMPY_KV and not any(body[i][:1].strip() for i in range(start + 2, last + 1)):
            unreadable = f"section {title!r} holds no entry at its title's indentation"
        if title not in NUMPY_PARAMS:
            continue
        if section is None or title in ("Parameters", "Params", "Arguments", "Args"):
            section = (start, last) if section is None else section
        starts = [i for i in range(start + 2, last + 1) if body[i][:1].strip()]
        bounds = [*starts[1:], last + 1][: len(starts)]
        for first, end in zip(starts, bounds, strict=True):
            name, colon, kind = body[first].partition(":")
            typed = bool(colon and kind.strip())
            params.append(Entry(_clean(name.strip()), first, last_text(body, first, end), typed))
    first_section = titles[0] if titles else None
    return Layout("numpy", sectioned, tuple(params), base, section, first_section, unreadable)


def _unsupported_title(body: Sequence[str]) -> str | None:
    """pydoclint refuses a numpy docstring with a dash-underlined title it does not know."""
    for i in range(1, len(body) - 1):
        title = body[i].strip()
        known = title in _NUMPY_TITLES or title == "deprecated"
        if title and not title.endswith(":") and _DASHES.fullmatch(body[i + 1]) and not known:
            return f"unsupported numpy section {title!r}"
    return None


# -- sphinx -----------------------------------------------------------------------------------


def _sphinx(body: list[str], base: str) -> Layout:
    starts = [i for i, line in enumerate(body) if line.startswith(":") and _FIELD.match(line)]
    bounds = [*starts[1:], len(body)][: len(starts)]
    params: list[Entry] = []
    types: set[str] = set()
    sectioned = bool(starts) and starts[0] == _lead(body)
    unreadable = None
    for first, end in zip(starts, bounds, strict=True):
        match = _FIELD.match(body[first])
        assert match is not None
        words = match.group(1).split()
        if not words:
            continue
        keyword = words[0]
        named = len(words) in (2, 3) or keyword not in PARAM_KEYWORDS
        sectioned = sectioned or (keyword in _SPHINX_COUNTED and named)
        if keyword == "type" and len(words) == 2:
            types.add(_clean(words[1]))
        if keyword not in PARAM_KEYWORDS:
            continue
        if len(words) not in (2, 3):
            unreadable = f"a field docstring_parser cannot read: {match.group()!r}"
            continue
        last = last_text(body, first, _field_end(body, first, end))
        params.append(Entry(_clean(words[-1]), first, last, len(words) == 3))
    params = [Entry(e.name, e.first, e.last, e.typed or e.name in types) for e in params]
    # A field on the quotes' line leaves the next field's line for new entries.
    first_section = next((i for i in starts if i), None)
    return Layout("sphinx", sectioned, tuple(params), base, None, first_section, unreadable)


def _field_end(body: Sequence[str], first: int, end: int) -> int:
    """Where a field's own text stops: at a blank line followed by base-indented prose."""
    for i in range(first + 1, end):
        if body[i][:1].strip():
            return i
    return end


def type_fields(lines: Sequence[str], base: str, name: str) -> list[tuple[int, int]]:
    """Line spans of sphinx ``:type name:`` fields (they go with the parameter)."""
    body = [line[len(base) :] if line.startswith(base) else line.lstrip() for line in lines]
    spans: list[tuple[int, int]] = []
    for i, line in enumerate(body):
        match = _FIELD.match(line) if i and line.startswith(":") else None
        words = match.group(1).split() if match else []
        if len(words) == 2 and words[0] == "type" and _clean(words[1]) == name:
            end = next((j for j in range(i + 1, len(body)) if body[j][:1].strip()), len(body))
            spans.append((i, last_text(body, i, end)))
    return spans


# -- shared -----------------------------------------------------------------------------------


def _lead(body: Sequence[str]) -> int:
    """The first line that holds text: where a docstring without a summary opens a section."""
    return next((i for i, line in enumerate(body) if line.strip()), len(body))


def last_text(body: Sequence[str], start: int, stop: int) -> int:
    """The last line before ``stop`` that holds text (``start`` when none does)."""
    for i in range(stop - 1, start, -1):
        if body[i].strip():
            return i
    return start


def _clean(name: str) -> str:
    # pydoclint drops backslashes (``\\*\\*kwargs`` and ``arg\\_`` are escaped for Sphinx).
    return name.replace("\\", "")
