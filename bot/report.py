"""What a run shows the user: text (tables and coloured diffs), JSON, a patch, or applied edits.

Each format is a function of the ``RunReport`` and the new file texts; only
``apply_to`` writes, and every file it writes or patch it prints has passed the
whole-module safety check first.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.diff import diff_lines
from bot.errors import UnsafeSuggestion
from bot.inert import inside, one_line, visible
from bot.languages import adapter
from bot.model import Result, Status, Suggestion
from bot.pysource import physical_lines
from bot.runner import RunReport
from bot.suggest import apply

JSON_VERSION = 1


def to_json(report: RunReport) -> dict[str, Any]:
    """DESIGN.md's ``--format json`` object (plus run facts after the contract's keys)."""
    usage = report.usage
    return {
        "version": JSON_VERSION,
        "targets": [_target_json(r) for r in report.results],
        "stats": {
            **report.counts(),
            "llm_requests": usage.llm_requests,
            "cache_hits": usage.cache_hits,
            "prompt_tokens": usage.prompt_tokens,
            "cached_prompt_tokens": usage.cached_prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cost_usd": round(usage.cost_usd, 6),
            "estimated_cost_usd": round(report.estimated_cost_usd, 6),
            "cache": asdict(report.cache),
        },
        "provider": report.provider,
        "style": report.style,
        "skipped_files": [{"path": s.path, "reason": s.reason} for s in report.skips],
        "notes": list(report.notes),
    }


def _target_json(result: Result) -> dict[str, Any]:
    target, suggestion = result.target, result.suggestion
    return {
        "path": target.path,
        "qualname": target.qualname,
        "kind": target.kind.value,
        "line": target.line,
        "end_line": target.end_line,
        "problem": target.problem,
        **(
            {"findings": [{"code": f.code, "message": f.message} for f in target.findings]}
            if target.problem == "stale"
            else {}
        ),
        "status": result.status.value,
        "reason": result.reason,
        "docstring": result.docstring,
        "suggestion": None
        if suggestion is None
        else {
            "start_line": suggestion.start_line,
            "end_line": suggestion.end_line,
            "replacement": suggestion.replacement,
        },
    }


def suggestions_by_path(report: RunReport) -> dict[str, list[Suggestion]]:
    """The suggestions of a run grouped by file, in line order."""
    grouped: dict[str, list[Suggestion]] = {}
    for result in report.results:
        if result.suggestion is not None:
            grouped.setdefault(result.target.path, []).append(result.suggestion)
    return grouped


def edited_files(report: RunReport, files: Mapping[str, str]) -> Iterator[tuple[str, str, str]]:
    """``(path, old, new)`` for every file with suggestions, each proven safe as a whole."""
    languages = {result.target.path: result.target.language for result in report.results}
    for path, suggestions in suggestions_by_path(report).items():
        old = files[path]
        new = apply(old, suggestions)
        language = adapter(languages[path])
        if language is None:
            raise UnsafeSuggestion(f"{path}: no adapter for {languages[path]} to prove the edit")
        language.check_safe(old, new)
        yield path, old, new


def to_patch(report: RunReport, files: Mapping[str, str]) -> str:
    """A unified diff with a/ and b/ paths that ``git apply`` accepts on the new files."""
    return "".join(_file_patch(path, old, new) for path, old, new in edited_files(report, files))


def _file_patch(path: str, old: str, new: str) -> str:
    a, b = _git_path("a/", path), _git_path("b/", path)
    # As git does: a tab ends a name holding a space, or GNU patch stops the name there.
    end = "\t" if " " in path and not a.startswith('"') else ""
    lines = difflib.unified_diff(diff_lines(old), diff_lines(new), a + end, b + end)
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:  # the file's last line has no newline: say so the way diff does
            out.append(line + "\n\\ No newline at end of file\n")
    return f"diff --git {a} {b}\n" + "".join(out)


_C_ESCAPES = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 34: '"', 92: "\\"}


def _git_path(prefix: str, path: str) -> str:
    """``prefix + path`` as ``git diff`` writes it: C-quoted when a byte needs it.

    Unquoted, a tab or newline would end the name for ``git apply``, and a name that is
    not UTF-8 (held as surrogate escapes) could not be printed at all.
    """
    name = (prefix + path).encode("utf-8", "surrogateescape")
    if all(0x20 <= byte < 0x7F and byte not in _C_ESCAPES for byte in name):
        return prefix + path
    out = []
    for byte in name:
        if byte in _C_ESCAPES:
            out.append("\\" + _C_ESCAPES[byte])
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def apply_to(root: Path, report: RunReport, files: Mapping[str, str]) -> list[str]:
    """Write the suggestions into the files under ``root``; return the paths written.

    A file is written only if it still holds exactly the text the run read, through
    a temporary file renamed over it, so an interrupted run never leaves half a file.
    """
    written = []
    for path, old, new in edited_files(report, files):
        target = inside(root, path)  # the change sources refuse such paths; never write one
        with target.open("r", encoding="utf-8", newline="") as handle:
            if handle.read() != old:
                raise UnsafeSuggestion(f"{path}: changed on disk during the run; nothing written")
        _atomic_write(target, new)
        written.append(path)
    return written


def _atomic_write(path: Path, text: str) -> None:
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".docbot")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- the terminal ---------------------------------------------------------------------------

_STATUS_STYLE = {Status.SUGGESTED: "green", Status.SKIPPED: "yellow", Status.FAILED: "red"}


def print_text(report: RunReport, files: Mapping[str, str], out: TextIO, *, color: bool) -> None:
    """Targets as a table, each suggestion as a coloured diff, then one summary line."""
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        width=_width(out),
        highlight=False,
        soft_wrap=False,
    )
    if report.results:
        console.print(_table(report))
    for result in report.results:
        if result.suggestion is not None:
            console.print(_suggestion_diff(result, files[result.target.path]))
    for skip in report.skips:
        console.print(Text(one_line(f"skipped {skip.path}: {skip.reason}"), style="yellow"))
    console.print(Text(summary_line(report)))


def _width(out: TextIO) -> int:
    try:
        return max(100, os.get_terminal_size(out.fileno()).columns)
    except (OSError, ValueError, AttributeError):
        return 120


def _table(report: RunReport) -> Table:
    table = Table(title="docbot targets", title_justify="left")
    for name in ("location", "definition", "kind", "status", "reason"):
        table.add_column(name, overflow="fold")
    for result in report.results:
        target = result.target
        # Text, not str: rich reads a str as markup, and paths and reasons can hold "[...]";
        # ``visible``: rich passes terminal escapes through.
        table.add_row(
            Text(visible(f"{target.path}:{target.line}")),
            Text(visible(target.qualname)),
            target.kind.value + (" (stale)" if target.problem == "stale" else ""),
            Text(result.status.value, style=_STATUS_STYLE[result.status]),
            Text(visible(result.reason or "")),
        )
    return table


def _suggestion_diff(result: Result, source: str) -> Text:
    assert result.suggestion is not None
    suggestion = result.suggestion
    lines = physical_lines(source)
    old = [line.rstrip("\r\n") for line in lines[suggestion.start_line - 1 : suggestion.end_line]]
    new = [line.rstrip("\r\n") for line in physical_lines(suggestion.replacement + "\n")]
    where = f"{result.target.path}:{suggestion.start_line} {result.target.qualname}"
    text = Text(f"\n{one_line(where)}\n", style="bold")
    for line in difflib.unified_diff(old, new, lineterm="", n=len(old) + len(new)):
        if line.startswith(("---", "+++", "@@")):
            continue
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
        text.append(visible(line.expandtabs()) + "\n", style=style)
    return text


def _any_python(report: RunReport) -> bool:
    return any(r.target.language == "python" for r in report.results) or not report.results


def summary_line(report: RunReport) -> str:
    """One line of counts, money and cache for the end of a run."""
    counts = report.counts()
    usage = report.usage
    parts = [
        f"{counts['targets']} targets: {counts['suggested']} suggested, "
        f"{counts['skipped']} skipped, {counts['failed']} failed",
        f"provider {report.provider}"
        # The style is Python's docstring style; the other languages' come from each file.
        + (f", style {report.style}" if _any_python(report) else ""),
    ]
    if report.provider != "template":
        parts.append(
            f"{usage.llm_requests} LLM requests, {usage.prompt_tokens} prompt tokens "
            f"({usage.cached_prompt_tokens} cached), {usage.completion_tokens} completion tokens, "
            f"${usage.cost_usd:.4f} (estimated up to ${report.estimated_cost_usd:.4f}), "
            f"{usage.cache_hits} cache hits"
        )
    if report.skips:
        parts.append(f"{len(report.skips)} files skipped")
    return "; ".join(parts)
