"""A stale target and its draft -> a Result whose suggestion repairs the docstring in place.

The draft (from the LLM or the offline writer) gives the words of new entries
(parameters the docstring does not mention yet, and with ``stale_checks`` the Returns,
Yields or Raises entries it gains), or says that one of the parameters is a documented
one renamed (its entry is then kept under the new name); nothing else.  The repairs go
in steps, each proven by its own module: sections (``sections_repair``), parameter
entries (``repair``), then types (``types_repair``, ``returntypes_repair``).  The
suggestion replaces the smallest run of lines that carries the edit, and is proven like
every other one: the module still parses, its code is unchanged, and the docstring
changed only where the findings named.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Sequence

from bot import returntypes, returntypes_repair, sections_repair, typechecks, types_repair
from bot.docentries import DocStyle, Layout, read
from bot.docmodel import DocstringDraft, ReturnDoc
from bot.errors import UnsafeSuggestion
from bot.model import Result, Status, Suggestion, Target
from bot.pysource import physical_lines
from bot.renames import claims
from bot.repair import NewEntry, Unrepairable, repair, verify
from bot.returntypes import section_types
from bot.sections_repair import Code, Words, is_section_finding
from bot.sectionwords import node_of
from bot.stale import Literal, documented_names, literal
from bot.stalechecks import FuncNode


def finish_stale(target: Target, draft: DocstringDraft, *, source: str, line_length: int) -> Result:
    """Repair ``target``'s docstring with the draft's words for new entries, and prove it."""
    assert target.docstring_lines is not None
    first, last = target.docstring_lines
    doc = literal(physical_lines(source), first, last)
    if doc is None:
        return Result(target, Status.SKIPPED, "the docstring is not a triple-quoted string")
    new = {
        p.name.lstrip("*"): NewEntry(_inert(p.description, doc) or "", _inert(p.type, doc))
        for p in draft.params
    }
    # A claim is checked again here: a draft may come from a cache entry, as hostile as a model.
    renames = claims(draft, target)[0]
    renamed: tuple[tuple[str, str], ...] = ()
    try:
        words = _words(draft, doc)
        lines = _mend_sections(target, words, doc, line_length)
        if any(f.code.startswith("DOC10") and f.code != "DOC105" for f in target.findings):
            fixed = repair(lines, target.params, new, width=line_length, renames=renames)
            verify(lines, fixed, target.params)
            lines = fixed.lines
            renamed = tuple((old, to) for old, to, _ in fixed.renamed if old in renames)
        lines = _mend_types(target, lines, words, line_length)
        suggestion = _suggestion(target, source, doc.lines, lines, first)
        _prove(target, physical_lines(source), suggestion, doc)
    except Unrepairable as exc:
        return Result(target, Status.SKIPPED, f"stale docstring left to its author: {exc}")
    except UnsafeSuggestion as exc:
        return Result(target, Status.FAILED, f"unsafe suggestion dropped: {exc}")
    text = inspect.cleandoc("\n".join(lines))
    return Result(target, Status.SUGGESTED, None, text, suggestion, renamed=renamed)


def _mend_sections(target: Target, words: Words, doc: Literal, width: int) -> tuple[str, ...]:
    """The docstring with its Returns, Yields and Raises sections made true, proven."""
    codes = [f.code for f in target.findings if is_section_finding(f)]
    if not codes:
        return doc.lines
    node, layout = _read_again(target, doc.lines)
    assert target.docstring_lines is not None
    code = Code(node, constructor=target.docstring_lines[0] < target.line)
    fixed = sections_repair.mend(doc.lines, layout.style, codes, code, words, width=width)
    sections_repair.verify(doc.lines, fixed, layout.style, code)
    return fixed.lines


def _mend_types(
    target: Target, lines: tuple[str, ...], words: Words, width: int
) -> tuple[str, ...]:
    """The docstring with the argument types (DOC105) and return type (DOC203) rewritten."""
    codes = {f.code for f in target.findings}
    if not codes & {"DOC105", "DOC203", "DOC404"}:
        return lines
    node, layout = _read_again(target, lines)
    expected = documented_names(target.params)
    # Entries the argument repair wrote need types too once types are checked.
    if typechecks.findings(node, lines, layout, expected):
        fixed = types_repair.mend(lines, layout, node, expected)
        types_repair.verify(lines, fixed, node, expected)
        lines = fixed
        layout = read(lines) or layout
    for code_, kind, adds in (("DOC203", "returns", "DOC201"), ("DOC404", "yields", "DOC402")):
        if code_ in codes:
            lines = _typed_section(lines, layout.style, node, kind, adds, words, width)
    return lines


def _read_again(target: Target, lines: Sequence[str]) -> tuple[FuncNode, Layout]:
    """The target's function and its docstring's layout, as the scan read them."""
    node, layout = node_of(target), read(lines)
    if node is None or layout is None:
        raise Unrepairable("its function or its docstring could not be read again")
    return node, layout


def _typed_section(
    lines: tuple[str, ...],
    style: DocStyle,
    node: FuncNode,
    kind: str,
    adds: str,
    words: Words,
    width: int,
) -> tuple[str, ...]:
    """The Returns (Yields) section typed by the annotation: its type rewritten, or the
    section added, typed, with the writer's words."""
    if section_types(lines, style, kind) is not None:
        fixed = returntypes_repair.mend(lines, style, node, kind)
        returntypes_repair.verify(lines, fixed, style, node, kind)
        return fixed
    code = Code(node, typed=True)
    added = sections_repair.mend(lines, style, [adds], code, words, width=width)
    sections_repair.verify(lines, added, style, code)
    check = returntypes.findings if kind == "returns" else returntypes.yield_findings
    if check(node, added.lines, style):
        raise UnsafeSuggestion(
            f"the added {kind.title()} section's type disagrees with the annotation"
        )
    return added.lines


