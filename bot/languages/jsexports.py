"""What eslint-plugin-jsdoc counts as exported (``publicOnly``), over tree-sitter trees.

The plugin does not ask TypeScript or a bundler; it runs a small symbol table over the
file's top-level statements (its ``exportParser``), and its answers are what users see.
This module builds the same table, quirks included, so docbot agrees with it exactly:

- ESM: a declaration under ``export`` (through any depth for classes, one level for
  functions), a top-level name later listed in ``export { ... }`` or ``export default
  name``, and class methods reachable from an exported value through ``body`` links
  (a class declared inside an exported function's body counts; a method's body does not).
- CommonJS: every value reachable through properties from ``module.exports`` as it
  stands after the last top-level assignment to it; ``exports.x = ...`` made before a
  later ``module.exports = ...`` is lost, as in Node.
- An object literal's methods count under ``module.exports = {...}`` but not under
  ``export const o = {...}``; two properties keyed by strings share one slot
  (``"undefined"``), so only the last survives; a getter and a setter of one name
  share one slot too.

Values are identified by node id; a method's ``FunctionExpression`` by its method node.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from bot.languages import estree


@dataclass(eq=False)
class Symbol:
    """One of exportParser's ``CreatedNode``s."""

    props: dict[str, Symbol | None] = field(default_factory=dict)
    kind: str = ""
    """``object``, ``literal`` or empty."""
    value: Node | None = None
    literal: str | None = None
    exported: bool = False


def _object(value: Node | None = None, *, prototype: bool = False) -> Symbol:
    symbol = Symbol(kind="object", value=value)
    if prototype:
        symbol.props["prototype"] = Symbol(kind="object")
    return symbol


_VALUE_TYPES = frozenset(
    {"arrow_function", *estree.FUNCTION_DECLARATIONS, *estree.FUNCTION_EXPRESSIONS}
    | {*estree.CLASS_DECLARATIONS, "enum_declaration", "interface_declaration"}
    | {"type_alias_declaration"}
)
_NAMED_DECLARATIONS = _VALUE_TYPES - {"arrow_function", *estree.FUNCTION_EXPRESSIONS} | {
    *estree.FUNCTION_EXPRESSIONS,
    "class",
}


