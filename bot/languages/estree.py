"""An ESTree view of tree-sitter's TypeScript/JavaScript trees, as far as require-jsdoc looks.

eslint rules see ESTree (espree for JavaScript, typescript-eslint for TypeScript);
docbot parses with tree-sitter, whose trees differ in a few ways that matter here:
parentheses, argument lists and ``declare`` are nodes of their own, ``export default
function () {}`` is an expression, a class method is one node where ESTree has a
``MethodDefinition`` holding a ``FunctionExpression`` that starts at its ``(``, and
TypeScript's grammar puts a class member's decorators before it as siblings.  This
module answers the questions eslint-plugin-jsdoc asks (parent, type, start, decorators,
the token before a position) in ESTree's terms.
"""

from __future__ import annotations

import re

from tree_sitter import Node

TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "ambient_declaration",
        "arguments",
        "formal_parameters",
        "template_substitution",
        "export_clause",
    }
)
"""tree-sitter nodes ESTree has no node for: a child's ESTree parent is above them."""

FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
FUNCTION_EXPRESSIONS = frozenset({"function_expression", "generator_function", "function"})
CLASS_DECLARATIONS = frozenset({"class_declaration", "abstract_class_declaration"})
METHODS = frozenset({"method_definition", "method_signature"})
FIELDS = frozenset({"public_field_definition", "field_definition"})
_FUNCTION_LIKE = frozenset(
    {*FUNCTION_DECLARATIONS, *FUNCTION_EXPRESSIONS, "arrow_function", "function_signature"}
    | {"function_type", "method_signature", "construct_signature", "call_signature"}
)
_ALLOWABLE = frozenset(
    {"assignment_pattern", "object_assignment_pattern", "lexical_declaration"}
    | {"variable_declaration", "expression_statement", "pair", "pair_pattern"}
    | {"shorthand_property_identifier", "return_statement", *METHODS, *FIELDS}
)
"""jsdoccomment's ``allowableCommentNode`` (where climbing to a comment's holder stops)."""
_WS = b" \t\r\n\f\v"


def up(node: Node) -> Node | None:
    """The node's ESTree parent."""
    parent = node.parent
    while parent is not None and (
        parent.type in TRANSPARENT
        or (parent.type == "expression_statement" and node.type in ("internal_module", "module"))
    ):
        parent = parent.parent
    return parent


def is_default_export(node: Node | None) -> bool:
    """``export default ...`` (ESTree's ``ExportDefaultDeclaration``)."""
    return (
        node is not None
        and node.type == "export_statement"
        and any(c.type == "default" for c in node.children)
    )


def is_named_export(node: Node | None) -> bool:
    """``export ...`` but not ``export default``, ``export *`` or ``export =``."""
    if node is None or node.type != "export_statement" or is_default_export(node):
        return False
    return not any(c.type in ("*", "=", "as") for c in node.children)


def is_export(node: Node | None) -> bool:
    """ESTree's ``ExportNamedDeclaration`` or ``ExportDefaultDeclaration``."""
    return is_default_export(node) or is_named_export(node)


def is_declaration_form(node: Node) -> bool:
    """``export default function () {}`` / ``export default class {}``: declarations in
    ESTree, though tree-sitter parses an expression (not when parenthesised)."""
    parent = node.parent
    return is_default_export(parent) and node.type in (*FUNCTION_EXPRESSIONS, "class")


def is_function_declaration(node: Node) -> bool:
    """ESTree ``FunctionDeclaration``."""
    return node.type in FUNCTION_DECLARATIONS or (
        node.type in FUNCTION_EXPRESSIONS and is_declaration_form(node)
    )


def is_class_declaration(node: Node) -> bool:
    """ESTree ``ClassDeclaration`` (``declare``/``abstract`` ones included)."""
    return node.type in CLASS_DECLARATIONS or (node.type == "class" and is_declaration_form(node))


def is_function(node: Node) -> bool:
    """Whether ESTree's type name of ``node`` holds ``Function`` (jsdoccomment's test)."""
    return node.type in _FUNCTION_LIKE


