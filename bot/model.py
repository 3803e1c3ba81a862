"""The plain records that cross the pipeline's stage boundaries.

Every stage consumes and produces these and nothing else, so each stage can be
tested as a pure function.  See DESIGN.md for the pipeline they describe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Literal

from bot.pickling import by_constructor

FileStatus = Literal["added", "modified", "renamed", "deleted", "binary"]


@by_constructor
@dataclass(frozen=True, slots=True)
class FileDiff:
    """What a diff says about one file, in new-file line numbers (1-based)."""

    path: str
    """Posix path of the new file, relative to the repository root."""
    old_path: str | None
    status: FileStatus
    added: frozenset[int]
    """Lines the change adds."""
    hunks: tuple[tuple[int, int], ...] = ()
    """Inclusive (first, last) new-file line ranges of each hunk: the lines a
    review comment may sit on (added and context lines, RIGHT side)."""

    def commentable(self, line: int) -> bool:
        """Whether a review comment can be placed on ``line``."""
        return any(first <= line <= last for first, last in self.hunks)

    def same_hunk(self, start: int, end: int) -> bool:
        """Whether ``start..end`` lies inside one hunk (GitHub's rule for ``start_line``)."""
        return any(first <= start and end <= last for first, last in self.hunks)


class TargetKind(StrEnum):
    """What sort of definition a target is; values are the JSON contract's ``kind``."""

    FUNCTION = "function"
    METHOD = "method"
    CLASS = "class"
    NESTED_CLASS = "nested_class"
    MODULE = "module"
    # Declarations other languages document that Python has no word for (Go, Rust).
    CONSTANT = "constant"
    VARIABLE = "variable"
    FIELD = "field"
    VARIANT = "variant"
    MACRO = "macro"


ParamKind = Literal[
    "positional_only", "positional", "var_positional", "keyword_only", "var_keyword"
]


@by_constructor
@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a signature, as written in the source."""

    name: str
    kind: ParamKind
    annotation: str | None = None
    default: str | None = None


Problem = Literal["missing", "stale"]


@by_constructor
@dataclass(frozen=True, slots=True)
class Finding:
    """One way a docstring disagrees with its signature, in pydoclint's codes."""

    code: str
    message: str
    names: tuple[str, ...] = ()
    """The arguments concerned, as the signature or the docstring spell them."""


@by_constructor
@dataclass(frozen=True, slots=True)
class Target:
    """A public definition the change adds or alters that has no docstring.

    All line numbers are 1-based lines of the new file.  ``line`` is the line of the
    ``def``/``class`` keyword; ``header_end`` the line holding the colon that ends the
    header.  For a module target ``line == header_end == 1`` and the docstring goes on
    top of the file.
    """

    path: str
    qualname: str
    kind: TargetKind
    line: int
    end_line: int
    header_end: int
    body_indent: str
    """Indentation the docstring gets: the body's, or header's plus one level of the
    file's unit (tab or spaces) for a one-liner."""
    one_liner: bool
    """The body starts on the header's last line (``def f(): return 1``)."""
    is_async: bool = False
    decorators: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    """Documentable parameters: ``self``/``cls`` already removed."""
    returns: str | None = None
    """Return annotation as written, if any."""
    returns_value: bool = False
    """The body has a ``return <value>`` (or is a lambda-like one-liner returning one)."""
    is_generator: bool = False
    raises: tuple[str, ...] = ()
    """Exception names the body raises explicitly, in order of appearance."""
    bases: tuple[str, ...] = ()
    """Base classes as written (classes only)."""
    source: str = ""
    """The definition's source, decorators through its last line, as in the file."""
    language: str = "python"
    """The adapter that found it (``bot.languages``): its name, as in prompts and cache keys."""
    anchor: int = 0
    """Comment languages: the line the doc comment goes above (decorators, annotations,
    attributes and export keywords stay below it); 0 for Python, whose docstring goes
    inside the definition."""
    type_params: tuple[str, ...] = ()
    """Names of the declaration's type parameters (``<T, U>``), where the language has them."""
    problem: Problem = "missing"
    """``missing``: no docstring; ``stale``: its docstring disagrees with the signature."""
    findings: tuple[Finding, ...] = ()
    """What made a stale docstring stale (DOC101-DOC104)."""
    docstring_lines: tuple[int, int] | None = None
    """A stale docstring's literal: its first and last line in the file (for an
    ``__init__`` documented on its class, the class's docstring)."""


@by_constructor
@dataclass(frozen=True, slots=True)
class Skip:
    """A file or target the run passed over, and why, in words a user can act on."""

    path: str
    reason: str
    qualname: str | None = None
    line: int | None = None


@by_constructor
@dataclass(frozen=True, slots=True)
class Suggestion:
    """Replace lines ``start_line..end_line`` (inclusive, new file) with ``replacement``.

    ``replacement`` holds the replaced lines' new text with the file's line endings,
    without the final line ending (GitHub's suggestion block semantics).
    """

    path: str
    start_line: int
    end_line: int
    replacement: str


class Status(StrEnum):
    """Outcome of one target; values are the JSON contract's ``status``."""

    SUGGESTED = "suggested"
    SKIPPED = "skipped"
    FAILED = "failed"


@by_constructor
@dataclass(frozen=True, slots=True)
class Usage:
    """What answering cost: tokens, requests and money, summed with ``+``."""

    llm_requests: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @classmethod
    def total(cls, usages: Iterable[Usage]) -> Usage:
        """The sum of ``usages``, field by field (one record, not one per addition)."""
        every, zero = list(usages), cls()
        # Each sum starts from the field's zero, so an empty total's cost is still 0.0.
        names = [f.name for f in fields(cls)]
        return cls(*(sum((getattr(u, n) for u in every), getattr(zero, n)) for n in names))

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            llm_requests=self.llm_requests + other.llm_requests,
            cache_hits=self.cache_hits + other.cache_hits,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens + other.cached_prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
        )


@by_constructor
@dataclass(frozen=True, slots=True)
class Result:
    """The end of the pipeline for one target."""

    target: Target
    status: Status
    reason: str | None = None
    docstring: str | None = None
    """The docstring's text (unindented, without quotes) when one was written."""
    suggestion: Suggestion | None = None
    usage: Usage = field(default_factory=Usage)
    renamed: tuple[tuple[str, str], ...] = ()
    """A repaired stale docstring's entries kept under a new name: (old name, new name)."""
