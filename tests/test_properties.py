"""Properties over random modules: suggestions always apply safely and document their target.

Modules come from a small grammar of defs, async defs, classes, decorators, multi-line
headers, one-liners, comments, existing docstrings, tabs or spaces and LF or CRLF.
"""

from __future__ import annotations

import ast
import importlib.util

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.literal import runtime_value
from bot.model import Target, TargetKind
from bot.suggest import apply, check_safe, suggest
from tests.targets_by_hand import LINE, targets_by_hand

NAMES = st.sampled_from(["f", "get_user", "Thing", "_private", "HTTPClient", "run", "__init__"])
PARAMS = st.sampled_from(
    ["", "self", "a, b=1", "*args, **kwargs", "x: int = 2, *, y: str = ':'", "f=lambda q: q"]
)
SIMPLE = st.sampled_from(
    ["x = 1", "pass", 'print("a:b")', "# a comment", "", "y = {'k': [1, 2]}", "return 1"]
)
ONE_LINER_BODIES = st.sampled_from(
    ["return 1", "pass", "a = 1; return a", "...", "yield 2", "return x  # noqa"]
)
EXAMPLES = 120


@st.composite
def header(draw: st.DrawFn, indent: str, unit: str, keyword: str) -> list[str]:
    name = draw(NAMES)
    if keyword == "class":
        bases = draw(st.sampled_from(["", "(Base)", "(Base, metaclass=M)"]))
        return [f"{indent}class {name}{bases}:"]
    params = draw(PARAMS)
    returns = draw(st.sampled_from(["", " -> int", " -> dict[str, 'int']"]))
    if not draw(st.booleans()):
        return [f"{indent}{keyword} {name}({params}){returns}:"]
    hanging = draw(st.sampled_from([indent + unit * 2, " " * 7, ""]))
    middle = [hanging + part.strip() + "," for part in params.split(",") if part.strip()]
    return [f"{indent}{keyword} {name}(", *middle, f"{indent}){returns}:"]


@st.composite
def definition(draw: st.DrawFn, indent: str, unit: str, depth: int) -> list[str]:
    keyword = draw(st.sampled_from(["def", "async def", "class"]))
    decorators = draw(st.lists(st.sampled_from(["@dec", "@dec(1, key=':')"]), max_size=2))
    lines = [indent + line for line in decorators] + draw(header(indent, unit, keyword))
    if draw(st.integers(0, 3)) == 0:
        return [*lines[:-1], lines[-1] + " " + draw(ONE_LINER_BODIES)]
    if draw(st.booleans()):
        lines[-1] += "  # trailing: comment"
    inner = indent + unit
    if draw(st.integers(0, 4)) == 0:
        lines.append(inner + '"""Already documented."""')
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["", inner + "# first a comment", "# at column 0"])))
    return lines + draw(block(inner, unit, depth + 1))


@st.composite
def block(draw: st.DrawFn, indent: str, unit: str, depth: int) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["simple", "definition", "if"] if depth < 3 else ["simple"]))
        if kind == "definition":
            lines += draw(definition(indent, unit, depth))
        elif kind == "if":
            lines += [indent + "if x:", *draw(block(indent + unit, unit, depth + 1))]
        else:
            lines.append(indent + draw(SIMPLE) if depth else "x = 1")
    # a block needs one statement; comments and blank lines do not count
    return [*lines, indent + "pass"]


@st.composite
def modules(draw: st.DrawFn) -> str:
    unit = draw(st.sampled_from(["    ", "\t", "  "]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    lines = draw(block("", unit, 0))
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(["#!/usr/bin/env python", "# -*- coding: utf-8 -*-"])))
    text = eol.join(lines) + draw(st.sampled_from([eol, ""]))
    ast.parse(text)  # the grammar only makes valid modules
    return text


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def docstrings_in_order(source: str) -> list[tuple[int, str | None]]:
    """(line, docstring) of the module and each definition, in ast.walk order."""
    found: list[tuple[int, str | None]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            line = node.lineno if isinstance(node, DEFINITIONS) else 0
            found.append((line, ast.get_docstring(node, clean=False)))
    return found


def assert_documents_all(source: str, targets: list[Target], texts: list[str]) -> None:
    suggestions = [
        suggest(target, source, text) for target, text in zip(targets, texts, strict=True)
    ]
    # A module docstring and a definition on line 1 both replace line 1: one must give way,
    # as in a real review.  Keep the first of any overlapping pair.
    kept: dict[int, tuple[Target, str]] = {}
    taken: set[int] = set()
    for target, text, suggestion in zip(targets, texts, suggestions, strict=True):
        span = set(range(suggestion.start_line, suggestion.end_line + 1))
        if taken.isdisjoint(span):
            taken |= span
            kept[id(suggestion)] = (target, text)
    modified = apply(source, [s for s in suggestions if id(s) in kept])
    check_safe(source, modified)
    expected = {
        (0 if target.kind is TargetKind.MODULE else target.line): runtime_value(
            text, target.body_indent
        )
        for target, text in kept.values()
    }
    # the two trees have the same shape, so walk order pairs each definition with itself
    for (line, old), (_, new) in zip(
        docstrings_in_order(source), docstrings_in_order(modified), strict=True
    ):
        assert new == expected.get(line, old)


HOSTILE_TEXT = st.lists(
    st.text(max_size=6) | st.sampled_from(['"', '"""', "\\", "\\N{BULLET}", "\t", "\r", "\n"]),
    max_size=8,
).map("".join)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.data())
def test_every_suggestion_applies_safely_and_documents_its_target(
    source: str, data: st.DataObject
) -> None:
    targets = targets_by_hand(source, module=True)
    texts = data.draw(st.lists(HOSTILE_TEXT, min_size=len(targets), max_size=len(targets)))
    assert_documents_all(source, targets, texts)


HAS_SCAN = importlib.util.find_spec("bot.targets") is not None


@pytest.mark.skipif(not HAS_SCAN, reason="bot.targets (the scan) is not written yet")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.data())
def test_scan_never_crashes_and_its_targets_take_suggestions(
    source: str, data: st.DataObject
) -> None:
    from bot.targets import TargetOptions, scan

    count = len(LINE.findall(source))
    added = data.draw(st.frozensets(st.integers(1, max(count, 1))))
    options = TargetOptions(
        scope=data.draw(st.sampled_from(["signature", "touched"])),
        include_private=data.draw(st.booleans()),
        include_magic=True,
        include_init=True,
        include_modules=data.draw(st.booleans()),
    )
    targets = list(scan("pkg/mod.py", source, added, options).targets)
    if options.scope == "signature":
        for target in targets:
            header = range(target.line, target.header_end + 1)
            assert target.kind is TargetKind.MODULE or not added.isdisjoint(header)
    assert_documents_all(source, targets, ["Summary.\n\nMore."] * len(targets))