class Exports:
    """The file's symbol table and the nodes it exports (ESM and CommonJS)."""

    def __init__(self, root: Node, data: bytes) -> None:
        self.data = data
        self.globals = Symbol()
        module = self.globals.props["module"] = Symbol()
        module.props["exports"] = self.globals.props["exports"] = Symbol()
        statements = list(_statements(root))
        for statement in statements:
            self._init(statement)
        for statement in statements:
            self._map(statement)
        self.esm = self._esm()
        self.cjs = self._cjs()

    def exported(self, node_id: int) -> bool:
        """Whether the value with this id is exported through the table (not by ancestry)."""
        return node_id in self.esm or node_id in self.cjs

    # --- building the table (initVariables, mapVariables) ---------------------------------

    def _init(self, statement: Node) -> None:
        if estree.is_named_export(statement):
            declaration = statement.child_by_field_name("declaration")
            if declaration is not None:
                self._init(_unwrap(declaration))
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in _declarators(statement):
                self._create(declarator.child_by_field_name("name"), None)

    def _map(self, statement: Node) -> None:
        kind = statement.type
        if kind == "expression_statement":
            expression = _first_named(statement)
            while expression is not None and expression.type == "parenthesized_expression":
                expression = _first_named(expression)
            if expression is not None and expression.type in _ASSIGNMENTS:
                self._create(
                    expression.child_by_field_name("left"),
                    expression.child_by_field_name("right"),
                )
        elif (
            kind in estree.CLASS_DECLARATIONS
            or kind in estree.FUNCTION_DECLARATIONS
            or kind == "type_alias_declaration"
        ):
            self._create(statement.child_by_field_name("name"), statement)
        elif kind in ("lexical_declaration", "variable_declaration"):
            self._variables(statement, exported=False)
        elif estree.is_default_export(statement):
            self._default_export(statement)
        elif estree.is_named_export(statement):
            self._named_export(statement)

    def _default_export(self, statement: Node) -> None:
        declaration = statement.child_by_field_name("declaration") or statement.child_by_field_name(
            "value"
        )
        if declaration is None:
            return
        symbol = self._create_from(_unwrap(declaration))
        if symbol is not None:
            symbol.exported = True

    def _named_export(self, statement: Node) -> None:
        declaration = statement.child_by_field_name("declaration")
        if declaration is not None:
            declaration = _unwrap(declaration)
            if declaration.type in ("lexical_declaration", "variable_declaration"):
                self._variables(declaration, exported=True)
            else:
                symbol = self._create_from(declaration)
                if symbol is not None:
                    symbol.exported = True
        for clause in statement.children:
            if clause.type != "export_clause":
                continue
            for specifier in clause.named_children:
                local = specifier.child_by_field_name("name")
                if local is not None and local.type == "identifier":
                    found = self.globals.props.get(_text(local, self.data))
                    if found is not None:
                        found.exported = True

    def _variables(self, statement: Node, *, exported: bool) -> None:
        for declarator in _declarators(statement):
            symbol = self._create(
                declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            )
            if symbol is not None and exported:
                symbol.exported = True

    # --- createSymbol / getSymbol -----------------------------------------------------------

    def _create_from(self, declaration: Node) -> Symbol | None:
        """``createSymbol(declaration, globals, declaration)`` of an export."""
        if declaration.type in _NAMED_DECLARATIONS:
            name = declaration.child_by_field_name("name")
            if name is None or name.type not in ("identifier", "type_identifier"):
                return None
            return self._create(name, declaration, class_body=False)
        return self._create(declaration, declaration)

    def _create(
        self, node: Node | None, value: Node | None, *, class_body: bool = True
    ) -> Symbol | None:
        if node is None:
            return None
        node = _unparen(node)
        if node.type in ("identifier", "type_identifier"):
            name = _text(node, self.data)
            if value is None:
                symbol = self.globals.props[name] = Symbol()
                return symbol
            found = self._get(value, class_body=class_body)
            if found is not None:
                self.globals.props[name] = found
            return found
        if node.type in ("member_expression", "subscript_expression"):
            owner = self._get_object(node)
            key = self._property(node)
            if owner is not None and key is not None:
                owner.props[key] = self._get(value) if value is not None else None
                return owner.props[key]
        return None

    def _get(self, node: Node, *, class_body: bool = True) -> Symbol | None:
        node = _unparen(node)
        kind = node.type
        if kind in estree.CLASS_DECLARATIONS and class_body:
            # mapVariables hands a class declaration's body to createSymbol: its members
            # become properties (getSymbol of a ClassBody).
            return self._class_body(node)
        if kind == "class" and not estree.is_declaration_form(node):
            return self._class_body(node)
        if kind in _VALUE_TYPES or kind == "class":
            return _object(node, prototype=True)
        if kind in _ASSIGNMENTS:
            return self._create(node.child_by_field_name("left"), node.child_by_field_name("right"))
        if kind == "identifier":
            return self.globals.props.get(_text(node, self.data))
        if kind in _LITERALS:
            return Symbol(kind="literal", literal=_literal(node, self.data))
        if kind in ("member_expression", "subscript_expression"):
            owner = self._get_object(node)
            key = self._property(node)
            if owner is not None and key is not None:
                return owner.props.get(key) or None
            return None
        if kind == "object":
            return self._object_literal(node)
        return None

    def _get_object(self, node: Node) -> Symbol | None:
        if any(c.type in ("optional_chain", "?.") for c in node.children):
            return None  # ESTree wraps optional chains in a ChainExpression: no symbol
        target = node.child_by_field_name("object")
        return self._get(target) if target is not None else None

    def _property(self, node: Node) -> str | None:
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is None:
                return None
            return _text(prop, self.data).lstrip("#")
        index = node.child_by_field_name("index")
        if index is None:
            return None
        found = self._get(index)
        return found.literal if found is not None and found.kind == "literal" else None

    def _class_body(self, node: Node) -> Symbol:
        symbol = _object(node)
        body = node.child_by_field_name("body")
        for member in body.named_children if body is not None else ():
            key = _member_key(member, self.data)
            if key is None:
                continue
            value: Node | None = member if member.type in estree.METHODS else None
            if member.type in estree.FIELDS:
                value = member.child_by_field_name("value")
            symbol.props[key] = Symbol(kind="object", value=value)
        return symbol

    def _object_literal(self, node: Node) -> Symbol:
        symbol = Symbol(kind="object")
        for prop in node.named_children:
            if prop.type == "pair":
                key = _key_name(prop.child_by_field_name("key"), self.data)
                value = prop.child_by_field_name("value")
                found = self._get(value) if value is not None else None
            elif prop.type == "method_definition":
                key = _key_name(prop.child_by_field_name("name"), self.data)
                found = Symbol(
                    kind="object", value=prop, props={"prototype": Symbol(kind="object")}
                )
            elif prop.type == "shorthand_property_identifier":
                key = _text(prop, self.data)
                found = self.globals.props.get(key)
            else:
                continue
            if found is not None:
                symbol.props[key] = found
        return symbol

    # --- what the table exports -------------------------------------------------------------

    def _esm(self) -> frozenset[int]:
        found: set[int] = set()
        for symbol in list(self.globals.props.values()):
            if symbol is None or not symbol.exported or symbol.value is None:
                continue
            found.add(symbol.value.id)
            found.update(method.id for method in _reachable_methods(symbol.value))
        return frozenset(found)

    def _cjs(self) -> frozenset[int]:
        found: set[int] = set()
        module = self.globals.props.get("module")
        root = module.props.get("exports") if module is not None else None
        seen: set[int] = set()
        stack = [root]
        while stack:
            symbol = stack.pop()
            if symbol is None or id(symbol) in seen:
                continue
            seen.add(id(symbol))
            if symbol.kind == "object" and symbol.value is not None:
                found.add(symbol.value.id)
            stack.extend(symbol.props.values())
        return frozenset(found)


