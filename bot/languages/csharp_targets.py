"""A C# syntax tree -> the declarations the compiler's CS1591 reports as missing XML docs.

CS1591 ("Missing XML comment for publicly visible type or member") asks a doc comment of
every type and member visible outside the assembly, checked against Mono's ``mcs -doc``:

- Types (class, struct, interface, enum, record, delegate) and members: methods,
  constructors, properties, indexers, events, fields and constants, operators and
  conversions, enum members.  Overrides too (unlike Java's checkstyle).
- Visible: declared ``public``, ``protected`` or ``protected internal`` (and, as mcs
  has it, ``private protected``), inside types that are all visible.  Without a
  modifier a top-level type is internal, a member private; interface members are
  public, enum members as visible as their enum.  Explicit interface implementations
  (``void IDisposable.Dispose()``) and static constructors are never visible;
  finalizers (``~Foo()``) are protected, so they are.
- Documented: a ``///`` or ``/** */`` comment before the declaration and its
  attributes, other comments, blank lines and directives in between allowed.  A doc
  comment between the attributes and the declaration documents nothing.
- ``#pragma warning disable 1591`` (or ``CS1591``, or all warnings) up to its ``restore``
  silences the warning at the lines in between.
- The report line is the name's line (``operator``, ``this`` for operators, indexers).
  A field or event declaration with several names is one target keyed by the first:
  one comment documents all of them for the C# compiler (mcs documents only the first).

Code in every ``#if`` branch counts: the build's symbols are not known from a diff.  A
file with error nodes is still scanned, declarations overlapping an error left out:
tree-sitter's C# grammar errs on ``#if`` branches that split a declaration, which the
compiler accepts (Mono.Cecil's ``Symbols.cs``), so skipping such files would lose targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from bot.languages.declared import (
    Finding,
    header_end,
    line_indent,
    nodes_of,
    source_of,
    text_of,
    thrown_types,
)
from bot.model import Param, TargetKind

TYPES = frozenset(
    {
        "class_declaration",
        "struct_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "record_struct_declaration",
        "delegate_declaration",
    }
)
MEMBERS = frozenset(
    {
        "method_declaration",
        "constructor_declaration",
        "destructor_declaration",
        "property_declaration",
        "indexer_declaration",
        "event_declaration",
        "event_field_declaration",
        "field_declaration",
        "operator_declaration",
        "conversion_operator_declaration",
        "enum_member_declaration",
    }
)
_CONTAINERS = frozenset(
    {
        "compilation_unit",
        "declaration_list",
        "namespace_declaration",
        "file_scoped_namespace_declaration",
        "enum_member_declaration_list",
        "preproc_if",
        "preproc_elif",
        "preproc_else",
        "preproc_ifdef",
    }
)
_RETURNING = frozenset(
    {
        "method_declaration",
        "delegate_declaration",
        "operator_declaration",
        "conversion_operator_declaration",
    }
)
"""Declarations documented with ``<returns>`` (properties and indexers take ``<value>``)."""
_VISIBLE = frozenset({"public", "protected"})
_PRAGMA = re.compile(rb"#\s*pragma\s+warning\s+(disable|restore)\b([^\n]*)")
_CODES = re.compile(rb"\b(?:CS)?0*(\d+)\b")


@dataclass(frozen=True)
class _Scope:
    qualname: str
    visible: bool
    """Every enclosing type is visible outside the assembly."""
    parent: str
    """The node type of the enclosing type (``""`` at namespace level)."""


def findings(tree: tree_sitter.Tree, src: bytes) -> list[Finding]:
    """Every declaration of the file CS1591 reports, in line order."""
    lines = src.split(b"\n")
    silenced = _silenced(tree, src)
    found: list[tuple[Finding, str | None]] = []
    partial_documented: set[str] = set()
    stack: list[tuple[tree_sitter.Node, _Scope]] = [(tree.root_node, _Scope("", True, ""))]
    while stack:
        node, scope = stack.pop()
        if node.type in _CONTAINERS:
            stack.extend((child, scope) for child in node.named_children)
            continue
        if node.type not in TYPES and node.type not in MEMBERS:
            continue
        visible = scope.visible and _visible(node, scope.parent)
        if node.type in TYPES:
            body = node.child_by_field_name("body")
            name = text_of(node.child_by_field_name("name"))
            inner = _Scope(_join(scope.qualname, name), visible, node.type)
            if body is not None:
                stack.append((body, inner))
        if not visible or node.has_error:
            continue
        partial = _partial_key(node, scope)
        if _documented(node):
            if partial is not None:
                partial_documented.add(partial)
            continue
        report = _report_node(node)
        if report is None or any(a < report.start_point[0] + 1 < b for a, b in silenced):
            continue
        found.append((_finding(node, report, scope, src, lines), partial))
    return _one_per_partial_type(found, partial_documented)


def _partial_key(node: tree_sitter.Node, scope: _Scope) -> str | None:
    """A partial type's name and arity, which all its parts share; ``None`` for any other
    declaration.  ``C``, ``C<T>`` and ``C<T, U>`` are three types, each reported."""
    if node.type not in TYPES or "partial" not in _modifiers(node):
        return None
    lists = [child for child in node.named_children if child.type == "type_parameter_list"]
    arity = lists[0].named_child_count if lists else 0
    return f"{_join(scope.qualname, text_of(node.child_by_field_name('name')))}`{arity}"


def _one_per_partial_type(
    found: list[tuple[Finding, str | None]], documented: set[str]
) -> list[Finding]:
    """A partial type is reported once, at its first part, and not at all when one of its
    parts (in this file: docbot sees no others) has a doc comment."""
    kept: list[Finding] = []
    seen: set[str] = set()
    for finding, partial in sorted(found, key=lambda pair: pair[0].line):
        if partial is not None:
            if partial in documented or partial in seen:
                continue
            seen.add(partial)
        kept.append(finding)
    return kept


def _join(qualname: str, name: str) -> str:
    return f"{qualname}.{name}" if qualname else name


def _modifiers(node: tree_sitter.Node) -> set[str]:
    return {text_of(child) for child in node.children if child.type == "modifier"}


def _visible(node: tree_sitter.Node, parent: str) -> bool:
    if node.type in ("enum_member_declaration", "destructor_declaration"):
        return True  # as visible as their type (a finalizer is protected)
    if any(child.type == "explicit_interface_specifier" for child in node.children):
        return False
    modifiers = _modifiers(node)
    if modifiers & _VISIBLE:
        return True
    if node.type == "constructor_declaration" and "static" in modifiers:
        return False
    return parent == "interface_declaration" and not modifiers & {"private", "internal"}


def _documented(node: tree_sitter.Node) -> bool:
    """A doc comment before the declaration, past other comments and directives."""
    previous = node.prev_sibling
    while previous is not None and (
        previous.type == "comment" or previous.type.startswith("preproc")
    ):
        text = previous.text or b""
        if previous.type == "comment" and (
            text.startswith(b"///") or (text.startswith(b"/**") and not text.startswith(b"/**/"))
        ):
            return True
        previous = previous.prev_sibling
    return False


def _report_node(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The node whose line the compiler reports: the (first) name, else the keyword."""
    if node.type in ("field_declaration", "event_field_declaration"):
        declaration = next(
            (c for c in node.named_children if c.type == "variable_declaration"), None
        )
        declarator = None
        if declaration is not None:
            declarator = next(
                (c for c in declaration.named_children if c.type == "variable_declarator"), None
            )
        return None if declarator is None else declarator.child_by_field_name("name") or declarator
    name = node.child_by_field_name("name")
    if name is not None:
        return name
    keywords = ("operator", "this")
    return next((c for c in node.children if c.type in keywords), None)


