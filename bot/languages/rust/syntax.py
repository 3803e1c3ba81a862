"""Reading Rust items off a tree-sitter tree: attributes, doc comments, visibility, cfg."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter_rust
from tree_sitter import Node

from bot.languages import treeproof
from bot.languages.rust.cfg import enabled

GRAMMAR = treeproof.Grammar(
    "Rust", tree_sitter_rust.language, frozenset({"line_comment", "block_comment"})
)
ITEM_TYPES = frozenset({
    "function_item", "function_signature_item", "struct_item", "enum_item", "union_item",
    "trait_item", "type_item", "const_item", "static_item", "mod_item", "macro_definition",
    "impl_item", "use_declaration", "associated_type", "field_declaration", "enum_variant",
    "extern_crate_declaration", "foreign_mod_item", "macro_invocation",
})  # fmt: skip


@dataclass(frozen=True)
class Head:
    """What stands above an item: its outer attributes and comments."""

    attributes: tuple[str, ...]
    """Each ``#[...]``'s inside text, whitespace squeezed (``derive(Debug)``)."""
    documented: bool
    """An outer doc comment (``///``, ``/** */``) or ``#[doc = ...]``/``#[doc(hidden)]``:
    what rustc's ``missing_docs`` accepts as documentation."""
    anchor: int
    """1-based line a new doc comment goes above: the first attribute's, else the item's."""


def text(node: Node, source: bytes) -> str:
    """The node's source text."""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def head(node: Node, source: bytes) -> Head:
    """The attributes and doc comments directly above ``node`` (blank lines and plain
    comments between them do not detach them in Rust)."""
    attributes: list[str] = []
    documented = False
    anchor = node.start_point.row + 1
    prev = node.prev_sibling
    while prev is not None and prev.type in ("attribute_item", "line_comment", "block_comment"):
        if prev.type == "attribute_item":
            inner = " ".join(text(prev, source)[2:-1].split())
            attributes.append(inner)
            documented |= _doc_attribute(inner)
            anchor = prev.start_point.row + 1
        elif any(c.type == "outer_doc_comment_marker" for c in prev.children):
            documented = True
        prev = prev.prev_sibling
    return Head(tuple(reversed(attributes)), documented, anchor)


def _doc_attribute(inner: str) -> bool:
    if not inner.startswith("doc"):
        return False
    rest = inner[3:].lstrip()
    return rest.startswith("=") or (rest.startswith("(") and "hidden" in rest)


def compiled(attributes: tuple[str, ...], features: frozenset[str]) -> bool:
    """Whether every ``#[cfg(...)]`` among ``attributes`` holds for a default build."""
    return all(
        enabled(a[a.index("(") + 1 : a.rindex(")")], features)
        for a in attributes
        if a.startswith("cfg") and a[3:].lstrip().startswith("(") and ")" in a
    )


def visibility(node: Node, source: bytes) -> str:
    """``pub``, ``pub(crate)``... as written (whitespace squeezed), or ``""``."""
    for child in node.children:
        if child.type == "visibility_modifier":
            return "".join(text(child, source).split())
    return ""


def name_of(node: Node, source: bytes) -> str:
    """The item's name (``_`` for nameless items)."""
    found = node.child_by_field_name("name")
    return text(found, source) if found is not None else "_"


def inner_documented(container: Node) -> bool:
    """Whether a module body or file starts with an inner doc (``//!``, ``#![doc = ...]``)."""
    for child in container.named_children:
        if child.type in ("line_comment", "block_comment"):
            if any(c.type == "inner_doc_comment_marker" for c in child.children):
                return True
            continue
        if child.type == "inner_attribute_item":
            if _doc_attribute(" ".join(child.text.decode("utf-8", "replace")[3:-1].split())
                              if child.text else ""):  # fmt: skip
                return True
            continue
        return False
    return False


def children(container: Node) -> Iterator[Node]:
    """The items of a file or ``{ ... }`` body, in order."""
    for child in container.named_children:
        if child.type in ITEM_TYPES:
            yield child


def body(node: Node) -> Node | None:
    """A module's, trait's or impl's ``{ ... }`` (``declaration_list``), if it has one."""
    found = node.child_by_field_name("body")
    return found if found is not None and found.type == "declaration_list" else None