def is_allowable(node: Node) -> bool:
    """jsdoccomment's ``allowableCommentNode``, in tree-sitter's types."""
    return node.type in _ALLOWABLE or is_default_export(node)


def in_class_body(node: Node) -> bool:
    """A class member (``MethodDefinition``), not an object literal's method (``Property``)."""
    return node.parent is not None and node.parent.type == "class_body"


def decorators(node: Node) -> list[Node]:
    """The decorators ESTree gives ``node`` (a class, a class member or an export), in order.

    TypeScript's grammar puts a member's decorators before it as siblings, and those of
    ``@dec export class`` on the export statement: both are gathered here.
    """
    found = [c for c in node.children if c.type == "decorator"]
    if node.type == "export_statement":
        declaration = node.child_by_field_name("declaration") or node.child_by_field_name("value")
        if declaration is not None:
            found += [c for c in declaration.children if c.type == "decorator"]
    if in_class_body(node):
        before: list[Node] = []
        sibling = node.prev_sibling
        while sibling is not None and sibling.type in ("decorator", "comment"):
            if sibling.type == "decorator":
                before.append(sibling)
            sibling = sibling.prev_sibling
        found = before[::-1] + found
    return found


def start(node: Node) -> int:
    """The byte where ESTree's node starts: a class member's decorators and a ``declare``
    keyword included."""
    found = decorators(node) if in_class_body(node) else []
    if found:
        return found[0].start_byte
    return outer(node).start_byte


def outer(node: Node) -> Node:
    """``declare class K`` is one ESTree node: the ``ambient_declaration`` around it."""
    parent = node.parent
    return parent if parent is not None and parent.type == "ambient_declaration" else node


def value_start(method: Node) -> Node:
    """Where the ``FunctionExpression`` of a method starts: its type parameters or ``(``."""
    for name in ("type_parameters", "parameters"):
        child = method.child_by_field_name(name)
        if child is not None:
            return child
    return method


_PAREN = "("


class Tokens:
    """The token (or comment) before a position, the way eslint's ``getTokenBefore`` with
    ``includeComments`` finds it: the last non-blank byte before it, and the leaf there."""

    def __init__(self, root: Node, data: bytes) -> None:
        self.root = root
        self.data = data

    def before(self, offset: int) -> Node | None:
        """The leaf (token or comment) that ends last before ``offset``."""
        end = len(self.data[:offset].rstrip(_WS))
        if end == 0:
            return None
        leaf = self.root.descendant_for_byte_range(end - 1, end)
        while leaf is not None and leaf.end_byte > end and leaf.child_count:
            leaf = leaf.child(0)  # pragma: no cover - a leaf is what the range query gives
        if leaf is None or leaf.type == "program":
            return None
        return leaf

    def before_skipping_parens(self, offset: int) -> Node | None:
        """``before``, stepping over opening parentheses (jsdoccomment's do-while)."""
        token = self.before(offset)
        while token is not None and token.type == _PAREN:
            token = self.before(token.start_byte)
        return token

    def comment_before(self, offset: int) -> bool:
        """Whether a comment comes right before ``offset`` (eslint's ``getCommentsBefore``)."""
        token = self.before(offset)
        return token is not None and is_comment(token)


def is_comment(node: Node) -> bool:
    """A comment token (line, block or ``#!``)."""
    return node.type in ("comment", "hash_bang_line", "html_comment")


_JSDOC = re.compile(rb"/\*\*\s")


def is_jsdoc(node: Node, data: bytes) -> bool:
    """A block comment whose value starts with ``*`` and white space (``/** x */``)."""
    return node.type == "comment" and _JSDOC.match(data, node.start_byte) is not None


def is_line_comment(node: Node, data: bytes) -> bool:
    """A ``//`` comment (eslint's ``Line`` token); jsdoccomment climbs over them."""
    return node.type == "comment" and data.startswith(b"//", node.start_byte)
