"""Which Go declarations golint would ask a doc comment of: a pure function of the tree.

golint's rule ("exported X should have comment or be unexported", lint.go's
``lintExported``), as it reads Go's own parser:

- top-level only: exported functions; methods whose receiver type is exported (``T`` or
  ``*T``), except ``Error``, ``Read``, ``ServeHTTP``, ``String``, ``Write``, ``Unwrap``
  and, on a type with all three, ``Len``/``Less``/``Swap``;
- exported types (structs, interfaces, aliases), a comment on the ``type (...)`` group
  covering its specs;
- in a ``const``/``var`` declaration the first exported spec without a comment, unless
  the declaration has one; a spec naming a second exported name is golint's other
  finding ("should have its own declaration"), not this one.  In a parenthesised group
  the comment goes on the group, which answers for every name in it (a comment on the
  spec would only pass golint's question on to the next name).

Two places where docbot follows Go's convention over golint's letter, each with a test:
a method on a generic receiver (``func (g *Gen[T]) Get()``) is a target (golint names
its receiver "invalid-type" and never reports it), and a comment made only of
directives (``//go:noinline``) documents nothing (``go doc`` shows none; golint reports
it as a malformed comment rather than a missing one).

A doc comment is Go's lead comment: the last group of adjacent comments ending on the
line right above the declaration, not counting a comment that trails the previous
token on its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

GoKind = Literal["function", "method", "type", "const", "var"]

COMMON_METHODS = frozenset({"Error", "Read", "ServeHTTP", "String", "Write", "Unwrap"})
"""Methods golint never asks a comment of: their meaning is the interface's."""
_SORT_METHODS = frozenset({"Len", "Less", "Swap"})
_DIRECTIVE = re.compile(r"//(line |extern |export |[a-z0-9]+:[a-z0-9])")
"""Go's ``CommentGroup.Text`` drops these lines: they are for tools, not readers."""
_GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class GoDecl:
    """One declaration golint (or Go's convention, see the module) wants documented."""

    name: str
    """As golint names it: ``F``, ``T.M`` for a method, the spec's first name."""
    kind: GoKind
    line: int
    """The line golint reports: the ``func`` keyword, or the spec's first name."""
    header_end: int
    """Last line of the signature: the line before a body's ``{``, else ``end_line``."""
    end_line: int
    anchor: int
    """The line the doc comment goes above: the declaration's first line, or the first
    line of the ``//go:`` directive block right above it."""
    indent: str
    node: Node


def is_generated(text: str) -> bool:
    """Whether ``text`` carries Go's ``// Code generated ... DO NOT EDIT.`` line (golint
    looks at every line, not only the header)."""
    return _GENERATED.search(text) is not None


def exported(name: str) -> bool:
    """Go's ``ast.IsExported``: the name starts with an upper-case letter."""
    return name[:1].isupper()


def declarations(root: Node, source: bytes) -> list[GoDecl]:
    """Every declaration of the file golint would flag as missing its comment, in order."""
    sortable = _sortable(root, source)
    found: list[GoDecl] = []
    for node in root.named_children:
        if node.type in ("function_declaration", "method_declaration"):
            found.extend(_function(node, source, sortable))
        elif node.type == "type_declaration":
            found.extend(_types(node, source))
        elif node.type in ("const_declaration", "var_declaration"):
            found.extend(_values(node, source))
    return found


# --- comments ----------------------------------------------------------------------------------


def lead_comment(node: Node) -> list[Node]:
    """The comment nodes Go's parser makes ``node``'s doc (its lead comment group)."""
    comments: list[Node] = []
    prev = node.prev_sibling
    while prev is not None and prev.type == "comment":
        comments.append(prev)
        prev = prev.prev_sibling
    comments.reverse()
    if prev is not None:
        # A comment starting on the previous token's line trails it (Go's line comment),
        # and so does each comment that starts on the line the last one ended.
        end = prev.end_point.row
        while comments and comments[0].start_point.row == end:
            end = comments.pop(0).end_point.row
    group: list[Node] = []
    for comment in comments:
        if group and comment.start_point.row > group[-1].end_point.row + 1:
            group = []
        group.append(comment)
    if group and group[-1].end_point.row + 1 == node.start_point.row:
        return group
    return []


def _text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def documents(group: Sequence[Node], source: bytes) -> bool:
    """Whether a lead comment says anything: Go's ``CommentGroup.Text`` is not empty."""
    for comment in group:
        text = _text(comment, source)
        if text.startswith("//"):
            if not _DIRECTIVE.match(text) and text[2:].strip():
                return True
        elif text[2:-2].strip():
            return True
    return False


def _doc_state(node: Node, source: bytes) -> tuple[bool, int]:
    """Whether ``node`` has a doc comment, and the line a new one goes above (1-based)."""
    group = lead_comment(node)
    if not group:
        return False, node.start_point.row + 1
    if documents(group, source):
        return True, node.start_point.row + 1
    return False, group[0].start_point.row + 1


def _indent(node: Node, source: bytes) -> str:
    line_start = source.rfind(b"\n", 0, node.start_byte) + 1
    prefix = source[line_start : node.start_byte].decode("utf-8", "replace")
    return prefix if not prefix.strip() else ""


