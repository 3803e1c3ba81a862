"""A stale target and its draft -> a Result whose suggestion repairs the docstring in place.

The draft (from the LLM or the offline writer) gives the words of entries for parameters
the docstring does not mention yet, or says that one of them is a documented parameter
renamed (its entry is then kept under the new name); nothing else.  The suggestion
replaces the smallest run of lines that carries the edit, and is proven like every other
one: the module still parses, its code is unchanged, and the docstring changed only in
the entries the findings named (``repair.verify``).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Sequence

from bot.docmodel import DocstringDraft
from bot.errors import UnsafeSuggestion
from bot.model import Result, Status, Suggestion, Target
from bot.pysource import physical_lines
from bot.renames import claims
from bot.repair import NewEntry, Unrepairable, repair, verify
from bot.stale import Literal, literal
from bot.stalechecks import CHECK_OF


def finish_stale(target: Target, draft: DocstringDraft, *, source: str, line_length: int) -> Result:
    """Repair ``target``'s docstring with the draft's words for new entries, and prove it."""
    assert target.docstring_lines is not None
    unrepaired = unrepairable_checks(target)
    if unrepaired:
        return Result(target, Status.SKIPPED, f"repair of {unrepaired} not supported yet")
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
    try:
        fixed = repair(doc.lines, target.params, new, width=line_length, renames=renames)
        verify(doc.lines, fixed, target.params)
        suggestion = _suggestion(target, source, doc.lines, fixed.lines, first)
        _prove(target, physical_lines(source), suggestion, doc)
    except Unrepairable as exc:
        return Result(target, Status.SKIPPED, f"stale docstring left to its author: {exc}")
    except UnsafeSuggestion as exc:
        return Result(target, Status.FAILED, f"unsafe suggestion dropped: {exc}")
    text = inspect.cleandoc("\n".join(fixed.lines))
    renamed = tuple((old, to) for old, to, _ in fixed.renamed if old in renames)
    return Result(target, Status.SUGGESTED, None, text, suggestion, renamed=renamed)


def unrepairable_checks(target: Target) -> str:
    """The opt-in checks (``stale_checks``) whose findings the repair cannot fix yet."""
    checks = {f.code: CHECK_OF.get(f.code[:4]) for f in target.findings}
    return ", ".join(sorted({c for c in checks.values() if c is not None}))


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
