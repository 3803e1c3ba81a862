"""Inserting a doc comment above a declaration, and the proof that it changes nothing else.

One proof for every tree-sitter language (DESIGN.md, "Other languages"): the file with
the comment inserted

1. parses with no ERROR or MISSING node that the original did not have,
2. has, once every comment node is removed, the same syntax tree as the original: the
   same node kinds in the same shape, and the same text in every non-comment leaf,
3. holds the original's comments unchanged, plus comment nodes that cover exactly the
   inserted lines, which are exactly the rendered comment, indented.

(1) is implied by (2) but checked on its own for a clear reason.  Because the text
outside the inserted lines is byte for byte the original's, (3) reduces to comparing
comment spans: one that straddles an edge of the inserted lines (an insertion inside an
open block comment) or changed text outside them fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import zip_longest

import tree_sitter

from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.model import Suggestion

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
"""Lines as git counts them: only a line feed ends one (a CR stays in its line)."""
_EOL = re.compile(r"\r?\n\Z")


@dataclass(frozen=True)
class Grammar:
    """A tree-sitter grammar and what counts as a comment in it.

    ``load`` returns the grammar's language capsule (``tree_sitter_typescript.language_tsx``
    ...); the parser is made on first use in each process, so the record pickles.
    """

    name: str
    load: Callable[[], object]
    comment_types: frozenset[str] = frozenset({"comment"})

    def language_object(self) -> tree_sitter.Language:
        """The grammar as tree-sitter's ``Language`` (for queries)."""
        return self._parser().language  # type: ignore[return-value]

    def parse(self, text: str | bytes) -> tree_sitter.Tree:
        """The syntax tree of ``text`` (UTF-8 encoded when a ``str``)."""
        parser = self._parser()
        data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        return parser.parse(data)

    def _parser(self) -> tree_sitter.Parser:
        parser = _PARSERS.get(self.name)
        if parser is None:
            parser = _PARSERS[self.name] = tree_sitter.Parser(tree_sitter.Language(self.load()))
        return parser


_PARSERS: dict[str, tree_sitter.Parser] = {}
"""One parser per grammar and process (parsers do not pickle; grammars do)."""


def lines_of(source: str) -> list[str]:
    """``source`` split into lines as git numbers them, endings kept."""
    return _LINE.findall(source)


def eol_of(lines: list[str], number: int) -> str:
    """The line ending of line ``number``, else the first line's, else ``\\n``."""
    for candidate in (lines[number - 1] if 0 < number <= len(lines) else "", *lines[:1]):
        match = _EOL.search(candidate)
        if match:
            return match.group()
    return "\n"


def indented(rendered: str, indent: str, eol: str) -> str:
    """The comment's lines as they stand in the file: each prefixed with ``indent``
    (blank lines stay empty), each ended with ``eol``."""
    return "".join((indent + line if line else line) + eol for line in rendered.split("\n"))


def insert(
    grammar: Grammar, source: str, *, path: str, anchor: int, rendered: str, indent: str, what: str
) -> Suggestion:
    """The proven suggestion putting ``rendered`` above line ``anchor`` of ``source``.

    The suggestion replaces line ``anchor`` by the comment plus that line unchanged, the
    way a GitHub suggestion block adds lines.  ``what`` names the target in a failure's
    reason.  Raises ``UnsafeSuggestion`` when the proof fails.
    """
    lines = lines_of(source)
    if not 1 <= anchor <= len(lines):
        raise UnsafeSuggestion(f"{what}: line {anchor} is not in the file")
    eol = eol_of(lines, anchor)
    comment = indented(rendered, indent, eol)
    before = "".join(lines[: anchor - 1])
    modified = before + comment + "".join(lines[anchor - 1 :])
    start = len(before.encode("utf-8", "surrogatepass"))
    prove_insertion(grammar, source, modified, start=start, inserted=comment, what=what)
    replacement = comment + lines[anchor - 1].removesuffix("\n").removesuffix("\r")
    return Suggestion(path, anchor, anchor, replacement)


