"""Rust behind the language protocol: rustc's ``missing_docs`` targets, ``///`` comments.

``crate`` reads the crate's public API from its sources, ``items`` decides what rustc
would report in one file, ``render`` writes rustdoc, ``treeproof`` inserts and proves.
"""

from __future__ import annotations

import re
from collections import Counter

from tree_sitter import Node

from bot.docmodel import DocstringDraft
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages import treeproof
from bot.languages.base import CommentStyle, FileScan, Language, Project
from bot.languages.rust import render as rs_render
from bot.languages.rust.crate import Crate, build, library_root
from bot.languages.rust.items import Context, RustItem, items
from bot.languages.rust.syntax import GRAMMAR, body, inner_documented, text
from bot.model import Param, Suggestion, Target, TargetKind
from bot.targets import TargetOptions

_KINDS = {
    "function": TargetKind.FUNCTION, "method": TargetKind.METHOD,
    "associated function": TargetKind.METHOD, "struct": TargetKind.CLASS,
    "enum": TargetKind.CLASS, "union": TargetKind.CLASS, "trait": TargetKind.CLASS,
    "type alias": TargetKind.CLASS, "associated type": TargetKind.CLASS,
    "constant": TargetKind.CONSTANT, "associated constant": TargetKind.CONSTANT,
    "static": TargetKind.VARIABLE, "module": TargetKind.MODULE, "macro": TargetKind.MACRO,
    "variant": TargetKind.VARIANT, "struct field": TargetKind.FIELD,
}  # fmt: skip
_NOUN_OF = {TargetKind.FUNCTION: "function", TargetKind.METHOD: "method", TargetKind.MACRO: "macro"}
_LEFT_OUT = ("tests", "benches", "examples")
_BINARY = re.compile(r"(?:^|/)src/(?:main\.rs|bin/[^/]+\.rs)$")
_PANICS = re.compile(
    rb"\b(?:panic|unreachable|todo|unimplemented|assert(?:_eq|_ne)?)!|\.(?:unwrap|expect)\("
)
_HEADINGS = re.compile(r"^\s*///\s*#\s+(Errors|Panics|Safety|Examples)\s*$", re.MULTILINE)
UNRESOLVED = (
    "{path}: the crate root {root} could not be read, so which items are public API is"
    " taken from their own `pub` alone"
)
UNREACHED = "{path}: not reached from the library root {root} through `mod` items: no targets"


class Rust:
    """The Rust adapter: rustc's ``missing_docs``, rustdoc ``///`` comments."""

    name = "rust"
    extensions: tuple[str, ...] = (".rs",)
    convention = (
        "Rust; rustdoc /// line comments above the item (and its attributes), a one-line"
        ' summary in the third person ("Returns ..."); list Err, panic or unsafe in'
        " raises for the # Errors, # Panics and # Safety sections, describing when"
    )

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """Integration tests, benchmarks and examples are not the library's API."""
        folders = path.split("/")[:-1]
        if not included and any(folder in _LEFT_OUT for folder in folders):
            return (
                "tests, benches or examples (not the crate's API; an include glob brings it back)"
            )
        return None

    def scan(
        self, path: str, text: str, added: frozenset[int], options: TargetOptions, *,
        project: Project,
    ) -> FileScan:  # fmt: skip
        """rustc's missing-docs items whose signature (or extent) holds an added line."""
        tree = treeproof.parse_or_skip(GRAMMAR, path, text)
        source = text.encode("utf-8", "surrogatepass")
        if tree.root_node.has_error:
            # rustc reports nothing for a file it cannot parse; neither does docbot.
            line = treeproof.first_error_line(tree.root_node)
            raise UnparsableFile(f"{path}:{line}: syntax error (rustc reports nothing here)")
        crate, module, notes = _crate_for(path, text, project)
        if module is None:
            return FileScan((), notes=notes)
        found = []
        for item in items(tree.root_node, source, module, _context(crate)):
            target = _target(path, item, source)
            last = target.end_line if options.scope == "touched" else target.header_end
            if any(target.line <= n <= last for n in added):
                found.append(target)
        votes = Counter(f"tag:{h.lower()}" for h in _HEADINGS.findall(text))
        return FileScan(tuple(found), votes, notes)

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """rustdoc, with the sections the file (else the run) already writes."""
        votes = file_votes if any(k.startswith("tag:") for k in file_votes) else run_votes
        tags = frozenset(k[4:] for k, n in votes.items() if k.startswith("tag:") and n)
        return CommentStyle("rustdoc", types=False, tags=tags)

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """``///`` lines wrapped to the line length left after the indentation."""
        width = line_length - len(target.body_indent.expandtabs(4))
        noun = _NOUN_OF.get(target.kind, "item")
        return rs_render.render(draft, noun=noun, width=width, tags=style.tags)

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """The comment inserted above the item's attributes, proven."""
        line = treeproof.lines_of(source)[target.line - 1] if target.line else ""
        if not line.strip().startswith(target.source[:40].split("\n")[0].strip()):
            raise UnsafeSuggestion(
                f"{target.path}:{target.line} {target.qualname}: shares its line with other"
                " code; a comment above the line would document that code instead"
            )
        return treeproof.insert(
            GRAMMAR, source, path=target.path, anchor=target.anchor, rendered=rendered,
            indent=target.body_indent, what=f"{target.path}:{target.line} {target.qualname}",
        )  # fmt: skip

    def check_safe(self, original: str, modified: str) -> None:
        """Only comments differ, and no new syntax error."""
        treeproof.check_same_but_comments(GRAMMAR, original, modified)


