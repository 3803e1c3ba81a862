"""What a TypeScript/JavaScript declaration shows about itself, for the draft and the prompt:
its name, parameters, return type, whether it returns a value, yields, throws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node

from bot.languages import estree
from bot.model import Param

_NO_VALUE = frozenset({"void", "never", "undefined", "Promise<void>", "Promise<undefined>"})
_NESTED = frozenset(
    {"arrow_function", "class", "class_declaration", "abstract_class_declaration"}
    | {*estree.FUNCTION_DECLARATIONS, *estree.FUNCTION_EXPRESSIONS, "method_definition"}
)
_PARAMS = frozenset({"required_parameter", "optional_parameter"})
Text = Callable[[Node], str]


@dataclass(frozen=True, slots=True)
class Facts:
    """The parts of ``Target`` a TypeScript/JavaScript declaration fills in."""

    name: str
    is_async: bool = False
    is_generator: bool = False
    decorators: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    returns: str | None = None
    returns_value: bool = False
    raises: tuple[str, ...] = ()
    type_params: tuple[str, ...] = ()


def facts(node: Node, data: bytes, *, dotted: bool = False) -> Facts:
    """The facts of a function, method, arrow or class node; ``dotted``: a destructured
    parameter's properties are parameters too (``options.x``), as the file documents them."""
    text = _texter(data)
    function = node
    if node.type in (*estree.CLASS_DECLARATIONS, "class"):
        return Facts(
            _name(node, text),
            decorators=_decorator_names(node, text),
            type_params=_type_params(node, text),
        )
    kinds = {c.type for c in function.children}
    returns = function.child_by_field_name("return_type")
    annotation = text(returns).lstrip(":").strip() if returns is not None else None
    no_value = annotation is not None and "".join(annotation.split()) in _NO_VALUE
    body = function.child_by_field_name("body")
    expression_body = body is not None and body.type != "statement_block"
    returns_value, raises = _body_facts(body, text) if body is not None else (False, ())
    return Facts(
        name=_name(node, text),
        is_async="async" in kinds,
        is_generator="*" in kinds or node.type.startswith("generator"),
        decorators=_decorator_names(node, text),
        params=_params(function.child_by_field_name("parameters"), text, dotted=dotted),
        returns=None if no_value else annotation,
        returns_value=not no_value and (returns_value or expression_body),
        raises=raises,
        type_params=_type_params(node, text),
    )


def _type_params(node: Node, text: Text) -> tuple[str, ...]:
    found = node.child_by_field_name("type_parameters")
    if found is None:
        return ()
    names = (p.child_by_field_name("name") for p in found.named_children)
    return tuple(text(name) for name in names if name is not None)


def _texter(data: bytes) -> Text:
    def text(node: Node) -> str:
        return data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    return text


def _name(node: Node, text: Text) -> str:
    own = node.child_by_field_name("name")
    if node.type in estree.METHODS:
        owner = _owner_name(node, text)
        key = text(own) if own is not None else "(computed)"
        accessor = next((c.type for c in node.children if c.type in ("get", "set")), "")
        key = f"{accessor} {key}".strip() if accessor == "set" else key
        return f"{owner}.{key}" if owner else key
    if own is not None:
        return text(own)
    parent = estree.up(node)
    if parent is not None:
        for field in ("name", "left", "key", "property"):
            holder = parent.child_by_field_name(field)
            if holder is not None and holder.id != node.id:
                return " ".join(text(holder).split())[:80]
        if estree.is_default_export(parent):
            return "default"
    return "(anonymous)"


def _owner_name(member: Node, text: Text) -> str:
    """The class or object a member belongs to, by name when it has one."""
    body = member.parent
    if body is not None and body.type == "object":
        holder = estree.up(body)
        if holder is not None and holder.type in ("variable_declarator", "assignment_expression"):
            name = holder.child_by_field_name("name") or holder.child_by_field_name("left")
            return text(name) if name is not None else ""
        return ""
    owner = body.parent if body is not None else None
    return _name(owner, text) if owner is not None else ""


def _decorator_names(node: Node, text: Text) -> tuple[str, ...]:
    holder = node
    parent = estree.up(node)
    if parent is not None and estree.is_export(parent):
        holder = parent
    return tuple(text(d).lstrip("@").split("(")[0] for d in estree.decorators(holder))


def _params(parameters: Node | None, text: Text, *, dotted: bool) -> tuple[Param, ...]:
    if parameters is None:
        return ()
    found: list[Param] = []
    destructured = 0
    for param in parameters.named_children:
        if param.type == "comment":
            continue
        pattern = param.child_by_field_name("pattern") if param.type in _PARAMS else param
        annotation = param.child_by_field_name("type") if param.type in _PARAMS else None
        default = param.child_by_field_name("value")
        if pattern is not None and pattern.type == "assignment_pattern":
            default = pattern.child_by_field_name("right")
            pattern = pattern.child_by_field_name("left")
        if pattern is None:
            continue
        kind = "positional"
        if pattern.type == "rest_pattern":
            kind = "var_positional"
            pattern = pattern.named_children[0] if pattern.named_children else pattern
        if pattern.type in ("identifier", "this"):
            name = text(pattern)
            if name == "this":
                continue  # TypeScript's `this` parameter is a type, not an argument
        else:
            destructured += 1
            name = "options" if destructured == 1 else f"options{destructured}"
        found.append(
            Param(
                name=name,
                kind=kind,  # type: ignore[arg-type]
                annotation=text(annotation).lstrip(":").strip() if annotation is not None else None,
                default=text(default) if default is not None else None,
            )
        )
        if dotted and pattern.type == "object_pattern":
            found += [Param(f"{name}.{key}", "positional") for key in _keys(pattern, text)]
    return tuple(found)


def _keys(pattern: Node, text: Text) -> list[str]:
    """The property names an object pattern takes apart (``{a, b: c, d = 1}``: a, b, d)."""
    keys = []
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            keys.append(text(child))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            if key is not None and key.type == "property_identifier":
                keys.append(text(key))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None:
                keys.append(text(left))
    return keys


def _body_facts(body: Node, text: Text) -> tuple[bool, tuple[str, ...]]:
    """Whether the body returns a value, and the exceptions it throws; nested functions and
    classes are not looked into."""
    returns = False
    raises: list[str] = []
    stack = [body]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "return_statement" and node.named_child_count:
            returns = True
        elif kind == "throw_statement":
            thrown = node.named_children[0] if node.named_children else None
            if thrown is not None and thrown.type == "new_expression":
                constructor = thrown.child_by_field_name("constructor")
                if constructor is not None:
                    raises.append(text(constructor))
        if node is body or kind not in _NESTED:
            stack.extend(reversed(node.named_children))
    return returns, tuple(raises)
