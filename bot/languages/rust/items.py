"""Which Rust items rustc's ``missing_docs`` would report in one file: a pure function.

What rustc checks (tested against rustc with ``--force-warn missing_docs``): exported
functions, structs, enums, unions, traits, type aliases, constants, statics and modules;
a ``pub`` field of an exported struct or union (named fields only, as rustc); every
variant of an exported enum and every field of a struct-like variant; every item of an
exported trait; the ``pub`` methods and constants of an inherent ``impl`` of an exported
type (never a trait ``impl``'s); ``#[macro_export]`` macros wherever they are.  Not:
``pub(crate)``/``pub(super)``, items behind a ``cfg`` a default build leaves out (so
``#[cfg(test)]`` modules), items inside function bodies.  ``#[doc(hidden)]`` counts as
documentation, as in rustc.  The reported line is the item's own first line (its
``pub``), not its attributes'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from bot.languages.rust.syntax import (
    Head,
    body,
    children,
    compiled,
    head,
    inner_documented,
    name_of,
    text,
    visibility,
)

Exported = Callable[[tuple[str, ...], str], bool]
"""(module path, item name) -> whether that ``pub`` item is public API."""

_NOUNS = {
    "function_item": "function", "struct_item": "struct", "enum_item": "enum",
    "union_item": "union", "trait_item": "trait", "type_item": "type alias",
    "const_item": "constant", "static_item": "static", "mod_item": "module",
    "macro_definition": "macro",
}  # fmt: skip


@dataclass(frozen=True)
class RustItem:
    """One item rustc would report as missing documentation."""

    name: str
    """``f``, ``m.f``, ``Type.method``, ``Enum.Variant``, ``Struct.field``: dotted, as
    every language names its targets."""
    noun: str
    """rustc's word for it: "function", "method", "struct field", "variant"..."""
    node: Node
    anchor: int
    indent: str


@dataclass(frozen=True)
class Context:
    """What the walk knows beyond the file: the crate's answers and the build's features."""

    exported: Exported
    type_exported: Exported
    module_public: Callable[[tuple[str, ...]], bool]
    module_documented: Callable[[tuple[str, ...]], bool]
    features: frozenset[str]


def items(root: Node, source: bytes, module: tuple[str, ...], context: Context) -> list[RustItem]:
    """Every undocumented item of the file that rustc would report, in file order."""
    found = list(_container(root, source, module, context))
    return sorted(found, key=lambda item: (item.node.start_byte, item.node.end_byte))


def _container(
    container: Node, source: bytes, module: tuple[str, ...], ctx: Context
) -> Iterator[RustItem]:
    for node in children(container):
        above = head(node, source)
        if not compiled(above.attributes, ctx.features):
            continue
        kind, name = node.type, name_of(node, source)
        qual = ".".join((*module, name))
        if kind == "impl_item":
            yield from _impl(node, source, module, ctx)
        elif kind == "macro_definition":
            if "macro_export" in above.attributes and not above.documented:
                yield _item(name, "macro", node, above, source)
        elif kind == "mod_item":
            inner = body(node)
            child = (*module, name)
            if visibility(node, source) == "pub" and ctx.module_public(child):
                documented = above.documented or (
                    inner_documented(inner) if inner is not None else ctx.module_documented(child)
                )
                if not documented:
                    yield _item(qual, "module", node, above, source)
            if inner is not None:
                yield from _container(inner, source, child, ctx)
        elif kind in _NOUNS and visibility(node, source) == "pub" and ctx.exported(module, name):
            if not above.documented:
                yield _item(qual, _NOUNS[kind], node, above, source)
            yield from _members(node, source, qual, ctx)


def _item(name: str, noun: str, node: Node, above: Head, source: bytes) -> RustItem:
    line_start = source.rfind(b"\n", 0, node.start_byte) + 1
    indent = source[line_start : node.start_byte].decode("utf-8", "replace")
    return RustItem(name, noun, node, above.anchor, indent if not indent.strip() else "")


def _members(node: Node, source: bytes, qual: str, ctx: Context) -> Iterator[RustItem]:
    """Fields of a struct or union, variants of an enum, items of a trait."""
    if node.type in ("struct_item", "union_item"):
        yield from _fields(node.child_by_field_name("body"), source, qual, ctx, public_only=True)
    elif node.type == "enum_item":
        variants = node.child_by_field_name("body")
        for variant in children(variants) if variants is not None else ():
            above = head(variant, source)
            if not compiled(above.attributes, ctx.features):
                continue
            vqual = f"{qual}.{name_of(variant, source)}"
            if not above.documented:
                yield _item(vqual, "variant", variant, above, source)
            fields = variant.child_by_field_name("body")
            yield from _fields(fields, source, vqual, ctx, public_only=False)
    elif node.type == "trait_item":
        inner = body(node)
        for member in children(inner) if inner is not None else ():
            yield from _associated(member, source, qual, ctx, in_trait=True)


def _fields(
    fields: Node | None, source: bytes, qual: str, ctx: Context, *, public_only: bool
) -> Iterator[RustItem]:
    if fields is None or fields.type != "field_declaration_list":
        return  # tuple fields: rustc asks none
    for field in children(fields):
        above = head(field, source)
        if not compiled(above.attributes, ctx.features):
            continue
        if public_only and visibility(field, source) != "pub":
            continue
        if not above.documented:
            yield _item(f"{qual}.{name_of(field, source)}", "struct field", field, above, source)


def _impl(node: Node, source: bytes, module: tuple[str, ...], ctx: Context) -> Iterator[RustItem]:
    if node.child_by_field_name("trait") is not None:
        return  # a trait impl's items are documented by the trait
    self_type = node.child_by_field_name("type")
    while self_type is not None and self_type.type in ("generic_type", "scoped_type_identifier"):
        self_type = self_type.child_by_field_name("type") or self_type.child_by_field_name("name")
    if self_type is None or self_type.type != "type_identifier":
        return
    type_name = text(self_type, source)
    if not ctx.type_exported(module, type_name):
        return
    inner = body(node)
    qual = ".".join((*module, type_name))
    for member in children(inner) if inner is not None else ():
        if visibility(member, source) == "pub":
            yield from _associated(member, source, qual, ctx, in_trait=False)


def _associated(
    member: Node, source: bytes, qual: str, ctx: Context, *, in_trait: bool
) -> Iterator[RustItem]:
    above = head(member, source)
    if above.documented or not compiled(above.attributes, ctx.features):
        return
    name = f"{qual}.{name_of(member, source)}"
    if member.type in ("function_item", "function_signature_item"):
        params = member.child_by_field_name("parameters")
        method = params is not None and any(
            c.type == "self_parameter" for c in params.named_children
        )
        yield _item(name, "method" if method else "associated function", member, above, source)
    elif member.type == "const_item":
        yield _item(name, "associated constant", member, above, source)
    elif member.type in ("associated_type", "type_item") and in_trait:
        yield _item(name, "associated type", member, above, source)
