"""A ``DocstringDraft`` -> a Javadoc comment (``/** ... */``), as Oracle's guide writes them.

The summary sentence, further paragraphs opened by ``<p>``, then the block tags in the
guide's order: ``@param <T>`` for type parameters first, ``@param`` for each parameter,
``@return``, ``@throws`` (or ``@exception`` where the code base writes that).  Javadoc is
HTML, so the draft's text is escaped for it: ``<``, ``>`` and ``&`` become entities,
``*/`` cannot close the comment early, ``{@`` cannot open an inline tag and a line cannot
start with ``@`` (it would read as a block tag).
"""

from __future__ import annotations

import re
import textwrap

from bot.docmodel import DocstringDraft

_PREFIX = " * "
_NAME = re.compile(r"<[A-Za-z_$][\w$]*>|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


def escape(text: str) -> str:
    """``text`` made inert inside a Javadoc comment: HTML entities, no ``*/``, no tags."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("*/", "*&#47;").replace("/*", "&#47;*")
    return text.replace("{@", "&#123;@").replace("@", "&#64;")


def render(draft: DocstringDraft, *, width: int, throws_tag: str = "throws") -> str:
    """The comment's lines joined with ``\\n``, unindented; ``width`` counts from the
    comment's first column (the caller takes its indentation off already)."""
    body: list[str] = []
    body += _wrap(_sentence(draft.summary), width)
    for paragraph in _paragraphs(draft.description):
        body.append("")
        body += _wrap("<p>" + paragraph, width)
    for example in draft.examples:
        body.append("")
        body.append("<pre>")
        body += [escape(line) for line in example.rstrip().split("\n")]
        body.append("</pre>")
    tags = _tags(draft, throws_tag)
    if tags:
        body.append("")
        for tag, rest in tags:
            body += _wrap_tag(tag, rest, width)
    lines = ["/**", *[(_PREFIX + line).rstrip() for line in body], " */"]
    return "\n".join(lines)


def _tags(draft: DocstringDraft, throws_tag: str) -> list[tuple[str, str]]:
    tags = [("@param " + _name(p.name), escape(_clean(p.description))) for p in draft.params]
    tags.sort(key=lambda tag: not tag[0].startswith("@param <"))
    result = draft.returns or draft.yields
    if result is not None:
        tags.append(("@return", escape(_clean(result.description))))
    for raised in draft.raises:
        name = _name(raised.exception)
        tags.append((f"@{throws_tag} {name}", escape(_clean(raised.description))))
    return tags


def _name(name: str) -> str:
    """A parameter, type parameter or exception name as written in code, else escaped."""
    return name if _NAME.fullmatch(name) else escape(name)


def _sentence(text: str) -> str:
    text = _clean(text)
    if text and text[-1] not in ".!?":
        text += "."
    return escape(text)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(description: str | None) -> list[str]:
    if not description:
        return []
    chunks = description.replace("\r\n", "\n").split("\n\n")
    return [escape(_clean(chunk)) for chunk in chunks if chunk.strip()]


def _wrap(text: str, width: int) -> list[str]:
    available = max(width - len(_PREFIX), 20)
    return textwrap.wrap(text, available, break_long_words=False, break_on_hyphens=False) or [""]


def _wrap_tag(tag: str, rest: str, width: int) -> list[str]:
    available = max(width - len(_PREFIX), 20)
    lines = textwrap.wrap(
        f"{tag} {rest}".rstrip(),
        available,
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines or [tag]
