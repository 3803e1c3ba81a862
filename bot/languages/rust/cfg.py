"""``#[cfg(...)]`` as a plain build of the crate sees it: default features, Linux, no tests.

rustc's ``missing_docs`` only sees items the build compiles, so an item behind a disabled
feature or ``#[cfg(test)]`` is never a target.  The predicate is read from the attribute's
text and decided for what ``cargo build`` on a Linux x86_64 runner compiles: the crate's
default features (from ``Cargo.toml``), ``unix``, ``debug_assertions``; any other name
is off, as rustc treats an unknown cfg.
"""

from __future__ import annotations

import re
import tomllib

_TOKEN = re.compile(
    r'\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<p>[(),=]))'
)
_ON = frozenset({"unix", "debug_assertions"})
_VALUES = {
    "target_os": "linux",
    "target_family": "unix",
    "target_arch": "x86_64",
    "target_pointer_width": "64",
    "target_endian": "little",
    "target_env": "gnu",
    "panic": "unwind",
}


def default_features(cargo_toml: str | None) -> frozenset[str]:
    """The features ``cargo build`` turns on: ``default`` and what it implies."""
    if not cargo_toml:
        return frozenset()
    try:
        table = tomllib.loads(cargo_toml).get("features", {})
    except tomllib.TOMLDecodeError:
        return frozenset()
    on: set[str] = set()
    pending = list(table.get("default", []))
    while pending:
        feature = str(pending.pop())
        if feature in on or "/" in feature or feature.startswith("dep:"):
            continue
        on.add(feature)
        pending.extend(table.get(feature, []))
    return frozenset(on)


def enabled(predicate: str, features: frozenset[str]) -> bool:
    """Whether ``predicate`` (the text inside ``cfg(...)``) holds; unreadable text holds,
    so docbot rather asks too much than hides an item."""
    tokens = [(m.lastgroup, m.group(m.lastgroup or "p")) for m in _TOKEN.finditer(predicate)]
    try:
        value, rest = _expr(tokens, features)
    except (IndexError, ValueError):
        return True
    return value if not rest else True


def _expr(
    tokens: list[tuple[str | None, str]], features: frozenset[str]
) -> tuple[bool, list[tuple[str | None, str]]]:
    kind, text = tokens[0]
    if kind != "name":
        raise ValueError(text)
    rest = tokens[1:]
    if text in ("all", "any", "not") and rest and rest[0][1] == "(":
        values, rest = _list(rest[1:], features)
        if text == "not":
            return (not values[0]) if len(values) == 1 else True, rest
        return (all(values) if text == "all" else any(values)), rest
    if rest and rest[0][1] == "=":
        value = rest[1][1].strip('"')
        if text == "feature":
            return value in features, rest[2:]
        return _VALUES.get(text) == value, rest[2:]
    return text in _ON, rest


def _list(
    tokens: list[tuple[str | None, str]], features: frozenset[str]
) -> tuple[list[bool], list[tuple[str | None, str]]]:
    values: list[bool] = []
    while tokens[0][1] != ")":
        value, tokens = _expr(tokens, features)
        values.append(value)
        if tokens[0][1] == ",":
            tokens = tokens[1:]
    return values, tokens[1:]
