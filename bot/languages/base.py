"""The protocol every language adapter implements, and the records it trades in.

A language is one adapter: the files it owns, the targets in a file given the lines a
change adds, the style of its doc comments read from the file's existing ones, rendering
a ``DocstringDraft`` into a doc comment, where the comment goes, and the proof that an
edit changes nothing but documentation.  The pipeline, providers, cache, reports, review
and Action only ever call the methods below; nothing outside ``bot/languages/`` knows a
language's syntax.

Conventions every adapter keeps (the pipeline relies on them):

- Lines are 1-based lines of the new file, counted as git counts them (``\\n`` ends a
  line; a lone ``\\r`` does not).  ``Target.line`` is the line the language's linter
  reports for the target (ruff: the ``def``/``class`` keyword; eslint: the start of the
  reported node; golint, checkstyle, rustc, csc likewise their own report line).
- A target is a declaration that the linter users already run would flag as missing its
  documentation, and whose signature (``scope="signature"``: ``Target.line`` through
  ``Target.header_end``) or whole extent (``scope="touched"``: through ``Target.end_line``)
  holds one of ``added``.  Nothing else.
- Adapters are stateless, picklable module-level singletons: worker processes call them.
- Every method is a pure function of its arguments; none reads settings, the
  environment or the file system.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.docmodel import DocstringDraft
from bot.errors import ChangeError
from bot.inert import inside
from bot.model import Suggestion, Target
from bot.pickling import by_constructor
from bot.targets import TargetOptions


@dataclass(frozen=True, slots=True)
class FileScan:
    """What one file holds for the pipeline: its targets and its doc comments' style votes."""

    targets: tuple[Target, ...]
    votes: Counter[str] = field(default_factory=Counter)
    """Evidence about how the file's existing doc comments are written, one count per
    observation; keys are the adapter's own (``"google"``, ``"tsdoc"``, ``"typed"``,
    ``"tag:returns"``...).  The pipeline only adds them up, per file and per language."""
    notes: tuple[str, ...] = ()
    """Things the run summary should say about this file in plain words ("could not read
    src/lib.rs: publicity of items in this file assumed from their own ``pub``")."""


@by_constructor
@dataclass(frozen=True, slots=True)
class CommentStyle:
    """How the doc comments of one file are to be written; chosen by the adapter.

    ``name`` is the adapter's own: ``google``/``numpy``/``sphinx`` for Python,
    ``tsdoc``/``jsdoc`` for TypeScript and JavaScript, ``godoc``, ``javadoc``,
    ``rustdoc``, ``xmldoc`` for the others.
    """

    name: str
    types: bool = True
    """Whether parameter and return types are written into the comment (Python: repeat
    annotated types; JSDoc: ``{type}`` in braces; TSDoc never has them)."""
    tags: frozenset[str] = frozenset()
    """Optional sections the code base writes and the rendering should too, in the
    adapter's words (``"returns"``, ``"throws"``, ``"template"``, ``"errors"``...)."""
    options: tuple[tuple[str, str], ...] = ()
    """Anything else the adapter decided from the file (``("params", "dotted")``...),
    as sorted ``(key, value)`` pairs so the record stays hashable and picklable."""


@dataclass(frozen=True)
class Project:
    """What a scan may read besides its own file, for languages whose rules span files
    (Rust: an item is public only if reachable from ``lib.rs`` through ``mod`` items).

    ``files`` holds the new text of every file of the change, by posix path; ``root``
    a checkout of the new versions when the run has one (``docbot dry-run`` in a git
    checkout, the Action's workspace at the head commit), else ``None``.
    """

    files: Mapping[str, str] = field(default_factory=dict)
    root: Path | None = None

    def read(self, path: str) -> str | None:
        """The new text of ``path`` (posix, relative to the repository), or ``None`` when
        the run cannot see that file: a change's own files first, then the checkout.
        A path that would leave the root (``..``, absolute, a symlink out) reads as ``None``."""
        if path in self.files:
            return self.files[path]
        if self.root is None:
            return None
        try:
            # A `#[path]` or `mod` name is the file's author's text: it may aim anywhere.
            return inside(self.root, path).read_text("utf-8")
        except (ChangeError, OSError, UnicodeDecodeError):
            return None