def _words(draft: DocstringDraft, doc: Literal) -> Words:
    """The writer's words for new section entries, inert as docstring text."""
    return Words(
        _said(draft.returns, doc),
        _said(draft.yields, doc),
        {r.exception: _inert(r.description, doc) or "" for r in draft.raises},
    )


def _said(section: ReturnDoc | None, doc: Literal) -> NewEntry | None:
    if section is None:
        return None
    return NewEntry(_inert(section.description, doc) or "", _inert(section.type, doc))


def _inert(text: str | None, doc: Literal) -> str | None:
    """The writer's words as docstring text: they can neither close the literal nor escape."""
    if text is None:
        return None
    if not doc.raw:
        text = text.replace("\\", "\\\\")
    while doc.quote in text:
        text = text.replace(doc.quote, doc.quote[:2])
    return text.rstrip("\\") if doc.raw else text


def _suggestion(
    target: Target, source: str, old: tuple[str, ...], new: tuple[str, ...], first: int
) -> Suggestion:
    """Replace the fewest whole file lines: the changed ones, or one neighbour for an insertion.

    Only docstring lines strictly between the quotes' lines change, so the file's lines
    for them are the docstring's lines plus their line endings.
    """
    lines = physical_lines(source)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if head == 0 or tail == 0:
        raise UnsafeSuggestion(f"{target.qualname}: the repair reached the docstring's quotes")
    start, stop = head, len(old) - tail  # old[start:stop] becomes new[start:len(new)-tail]
    end = len(new) - tail
    if start in (stop, end):  # a pure insertion or deletion: a neighbour carries it
        if start > 1:
            start -= 1
        elif tail > 1:
            stop, end = stop + 1, end + 1
        else:
            raise UnsafeSuggestion(f"{target.qualname}: no line of the docstring can carry it")
    replaced = new[start:end]
    eol = _eol(lines[first + start - 1])
    return Suggestion(target.path, first + start, first + stop - 1, eol.join(replaced))


def _eol(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\r" if line.endswith("\r") else "\n"


# Why a local proof is enough.  The edit replaces whole lines strictly between the opening
# and the closing line of the docstring's literal, which the scan found as the first
# statement of its definition.  The literal's lines alone, parsed before and after (under
# ``if 1:`` for their indentation), must each be a string statement followed by the same
# statements (what shares the closing line, like a comment or ``; x = 1``): then the module
# tokenizes as before up to the literal's first line and from the line after its last,
# and the only change to its tree is that string's value, the docstring.


def _prove(target: Target, lines: Sequence[str], suggestion: Suggestion, doc: Literal) -> None:
    first, last = doc.first, doc.last
    if not first < suggestion.start_line <= suggestion.end_line < last:
        raise UnsafeSuggestion(f"{target.qualname}: the edit reaches past the docstring's lines")
    eol = _eol(lines[suggestion.end_line - 1])
    old = "".join(lines[first - 1 : last])
    new = "".join(
        (
            *lines[first - 1 : suggestion.start_line - 1],
            suggestion.replacement + eol,
            *lines[suggestion.end_line : last],
        )
    )
    before, after = _statements(old, target), _statements(new, target)
    if ast.dump(ast.Module(before[1:], [])) != ast.dump(ast.Module(after[1:], [])):
        raise UnsafeSuggestion(f"{target.qualname}: the edit would change code after the docstring")


def _statements(snippet: str, target: Target) -> list[ast.stmt]:
    try:
        tree = ast.parse("if 1:\n" + snippet.removeprefix("\ufeff"))
    except (SyntaxError, ValueError) as exc:
        raise UnsafeSuggestion(
            f"{target.qualname}: the edited docstring does not parse ({exc.args[0]})"
        ) from None
    outer = tree.body[0]
    assert isinstance(outer, ast.If)
    head = outer.body[0]
    if not (isinstance(head, ast.Expr) and isinstance(head.value, ast.Constant)):
        raise UnsafeSuggestion(f"{target.qualname}: the docstring would not stay one string")
    if not isinstance(head.value.value, str):
        raise UnsafeSuggestion(f"{target.qualname}: the docstring would not stay a string")
    return outer.body