# --- helpers ---------------------------------------------------------------------------------

_DECLARED = frozenset(
    {*estree.CLASS_DECLARATIONS, *estree.FUNCTION_DECLARATIONS, "type_alias_declaration"}
)
_ASSIGNMENTS = frozenset({"assignment_expression", "augmented_assignment_expression"})
_LITERALS = frozenset({"string", "number", "true", "false", "null", "regex", "template_string"})
_BODY_HOLDERS = frozenset(
    {"program", "statement_block", "class_body", "class_static_block", "internal_module"}
    | {"module", *estree.FUNCTION_DECLARATIONS, *estree.FUNCTION_EXPRESSIONS, "arrow_function"}
    | {*estree.CLASS_DECLARATIONS, "class", "for_statement", "for_in_statement"}
    | {"while_statement", "do_statement", "labeled_statement", "with_statement"}
    | {"catch_clause", "expression_statement", "ambient_declaration", "export_statement"}
)


def _reachable_methods(node: Node) -> Iterator[Node]:
    """Class methods reachable from ``node`` through ESTree ``body`` links (findNode)."""
    stack = [node]
    while stack:
        current = stack.pop()
        for child in _body(current):
            if child.type in estree.METHODS and estree.in_class_body(child):
                yield child
            elif child.type in _BODY_HOLDERS or child.type in estree.CLASS_DECLARATIONS:
                stack.append(child)


def _body(node: Node) -> list[Node]:
    """The children ESTree's ``body`` property leads to, in tree-sitter's nodes."""
    kind = node.type
    if kind in ("program", "statement_block", "class_body"):
        return [c for c in node.named_children if c.type != "comment"]
    if kind in ("expression_statement", "ambient_declaration", "export_statement"):
        # Wrappers tree-sitter adds around namespaces and declarations ESTree puts directly
        # in a body; other expression statements and exports have no body.
        inner = [c for c in node.named_children if c.type in ("internal_module", "module")]
        return inner if kind != "export_statement" else []
    body = node.child_by_field_name("body")
    if body is None and kind == "class_static_block":
        body = _first_named(node)
    if body is None:
        return []
    if kind == "arrow_function" and body.type not in ("statement_block",):
        return [_unparen(body)]
    return [body]


def _statements(root: Node) -> Iterator[Node]:
    for child in root.named_children:
        if child.type == "comment":
            continue
        yield _unwrap(child)


def _unwrap(node: Node) -> Node:
    """``declare X`` is ESTree's ``X`` (with ``declare: true``)."""
    if node.type == "ambient_declaration":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) == 1:
            return inner[0]
    return node


def _unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression":
        inner = _first_named(node)
        if inner is None:
            break
        node = inner
    return node


def _first_named(node: Node) -> Node | None:
    for child in node.named_children:
        if child.type != "comment":
            return child
    return None


def _declarators(statement: Node) -> list[Node]:
    return [c for c in statement.named_children if c.type == "variable_declarator"]


def _text(node: Node, data: bytes) -> str:
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _member_key(member: Node, data: bytes) -> str | None:
    if member.type not in (*estree.METHODS, *estree.FIELDS, "abstract_method_signature"):
        return None
    name = member.child_by_field_name("name") or member.child_by_field_name("property")
    return _key_name(name, data)


def _key_name(key: Node | None, data: bytes) -> str:
    """``key.name`` in ESTree: an identifier's name; anything else has none ("undefined")."""
    if key is None:
        return "undefined"
    if key.type in ("property_identifier", "identifier", "private_property_identifier"):
        return _text(key, data).lstrip("#")
    if key.type == "computed_property_name":
        inner = _first_named(key)
        if inner is not None and inner.type == "identifier":
            return _text(inner, data)
    return "undefined"


def _literal(node: Node, data: bytes) -> str:
    text = _text(node, data)
    if node.type == "string":
        return text[1:-1]
    return text
