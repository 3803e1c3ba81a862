"""A ``DocstringDraft`` -> C# XML documentation (``///`` lines), as the .NET guidelines write it.

``<summary>``, ``<typeparam>`` for each type parameter (``<T>`` in the draft), ``<param>``,
``<returns>``, ``<exception cref>``, ``<remarks>`` for further paragraphs and
``<example><code>`` for examples.  The comment is XML: every text from the draft is
escaped (``&``, ``<``, ``>``, and quotes inside attributes), so it can neither close an
element nor make the compiler warn about malformed XML (CS1570).
"""

from __future__ import annotations

import re
import textwrap
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from bot.docmodel import DocstringDraft

_PREFIX = "/// "
_CREF = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*(?:<[\w, .]+>)?")


def escape(text: str) -> str:
    """``text`` as XML character data."""
    return _xml_escape(text)


def render(draft: DocstringDraft, *, width: int) -> str:
    """The doc comment's ``///`` lines joined with ``\\n``, unindented; ``width`` counts
    from the comment's first column."""
    body: list[str] = []
    body += _element("summary", "", _sentence(draft.summary), width)
    for param in draft.params:
        name = param.name
        tag = "typeparam" if name.startswith("<") and name.endswith(">") else "param"
        body += _element(
            tag, f" name={quoteattr(name.strip('<>'))}", _text(param.description), width
        )
    result = draft.returns or draft.yields
    if result is not None:
        body += _element("returns", "", _text(result.description), width)
    for raised in draft.raises:
        body += _element(
            "exception",
            f" cref={quoteattr(_cref(raised.exception))}",
            _text(raised.description),
            width,
        )
    paragraphs = [_text(p) for p in (draft.description or "").split("\n\n") if p.strip()]
    if paragraphs:
        body.append("<remarks>")
        for number, paragraph in enumerate(paragraphs):
            body += _wrap(paragraph if number == 0 else f"<para>{paragraph}</para>", width)
        body.append("</remarks>")
    for example in draft.examples:
        body += ["<example>", "<code>"]
        body += [escape(line) for line in example.rstrip().split("\n")]
        body += ["</code>", "</example>"]
    return "\n".join((_PREFIX + line).rstrip() for line in body)


def _element(tag: str, attributes: str, text: str, width: int) -> list[str]:
    one_line = f"<{tag}{attributes}>{text}</{tag}>"
    if len(_PREFIX) + len(one_line) <= width and tag != "summary":
        return [one_line]
    return [f"<{tag}{attributes}>", *_wrap(text, width), f"</{tag}>"]


def _cref(name: str) -> str:
    """An exception name as written in code (generic arguments in braces, as ``cref``
    writes them); anything else is left to ``quoteattr`` to escape."""
    name = name.strip()
    if _CREF.fullmatch(name):
        return name.replace("<", "{").replace(">", "}")
    return name


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return escape(text)


def _text(text: str) -> str:
    return escape(" ".join(text.split()))


def _wrap(text: str, width: int) -> list[str]:
    available = max(width - len(_PREFIX), 20)
    return textwrap.wrap(text, available, break_long_words=False, break_on_hyphens=False) or [""]
