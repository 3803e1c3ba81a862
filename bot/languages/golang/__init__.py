"""Go behind the language protocol: golint's targets, ``// Name ...`` comments, the tree proof.

``targets`` decides what golint would flag, ``render`` writes Go's comment convention,
and ``treeproof`` inserts and proves, as for every tree-sitter language.
"""

from __future__ import annotations

import re
from collections import Counter

import tree_sitter_go
from tree_sitter import Node

from bot.docmodel import DocstringDraft
from bot.errors import UnparsableFile
from bot.languages import treeproof
from bot.languages.base import CommentStyle, FileScan, Language, Project
from bot.languages.golang import render as go_render
from bot.languages.golang.targets import GoDecl, declarations, is_generated
from bot.model import Param, Suggestion, Target, TargetKind
from bot.paths import TEST_FILE
from bot.targets import TargetOptions

GRAMMAR = treeproof.Grammar("Go", tree_sitter_go.language)

_KINDS = {
    "function": TargetKind.FUNCTION,
    "method": TargetKind.METHOD,
    "type": TargetKind.CLASS,
    "const": TargetKind.CONSTANT,
    "var": TargetKind.VARIABLE,
}
_GO_KINDS = {kind: go for go, kind in _KINDS.items()}
_GROUP = re.compile(r"(?:const|var)\s*\(")
"""A target whose source is a whole ``const (...)``/``var (...)``: the comment is the group's."""
GENERATED = "generated file (golint skips files marked // Code generated ... DO NOT EDIT.)"


class Go:
    """The Go adapter: golint's "should have comment" targets, godoc line comments."""

    name = "go"
    extensions: tuple[str, ...] = (".go",)
    convention = (
        "Go; // line comments directly above the declaration whose first sentence begins"
        ' with the declared name ("Get returns ..."), godoc style, no parameter sections'
    )

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """``_test.go`` files unless included; generated files always (golint skips them)."""
        if not included and path.endswith("_test.go"):
            return TEST_FILE
        if is_generated(text):
            return GENERATED
        return None

    def scan(
        self,
        path: str,
        text: str,
        added: frozenset[int],
        options: TargetOptions,
        *,
        project: Project,
    ) -> FileScan:
        """golint's missing-comment findings whose signature (or extent) holds an added line."""
        tree = treeproof.parse_or_skip(GRAMMAR, path, text)
        source = text.encode("utf-8", "surrogatepass")
        if tree.root_node.has_error:
            # golint reports nothing for a file it cannot parse; neither does docbot.
            line = treeproof.first_error_line(tree.root_node)
            raise UnparsableFile(f"{path}:{line}: syntax error (golint reports nothing here)")
        found: list[Target] = []
        for decl in declarations(tree.root_node, source):
            last = decl.end_line if options.scope == "touched" else decl.header_end
            if not any(decl.line <= n <= last for n in added):
                continue
            found.append(_target(path, decl, source))
        return FileScan(tuple(found))

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """Go has one convention (godoc); the setting has nothing to choose."""
        return CommentStyle("godoc", types=False)

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """``// Name ...`` lines wrapped to the line length left after the indentation."""
        width = line_length - len(target.body_indent.expandtabs(4))
        kind = _GO_KINDS.get(target.kind, "function")
        group = target.kind in (TargetKind.CONSTANT, TargetKind.VARIABLE)
        if group and _GROUP.match(target.source):
            return go_render.render(draft, target.qualname, kind="group", width=width)
        text = go_render.render(draft, target.qualname, kind=kind, width=width)
        # Above a //go: directive block the comment ends with an empty // line, as gofmt
        # (Go 1.19+) writes doc comments that directives follow.
        return text + "\n//" if target.anchor < target.line else text

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """The comment inserted above the anchor (the directive block, if any), proven."""
        return treeproof.insert(
            GRAMMAR,
            source,
            path=target.path,
            anchor=target.anchor,
            rendered=rendered,
            indent=target.body_indent,
            what=f"{target.path}:{target.line} {target.qualname}",
        )

    def check_safe(self, original: str, modified: str) -> None:
        """Only comments differ, and no new syntax error."""
        treeproof.check_same_but_comments(GRAMMAR, original, modified)


def _target(path: str, decl: GoDecl, source: bytes) -> Target:
    params, returns = _signature(decl.node, source)
    node = decl.node
    return Target(
        path=path,
        qualname=decl.name,
        kind=_KINDS[decl.kind],
        line=decl.line,
        end_line=decl.end_line,
        header_end=decl.header_end,
        body_indent=decl.indent,
        one_liner=False,
        params=params,
        returns=returns,
        returns_value=returns is not None,
        source=source[node.start_byte : node.end_byte].decode("utf-8", "replace"),
        language="go",
        anchor=decl.anchor,
    )


def _text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _signature(node: Node, source: bytes) -> tuple[tuple[Param, ...], str | None]:
    """A function's named parameters (with their types) and its result as written."""
    if node.type not in ("function_declaration", "method_declaration"):
        return (), None
    params: list[Param] = []
    plist = node.child_by_field_name("parameters")
    for decl in plist.named_children if plist is not None else ():
        kind_node = decl.child_by_field_name("type")
        annotation = _text(kind_node, source) if kind_node is not None else None
        for name in decl.children_by_field_name("name"):
            if _text(name, source) != "_":
                params.append(Param(_text(name, source), "positional", annotation))
    result = node.child_by_field_name("result")
    return tuple(params), (_text(result, source) if result is not None else None)


LANGUAGE: Language = Go()
