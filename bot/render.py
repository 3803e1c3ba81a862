"""Turn a ``DocstringDraft`` into docstring text in the google, numpy or sphinx style.

Widths: a line of the result, indented by ``indent`` (a tab counts as 4 columns, ruff's
default ``indent-width``), must fit in ``line_length``.  The first line also reserves 7
columns for the quotes (``r\"\"\"`` before it, ``\"\"\"`` after it when the docstring is a
single line).  Words longer than a line (URLs, long type names) are never broken, and
escaping done by ``suggest`` (``\\\\``, ``\\\"``) may add a few characters.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Literal

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc, ReturnDoc

ConcreteStyle = Literal["google", "numpy", "sphinx"]

TAB_WIDTH = 4
_QUOTES = 7
"""Room on the first line for ``r\"\"\"`` and a closing ``\"\"\"``."""
_MIN_WIDTH = 24
"""Deeply nested code still gets readable lines, even past ``line_length``."""


def render(draft: DocstringDraft, style: ConcreteStyle, *, line_length: int, indent: str) -> str:
    """The docstring's text: unindented, without quotes, lines joined with ``\\n``."""
    width = max(line_length - columns(indent), _MIN_WIDTH)
    blocks = [_summary(draft.summary, width)]
    blocks += [_paragraph(text, width) for text in _paragraphs(draft.description)]
    blocks += _RENDERERS[style](draft, width)
    return "\n\n".join("\n".join(block) for block in blocks if block)


def columns(indent: str) -> int:
    """How wide ``indent`` is on screen, a tab counting as ``TAB_WIDTH`` columns."""
    return len(indent.expandtabs(TAB_WIDTH))


def _summary(summary: str, width: int) -> list[str]:
    # The placeholder makes textwrap leave room for the quotes on the first line only.
    lines = _wrap(" ".join(summary.split()), width, first="." * _QUOTES)
    return [lines[0][_QUOTES:], *lines[1:]] if lines else []


def _paragraphs(description: str | None) -> list[str]:
    if not description:
        return []
    return [part.strip("\n") for part in re.split(r"\n\s*\n", description) if part.strip()]


def _paragraph(text: str, width: int) -> list[str]:
    lines = text.splitlines()
    # Lists, literal blocks and doctests keep their author's line breaks.
    if any(line[:1].isspace() or _is_structured(line) for line in lines):
        return [line.rstrip() for line in lines]
    return _wrap(" ".join(text.split()), width)


def _is_structured(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("- ", "* ", ">>>", "..", "|")) or stripped.endswith("::")


def _wrap(text: str, width: int, *, first: str = "", rest: str = "") -> list[str]:
    if text and len(first) + len(text) <= width and text == " ".join(text.split()):
        # What textwrap would make of it, without building a wrapper: most entries are
        # one short line, and thousands of them are rendered on a large change.
        return [(first + text).replace(_GLUE, " ")]
    wrapper = textwrap.TextWrapper(
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    lines = wrapper.wrap(text) or ([first.rstrip()] if first.strip() else [])
    return [line.replace(_GLUE, " ") for line in lines]


_GLUE = "\x00"
"""Joins the words of a type so that wrapping never breaks it (``dict[str, int]``)."""


def _glued(text: str | None) -> str:
    return _words(text).replace(" ", _GLUE)


def _words(text: str | None) -> str:
    return " ".join((text or "").replace(_GLUE, " ").split())


def _examples(examples: list[str], prefix: str) -> list[str]:
    lines: list[str] = []
    for example in examples:
        if lines:
            lines.append("")
        lines += [(prefix + line).rstrip() for line in example.strip("\n").splitlines()]
    return lines


# --- google ----------------------------------------------------------------------------------


def _google(draft: DocstringDraft, width: int) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draft.params:
        blocks.append(["Args:", *_google_items(draft.params, width)])
    for title, doc in (("Returns:", draft.returns), ("Yields:", draft.yields)):
        if doc is not None:
            head = f"{_glued(doc.type)}: " if doc.type else ""
            blocks.append([title, *_wrap(head + _words(doc.description), width, **_HANG)])
    if draft.raises:
        blocks.append(["Raises:", *_google_items(draft.raises, width)])
    if draft.examples:
        blocks.append(["Examples:", *_examples(draft.examples, "    ")])
    return blocks


_HANG = {"first": "    ", "rest": "        "}


def _google_items(items: Iterable[ParamDoc | RaiseDoc], width: int) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, ParamDoc):
            head = _glued(f"{item.name} ({item.type})") if item.type else item.name
        else:
            head = _words(item.exception)
        lines += _wrap(f"{head}: {_words(item.description)}", width, **_HANG)
    return lines


