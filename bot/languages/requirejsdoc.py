"""eslint-plugin-jsdoc's ``require-jsdoc``, as docbot runs it, over a tree-sitter tree.

The rule as configured (issue #10): ``publicOnly: true`` and ``require`` on for
FunctionDeclaration, ClassDeclaration, ClassExpression, MethodDefinition,
ArrowFunctionExpression and FunctionExpression, with the plugin's defaults otherwise
(eslint fills the schema's defaults in: constructors, getters and setters are checked,
empty constructors are not exempt; ``settings.jsdoc`` minLines 0, maxLines 1).

A node is reported when all three hold:

1. it is one of those contexts (an arrow or function expression only as the value of a
   variable, an assignment, ``export default``, an object property or a class field);
2. no JSDoc block (``/**`` then white space) ends on its line or the line above the
   place jsdoccomment looks at: the ``export``/``const``/method/property holding it, or
   its first decorator; ``//`` comments in between are climbed over;
3. it is exported (``jsexports``), or lies under an ``export`` that has no JSDoc itself
   (classes at any depth, functions directly), and is neither ``private``/``protected``
   nor a ``#private`` member.

The line reported is where ESTree's node starts: a method's is its ``(`` (ESTree's
``FunctionExpression``), a class's its first decorator when the decorator follows
``export``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import tree_sitter
from tree_sitter import Node

from bot.languages import estree
from bot.languages.jsexports import Exports

_CANDIDATES = (
    "function_declaration",
    "generator_function_declaration",
    "function_expression",
    "generator_function",
    "function",
    "arrow_function",
    "class_declaration",
    "abstract_class_declaration",
    "class",
    "method_definition",
    "method_signature",
)
_VALUE_PARENTS = frozenset(
    {"variable_declarator", "assignment_expression", "augmented_assignment_expression"}
)
_PROPERTY_PARENTS = frozenset({"pair", *estree.FIELDS})


@dataclass(frozen=True, slots=True)
class Finding:
    """One node the rule reports."""

    node: Node
    """The tree-sitter node: the function, class, arrow, or the method holding ESTree's
    ``FunctionExpression``."""
    line: int
    """1-based line eslint reports."""
    holder: Node
    """Where the JSDoc belongs (jsdoccomment's reduced node): the export, the variable
    declaration, the method, the property, or the node itself."""
    anchor: Node
    """The first node of the doc comment's owner as written: the holder's first
    decorator, or the holder; eslint's fixer inserts above it."""


@cache
def _query(language: tree_sitter.Language) -> tree_sitter.Query:
    kinds = [k for k in _CANDIDATES if language.id_for_node_kind(k, True) is not None]
    return tree_sitter.Query(language, "[" + " ".join(f"({k})" for k in kinds) + "] @n")


def candidates(language: tree_sitter.Language, root: Node) -> list[Node]:
    """Every node of a type the rule may check, in source order."""
    found = tree_sitter.QueryCursor(_query(language)).captures(root).get("n", [])
    return sorted(found, key=lambda n: n.start_byte)


class Rule:
    """The rule over one parsed file."""

    def __init__(self, root: Node, data: bytes) -> None:
        self.root = root
        self.data = data
        self.tokens = estree.Tokens(root, data)
        self._exports: Exports | None = None

    @property
    def exports(self) -> Exports:
        """The symbol table, built on first need (many files export nothing undocumented)."""
        if self._exports is None:
            self._exports = Exports(self.root, self.data)
        return self._exports

    def check(self, node: Node) -> Finding | None:
        """The finding for ``node``, or ``None`` when the rule says nothing about it."""
        if not _is_context(node):
            return None
        holder = self.reduced(node)
        if self.jsdoc_above(holder, node) is not None:
            return None
        if not self._exported(node):
            return None
        checked = estree.value_start(node) if node.type in estree.METHODS else node
        first = self._first_decorator(holder, node)
        anchor = first if first is not None else estree.outer(holder or node)
        return Finding(node, checked.start_point[0] + 1, holder or node, anchor)

    def findings(self, nodes: Iterator[Node] | list[Node]) -> Iterator[Finding]:
        """``check`` over ``nodes``, keeping the reported ones."""
        for node in nodes:
            found = self.check(node)
            if found is not None:
                yield found

    # --- jsdoccomment: getReducedASTNode, findJSDocComment ---------------------------------

    def reduced(self, node: Node) -> Node | None:
        """The node whose leading comment counts as ``node``'s JSDoc; ``None``: ESTree's node
        itself (for a method, its ``FunctionExpression``)."""
        if estree.is_function_declaration(node) or estree.is_class_declaration(node):
            parent = estree.up(node)
            return parent if estree.is_export(parent) else None
        parent = node if node.type in estree.METHODS else estree.up(node)
        if parent is None or parent.type in ("call_expression", "new_expression"):
            return None
        own = self._own_start(node)
        token = self.tokens.before_skipping_parens(own)
        if token is not None and token.type == "comment" and not _is_line(token, self.data):
            return None
        if self.tokens.comment_before(own):
            return None
        while (
            not self.tokens.comment_before(estree.start(parent))
            and not estree.is_function(parent)
            and not estree.is_allowable(parent)
        ):
            above = estree.up(parent)
            if above is None:
                return None
            parent = above
        if estree.is_function_declaration(parent) or parent.type == "program":
            return None
        grand = estree.up(parent)
        return grand if estree.is_named_export(grand) else parent

    def jsdoc_above(self, holder: Node | None, node: Node) -> Node | None:
        """The JSDoc block jsdoccomment finds above ``holder`` (``findJSDocComment``)."""
        first = self._first_decorator(holder, node)
        if first is not None:
            offset, line = first.start_byte, first.start_point[0]
        else:
            offset = self._own_start(node) if holder is None else estree.start(holder)
            line = _line_of(self.data, offset)
        while True:
            token = self.tokens.before(offset)
            paren = None
            if token is not None and token.type == "(":
                paren = token
                token = self.tokens.before(token.start_byte)
            if token is None or not estree.is_comment(token):
                return None
            if estree.is_line_comment(token, self.data):
                offset, line = token.start_byte, token.start_point[0]
                continue
            break
        gap = line - (paren or token).end_point[0]
        if estree.is_jsdoc(token, self.data) and 0 <= gap <= 1:
            return token
        return None

    def _first_decorator(self, holder: Node | None, node: Node) -> Node | None:
        """getDecorator: the holder's (an export's declaration's included); for ESTree's node
        itself, its own or its parent's (a method's, a class field's)."""
        if holder is not None:
            found = estree.decorators(holder)
        else:
            found = [] if node.type in estree.METHODS else estree.decorators(node)
            parent = node if node.type in estree.METHODS else estree.up(node)
            if (
                not found
                and parent is not None
                and parent.type in (*estree.METHODS, *estree.FIELDS)
            ):
                found = estree.decorators(parent)
        return found[0] if found else None

    def _own_start(self, node: Node) -> int:
        """Where ESTree's node starts: a method's ``FunctionExpression`` at its ``(``."""
        if node.type in estree.METHODS:
            return estree.value_start(node).start_byte
        return estree.outer(node).start_byte

    # --- exportParser.isUncommentedExport ---------------------------------------------------

    def _exported(self, node: Node) -> bool:
        parent = estree.up(node)
        if node.type in estree.METHODS:
            if _is_private(node):
                return False
        elif parent is not None and parent.type in estree.FIELDS and _is_private(parent):
            return False
        ancestor = self._export_ancestor(node)
        if ancestor is not None and self.jsdoc_above(ancestor, ancestor) is None:
            return True
        return self.exports.exported(node.id)

    def _export_ancestor(self, node: Node) -> Node | None:
        # Functions (and a method's FunctionExpression) only as the export's direct child.
        shallow = (
            estree.is_function_declaration(node)
            or node.type in ("arrow_function", *estree.FUNCTION_EXPRESSIONS)
            or node.type == "method_definition"
        )
        if node.type == "method_definition":
            return None  # the FunctionExpression's parent is the MethodDefinition
        current: Node | None = node
        depth = 0
        while current is not None:
            if shallow and depth >= 2:
                return None
            if estree.is_export(current):
                return current
            current = estree.up(current)
            depth += 1
        return None


def _is_context(node: Node) -> bool:
    kind = node.type
    if estree.is_function_declaration(node) or estree.is_class_declaration(node):
        return True
    if kind == "class":
        return True
    if kind in estree.METHODS:
        # In a class: a MethodDefinition (an overload's value is TSEmptyBodyFunctionExpression);
        # in an object literal: a Property whose value is the FunctionExpression.
        return kind == "method_definition" or estree.in_class_body(node)
    if kind == "arrow_function" or kind in estree.FUNCTION_EXPRESSIONS:
        parent = estree.up(node)
        if parent is None:
            return False
        if parent.type in _VALUE_PARENTS or estree.is_default_export(parent):
            return True
        if parent.type in _PROPERTY_PARENTS:
            value = parent.child_by_field_name("value")
            return value is not None and _unparen_id(value) == node.id
    return False


def _unparen_id(node: Node) -> int:
    while node.type == "parenthesized_expression" and node.named_child_count:
        node = node.named_children[0]
    return node.id


def _is_private(member: Node) -> bool:
    for child in member.children:
        if child.type == "accessibility_modifier":
            return child.text not in (b"public", None)
        if child.type == "private_property_identifier":
            return True
    name = member.child_by_field_name("name") or member.child_by_field_name("property")
    return name is not None and name.type == "private_property_identifier"


def _is_line(token: Node, data: bytes) -> bool:
    return token.type == "hash_bang_line" or estree.is_line_comment(token, data)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset)
