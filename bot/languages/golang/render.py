"""Go doc comments: ``//`` lines whose first sentence starts with the declared name.

Go's convention (Effective Go, "Commentary"; golint checks it) is a complete sentence
that begins with the name being declared: ``// Get returns the value for key.``.  Drafts
arrive with an imperative summary ("Return the value for key."), so the first word is
put in the third person after the name; a summary already starting with the name (the
prompt asks for that) is kept as written.  Go comments carry no parameter or return
sections: the description follows as its own paragraph, and the rest of the draft is
left out rather than invented into prose.
"""

from __future__ import annotations

import re
import textwrap

from bot.docmodel import DocstringDraft
from bot.languages.prose import inert, third_person

__all__ = ["first_sentence", "inert", "render", "third_person"]

_ARTICLE = re.compile(r"^(A|An|The) ")


def first_sentence(summary: str, name: str, *, kind: str) -> str:
    """The summary as a Go first sentence beginning with ``name`` (the bare name: ``Get``
    for method ``Cache.Get``); a ``const``/``var`` group's comment (``kind`` "group")
    describes the group and keeps the summary as written."""
    text = inert(summary).rstrip()
    if not text:
        return f"{name} is undocumented."
    if kind == "group":
        # A group's comment describes the group; golint reads no name in it.
        sentence = text[:1].upper() + text[1:]
        return sentence if sentence.endswith((".", "!", "?")) else sentence + "."
    if text.startswith(name + " ") or (kind == "type" and _starts_with_article(text, name)):
        sentence = text
    elif _ARTICLE.match(text):
        sentence = f"{name} is {text[:1].lower()}{text[1:]}"
    else:
        first, _, rest = text.partition(" ")
        word = first.rstrip(".!?")
        if kind in ("function", "method") and word[:1].isupper() and word.isalpha():
            sentence = f"{name} {third_person(word)}{first[len(word) :]} {rest}".rstrip()
        else:
            sentence = f"{name} is {text[:1].lower()}{text[1:]}"
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def _starts_with_article(text: str, name: str) -> bool:
    match = _ARTICLE.match(text)
    return match is not None and text[match.end() :].startswith(name + " ")


def render(draft: DocstringDraft, name: str, *, kind: str, width: int) -> str:
    """The complete comment, ``//`` lines joined with ``\\n``, wrapped to ``width``
    columns (the indentation already taken off)."""
    bare = name.rpartition(".")[2]
    paragraphs = [first_sentence(draft.summary, bare, kind=kind)]
    if draft.description:
        paragraphs.extend(
            inert(part) for part in re.split(r"\n\s*\n", draft.description) if inert(part)
        )
    wrapper = textwrap.TextWrapper(
        width=max(width - 3, 20), break_long_words=False, break_on_hyphens=False
    )
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("//")
        lines.extend("// " + line for line in wrapper.wrap(paragraph))
    return "\n".join(lines)
