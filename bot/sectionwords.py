"""What a writer is asked for when the opt-in checks' findings are repaired.

Only new pieces are written: a Returns or Yields entry's words when the docstring gains
that section (DOC201, DOC402), and when for each exception the body raises that the
Raises section does not list (DOC501, DOC503).  Removals (DOC202, DOC403, DOC502) need
no words.  The names are the body's, read as pydoclint reads them, never the model's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.docentries import read
from bot.model import Target
from bot.returntypes import section_types
from bot.stale import new_names
from bot.stalechecks import FuncNode, raised_names

if TYPE_CHECKING:
    from bot.docmodel import DocstringDraft


@dataclass(frozen=True, slots=True)
class Asked:
    """The new section pieces a stale target's repair needs words for."""

    returns: bool = False
    yields: bool = False
    raises: tuple[str, ...] = ()
    """The exceptions the body raises (sorted, pydoclint's names)."""


def node_of(target: Target) -> FuncNode | None:
    """The target's function, parsed from its own source (``None`` when that fails)."""
    source = target.source
    text = "if 1:\n" + source if source[:1].isspace() else source
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    return next(
        (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
        None,
    )


def asked(target: Target) -> Asked:
    """What ``target``'s findings make the repair write."""
    codes = {f.code for f in target.findings}
    raises: tuple[str, ...] = ()
    if codes & {"DOC501", "DOC503"}:
        node = node_of(target)
        raises = () if node is None else tuple(raised_names(node))
    returns = "DOC201" in codes or ("DOC203" in codes and _no_section(target, "returns"))
    yields = "DOC402" in codes or ("DOC404" in codes and _no_section(target, "yields"))
    return Asked(returns, yields, raises)


def _no_section(target: Target, kind: str) -> bool:
    """DOC203 (DOC404) without a Returns (Yields) section: the repair adds one, typed, and
    needs its words."""
    node = node_of(target)
    text = None if node is None else ast.get_docstring(node, clean=False)
    if text is None:
        return False
    lines = text.split("\n")
    layout = read(lines)
    return layout is not None and section_types(lines, layout.style, kind) is None


def needs_words(target: Target) -> bool:
    """A writer is asked: for new parameter entries, or for new section entries."""
    wanted = asked(target)
    return bool(new_names(target) or wanted.returns or wanted.yields or wanted.raises)


def instructions(target: Target) -> list[str]:
    """Prompt lines for the sections the docstring gains (none when it gains none)."""
    wanted = asked(target)
    parts = []
    if wanted.returns:
        parts.append("returns: what it returns (the docstring gains a Returns section)")
    if wanted.yields:
        parts.append("yields: what it yields (the docstring gains a Yields section)")
    if wanted.raises:
        names = ", ".join(wanted.raises)
        parts.append(f"raises: one entry for each of {names}, saying when it is raised")
    if not parts:
        return []
    return ["write sections (these replace the nulls above): " + "; ".join(parts)]


def problems(draft: DocstringDraft, target: Target) -> list[str]:
    """Where the draft lacks words the repair asks for, as sentences for a repair round."""
    wanted = asked(target)
    found = []
    if wanted.returns and (draft.returns is None or not draft.returns.description.strip()):
        found.append("Describe what the function returns in returns.")
    if wanted.yields and (draft.yields is None or not draft.yields.description.strip()):
        found.append("Describe what the generator yields in yields.")
    given = {short(r.exception) for r in draft.raises if r.description.strip()}
    missing = [name for name in wanted.raises if short(name) not in given]
    if missing:
        found.append("Give raises entries, with descriptions, for: " + ", ".join(missing) + ".")
    return found


def short(name: str) -> str:
    """An exception's last dotted part: ``errors.ConfigError`` and ``ConfigError`` meet."""
    return name.strip().rsplit(".", 1)[-1]
