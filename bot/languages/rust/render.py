"""rustdoc comments: ``///`` lines, a summary sentence, and the sections the crate writes.

The Rust API guidelines (C-FAILURE) and clippy's ``missing_errors_doc``,
``missing_panics_doc`` and ``missing_safety_doc`` name three sections: ``# Errors`` for a
function returning ``Result``, ``# Panics`` for one that can panic, ``# Safety`` for an
``unsafe fn``.  The draft carries them as ``raises`` entries named ``Err``, ``panic`` and
``unsafe`` (the target lists what its code does).  ``# Safety`` is always written, the
other two only where the crate's existing docs write them.
"""

from __future__ import annotations

import re
import textwrap

from bot.docmodel import DocstringDraft
from bot.languages.prose import inert, third_person

SECTIONS = {"Err": "Errors", "panic": "Panics", "unsafe": "Safety"}
_CALLED = frozenset({"function", "method", "associated function", "macro"})


def summary(text: str, *, noun: str) -> str:
    """The first sentence; a function's imperative verb put in the third person, as
    rustdoc summaries read ("Returns the length.")."""
    words = inert(text)
    if not words:
        return "Undocumented."
    first, _, rest = words.partition(" ")
    word = first.rstrip(".!?")
    if noun in _CALLED and word[:1].isupper() and word.isalpha() and not word.endswith("s"):
        words = f"{third_person(word).capitalize()}{first[len(word) :]} {rest}".rstrip()
    return words if words.endswith((".", "!", "?")) else words + "."


def render(draft: DocstringDraft, *, noun: str, width: int, tags: frozenset[str]) -> str:
    """The complete comment, ``///`` lines joined with ``\\n``, wrapped to ``width``."""
    wrapper = textwrap.TextWrapper(
        width=max(width - 4, 20), break_long_words=False, break_on_hyphens=False
    )
    blocks: list[list[str]] = [wrapper.wrap(summary(draft.summary, noun=noun))]
    if draft.description:
        for part in re.split(r"\n\s*\n", draft.description):
            if inert(part):
                blocks.append(wrapper.wrap(inert(part)))
    for raised in draft.raises:
        heading = SECTIONS.get(raised.exception)
        if heading is None or (heading != "Safety" and heading.lower() not in tags):
            continue
        blocks.append([f"# {heading}"])
        blocks.append(wrapper.wrap(inert(raised.description) or "See above."))
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("///")
        lines.extend(f"/// {line}" for line in block)
    return "\n".join(lines)
