"""A stale target and its draft -> a Result whose suggestion repairs the docstring in place.

The draft (from the LLM or the offline writer) is used for one thing only: the words of
entries for parameters the docstring does not mention yet.  The suggestion replaces the
smallest run of lines that carries the edit, and is proven like every other one: the
module still parses, its code is unchanged, and the docstring changed only in the
entries the findings named (``repair.verify``).
"""

from __future__ import annotations

import inspect

from bot.docmodel import DocstringDraft
from bot.errors import UnsafeSuggestion
from bot.model import Result, Status, Suggestion, Target
from bot.pysource import SourceLines, physical_lines
from bot.repair import NewEntry, Unrepairable, repair, verify
from bot.stale import literal
from bot.suggest import apply, check_safe


def finish_stale(target: Target, draft: DocstringDraft, *, source: str, line_length: int) -> Result:
    """Repair ``target``'s docstring with the draft's words for new entries, and prove it."""
    assert target.docstring_lines is not None
    first, last = target.docstring_lines
    doc = literal(SourceLines(source), first, last)
    if doc is None:
        return Result(target, Status.SKIPPED, "the docstring is not a triple-quoted string")
    new = {p.name.lstrip("*"): NewEntry(p.description, p.type) for p in draft.params}
    try:
        fixed = repair(doc.lines, target.params, new, width=line_length)
        verify(doc.lines, fixed, target.params)
        suggestion = _suggestion(target, source, doc.lines, fixed.lines, first)
        check_safe(source, apply(source, [suggestion]))
    except Unrepairable as exc:
        return Result(target, Status.SKIPPED, f"stale docstring left to its author: {exc}")
    except UnsafeSuggestion as exc:
        return Result(target, Status.FAILED, f"unsafe suggestion dropped: {exc}")
    text = inspect.cleandoc("\n".join(fixed.lines))
    return Result(target, Status.SUGGESTED, None, text, suggestion)


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
    if start == stop or start == len(new) - tail:
        start -= 1  # a pure insertion or deletion: the line above carries it
    replaced = new[start : len(new) - tail]
    eol = _eol(lines[first + start - 1])
    return Suggestion(target.path, first + start, first + stop - 1, eol.join(replaced))


def _eol(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\r" if line.endswith("\r") else "\n"