def _silenced(tree: tree_sitter.Tree, src: bytes) -> list[tuple[int, int]]:
    """1-based line ranges ``(after, before)`` where ``#pragma warning disable`` turned
    CS1591 off: lines strictly between a disable and the next restore (or the end)."""
    pragmas: list[tuple[int, bool]] = []
    if b"pragma" not in src:  # most files: no query over the whole tree
        return []
    for node in nodes_of(tree, "preproc_pragma"):
        match = _PRAGMA.search(node.text or b"")
        if match is not None:
            codes = {int(code) for code in _CODES.findall(match[2].split(b"//")[0])}
            if not codes or 1591 in codes:
                pragmas.append((node.start_point[0] + 1, match[1] == b"disable"))
    if not pragmas:
        return []
    pragmas.sort()
    ends = [line for line, _ in pragmas[1:]] + [1 << 30]
    return [(line, end) for (line, disable), end in zip(pragmas, ends, strict=True) if disable]


def _finding(
    node: tree_sitter.Node,
    report: tree_sitter.Node,
    scope: _Scope,
    src: bytes,
    lines: list[bytes],
) -> Finding:
    name = name_of(node) or ""
    body = node.child_by_field_name("body")
    if node.type in ("property_declaration", "indexer_declaration", "event_declaration"):
        body = node.child_by_field_name("accessors") or node.child_by_field_name("value")
    start = node.start_point[0] + 1
    params = _type_params(node) + _params(node)
    returns = None
    raises: tuple[str, ...] = ()
    if node.type in TYPES and node.type != "delegate_declaration":
        kind = TargetKind.NESTED_CLASS if scope.parent else TargetKind.CLASS
    else:
        kind = (
            TargetKind.CLASS
            if node.type == "delegate_declaration" and not scope.parent
            else (
                TargetKind.NESTED_CLASS
                if node.type == "delegate_declaration"
                else TargetKind.METHOD
            )
        )
        result = node.child_by_field_name("returns") or node.child_by_field_name("type")
        if node.type in _RETURNING and result is not None and text_of(result) != "void":
            returns = text_of(result)
        raises = tuple(thrown_types(body, "throw_statement"))
    return Finding(
        qualname=_join(scope.qualname, name),
        kind=kind,
        line=report.start_point[0] + 1,
        header_end=max(header_end(node, body), report.start_point[0] + 1),
        end_line=node.end_point[0] + 1,
        indent=line_indent(lines, start),
        params=params,
        returns=returns,
        raises=raises,
        source=source_of(src, node),
        anchor=start,
    )