_CRATES: dict[tuple[str, str, tuple[tuple[str, int], ...]], Crate | None] = {}
"""The last crates read, per process: every file of a change shares its crate's reading
(the project's files are part of the key, so a changed file is a new reading)."""


def _crate_for(
    path: str, text: str, project: Project
) -> tuple[Crate | None, tuple[str, ...] | None, tuple[str, ...]]:
    if project.read(path) != text:
        project = Project({**project.files, path: text}, project.root)
    # A binary's root (src/main.rs, src/bin/*.rs) is a crate of its own; rustc asks its
    # pub items too. Its other modules are taken as the library's (not followed yet).
    root = path if _BINARY.search(path) else library_root(project, path) or "src/lib.rs"
    key = (str(project.root), root, tuple(sorted((k, hash(v)) for k, v in project.files.items())))
    if key not in _CRATES:
        if len(_CRATES) >= 4:
            _CRATES.pop(next(iter(_CRATES)))
        _CRATES[key] = build(project, root)
    crate = _CRATES[key]
    if crate is None:
        return None, (), (UNRESOLVED.format(path=path, root=root),)
    module = crate.module_of(path)
    if module is None:
        return crate, None, (UNREACHED.format(path=path, root=root),)
    notes = tuple(f"{path}: could not read module file {m}" for m in crate.unreadable)
    return crate, module, notes


def _context(crate: Crate | None) -> Context:
    if crate is None:
        return Context(lambda m, n: True, lambda m, n: True, lambda m: True, lambda m: False,
                       frozenset())  # fmt: skip

    def documented(module: tuple[str, ...]) -> bool:
        mod = crate.modules.get(module)
        return mod is not None and inner_documented(mod.container)

    return Context(crate.exported, crate.type_exported, crate.public, documented, crate.features)


def _target(path: str, item: RustItem, source: bytes) -> Target:
    node = item.node
    params, returns, raises = _signature(node, source)
    opening = body(node) or node.child_by_field_name("body")
    end = node.end_point.row + 1
    header_end = opening.start_point.row + 1 if opening is not None else end
    return Target(
        path=path, qualname=item.name, kind=_KINDS[item.noun], line=node.start_point.row + 1,
        end_line=end, header_end=header_end, body_indent=item.indent, one_liner=False,
        params=params, returns=returns, returns_value=returns is not None, raises=raises,
        source=text(node, source), language="rust", anchor=item.anchor,
    )  # fmt: skip


def _signature(node: Node, source: bytes) -> tuple[tuple[Param, ...], str | None, tuple[str, ...]]:
    if node.type not in ("function_item", "function_signature_item"):
        return (), None, ()
    params = []
    plist = node.child_by_field_name("parameters")
    for param in plist.named_children if plist is not None else ():
        pattern, kind = param.child_by_field_name("pattern"), param.child_by_field_name("type")
        if param.type == "parameter" and pattern is not None:
            params.append(Param(text(pattern, source), "positional",
                                text(kind, source) if kind is not None else None))  # fmt: skip
    result = node.child_by_field_name("return_type")
    returns = text(result, source) if result is not None else None
    raises = []
    if returns is not None and re.search(r"\bResult\b", returns):
        raises.append("Err")
    block = node.child_by_field_name("body")
    if block is not None and _PANICS.search(source[block.start_byte : block.end_byte]):
        raises.append("panic")
    modifiers = next((c for c in node.children if c.type == "function_modifiers"), None)
    if modifiers is not None and "unsafe" in text(modifiers, source).split():
        raises.append("unsafe")
    return tuple(params), returns, tuple(raises)


LANGUAGE: Language = Rust()