# --- numpy -----------------------------------------------------------------------------------


def _numpy(draft: DocstringDraft, width: int) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draft.params:
        lines = _numpy_title("Parameters")
        for param in draft.params:
            lines.append(f"{param.name} : {_words(param.type)}" if param.type else param.name)
            lines += _wrap(_words(param.description), width, first="    ", rest="    ")
        blocks.append(lines)
    for title, doc in (("Returns", draft.returns), ("Yields", draft.yields)):
        if doc is not None:
            blocks.append(_numpy_title(title) + _numpy_value(doc, width))
    if draft.raises:
        lines = _numpy_title("Raises")
        for raised in draft.raises:
            lines.append(_words(raised.exception))
            lines += _wrap(_words(raised.description), width, first="    ", rest="    ")
        blocks.append(lines)
    if draft.examples:
        blocks.append(_numpy_title("Examples") + _examples(draft.examples, ""))
    return blocks


def _numpy_title(title: str) -> list[str]:
    return [title, "-" * len(title)]


def _numpy_value(doc: ReturnDoc, width: int) -> list[str]:
    if doc.type:
        return [_words(doc.type), *_wrap(_words(doc.description), width, first="    ", rest="    ")]
    return _wrap(_words(doc.description), width)


# --- sphinx ----------------------------------------------------------------------------------


def _sphinx(draft: DocstringDraft, width: int) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draft.examples:
        blocks.append(_examples(draft.examples, ""))
    fields: list[str] = []
    for param in draft.params:
        fields += _field(f":param {param.name}:", _words(param.description), width)
        if param.type:
            fields += _field(f":type {param.name}:", _glued(param.type), width)
    for (tag, type_tag), doc in (
        (("returns", "rtype"), draft.returns),
        (("yields", "ytype"), draft.yields),
    ):
        if doc is not None:
            fields += _field(f":{tag}:", _words(doc.description), width)
            if doc.type:
                fields += _field(f":{type_tag}:", _glued(doc.type), width)
    for raised in draft.raises:
        fields += _field(f":raises {_words(raised.exception)}:", _words(raised.description), width)
    if fields:
        blocks.append(fields)
    return blocks


def _field(tag: str, text: str, width: int) -> list[str]:
    return _wrap(f"{tag} {text}", width, rest="    ")


_RENDERERS: dict[str, Callable[[DocstringDraft, int], list[list[str]]]] = {
    "google": _google,
    "numpy": _numpy,
    "sphinx": _sphinx,
}


# --- detection -------------------------------------------------------------------------------

_GOOGLE = re.compile(
    r"^[ \t]*(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters"
    r"|Returns?|Yields?|Raises|Examples?|Attributes|Warns):[ \t]*$",
    re.MULTILINE,
)
_NUMPY = re.compile(
    r"^[ \t]*(Parameters|Other Parameters|Returns|Yields|Receives|Raises|Warns|Warnings|See Also"
    r"|Notes|References|Examples|Attributes|Methods)[ \t]*\r?\n[ \t]*-{3,}[ \t]*$",
    re.MULTILINE,
)
_SPHINX = re.compile(
    r"^[ \t]*:(param|parameter|arg|argument|key|keyword|type|returns?|rtype|raises?|except"
    r"|exception|yields?|ytype|var|ivar|cvar|vartype)\b[^:\n]*:",
    re.MULTILINE,
)
_ORDER: tuple[ConcreteStyle, ...] = ("google", "numpy", "sphinx")


def detect_style(docstrings: Iterable[str]) -> ConcreteStyle | None:
    """The style most of ``docstrings`` use, by their section markers; None if none shows one.

    Each docstring votes once, for the style whose markers it has most of; ties go to
    google, then numpy, then sphinx.
    """
    return winning_style(style_votes(docstrings))