# --- functions and methods ---------------------------------------------------------------------


def receiver_type(node: Node, source: bytes) -> tuple[str, bool]:
    """The receiver's type name, and whether golint can read it (``T`` or ``*T``; a
    generic ``Gen[T]`` it cannot)."""
    receiver = node.child_by_field_name("receiver")
    params = (
        [c for c in receiver.named_children if c.type == "parameter_declaration"]
        if receiver
        else []
    )
    kind = params[0].child_by_field_name("type") if params else None
    if kind is not None and kind.type == "pointer_type" and kind.named_child_count == 1:
        kind = kind.named_children[0]
    if kind is not None and kind.type == "type_identifier":
        return _text(kind, source), True
    if kind is not None and kind.type == "generic_type":
        base = kind.child_by_field_name("type")
        if base is not None and base.type == "type_identifier":
            return _text(base, source), False
    return "invalid-type", False


def _sortable(root: Node, source: bytes) -> frozenset[str]:
    has: dict[str, set[str]] = {}
    for node in root.named_children:
        name = node.child_by_field_name("name")
        if node.type == "method_declaration" and name is not None:
            method = _text(name, source)
            if method in _SORT_METHODS:
                has.setdefault(receiver_type(node, source)[0], set()).add(method)
    return frozenset(recv for recv, methods in has.items() if methods == _SORT_METHODS)


def _function(node: Node, source: bytes, sortable: frozenset[str]) -> Iterator[GoDecl]:
    name_node = node.child_by_field_name("name")
    if name_node is None or not exported(name := _text(name_node, source)):
        return
    kind: GoKind = "function"
    if node.type == "method_declaration":
        kind = "method"
        recv, _ = receiver_type(node, source)
        if not exported(recv) or name in COMMON_METHODS:
            return
        if name in _SORT_METHODS and recv in sortable:
            return
        name = f"{recv}.{name}"
    documented, anchor = _doc_state(node, source)
    if documented:
        return
    body = node.child_by_field_name("body")
    end = node.end_point.row + 1
    header_end = body.start_point.row + 1 if body is not None else end
    yield GoDecl(name, kind, node.start_point.row + 1, header_end, end, anchor,
                 _indent(node, source), node)  # fmt: skip


# --- types, constants and variables -------------------------------------------------------------


def _grouped(decl: Node) -> bool:
    return any(child.type == "(" for child in decl.children)


def _types(decl: Node, source: bytes) -> Iterator[GoDecl]:
    group_doc = documents(lead_comment(decl), source)
    for spec in decl.named_children:
        if spec.type not in ("type_spec", "type_alias"):
            continue
        name_node = spec.child_by_field_name("name")
        if name_node is None or not exported(name := _text(name_node, source)):
            continue
        yield from _spec(decl, spec, name_node, name, "type", source, covered=group_doc)


def _values(decl: Node, source: bytes) -> Iterator[GoDecl]:
    kind: GoKind = "const" if decl.type == "const_declaration" else "var"
    group = lead_comment(decl)
    if group and (_grouped(decl) or documents(group, source)):
        # A comment on a group covers its specs even when it holds only directives
        # (golint checks ``gd.Doc == nil``, not its text).
        return
    specs = [c for c in decl.named_children if c.type in ("const_spec", "var_spec")]
    for spec_list in (c for c in decl.named_children if c.type == "var_spec_list"):
        specs.extend(c for c in spec_list.named_children if c.type == "var_spec")
    for spec in specs:
        names = spec.children_by_field_name("name")
        if not names or any(exported(_text(n, source)) for n in names[1:]):
            continue  # golint: "should have its own declaration", a different finding
        first = _text(names[0], source)
        spec_doc = lead_comment(spec)
        if not exported(first) or documents(spec_doc, source):
            continue
        if spec_doc or not _grouped(decl):
            yield from _spec(decl, spec, names[0], first, kind, source, covered=False)
        if spec_doc:
            continue  # a directive-only comment: golint goes on to the next spec
        if _grouped(decl):
            # golint asks once per group, and a comment on the group answers for every
            # name in it: the comment goes above `const (`, or the next name would be asked.
            yield GoDecl(first, kind, names[0].start_point.row + 1, spec.start_point.row + 1,
                         spec.end_point.row + 1, decl.start_point.row + 1,
                         _indent(decl, source), decl)  # fmt: skip
        return


def _spec(
    decl: Node,
    spec: Node,
    name_node: Node,
    name: str,
    kind: GoKind,
    source: bytes,
    *,
    covered: bool,
) -> Iterator[GoDecl]:
    grouped = _grouped(decl)
    holder = spec if grouped else decl
    documented, anchor = _doc_state(holder, source)
    if kind == "type" and not documented and grouped and covered:
        documented = True
    if kind == "type" and not grouped:
        documented = documented or covered
    if documented:
        return
    yield GoDecl(name, kind, name_node.start_point.row + 1, spec.start_point.row + 1,
                 spec.end_point.row + 1, anchor, _indent(holder, source), spec)  # fmt: skip
