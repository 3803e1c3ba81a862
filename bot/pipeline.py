"""The pure stages of DESIGN.md's pipeline, per file, over plain data.

``scan_file`` turns one changed file into targets; ``finish`` turns a target and a
provider's draft into a ``Result`` carrying a proven-safe suggestion.  Both are
pure and picklable, so the runner may fan them out over processes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from bot.docmodel import without_annotated_types
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.mend import finish_stale
from bot.model import FileDiff, Result, Skip, Status, Target
from bot.paths import path_selected
from bot.providers.base import DraftOutcome
from bot.render import ConcreteStyle, render, style_votes
from bot.suggest import suggest
from bot.targets import TargetOptions, scan

_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What scanning one file gave: targets and style votes, or why it was skipped."""

    path: str
    targets: tuple[Target, ...] = ()
    votes: Counter[str] = field(default_factory=Counter)
    """The existing docstrings' votes for a style (``render.style_votes``)."""
    skip: Skip | None = None


def scan_file(diff: FileDiff, text: str, options: TargetOptions) -> ScanOutcome:
    """Targets of one changed file; a file that does not parse, or whose lines git numbers
    differently from Python, is skipped with the reason."""
    path = diff.path
    skip = path_selected(path, options)
    if skip is not None:
        return ScanOutcome(path, skip=skip)
    if "\r" in text and (lone := _LONE_CR.search(text)):
        # Python ends a line at a lone CR, git and GitHub do not: the diff's added lines and
        # a suggestion's lines would be counted two ways, and a committed suggestion would
        # replace the wrong lines.
        line = text.count("\n", 0, lone.start()) + 1
        return ScanOutcome(
            path,
            skip=Skip(
                path,
                f"{path}:{line}: a carriage return without a line feed makes git's line numbers"
                " differ from Python's; use LF or CRLF line endings",
            ),
        )
    try:
        found = scan(path, text, diff.added, options)
    except UnparsableFile as exc:
        return ScanOutcome(path, skip=Skip(path, str(exc)))
    return ScanOutcome(path, found.targets, style_votes(found.docstrings))


@dataclass(frozen=True, slots=True)
class FinishJob:
    """The targets of one file with their drafts, to render and prove."""

    path: str
    items: tuple[tuple[Target, DraftOutcome], ...]
    style: ConcreteStyle
    line_length: int
    types: bool = True
    """Whether parameter types the annotations state are repeated in the docstring."""


def finish(
    target: Target,
    outcome: DraftOutcome,
    *,
    source: str,
    style: ConcreteStyle,
    line_length: int,
    types: bool = True,
) -> Result:
    """Render a draft in the style and make the suggestion, dropping any that is not safe."""
    if outcome.draft is None:
        return Result(target, outcome.status, outcome.reason, usage=outcome.usage)
    if target.problem == "stale":
        stale = finish_stale(target, outcome.draft, source=source, line_length=line_length)
        return replace(stale, usage=outcome.usage)
    draft = outcome.draft if types else without_annotated_types(outcome.draft, target)
    docstring = render(draft, style, line_length=line_length, indent=target.body_indent)
    try:
        suggestion = suggest(target, source, docstring)
    except UnsafeSuggestion as exc:
        return Result(
            target,
            Status.FAILED,
            f"unsafe suggestion dropped: {exc}",
            docstring=docstring,
            usage=outcome.usage,
        )
    return Result(target, Status.SUGGESTED, None, docstring, suggestion, outcome.usage)


def finish_file(job: FinishJob, source: str) -> list[Result]:
    """``finish`` over one file's targets; of two suggestions on the same lines, the first wins.

    Two edits of one line cannot both be committed (a module docstring and a ``def`` on
    line 1), so the later one waits for the next run instead of breaking the patch.
    """
    results = []
    taken: list[tuple[int, int]] = []
    for target, outcome in job.items:
        result = finish(
            target,
            outcome,
            source=source,
            style=job.style,
            line_length=job.line_length,
            types=job.types,
        )
        if result.suggestion is not None:
            span = (result.suggestion.start_line, result.suggestion.end_line)
            if any(span[0] <= end and start <= span[1] for start, end in taken):
                result = replace(
                    result,
                    status=Status.SKIPPED,
                    suggestion=None,
                    reason="shares lines with another suggestion; run again after applying it",
                )
            else:
                taken.append(span)
        results.append(result)
    return results