def _type_params(node: tree_sitter.Node) -> tuple[Param, ...]:
    found = node.child_by_field_name("type_parameters")
    if found is None:
        return ()
    names = [text_of(p.child_by_field_name("name")) for p in found.named_children]
    return tuple(Param(f"<{name.removeprefix('@')}>", "positional") for name in names if name)


def _params(node: tree_sitter.Node) -> tuple[Param, ...]:
    found = node.child_by_field_name("parameters")
    if found is None:
        found = next((c for c in node.named_children if c.type == "bracketed_parameter_list"), None)
    if found is None:
        return ()
    params = []
    previous: tree_sitter.Node | None = None
    for param in found.named_children:
        if param.type == "parameter":
            name = text_of(param.child_by_field_name("name"))
            kind = text_of(param.child_by_field_name("type"))
        elif param.type == "identifier" and previous is not None:  # `params T[] name`
            name, kind = text_of(param), "params " + text_of(previous)
        else:
            name, kind = "", ""
        previous = param
        if name:  # `@namespace` is the parameter `namespace` (a verbatim identifier)
            params.append(Param(name.removeprefix("@"), "positional", kind or None))
    return tuple(params)


def name_of(node: tree_sitter.Node) -> str | None:
    """The name a declaration is reported under (its first name, ``operator``, ``this``)."""
    if node.type not in TYPES and node.type not in MEMBERS:
        return None
    report = _report_node(node)
    if report is None:
        return None
    return ("~" if node.type == "destructor_declaration" else "") + text_of(report)
