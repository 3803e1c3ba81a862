"""TypeScript and JavaScript behind the language protocol: eslint-plugin-jsdoc's targets,
TSDoc/JSDoc comments placed above decorators and ``export``, the tree-sitter proof.

``.ts .mts .cts`` (and ``.d.ts``) parse with tree-sitter-typescript, ``.tsx`` with its TSX
grammar, ``.js .jsx .mjs .cjs`` with tree-sitter-javascript, as typescript-eslint and
espree split them.  A file with a syntax error is skipped: eslint reports a parsing
error for it and nothing else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Node

from bot.docmodel import DocstringDraft
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages import estree, jsdoc
from bot.languages.base import CommentStyle, FileScan, Language, Project
from bot.languages.jsfacts import facts
from bot.languages.requirejsdoc import Finding, Rule, candidates
from bot.languages.treeproof import Grammar, check_same_but_comments, first_error_line, insert
from bot.model import Suggestion, Target, TargetKind
from bot.paths import TEST_FILE
from bot.targets import TargetOptions

TYPESCRIPT = Grammar("TypeScript", tree_sitter_typescript.language_typescript)
TSX = Grammar("TSX", tree_sitter_typescript.language_tsx)
JAVASCRIPT = Grammar("JavaScript", tree_sitter_javascript.language)

_TEST_FOLDERS = frozenset({"__tests__", "test", "tests"})


@dataclass(frozen=True)
class EcmaScript:
    """One of the two adapters (``typescript``, ``javascript``); they differ in files,
    grammar, the default comment style and whether JSDoc types are written."""

    name: str
    extensions: tuple[str, ...]
    convention: str

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """Test files unless included; eslint never lints ``node_modules``."""
        folders = path.split("/")[:-1]
        if "node_modules" in folders:
            return "dependency folder (eslint leaves node_modules out)"
        if included:
            return None
        name = path.rpartition("/")[2]
        if any(folder in _TEST_FOLDERS for folder in folders) or any(
            f".{word}." in name for word in ("test", "spec")
        ):
            return TEST_FILE
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
        """require-jsdoc's findings whose signature (or, touched, extent) holds an added line."""
        grammar = grammar_for(path)
        data = text.encode("utf-8", "surrogatepass")
        root = grammar.parse(data).root_node
        if root.has_error:
            raise UnparsableFile(
                f"{path}:{first_error_line(root)}: does not parse as {grammar.name}"
            )
        rule = Rule(root, data)
        votes = jsdoc.votes(text)
        targets = []
        touched = options.scope == "touched"
        for node in candidates(grammar.language_object(), root):
            first = node.start_point[0] + 1
            last = node.end_point[0] + 1 if touched else _signature_end(node)
            if not any(line in added for line in range(first, last + 1)):
                continue
            finding = rule.check(node)
            if finding is None:
                continue
            end = finding.node.end_point[0] + 1 if touched else _signature_end(finding.node)
            if any(line in added for line in range(finding.line, end + 1)):
                targets.append(_target(self.name, path, data, finding, votes["dotted"] > 0))
        return FileScan(tuple(_unique(targets)), votes)

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """The file's own comments first, then the run's, then TSDoc (``.ts``)/JSDoc (``.js``)."""
        return jsdoc.choose(file_votes, run_votes, configured, javascript=self.name == "javascript")

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """The ``/** ... */`` comment, unindented."""
        width = line_length - len(target.body_indent)
        return jsdoc.render(draft, style, width=width, type_params=target.type_params)

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """The comment above the anchor line, proven by ``treeproof``."""
        if target.one_liner:
            raise UnsafeSuggestion(
                f"{target.qualname}: other code starts line {target.anchor}; a comment above"
                " that line would not be this declaration's"
            )
        return insert(
            grammar_for(target.path),
            source,
            path=target.path,
            anchor=target.anchor,
            rendered=rendered,
            indent=target.body_indent,
            what=target.qualname,
        )

    def check_safe(self, original: str, modified: str) -> None:
        """Same syntax tree once comments are removed (TypeScript's grammar reads both)."""
        check_same_but_comments(TSX if "<" in original else TYPESCRIPT, original, modified)


def grammar_for(path: str) -> Grammar:
    """The grammar typescript-eslint or espree would read ``path`` with."""
    if path.endswith(".tsx"):
        return TSX
    if path.endswith((".ts", ".mts", ".cts")):
        return TYPESCRIPT
    return JAVASCRIPT


def _signature_end(node: Node) -> int:
    """The line where the declaration's body opens (``{``, ``=>``), or its last line."""
    body = node.child_by_field_name("body")
    if body is not None:
        if node.type == "arrow_function":
            arrow = next((c for c in node.children if c.type == "=>"), body)
            return arrow.end_point[0] + 1
        return body.start_point[0] + 1
    return node.end_point[0] + 1


def _target(language: str, path: str, data: bytes, finding: Finding, dotted: bool) -> Target:
    node = finding.node
    anchor_row = finding.anchor.start_point[0]
    line_start = data.rfind(b"\n", 0, finding.anchor.start_byte) + 1
    prefix = data[line_start : finding.anchor.start_byte].decode("utf-8", "replace")
    fact = facts(node, data, dotted=dotted)
    kind = _kind(node)
    return Target(
        path=path,
        qualname=fact.name,
        kind=kind,
        line=finding.line,
        end_line=node.end_point[0] + 1,
        header_end=max(_signature_end(node), finding.line),
        body_indent=prefix if not prefix.strip() else "",
        one_liner=bool(prefix.strip()),
        is_async=fact.is_async,
        decorators=fact.decorators,
        params=fact.params if kind is not TargetKind.CLASS else (),
        returns=fact.returns,
        returns_value=fact.returns_value,
        is_generator=fact.is_generator,
        raises=fact.raises,
        source=data[line_start : node.end_byte].decode("utf-8", "replace"),
        language=language,
        anchor=anchor_row + 1,
        type_params=fact.type_params,
    )


def _kind(node: Node) -> TargetKind:
    if node.type in estree.METHODS:
        return TargetKind.METHOD
    if node.type in (*estree.CLASS_DECLARATIONS, "class"):
        return TargetKind.CLASS
    return TargetKind.FUNCTION


def _unique(targets: list[Target]) -> list[Target]:
    """Qualnames made unique within the file (overloads, accessor pairs): ``name#2``."""
    seen: Counter[str] = Counter()
    unique = []
    for target in targets:
        seen[target.qualname] += 1
        if seen[target.qualname] > 1:
            from dataclasses import replace

            target = replace(target, qualname=f"{target.qualname}#{seen[target.qualname]}")
        unique.append(target)
    return unique


TYPESCRIPT_LANGUAGE: Language = EcmaScript(
    "typescript",
    (".ts", ".tsx", ".mts", ".cts"),
    "TypeScript; TSDoc or JSDoc block comments /** ... */ directly above the declaration"
    " (above its decorators and export keyword), with @param for each parameter,"
    " @returns, @throws; code renders the tags, the fields hold plain sentences.",
)
JAVASCRIPT_LANGUAGE: Language = EcmaScript(
    "javascript",
    (".js", ".jsx", ".mjs", ".cjs"),
    "JavaScript; JSDoc block comments /** ... */ directly above the declaration"
    " (above its export keyword or module.exports assignment), with @param for each"
    " parameter, @returns, @throws; give a parameter's type when the code shows it.",
)
LANGUAGE = TYPESCRIPT_LANGUAGE
