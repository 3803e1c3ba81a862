"""JSDoc/TSDoc comments: the style a file writes them in, and rendering a draft as one.

Style is read from the file's own ``/** */`` comments: ``@param name - text`` votes
TSDoc, ``@param {type} name`` votes JSDoc with types, ``@return`` against ``@returns``,
``@param options.x`` for documented destructuring.  Rendering follows the vote; types in
braces only where a JavaScript code base already writes them.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc, ReturnDoc
from bot.languages.base import CommentStyle

_BLOCK = re.compile(r"/\*\*\s.*?\*/", re.DOTALL)
_PARAM = re.compile(r"@param\s+(\{[^}\n]*\})?\s*\[?([\w$.]+)[^\n]*?(\s-\s)?")
_TAG = re.compile(r"@(returns?|throws|exception|template|yields|example)\b")
_MAX_BLOCKS = 64
_MIN_WIDTH = 40


def votes(text: str) -> Counter[str]:
    """The file's doc comments' evidence, counted (at most 64 comments are read)."""
    found: Counter[str] = Counter()
    for count, block in enumerate(_BLOCK.finditer(text)):
        if count >= _MAX_BLOCKS:
            break
        comment = block.group()
        found["comments"] += 1
        for param in _PARAM.finditer(comment):
            found["typed" if param.group(1) else "untyped"] += 1
            found["tsdoc" if param.group(3) else "jsdoc"] += 1
            if "." in param.group(2):
                found["dotted"] += 1
        for tag in _TAG.finditer(comment):
            found["tag:" + tag.group(1)] += 1
    return found


def choose(
    file_votes: Counter[str], run_votes: Counter[str], configured: str, *, javascript: bool
) -> CommentStyle:
    """TSDoc or JSDoc for one file: the setting, else the file's comments, else the run's."""
    votes = file_votes if file_votes["comments"] else run_votes
    if configured in ("tsdoc", "jsdoc"):
        name = configured
    elif votes["tsdoc"] != votes["jsdoc"]:
        name = "tsdoc" if votes["tsdoc"] > votes["jsdoc"] else "jsdoc"
    else:
        name = "jsdoc" if javascript else "tsdoc"
    types = javascript and name == "jsdoc" and votes["typed"] > votes["untyped"]
    tags = {"returns" if votes["tag:return"] <= votes["tag:returns"] else "return"}
    if votes["dotted"]:
        tags.add("dotted")
    if votes["tag:template"]:
        tags.add("template")
    return CommentStyle(name, types=types, tags=frozenset(tags))


def render(
    draft: DocstringDraft,
    style: CommentStyle,
    *,
    width: int,
    type_params: tuple[str, ...] = (),
) -> str:
    """The ``/** ... */`` comment, unindented, lines joined with ``\\n``; ``@template`` for
    each type parameter where the code base writes them."""
    width = max(width - 3, _MIN_WIDTH)  # " * " before every line
    body = _wrap(draft.summary, width)
    for paragraph in (draft.description or "").split("\n\n"):
        if paragraph.strip():
            body += ["", *_wrap(" ".join(paragraph.split()), width)]
    tags: list[str] = [f"@template {name}" for name in type_params if "template" in style.tags]
    for param in draft.params:
        tags += _wrap(_param(param, style), width, indent="  ")
    if draft.yields is not None:
        tags += _wrap(_value("@yields", draft.yields, style), width, indent="  ")
    if draft.returns is not None:
        tag = "@return" if "return" in style.tags else "@returns"
        tags += _wrap(_value(tag, draft.returns, style), width, indent="  ")
    for raised in draft.raises:
        tags += _wrap(_throws(raised, style), width, indent="  ")
    for example in draft.examples:
        tags += ["@example", *example.rstrip().split("\n")]
    if tags:
        body += ["", *tags]
    lines = ["/**", *(" * " + _inert(line) if line else " *" for line in body), " */"]
    return "\n".join(lines)


def _param(param: ParamDoc, style: CommentStyle) -> str:
    text = _plain(param.description)
    typed = f"{{{param.type}}} " if style.types and param.type else ""
    if style.name == "tsdoc":
        return f"@param {param.name} - {text}"
    return f"@param {typed}{param.name} {text}"


def _value(tag: str, doc: ReturnDoc, style: CommentStyle) -> str:
    typed = f"{{{doc.type}}} " if style.types and doc.type else ""
    return f"{tag} {typed}{_plain(doc.description)}"


def _throws(raised: RaiseDoc, style: CommentStyle) -> str:
    name = raised.exception.rsplit(".", 1)[-1]
    shown = f"{{@link {name}}}" if style.name == "tsdoc" else f"{{{name}}}"
    return f"@throws {shown} {_plain(raised.description)}"


def _plain(text: str) -> str:
    """reST literals (the template writer's ````x````) read as Markdown code spans here."""
    return " ".join(text.replace("``", "`").split())


def _wrap(text: str, width: int, *, indent: str = "") -> list[str]:
    lines = textwrap.wrap(
        _plain(text),
        width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines or [""]


def _inert(line: str) -> str:
    """A line that cannot end the comment early."""
    return line.replace("*/", "*\\/")
