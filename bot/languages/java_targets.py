"""A Java syntax tree -> the declarations checkstyle would report as missing Javadoc.

The oracle is checkstyle's ``MissingJavadocType`` and ``MissingJavadocMethod`` with
``scope=public``, ``minLineCount=-2`` (every method, one-liners too) and ``@Override``
allowed to go without (its ``allowedAnnotations`` default), whose rules these are:

- Types (class, interface, enum, record, annotation) and methods, constructors,
  compact constructors and annotation elements; never fields or enum constants.
- A declaration's own scope is its modifier, and ``public`` for one without a modifier
  directly inside an interface or annotation body.  The scope of every enclosing type is
  read from its modifiers only: a class declared without ``public`` inside an interface
  is reported itself, but its public methods are not (checkstyle's quirk, kept).
- Members of anonymous classes and local classes are not public.  Types annotated
  ``@Generated`` are skipped (``MissingJavadocType``'s ``skipAnnotations`` default).
- Documented means: walking up from the declaration's first line (annotations
  included), past blank lines and ``//`` lines, the first other line is the last line of
  a ``/**`` comment (not ``/**/``).  So a Javadoc on the declaration's own line, or
  between its annotations, does not count, and neither does one above a ``/* */``.
- The report line is the declaration's first line, annotations included.

Files checkstyle cannot parse (``sealed``, ``non-sealed``, ``permits``) follow the same
rules; ``javac -Xdoclint:missing/public`` is the oracle there (tests/oracle_java.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from bot.languages.declared import (
    Finding,
    header_end,
    line_indent,
    source_of,
    text_of,
    thrown_types,
)
from bot.model import Param, TargetKind

TYPES = frozenset(
    {
        "class_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "annotation_type_declaration",
    }
)
METHODS = frozenset(
    {
        "method_declaration",
        "constructor_declaration",
        "compact_constructor_declaration",
        "annotation_type_element_declaration",
    }
)
_IMPLICITLY_PUBLIC_BODIES = frozenset({"interface_body", "annotation_type_body"})
_SCOPES = ("public", "protected", "private")
_ALLOWED = frozenset({"Override", "java.lang.Override"})
_SKIPPED_TYPES = frozenset({"Generated"})


@dataclass(frozen=True)
class _Context:
    qualname: str
    """Dotted names of the enclosing types."""
    public: bool
    """Every enclosing type is declared ``public`` by its modifiers."""
    body: str
    """The node type of the body the declaration sits in."""


def findings(tree: tree_sitter.Tree, src: bytes) -> list[Finding]:
    """Every declaration of the file checkstyle reports as missing Javadoc, in line order."""
    lines = src.split(b"\n")
    found: list[Finding] = []
    stack: list[tuple[tree_sitter.Node, _Context]] = [
        (child, _Context("", True, "program")) for child in tree.root_node.named_children
    ]
    while stack:
        node, ctx = stack.pop()
        if node.type in TYPES:
            stack.extend(_members(node, ctx))
        elif node.type not in METHODS:
            continue
        if not _reported(node, ctx):
            continue
        if node.has_error or _documented(node, tree.root_node, lines):
            continue
        found.append(_finding(node, ctx, src, lines))
    found.sort(key=lambda f: f.line)
    return found


def _members(node: tree_sitter.Node, ctx: _Context) -> list[tuple[tree_sitter.Node, _Context]]:
    body = node.child_by_field_name("body")
    if body is None:
        return []
    name = text_of(node.child_by_field_name("name"))
    inner = _Context(
        f"{ctx.qualname}.{name}" if ctx.qualname else name,
        ctx.public and _declared_scope(node) == "public",
        body.type,
    )
    children = list(body.named_children)
    for child in body.named_children:
        if child.type == "enum_body_declarations":
            children.extend(child.named_children)
    return [(child, inner) for child in children if child.type in TYPES or child.type in METHODS]


def _reported(node: tree_sitter.Node, ctx: _Context) -> bool:
    if not ctx.public:
        return False
    scope = _declared_scope(node)
    if scope == "package" and ctx.body in _IMPLICITLY_PUBLIC_BODIES:
        scope = "public"
    if scope != "public":
        return False
    names = _annotation_names(node)
    skipped = _SKIPPED_TYPES if node.type in TYPES else _ALLOWED
    return not (names & skipped)


def _modifiers(node: tree_sitter.Node) -> tree_sitter.Node | None:
    return next((c for c in node.children if c.type == "modifiers"), None)


def _declared_scope(node: tree_sitter.Node) -> str:
    modifiers = _modifiers(node)
    if modifiers is not None:
        for child in modifiers.children:
            if child.type in _SCOPES:
                return child.type
    return "package"


def _annotation_names(node: tree_sitter.Node) -> set[str]:
    modifiers = _modifiers(node)
    if modifiers is None:
        return set()
    return {
        text_of(child.child_by_field_name("name"))
        for child in modifiers.named_children
        if child.type in ("marker_annotation", "annotation")
    }


def _documented(node: tree_sitter.Node, root: tree_sitter.Node, lines: list[bytes]) -> bool:
    """checkstyle's test: the first line above that is neither blank nor a ``//`` line
    is the last line of a ``/**`` comment (the tree says which ``*/`` ends one)."""
    line = node.start_point[0]  # the 1-based number of the line above
    while line > 0:
        text = lines[line - 1].strip()
        if text and not text.startswith(b"//"):
            break
        line -= 1
    if line == 0:
        return False
    text, column = lines[line - 1], -1
    while (column := text.find(b"*/", column + 1)) != -1:
        found = root.descendant_for_point_range((line - 1, column), (line - 1, column + 2))
        if found is not None and found.type == "block_comment" and found.end_point[0] == line - 1:
            body = found.text or b""
            if body.startswith(b"/**") and not body.startswith(b"/**/"):
                return True
    return False


def _finding(node: tree_sitter.Node, ctx: _Context, src: bytes, lines: list[bytes]) -> Finding:
    name = text_of(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    start = node.start_point[0] + 1
    if node.type in TYPES:
        kind = TargetKind.NESTED_CLASS if ctx.qualname else TargetKind.CLASS
        params = _type_params(node)
        if node.type == "record_declaration":
            params += _params(node)
        returns = None
        raises: tuple[str, ...] = ()
    else:
        kind = TargetKind.METHOD
        params = _type_params(node) + _params(node)
        result = node.child_by_field_name("type")
        returns = None if result is None or result.type == "void_type" else text_of(result)
        declared = [
            text_of(t) for c in node.children if c.type == "throws" for t in c.named_children
        ]
        raises = tuple(dict.fromkeys(declared + thrown_types(body, "throw_statement")))
    return Finding(
        qualname=f"{ctx.qualname}.{name}" if ctx.qualname else name,
        kind=kind,
        line=start,
        header_end=header_end(node, body),
        end_line=node.end_point[0] + 1,
        indent=line_indent(lines, start),
        params=params,
        returns=returns,
        raises=raises,
        source=source_of(src, node),
    )


def _type_params(node: tree_sitter.Node) -> tuple[Param, ...]:
    found = node.child_by_field_name("type_parameters")
    if found is None:
        return ()
    names = []
    for param in found.named_children:
        ident = next(
            (c for c in param.named_children if c.type in ("type_identifier", "identifier")), None
        )
        if ident is not None:
            names.append(Param(f"<{text_of(ident)}>", "positional"))
    return tuple(names)


def _params(node: tree_sitter.Node) -> tuple[Param, ...]:
    found = node.child_by_field_name("parameters")
    if found is None:
        return ()
    params = []
    for param in found.named_children:
        if param.type == "formal_parameter":
            name = text_of(param.child_by_field_name("name"))
            kind = text_of(param.child_by_field_name("type"))
        elif param.type == "spread_parameter":
            declarator = next(
                (c for c in param.named_children if c.type == "variable_declarator"), None
            )
            name = text_of(declarator.child_by_field_name("name") if declarator else None)
            type_node = next(
                (
                    c
                    for c in param.named_children
                    if c.type not in ("modifiers", "variable_declarator")
                ),
                None,
            )
            kind = text_of(type_node) + "..."
        else:
            continue
        if name:
            params.append(Param(name, "positional", kind or None))
    return tuple(params)


def _child(node: tree_sitter.Node, *types: str) -> tree_sitter.Node | None:
    return next((c for c in node.named_children if c.type in types), None)


def name_of(node: tree_sitter.Node) -> str | None:
    """The name of a type or method declaration, else ``None``."""
    if node.type not in TYPES and node.type not in METHODS:
        return None
    return text_of(node.child_by_field_name("name"))
