"""Python behind the language protocol: ``targets``, ``render`` and ``suggest`` as they stand.

The Python pipeline predates the language layer and agrees exactly with ruff; this
adapter only routes the protocol's calls to it, so every Python result is what it was.
"""

from __future__ import annotations

from collections import Counter

from bot.docmodel import DocstringDraft, with_starred_names, without_annotated_types
from bot.languages.base import CommentStyle, FileScan, Language, Project
from bot.model import Suggestion, Target
from bot.paths import python_skip_reason
from bot.render import ConcreteStyle, render, style_votes, types_wanted, winning_style
from bot.suggest import check_safe, suggest
from bot.targets import TargetOptions, scan

_STYLES: frozenset[str] = frozenset({"google", "numpy", "sphinx"})


class Python:
    """The Python adapter: ruff's D1 targets, google/numpy/sphinx docstrings, the AST proof."""

    name = "python"
    extensions: tuple[str, ...] = (".py", ".pyi")
    convention = (
        "Python; a docstring as the first statement of the definition's body (PEP 257),"
        " in the style named below"
    )

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """Test files unless included; ``.pyi`` stubs always (ruff asks no docstrings there)."""
        return python_skip_reason(path, included=included)

    def scan(
        self,
        path: str,
        text: str,
        added: frozenset[int],
        options: TargetOptions,
        *,
        project: Project,
    ) -> FileScan:
        """``targets.scan``, with the style votes of the docstrings it sampled."""
        found = scan(path, text, added, options)
        return FileScan(found.targets, style_votes(found.docstrings))

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """Run-wide, as before the language layer: the setting, else the run's vote."""
        name = configured if configured in _STYLES else winning_style(run_votes) or "google"
        return CommentStyle(name, types=types_wanted(run_votes))

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """The docstring's text, unindented and without quotes (``render.render``)."""
        if not style.types:
            draft = without_annotated_types(draft, target)
        draft = with_starred_names(draft, target)
        concrete: ConcreteStyle = style.name  # type: ignore[assignment]
        return render(draft, concrete, line_length=line_length, indent=target.body_indent)

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """``suggest.suggest``: the header plus the docstring literal, proven locally."""
        return suggest(target, source, rendered)

    def check_safe(self, original: str, modified: str) -> None:
        """``suggest.check_safe``: same AST once docstrings are removed."""
        check_safe(original, modified)


LANGUAGE: Language = Python()