def style_votes(docstrings: Iterable[str]) -> Counter[str]:
    """Votes of existing docstrings; the votes of many files add up.

    Each docstring votes once for the style whose markers it has most of, and once for
    ``typed`` or ``untyped`` when it documents parameters with or without their types.
    """
    votes: Counter[str] = Counter()
    for text in docstrings:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        counts = {
            "google": len(_GOOGLE.findall(text)),
            "numpy": len(_NUMPY.findall(text)),
            "sphinx": len(_SPHINX.findall(text)),
        }
        best = max(_ORDER, key=lambda style: counts[style])
        if counts[best]:
            votes[best] += 1
            typed = _PARAM_TYPING[best](text)
            if typed is not None:
                votes["typed" if typed else "untyped"] += 1
    return votes


def winning_style(votes: Counter[str]) -> ConcreteStyle | None:
    """The style with most votes (ties: google, numpy, sphinx), or None without votes."""
    if not any(votes[style] for style in _ORDER):
        return None
    return max(_ORDER, key=lambda style: votes[style])


def types_wanted(votes: Counter[str]) -> bool:
    """Whether docstrings carry parameter types: yes, unless the code base mostly omits them."""
    return votes["untyped"] <= votes["typed"]


_GOOGLE_PARAMS = re.compile(r"^([ \t]*)(?:Args|Arguments|Parameters|Params):[ \t]*\n", re.MULTILINE)
_GOOGLE_ENTRY = re.compile(r"\*{0,2}\w+( \([^)\n]*\))?:(?:\s|$)")
_NUMPY_PARAMS = re.compile(r"^([ \t]*)Parameters[ \t]*\n[ \t]*-{3,}[ \t]*\n", re.MULTILINE)
_NUMPY_ENTRY = re.compile(r"\*{0,2}\w+(\s*:\s*\S.*)?$")
_SPHINX_PARAM = re.compile(r"^[ \t]*:param(?:eter)?\s+(\S+)(?:\s+(\w+))?:", re.MULTILINE)


def _section_entries(text: str, header: re.Pattern[str]) -> list[str]:
    """First-level lines of the section ``header`` starts: those one indent step below it."""
    found = header.search(text)
    if found is None:
        return []
    base = len(found.group(1).expandtabs(TAB_WIDTH))
    entries: list[str] = []
    step: int | None = None
    for line in text[found.end() :].split("\n"):
        if not line.strip():
            continue
        depth = _depth(line)
        if depth < base or (depth == base and step is not None):
            break
        step = depth if step is None else step
        if depth == step:
            entries.append(line.strip())
    return entries


def _google_typed(text: str) -> bool | None:
    matches = [_GOOGLE_ENTRY.match(e) for e in _section_entries(text, _GOOGLE_PARAMS)]
    kinds = [bool(m.group(1)) for m in matches if m]
    return any(kinds) if kinds else None


def _numpy_typed(text: str) -> bool | None:
    found = _NUMPY_PARAMS.search(text)
    if found is None:
        return None
    base = len(found.group(1).expandtabs(TAB_WIDTH))
    kinds: list[bool] = []
    for line in text[found.end() :].split("\n"):
        stripped = line.strip()
        depth = _depth(line)
        if not stripped or depth > base:
            continue
        if depth < base:
            break
        if set(stripped) == {"-"}:  # the entry before was the next section's title
            kinds.pop()
            break
        entry = _NUMPY_ENTRY.match(stripped)
        if entry is None:
            break
        kinds.append(bool(entry.group(1)))
    return any(kinds) if kinds else None


def _depth(line: str) -> int:
    expanded = line.expandtabs(TAB_WIDTH)
    return len(expanded) - len(expanded.lstrip())


def _sphinx_typed(text: str) -> bool | None:
    params = _SPHINX_PARAM.findall(text)
    if not params:
        return None
    return any(inline for _, inline in params) or ":type " in text


_PARAM_TYPING: dict[ConcreteStyle, Callable[[str], bool | None]] = {
    "google": _google_typed,
    "numpy": _numpy_typed,
    "sphinx": _sphinx_typed,
}
