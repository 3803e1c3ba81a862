"""What the tree-sitter languages that document above a declaration share: the record of
one undocumented declaration, and its turning into a ``Target`` given a change's lines.

Java and C# find their declarations in their own modules (their linters' rules differ);
both hand over a ``Finding`` per declaration the linter would report, and this module
alone decides which of them the change touched.  Type parameters travel as parameters
named ``<T>``: that is how Javadoc writes them (``@param <T>``), C# renders them as
``<typeparam name="T">``, and the draft schema stays the same for every language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import tree_sitter

from bot.errors import UnsafeSuggestion
from bot.languages.treeproof import Grammar, insert
from bot.model import Param, Suggestion, Target, TargetKind


@dataclass(frozen=True, slots=True)
class Finding:
    """One declaration the language's linter reports as missing its documentation.

    Lines are 1-based lines of the file.  ``line`` is the linter's report line, which for
    both Java and C# is the declaration's first line (annotations and attributes
    included), so the comment goes above it.
    """

    qualname: str
    kind: TargetKind
    line: int
    header_end: int
    """The last line of the signature: the line of the body's opening brace, else the
    declaration's last line."""
    end_line: int
    indent: str
    params: tuple[Param, ...] = ()
    """Type parameters first, named ``<T>``, then the value parameters."""
    returns: str | None = None
    """The declared result type; ``None`` for ``void``, constructors and types."""
    raises: tuple[str, ...] = ()
    source: str = ""
    anchor: int = 0
    """The declaration's first line (attributes included), where the comment goes; 0
    means ``line`` (Java reports that line itself)."""


def to_targets(
    path: str,
    language: str,
    findings: list[Finding],
    added: frozenset[int],
    scope: Literal["signature", "touched"],
) -> tuple[Target, ...]:
    """The findings whose signature (or, for ``touched``, whole extent) holds an added line."""
    chosen = []
    for found in findings:
        last = found.header_end if scope == "signature" else found.end_line
        if any(line in added for line in range(found.anchor or found.line, last + 1)):
            chosen.append(_target(path, language, found))
    return tuple(chosen)


def _target(path: str, language: str, found: Finding) -> Target:
    return Target(
        path=path,
        qualname=found.qualname,
        kind=found.kind,
        line=found.line,
        end_line=found.end_line,
        header_end=found.header_end,
        body_indent=found.indent,
        one_liner=False,
        params=found.params,
        returns=found.returns,
        returns_value=found.returns is not None,
        raises=found.raises,
        source=found.source,
        language=language,
        anchor=found.anchor or found.line,
    )


# --- tree helpers both languages use ---------------------------------------------------------


def text_of(node: tree_sitter.Node | None) -> str:
    """The node's source text (empty for ``None``)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def line_indent(lines: list[bytes], line: int) -> str:
    """The leading blanks of 1-based ``line``."""
    raw = lines[line - 1] if 0 < line <= len(lines) else b""
    return raw[: len(raw) - len(raw.lstrip(b" \t"))].decode("ascii")


def header_end(node: tree_sitter.Node, body: tree_sitter.Node | None) -> int:
    """The 1-based line where the signature ends: the body's first line, else the node's last."""
    if body is not None:
        return body.start_point[0] + 1
    return node.end_point[0] + 1


def source_of(src: bytes, node: tree_sitter.Node) -> str:
    """The declaration's text from the start of its first line, so indentation is kept."""
    start = src.rfind(b"\n", 0, node.start_byte) + 1
    return src[start : node.end_byte].decode("utf-8", "replace")


def thrown_types(body: tree_sitter.Node | None, throw_kind: str) -> list[str]:
    """Types of ``throw new X(...)`` statements in ``body``, in order, not looking into
    nested types or lambdas (their throws are theirs)."""
    found: list[str] = []
    if body is None:
        return found
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == throw_kind:
            created = next((c for c in node.named_children if "creation" in c.type), None)
            if created is not None:
                name = text_of(created.child_by_field_name("type"))
                if name and name not in found:
                    found.append(name)
            continue
        if node.type.endswith(("class_declaration", "lambda_expression", "class_body")):
            continue
        stack.extend(reversed(node.named_children))
    return found


def starts_its_line(tree: tree_sitter.Tree, source: bytes, target: Target, name_of: NameOf) -> bool:
    """Whether ``target``'s declaration is the first thing on its anchor line, so a comment
    above that line documents it (``enum E { A, B }`` has members that share a line)."""
    lines = source.split(b"\n")
    if not 0 < target.anchor <= len(lines):
        return False
    text = lines[target.anchor - 1]
    point = (target.anchor - 1, len(text) - len(text.lstrip()))
    node: tree_sitter.Node | None = tree.root_node.descendant_for_point_range(point, point)
    while node is not None and "comment" in node.type and node.end_point[0] == point[0]:
        node = node.next_sibling  # `/** doc */ void same();`: the comment may stay
    if node is None:
        return False
    point = node.start_point
    name = target.qualname.rpartition(".")[2]
    while node is not None and node.start_point == point:
        if name_of(node) == name:
            return True
        node = node.parent
    return False


NameOf = Callable[[tree_sitter.Node], "str | None"]
"""The name a declaration node is reported under, or ``None`` for other nodes."""


def nodes_of(tree: tree_sitter.Tree, kind: str) -> list[tree_sitter.Node]:
    """Every node of type ``kind`` in the tree, found by a tree-sitter query (in C: a walk
    in Python over every node of a large file costs more than parsing it)."""
    key = (tree.language, kind)
    query = _QUERIES.get(key)
    if query is None:
        query = _QUERIES[key] = tree_sitter.Query(tree.language, f"({kind}) @node")
    return tree_sitter.QueryCursor(query).captures(tree.root_node).get("node", [])


_QUERIES: dict[tuple[tree_sitter.Language, str], tree_sitter.Query] = {}


def insert_above(
    grammar: Grammar, source: str, target: Target, rendered: str, name_of: NameOf
) -> Suggestion:
    """The comment inserted above the declaration's first line (its annotations or
    attributes), proven; refused when other code shares that line, since a comment above
    it would document something else."""
    encoded = source.encode("utf-8", "surrogatepass")
    if not starts_its_line(grammar.parse(encoded), encoded, target, name_of):
        raise UnsafeSuggestion(
            f"{target.qualname}: shares line {target.anchor} with other code, so a comment"
            " above that line would document something else"
        )
    return insert(
        grammar,
        source,
        path=target.path,
        anchor=target.anchor,
        rendered=rendered,
        indent=target.body_indent,
        what=target.qualname,
    )
