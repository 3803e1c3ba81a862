"""Make outside text inert where it is shown: markdown, the Actions log, a marker, a path.

Model output, file names, qualified names, service messages and other people's comments
are data.  Every place that shows such text goes through one function here, chosen for
where the text lands; nothing formats outside text into markdown, log lines, markers or
paths by interpolation alone.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, unquote

from bot.errors import ChangeError

# C0 and C1 controls, DEL, and the characters that reorder or hide text (bidi overrides
# and isolates, zero-width marks, line and paragraph separators): none is shown as is.
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_UNSEEN_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
"""``_UNSEEN`` but the C0 controls, which ``json`` escapes itself (and uses between values)."""
_MARKER_SAFE = "/._-"
"""Characters a marker field keeps as they are; everything else is percent-encoded."""
_DRIVE = re.compile(r"[A-Za-z]:")
_SEPARATOR = re.compile(r"[\\/]")


def visible(text: str) -> str:
    """``text`` on one line, each control or invisible character written as ``\\xNN``/``\\uNNNN``.

    Newlines and tabs become spaces (a name or reason stays readable); the rest is
    spelled out, so no terminal escape, bidi override or hidden mark reaches the reader.
    """

    def spell(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in "\t\n\r":
            return " "
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSEEN.sub(spell, text)


def json_text(data: object) -> str:
    """``data`` as indented JSON whose every invisible character is a ``\\uXXXX`` escape.

    ``json`` escapes only C0 controls; DEL, C1 controls (a terminal reads U+009B as an
    escape) and bidi overrides would reach the terminal raw.  Each can stand only inside
    a string, where the escape means the same character: the data is unchanged.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSEEN_IN_JSON.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def code_span(text: str) -> str:
    """``text`` as one inline code span, its backtick fence longer than any run inside.

    Inside a code span nothing is markup: no mention, reference, link, HTML or comment.
    The text is flattened to one line first (a line break could start a new block).
    """
    flat = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    if not flat.strip():
        return f"{ticks}\u00a0{ticks}"
    # CommonMark strips one space each side when both sides have one: the padding keeps a
    # backtick at either end from joining the fence, and such spaces from being lost.
    if flat[0] == "`" or flat[-1] == "`" or (flat[0] == " " and flat[-1] == " "):
        flat = f" {flat} "
    return f"{ticks}{flat}{ticks}"


def cell(text: str) -> str:
    """``text`` as a code span that is safe in a markdown table cell.

    GitHub splits a table row on every ``|`` not escaped, even inside code spans, and
    shows ``\\|`` there as ``|``.
    """
    return code_span(text).replace("|", "\\|")


def log_line(text: str) -> str:
    """``text`` as one line of the Actions log that the runner cannot read as a command.

    Line breaks are escaped the way the toolkit escapes command data (``%0A``), so outside
    text cannot start a line of its own; other controls (the log viewer reads ANSI escapes)
    are spelled out by ``visible``; then ``_uncommand`` applies GitHub's rules.
    """
    from actions_toolkit.command import escape_data

    return _uncommand(visible(escape_data(text)))


def one_line(text: str) -> str:
    """``text`` as one line for a terminal or a CI log: ``visible``, and never a command."""
    return _uncommand(visible(text))


def _uncommand(line: str) -> str:
    # The runner reads a line whose first non-blank characters are ``::`` as a workflow
    # command, and any line holding ``##[`` as one of the older syntax.
    line = line.replace("##[", "##%5B")
    start = len(line) - len(line.lstrip())
    if line.startswith("::", start):
        line = line[:start] + "%3A%3A" + line[start + 2 :]
    return line


def marker_field(text: str) -> str:
    """``text`` percent-encoded for a hidden marker: no space, ``=``, ``>`` or ``-->`` left."""
    return quote(text, safe=_MARKER_SAFE, errors="surrogateescape")


def marker_value(field: str) -> str:
    """The text ``marker_field`` encoded."""
    return unquote(field, errors="surrogateescape")


def relative(path: str) -> str:
    """``path`` when it is a relative path that stays below its root, else a ChangeError.

    Refused, whatever the file system holds: absolute paths, drive letters, ``..`` parts
    (with ``/`` or ``\\`` as separator), NUL.  The error names the path, made visible.
    """
    if (
        not path
        or "\0" in path
        or path.startswith("/")
        or _DRIVE.match(path)
        or ".." in _SEPARATOR.split(path)
    ):
        raise ChangeError(f"{visible(path)}: the path leaves the root folder; nothing was read")
    return path


def inside(root: Path, path: str) -> Path:
    """``root / path``, proven to stay inside ``root``; a ChangeError naming ``path`` if not.

    On top of ``relative``: a symlink on the way that leads out of ``root`` is refused.
    Nothing is read.
    """
    relative(path)
    base = os.path.realpath(root)
    _within(base, os.path.realpath(os.path.join(base, path)), path)
    return root / path


def all_inside(root: Path, paths: Iterable[str]) -> None:
    """``inside`` for many paths: each folder is resolved once, each file with one lstat.

    A change of thousands of files would otherwise resolve every folder on every path
    again (os.path.realpath asks the file system about each component).
    """
    base = os.path.realpath(root)
    folders: dict[str, str] = {}
    for path in paths:
        relative(path)
        folder, _, name = path.rpartition("/")
        if name in ("", ".", ".."):
            inside(root, path)
            continue
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(os.path.join(base, folder))
        full = os.path.join(real, name)
        _within(base, os.path.realpath(full) if os.path.islink(full) else full, path)


def _within(base: str, full: str, path: str) -> None:
    """``full`` (a resolved path) is ``base`` or below it, else a ChangeError naming ``path``."""
    if full != base and not full.startswith(os.path.join(base, "")):
        raise ChangeError(
            f"{visible(path)}: a symlink leads out of the root folder (to {visible(full)}); "
            "nothing was read"
        )


def unshowable(path: str) -> str | None:
    """Why ``path`` cannot be shown and placed faithfully (a control character), or None."""
    found = re.search("[\x00-\x1f\x7f]", path)
    if found is None:
        return None
    return (
        f"the file name holds a control character (U+{ord(found.group(0)):04X}); "
        "docbot cannot place or show it safely"
    )
