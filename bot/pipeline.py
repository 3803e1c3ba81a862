"""The pure stages of DESIGN.md's pipeline, per file, over plain data.

``scan_file`` turns one changed file into targets; ``finish`` turns a target and a
provider's draft into a ``Result`` carrying a proven-safe suggestion.  Both are
pure and picklable, so the runner may fan them out over processes.  What is
language-specific (targets, style, rendering, placement, proof) is the file's adapter's
(``bot.languages``); this module only routes to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages import CommentStyle, Project, Registry, adapter
from bot.mend import finish_stale
from bot.model import FileDiff, Result, Skip, Status, Target
from bot.paths import glob_selected
from bot.pickling import by_constructor
from bot.providers.base import DraftOutcome
from bot.targets import TargetOptions

_LONE_CR = re.compile(r"\r(?!\n)")
_NO_PROJECT = Project()
_REGISTRY = Registry()


@by_constructor
@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What scanning one file gave: targets and style votes, or why it was skipped."""

    path: str
    targets: tuple[Target, ...] = ()
    votes: Counter[str] = field(default_factory=Counter)
    """The existing doc comments' votes for a style (the adapter's ``FileScan.votes``)."""
    skip: Skip | None = None
    language: str = ""
    """The adapter that scanned the file (empty when it was skipped before that)."""
    notes: tuple[str, ...] = ()


def scan_file(
    diff: FileDiff,
    text: str,
    options: TargetOptions,
    registry: Registry = _REGISTRY,
    project: Project = _NO_PROJECT,
) -> ScanOutcome:
    """Targets of one changed file; a file no language owns, that does not parse, or whose
    lines git numbers differently from the parser, is skipped with the reason."""
    path = diff.path
    language = registry.language_for(path)
    if language is None:
        return ScanOutcome(path, skip=Skip(path, "not a file of a language docbot reads"))
    by_glob = glob_selected(path, options)
    if isinstance(by_glob, Skip):
        return ScanOutcome(path, skip=by_glob)
    reason = language.skip_reason(path, text, included=by_glob)
    if reason is not None:
        return ScanOutcome(path, skip=Skip(path, reason))
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
                f" differ from {language.name}'s; use LF or CRLF line endings",
            ),
        )
    try:
        found = language.scan(path, text, diff.added, options, project=project)
    except UnparsableFile as exc:
        return ScanOutcome(path, skip=Skip(path, str(exc)))
    return ScanOutcome(path, found.targets, found.votes, language=language.name, notes=found.notes)


@by_constructor
@dataclass(frozen=True, slots=True)
class FinishJob:
    """The targets of one file with their drafts, to render and prove."""

    path: str
    items: tuple[tuple[Target, DraftOutcome], ...]
    style: CommentStyle
    line_length: int


def finish(
    target: Target,
    outcome: DraftOutcome,
    *,
    source: str,
    style: CommentStyle,
    line_length: int,
) -> Result:
    """Render a draft in the style and make the suggestion, dropping any that is not safe."""
    if outcome.draft is None:
        return Result(target, outcome.status, outcome.reason, usage=outcome.usage)
    if target.problem == "stale":
        stale = finish_stale(target, outcome.draft, source=source, line_length=line_length)
        return replace(stale, usage=outcome.usage)
    language = adapter(target.language)
    if language is None:
        return Result(target, Status.FAILED, f"no adapter for {target.language}")
    docstring = language.render(outcome.draft, target, style, line_length=line_length)
    try:
        suggestion = language.suggest(target, source, docstring)
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