def prove_insertion(
    grammar: Grammar, original: str, modified: str, *, start: int, inserted: str, what: str
) -> None:
    """Raise ``UnsafeSuggestion`` unless ``modified`` is ``original`` with the comment
    ``inserted`` placed at byte ``start`` and nothing else changed (the module's three
    conditions)."""
    old = original.encode("utf-8", "surrogatepass")
    new = modified.encode("utf-8", "surrogatepass")
    block = inserted.encode("utf-8", "surrogatepass")
    end = start + len(block)
    if new[:start] != old[:start] or new[start:end] != block or new[end:] != old[start:]:
        raise UnsafeSuggestion(f"{what}: the edit is not the comment's insertion")
    before, after = grammar.parse(old).root_node, grammar.parse(new).root_node
    if _errors(after) > _errors(before):
        raise UnsafeSuggestion(f"{what}: the edited file has a syntax error the original has not")
    if not _same_code(before, old, after, new, grammar.comment_types):
        raise UnsafeSuggestion(f"{what}: the edit would change the code, not only comments")
    shift = len(block)
    kept = [
        (lo if lo < start else lo + shift, hi if lo < start else hi + shift)
        for lo, hi in _comment_spans(before, grammar.comment_types)
    ]
    spans = list(_comment_spans(after, grammar.comment_types))
    inside = [(lo, hi) for lo, hi in spans if start <= lo and hi <= end]
    outside = [(lo, hi) for lo, hi in spans if (lo, hi) not in inside]
    if outside != kept:
        raise UnsafeSuggestion(
            f"{what}: the comment would merge with the code or comments around it"
        )
    rest = bytearray(block)
    for lo, hi in inside:
        rest[lo - start : hi - start] = b" " * (hi - lo)
    if not inside or rest.strip():
        raise UnsafeSuggestion(f"{what}: the inserted lines would not be exactly the comment")


def check_same_but_comments(grammar: Grammar, original: str, modified: str) -> None:
    """Raise ``UnsafeSuggestion`` unless the two files differ only in comments (and the
    whitespace around them) and ``modified`` has no new syntax error."""
    old = original.encode("utf-8", "surrogatepass")
    new = modified.encode("utf-8", "surrogatepass")
    before, after = grammar.parse(old).root_node, grammar.parse(new).root_node
    if _errors(after) > _errors(before):
        raise UnsafeSuggestion("the edited file has a syntax error the original has not")
    if not _same_code(before, old, after, new, grammar.comment_types):
        raise UnsafeSuggestion("the edit changes code, not only comments")


def parse_or_skip(grammar: Grammar, path: str, text: str) -> tree_sitter.Tree:
    """The tree of ``text``; ``UnparsableFile`` when nothing of it is code (a binary or a
    file in another language yields only an ERROR root)."""
    tree = grammar.parse(text)
    root = tree.root_node
    if root.type == "ERROR" or (root.child_count and all(c.type == "ERROR" for c in root.children)):
        raise UnparsableFile(f"{path}:1: not {grammar.name} source")
    return tree


def first_error_line(root: tree_sitter.Node) -> int:
    """1-based line of the first ERROR or MISSING node in ``root`` (1 when there is none):
    where a file that does not parse is said to break."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return int(node.start_point[0]) + 1
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return 1


# --- walking ---------------------------------------------------------------------------------


def _errors(root: tree_sitter.Node) -> int:
    if not root.has_error:
        return 0
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count


def _same_code(
    left: tree_sitter.Node,
    left_text: bytes,
    right: tree_sitter.Node,
    right_text: bytes,
    comments: frozenset[str],
) -> bool:
    end = object()
    pairs = zip_longest(
        _code(left, left_text, comments), _code(right, right_text, comments), fillvalue=end
    )
    return all(a == b for a, b in pairs)


def _code(root: tree_sitter.Node, text: bytes, comments: frozenset[str]) -> Iterator[object]:
    """The tree without its comments, flattened: a node's kind on the way in, ``None`` on
    the way out (so the shape is kept), and each leaf's text."""
    cursor = root.walk()
    while True:
        node = cursor.node
        assert node is not None
        descended = False
        if node.type not in comments:
            yield (node.type, node.is_missing)
            if node.child_count:
                descended = cursor.goto_first_child()
            else:
                yield text[node.start_byte : node.end_byte]
        if descended:
            continue
        if node.type not in comments:
            yield None
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            yield None


def _comment_spans(root: tree_sitter.Node, comments: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Byte spans of the outermost comment nodes, in order."""
    cursor = root.walk()
    while True:
        node = cursor.node
        assert node is not None
        if node.type in comments:
            yield node.start_byte, node.end_byte
        elif node.child_count and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
