"""Header + docstring replacements, and the proof that they change nothing but a docstring.

``suggest`` builds one target's replacement and proves it locally, in time proportional
to the definition's header rather than the module; ``check_safe`` is the whole-module
proof of DESIGN.md's invariant, run before files are written.  The literal itself comes
from ``literal.py``.
"""

from __future__ import annotations

import ast
import codecs
import re
import tokenize
from collections.abc import Iterator, Sequence

from bot.errors import UnsafeSuggestion
from bot.gcpause import collector_paused
from bot.literal import docstring_literal, runtime_value
from bot.model import Suggestion, Target, TargetKind
from bot.pysource import docstring_of, physical_lines

_EOL = re.compile(r"(?:\r\n|\r|\n)\Z")
_STARTS_WITH_STRING = re.compile(r"[rRbBuUfF]{0,2}['\"]")
_COOKIE = re.compile(r"[ \t\f]*#.*?coding[:=]")
_COOKIE_NAME = re.compile(r"[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BOM = "\ufeff"
"""A byte order mark may open a file; ``ast.parse`` of text refuses it."""
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_DOC_HOLDERS = (ast.Module, *_DEFINITIONS)
_CLASSES = (TargetKind.CLASS, TargetKind.NESTED_CLASS)


def suggest(target: Target, source: str, docstring: str) -> Suggestion:
    """The suggestion that adds ``docstring`` to ``target`` in ``source`` (the whole new file).

    Raises ``UnsafeSuggestion`` unless the edit provably changes nothing but a docstring.
    """
    lines = physical_lines(source)
    if target.kind is TargetKind.MODULE:
        return _module_suggestion(target, lines, docstring)
    if not 1 <= target.line <= target.header_end <= len(lines):
        raise UnsafeSuggestion(
            f"{target.qualname}: lines {target.line}-{target.header_end} are not in the file"
        )
    header_indent = _indentation(lines[target.line - 1])
    if len(target.body_indent) <= len(header_indent) or not target.body_indent.startswith(
        header_indent
    ):
        raise UnsafeSuggestion(
            f"{target.qualname}: body indentation {target.body_indent!r} is not inside the header's"
        )
    eol = _eol(lines, target.header_end)
    ascii_only = _declares_other_encoding(lines)
    literal = docstring_literal(docstring, target.body_indent, ascii_only=ascii_only)
    value = runtime_value(docstring, target.body_indent)
    if target.one_liner:
        replacement = _split_one_liner(target, lines, literal, eol, value)
    else:
        # PEP 257 (and ruff's D204) want a blank line after a class docstring.
        gap = "\n" if target.kind in _CLASSES and not _blank(lines, target.header_end + 1) else ""
        header = "".join(lines[target.line - 1 : target.header_end]).rstrip("\r\n")
        continued = header.rstrip(" \t\f").endswith("\\") and _continues_after_colon(target, lines)
        if continued:  # `def f(): \` + `    return 1`: the body is a continuation line
            header = header.rstrip(" \t\f")[:-1].rstrip(" \t\f")
        replacement = header + eol + (literal + gap).replace("\n", eol)
        if continued or _check_body_start(target, lines):
            # The body was not an indented block, or starts with a string expression that
            # is not a docstring (``b"..."``, ``f"..."``, ``"a".join(x)``): only comparing
            # the whole definition before and after shows what the insertion does.
            _prove_definition(target, lines, replacement + eol, value)
        else:
            _prove_block(target, lines, literal + gap, value)
    return Suggestion(target.path, target.line, target.header_end, replacement)


# --- one-liners ------------------------------------------------------------------------------


def _split_one_liner(
    target: Target, lines: Sequence[str], literal: str, eol: str, value: str
) -> str:
    row, col = _header_colon(target, lines)
    if row != target.header_end:
        raise UnsafeSuggestion(
            f"{target.qualname}: the header's colon is on line {row}, not {target.header_end}"
        )
    last = lines[row - 1].rstrip("\r\n")
    body = last[col + 1 :].lstrip(" \t\f")
    if not body or body.startswith("#"):
        raise UnsafeSuggestion(
            f"{target.qualname}: marked as a one-liner but has no body after its colon"
        )
    head = "".join(lines[target.line - 1 : row - 1]) + last[: col + 1]
    replacement = head + eol + literal.replace("\n", eol) + eol + target.body_indent + body
    _prove_definition(target, lines, replacement + eol, value)
    return replacement


def _continues_after_colon(target: Target, lines: Sequence[str]) -> bool:
    """Whether the header's colon is followed by nothing but a line continuation."""
    row, col = _header_colon(target, lines)
    rest = lines[row - 1].rstrip("\r\n")[col + 1 :].strip(" \t\f")
    return row == target.header_end and rest == "\\"


def _header_colon(target: Target, lines: Sequence[str]) -> tuple[int, int]:
    """Line and column of the colon ending the header, reading no further than it."""
    feed: Iterator[str] = iter(lines[target.line - 1 : target.end_line])
    depth = 0
    try:
        for token in tokenize.generate_tokens(lambda: next(feed, "")):
            if token.type != tokenize.OP:
                continue
            if token.string in "([{":
                depth += 1
            elif token.string in ")]}":
                depth -= 1
            elif token.string == ":" and depth == 0:
                return target.line + token.start[0] - 1, token.start[1]
    except (tokenize.TokenError, SyntaxError) as exc:
        raise UnsafeSuggestion(f"{target.qualname}: cannot read its header ({exc})") from None
    raise UnsafeSuggestion(f"{target.qualname}: no colon ends its header")


# --- local proofs ----------------------------------------------------------------------------
# Why a local proof is enough.  The new module is prefix + replacement + suffix, where the
# prefix (lines before ``line``) and suffix (lines after ``header_end``) are byte-for-byte
# the original's.  Assumed, not re-checked (that would mean parsing the module): ``target``
# came from an AST of this very ``source``, so ``line`` starts a logical line at the
# header's indentation and the tokenizer reaches it in the same state as before.
# Block case: the header is kept whole; the snippet parse shows the literal is one complete
# string statement with the expected value; the first body line is checked to carry exactly
# ``body_indent`` and not to start with a string.  So after the inserted lines the tokenizer
# is where it was at the first body line (same INDENT), the suffix tokenizes as before, and
# the only AST change is a new first statement of this body: a string where there was no
# docstring, i.e. a docstring.  Whole-definition case (one-liners, a body that continues the
# header's line after a backslash, a body that starts with a string expression the snippet
# cannot tell from a docstring): the definition's own lines are compared (field by field,
# docstrings aside) with their replacement, both parsed at the header's indentation; the
# new body sits deeper than the header, so the line after the definition dedents back
# exactly as it did before.


def _wrap(snippet: str, indent: str) -> str:
    # An indented header parses as the body of `if 1:`, whatever its indentation.
    return "if 1:\n" + snippet if indent else snippet


def _definition(
    snippet: str, indent: str, target: Target
) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef:
    try:
        tree = ast.parse(_wrap(snippet.removeprefix(_BOM), indent))
    except (SyntaxError, ValueError) as exc:
        raise UnsafeSuggestion(
            f"{target.qualname}: the edited definition does not parse ({exc.args[0]})"
        ) from None
    body = tree.body
    if indent:
        outer = body[0]
        assert isinstance(outer, ast.If)
        body = outer.body
    node = body[0]
    if len(body) != 1 or not isinstance(node, _DEFINITIONS):
        raise UnsafeSuggestion(
            f"{target.qualname}: lines {target.line}-{target.end_line} are not one definition"
        )
    if node.name != target.qualname.rsplit(".", 1)[-1]:
        raise UnsafeSuggestion(f"{target.qualname}: line {target.line} defines {node.name!r}")
    return node


def _prove_block(target: Target, lines: Sequence[str], literal: str, value: str) -> None:
    header = "".join(lines[target.line - 1 : target.header_end]).rstrip("\r\n")
    indent = _indentation(lines[target.line - 1])
    snippet = header + "\n" + literal + "\n" + target.body_indent + "pass\n"
    node = _definition(snippet, indent, target)
    if len(node.body) != 2 or not isinstance(node.body[1], ast.Pass) or docstring_of(node) != value:
        raise UnsafeSuggestion(
            f"{target.qualname}: the docstring would not be the body's first statement"
        )


def _check_body_start(target: Target, lines: Sequence[str]) -> bool:
    """Check the first body line carries exactly ``body_indent``; say if it starts with a string."""
    for number in range(target.header_end + 1, len(lines) + 1):
        line = lines[number - 1].rstrip("\r\n")
        code = line.lstrip(" \t\f")
        if not code or code.startswith("#"):
            continue
        if _indentation(line) != target.body_indent:
            raise UnsafeSuggestion(
                f"{target.qualname}: line {number} is not indented by the body's indentation"
            )
        return bool(_STARTS_WITH_STRING.match(code))
    raise UnsafeSuggestion(f"{target.qualname}: no body follows its header")


def _prove_definition(target: Target, lines: Sequence[str], new_head: str, value: str) -> None:
    """Lines ``line..header_end`` replaced by ``new_head`` leave the definition's code as is."""
    indent = _indentation(lines[target.line - 1])
    rest = "".join(lines[target.header_end : target.end_line])
    old = _definition("".join(lines[target.line - 1 : target.end_line]), indent, target)
    if docstring_of(old) is not None:
        raise UnsafeSuggestion(f"{target.qualname}: its body already starts with a string")
    new = _definition(new_head + rest, indent, target)
    if docstring_of(new) != value:
        raise UnsafeSuggestion(
            f"{target.qualname}: the docstring would not be the body's first statement"
        )
    if not _same_but_docstrings(old, new):
        raise UnsafeSuggestion(f"{target.qualname}: the edit would change the definition's code")


# --- modules ---------------------------------------------------------------------------------


def _module_suggestion(target: Target, lines: Sequence[str], docstring: str) -> Suggestion:
    literal = docstring_literal(docstring, "", ascii_only=_declares_other_encoding(lines))
    _prove_module(target, lines, literal, runtime_value(docstring, ""))
    eol = _eol(lines, 1)
    if eol != "\n":
        literal = literal.replace("\n", eol)
    keep = _leading_magic_comments(lines)
    # Formatters (black, ruff) keep one blank line after a module docstring.
    gap = "" if _blank(lines, keep + 1) else eol
    if keep:
        head = "".join(lines[:keep]).rstrip("\r\n")
        return Suggestion(target.path, 1, keep, head + eol + literal + gap)
    first = lines[0].rstrip("\r\n") if lines else ""
    bom = _BOM if first.startswith(_BOM) else ""
    replacement = bom + literal + (eol + gap + first[len(bom) :] if lines else "")
    return Suggestion(target.path, 1, 1, replacement)


def _declares_other_encoding(lines: Sequence[str]) -> bool:
    """Whether an encoding cookie (PEP 263) names an encoding other than UTF-8.

    The text came in as UTF-8 and goes back as UTF-8, but Python will read it with the
    declared codec: ``# coding: ascii`` refuses any other byte, cp1252 some.  Added text
    that is ASCII reads the same in all of them (Python requires them ASCII-compatible).
    """
    for number, line in enumerate(lines[:2]):
        found = _COOKIE_NAME.match(line.lstrip(_BOM) if number == 0 else line)
        if found:
            try:
                return codecs.lookup(found[1]).name != "utf-8"
            except LookupError:
                return True
        if not _is_comment(line):
            return False
    return False


def _leading_magic_comments(lines: Sequence[str]) -> int:
    # A shebang must stay first and an encoding cookie within the first two lines.
    if len(lines) > 1 and _COOKIE.match(lines[1]) and _is_comment(lines[0]):
        return 2
    if lines and (
        lines[0].lstrip("\ufeff").startswith("#!") or _COOKIE.match(lines[0].lstrip("\ufeff"))
    ):
        return 1
    return 0


def _prove_module(target: Target, lines: Sequence[str], literal: str, value: str) -> None:
    # The docstring goes above the first statement, below comments only: the tokenizer is
    # at column 0 with an empty indentation stack on both sides of it.
    for line in lines:
        if not _is_comment(line):
            if _STARTS_WITH_STRING.match(line.lstrip("\ufeff \t\f")):
                raise UnsafeSuggestion(f"{target.path}: the module already starts with a string")
            break
    try:
        tree = ast.parse(literal + "\n")
    except (SyntaxError, ValueError) as exc:
        raise UnsafeSuggestion(
            f"{target.path}: the module docstring does not parse ({exc.args[0]})"
        ) from None
    if len(tree.body) != 1 or docstring_of(tree) != value:
        raise UnsafeSuggestion(f"{target.path}: the module docstring would not be one string")


# --- the whole-module proof and applying -----------------------------------------------------


def check_safe(original: str, modified: str) -> None:
    """Raise ``UnsafeSuggestion`` unless ``modified`` parses and differs only in docstrings."""
    with collector_paused():
        before = _parse_module(original, "the original file")
        after = _parse_module(modified, "the edited file")
        if not _same_but_docstrings(before, after):
            raise UnsafeSuggestion("the edit changes code, not only docstrings")


def _parse_module(source: str, what: str) -> ast.Module:
    try:
        return ast.parse(source.removeprefix(_BOM))
    except (SyntaxError, ValueError) as exc:
        raise UnsafeSuggestion(f"{what} does not parse ({exc.args[0]})") from None


def apply(source: str, suggestions: Sequence[Suggestion]) -> str:
    """``source`` with each suggestion's lines replaced, as GitHub commits a suggestion block.

    Suggestions must not overlap; the replaced block keeps the line ending of its last line.
    """
    lines = list(physical_lines(source))
    below = max(len(lines), 1) + 1  # line 1 of an empty file takes a module docstring
    for item in sorted(suggestions, key=lambda s: (s.start_line, s.end_line), reverse=True):
        if not 1 <= item.start_line <= item.end_line < below:
            raise UnsafeSuggestion(
                f"{item.path}: suggestion lines {item.start_line}-{item.end_line}"
                " overlap another suggestion or lie outside the file"
            )
        ending = lines[item.end_line - 1] if item.end_line <= len(lines) else ""
        match = _EOL.search(ending)
        lines[item.start_line - 1 : item.end_line] = [
            item.replacement + (match.group() if match else "")
        ]
        below = item.start_line
    return "".join(lines)


# --- helpers ---------------------------------------------------------------------------------


def _eol(lines: Sequence[str], number: int) -> str:
    for candidate in (lines[number - 1] if number <= len(lines) else "", lines[0] if lines else ""):
        match = _EOL.search(candidate)
        if match:
            return match.group()
    return "\n"


def _blank(lines: Sequence[str], number: int) -> bool:
    """Whether line ``number`` is empty or past the end (nothing to keep apart from)."""
    return number > len(lines) or not lines[number - 1].strip()


def _is_comment(line: str) -> bool:
    code = line.lstrip("\ufeff \t\f").rstrip("\r\n")
    return not code or code.startswith("#")


def _indentation(line: str) -> str:
    """The indentation Python sees: a form feed sets the tokenizer's column back to zero."""
    return line[: len(line) - len(line.lstrip(" \t\f"))].rpartition("\f")[2]


def _same_but_docstrings(before: ast.AST, after: ast.AST) -> bool:
    """Whether two trees are equal once each docstring is removed (ast.dump's equality).

    One iterative walk over both trees: about 7x faster than comparing ``ast.dump`` strings,
    which matters on the 30k-line modules ``check_safe`` sees.
    """
    stack: list[tuple[object, object]] = [(before, after)]
    while stack:
        left, right = stack.pop()
        if type(left) is not type(right):
            return False
        if isinstance(left, ast.AST):
            assert isinstance(right, ast.AST)
            for name in left._fields:
                mine, theirs = getattr(left, name, None), getattr(right, name, None)
                if name == "body" and isinstance(left, _DOC_HOLDERS):
                    mine, theirs = _without_docstring(left), _without_docstring(right)
                stack.append((mine, theirs))
        elif isinstance(left, list):
            assert isinstance(right, list)
            if len(left) != len(right):
                return False
            stack.extend(zip(left, right, strict=True))
        elif left != right or repr(left) != repr(right):
            return False
    return True


def _without_docstring(node: ast.AST) -> list[ast.stmt]:
    body: list[ast.stmt] = getattr(node, "body", [])
    return body[1:] if docstring_of(node) is not None else body