class Language(Protocol):
    """One programming language behind the pipeline.

    Attributes:
        name: Lower-case identifier (``python``, ``typescript``, ``javascript``, ``go``,
            ``java``, ``rust``, ``csharp``); it is ``Target.language``, part of every
            prompt-cache key, and the fence of code shown to the model.
        extensions: Suffixes the adapter owns by default, with the dot (``.ts``,
            ``.d.ts`` ...); settings may map more suffixes to it (``languages.registry``).
        convention: One or two sentences for the prompt naming the language and how its
            doc comments are written, e.g. "TypeScript; TSDoc block comments ``/** */``
            above the declaration, ``@param name - text``".  The draft schema is the same
            for every language; only this sentence and ``name`` differ in the prompt.
    """

    @property
    def name(self) -> str:
        """See the class docstring (a plain class attribute satisfies it)."""
        ...

    @property
    def extensions(self) -> tuple[str, ...]:
        """See the class docstring."""
        ...

    @property
    def convention(self) -> str:
        """See the class docstring."""
        ...

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """Why this file is left out, or ``None`` to scan it.

        The pipeline has already applied the ``exclude`` globs (they always win) and,
        when ``include`` globs are set, left out paths none of them match; ``included``
        says an ``include`` glob matched ``path``.  Left out by default, unless
        ``included``: test files (``tests/``, ``*.test.ts``, ``_test.go``,
        ``src/test/``...).  Left out always: files the linter never asks documentation
        of (Python's ``.pyi`` stubs) and generated files (Go's ``// Code generated ...
        DO NOT EDIT.``).  The reason is short plain words ("test file (left out by
        default; an include glob brings it back)").
        """
        ...

    def scan(
        self,
        path: str,
        text: str,
        added: frozenset[int],
        options: TargetOptions,
        *,
        project: Project,
    ) -> FileScan:
        """The file's targets in line order, and its doc comments' style votes.

        ``text`` is the whole new file, line endings kept; ``added`` its added lines.
        Each ``Target`` carries ``language=self.name``, ``line`` as the linter reports it,
        ``header_end`` the last line of the signature, ``end_line`` the last line of the
        declaration, ``anchor`` the first line the doc comment goes above (decorators,
        annotations, attributes, ``export``/``pub``/modifier keywords and Go's ``//go:``
        directive block all stay below it), ``body_indent`` the indentation the comment
        lines get (for comment languages: the anchor line's indentation), ``params``,
        ``returns``, ``raises`` and ``source`` as far as the language has them, so the
        template writer and the prompt work unchanged.  ``options.scope`` decides
        whether the signature or the whole declaration must hold an added line.
        ``project`` is only for rules that span files; a target whose status depends on a
        file the run cannot read is decided as the linter would with what it can read,
        and the adapter says so in the target-less ``FileScan.notes``.

        Raises ``UnparsableFile("path:line: why")`` when the file cannot be read as
        this language; a file whose tree has error nodes is skipped that way when the
        linter reports nothing for a file it cannot parse (eslint, rustc, javac), else
        scanned with declarations inside or overlapping an error node left out.
        """
        ...

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """The style to write one file's comments in.

        ``file_votes`` are the file's own ``FileScan.votes``, ``run_votes`` the sum over
        every file of this language in the run, ``configured`` the ``style`` setting
        (``auto`` or a name).  Python decides run-wide (the setting, else the run's
        votes); comment languages follow the file first, then the run, then their
        community's default (TSDoc in ``.ts``, JSDoc in ``.js``).  A ``configured`` name
        the language does not have (``google`` for Go) counts as ``auto``.
        """
        ...

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """The documentation text for ``target``, lines joined with ``\\n``, unindented.

        For Python the docstring's text without quotes (``suggest`` makes the literal).
        For comment languages the complete comment with its delimiters, exactly as it
        will stand in the file once each line is prefixed with ``target.body_indent``:
        ``/**``, `` * ...`` and `` */`` lines; ``// Name ...`` lines; ``/// ...`` lines;
        ``/// <summary>`` lines.  Lines fit ``line_length`` columns after indentation
        where words allow; text from the draft is made inert for the comment (no
        ``*/`` closes a block comment early, no line break escapes a line comment).
        """
        ...

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """The edit adding ``rendered`` (from ``render``) to ``target`` in ``source``.

        Comment languages replace the anchor line by the indented comment lines plus
        the anchor line unchanged, in the file's line endings (``treeproof.insert``), so
        the suggestion is ``anchor..anchor``; Python replaces the header lines.  Before
        returning, the edit is proven (``treeproof.prove_insertion`` for tree-sitter
        languages): the edited file parses with no error node that was not there
        before, its syntax tree with comments removed is identical (node kinds and the
        text of every non-comment leaf), and the inserted comment is exactly the
        rendered text.  Raises ``UnsafeSuggestion`` naming the target otherwise.
        """
        ...

    def check_safe(self, original: str, modified: str) -> None:
        """Raise ``UnsafeSuggestion`` unless ``modified`` differs from ``original`` only in
        documentation: the whole-file proof run before ``--apply`` writes a file."""
        ...
