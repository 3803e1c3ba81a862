"""Header + docstring replacements, and the proof that they change nothing but a docstring.

``suggest`` builds one target's replacement and proves it locally, in time proportional
to the definition's header rather than the module; ``check_safe`` is the whole-module
proof of DESIGN.md's invariant, run before files are written.

The docstring's literal: the text's lines after the first are indented by the body's
indentation, and a multi-line docstring closes on a line of its own, so its runtime value
is ``runtime_value(text, indent)``; ``inspect.cleandoc`` of that value (what ``help()``
and ``ast.get_docstring`` show) is the text again, tabs in it aside.
"""

from __future__ import annotations

import ast
import functools
import re
import tokenize
from collections.abc import Iterator, Sequence

from bot.errors import UnsafeSuggestion
from bot.gcpause import collector_paused
from bot.model import Suggestion, Target, TargetKind

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
"""Physical lines as Python's tokenizer (and so ``ast`` line numbers) counts them."""
_EOL = re.compile(r"(?:\r\n|\r|\n)\Z")
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")
"""Characters a literal must spell as escapes: the tokenizer, editors or UTF-8 would alter them."""
_STARTS_WITH_STRING = re.compile(r"[rRbBuUfF]{0,2}['\"]")
_COOKIE = re.compile(r"[ \t\f]*#.*?coding[:=]")
_BOM = "\ufeff"
"""A byte order mark may open a file; ``ast.parse`` of text refuses it."""
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_DOC_HOLDERS = (ast.Module, *_DEFINITIONS)
_CLASSES = (TargetKind.CLASS, TargetKind.NESTED_CLASS)


def suggest(target: Target, source: str, docstring: str) -> Suggestion:
    """The suggestion that adds ``docstring`` to ``target`` in ``source`` (the whole new file).

    Raises ``UnsafeSuggestion`` unless the edit provably changes nothing but a docstring.
    """
    lines = _lines(source)
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
    literal = docstring_literal(docstring, target.body_indent)
    value = runtime_value(docstring, target.body_indent)
    if target.one_liner:
        replacement = _split_one_liner(target, lines, literal, eol, value)
    else:
        # PEP 257 (and ruff's D204) want a blank line after a class docstring.
        gap = "\n" if target.kind in _CLASSES and not _blank(lines, target.header_end + 1) else ""
        _prove_block(target, lines, literal + gap, value)
        header = "".join(lines[target.line - 1 : target.header_end]).rstrip("\r\n")
        replacement = header + eol + (literal + gap).replace("\n", eol)
    return Suggestion(target.path, target.line, target.header_end, replacement)


def runtime_value(text: str, indent: str) -> str:
    """The value of the docstring literal ``suggest`` writes for ``text`` at ``indent``."""
    first, *rest = text.split("\n")
    if not rest:
        return first
    return first + "".join("\n" + (indent + line if line else "") for line in rest) + "\n" + indent


def docstring_literal(text: str, indent: str) -> str:
    """The indented string literal, lines joined by ``\\n``, whose value is ``runtime_value``.

    Plain triple double quotes when nothing needs escaping; ``r\"\"\"`` when the text has
    backslashes but no quote or character a raw string cannot hold; otherwise every
    backslash, every quote that touches another quote or the closing quotes, and every
    control character is escaped, so no text can end the string or change its value.
    """
    value = runtime_value(text, indent)
    risky_quotes = '""' in value or value.endswith('"')
    if _UNSAFE_CHARS.search(value) or risky_quotes:
        return indent + '"""' + _escape(value) + '"""'
    if "\\" in value:
        if value.endswith("\\") or '\\"' in value:
            return indent + '"""' + _escape(value) + '"""'
        return indent + 'r"""' + value + '"""'
    return indent + '"""' + value + '"""'


def _escape(value: str) -> str:
    out: list[str] = []
    last = len(value) - 1
    for index, char in enumerate(value):
        if char == "\\":
            out.append("\\\\")
        elif char == '"' and (index == last or value[index + 1] == '"'):
            # An unescaped quote then never touches another one, so no `"""` can form.
            out.append('\\"')
        elif _UNSAFE_CHARS.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


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
    _prove_one_liner(target, lines, replacement + eol, value)
    return replacement


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
# docstring, i.e. a docstring.  One-liner case: the definition's own lines are compared
# (field by field, docstrings aside) with their replacement, both parsed at the header's
# indentation; the new body sits deeper than the header, so the line after the definition
# dedents back exactly as it did before.


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
    _check_body_start(target, lines)
    header = "".join(lines[target.line - 1 : target.header_end]).rstrip("\r\n")
    indent = _indentation(lines[target.line - 1])
    snippet = header + "\n" + literal + "\n" + target.body_indent + "pass\n"
    node = _definition(snippet, indent, target)
    if len(node.body) != 2 or not isinstance(node.body[1], ast.Pass) or _docstring(node) != value:
        raise UnsafeSuggestion(
            f"{target.qualname}: the docstring would not be the body's first statement"
        )


def _check_body_start(target: Target, lines: Sequence[str]) -> None:
    for number in range(target.header_end + 1, len(lines) + 1):
        line = lines[number - 1].rstrip("\r\n")
        code = line.lstrip(" \t\f")
        if not code or code.startswith("#"):
            continue
        if line[: len(line) - len(code)] != target.body_indent:
            raise UnsafeSuggestion(
                f"{target.qualname}: line {number} is not indented by the body's indentation"
            )
        if _STARTS_WITH_STRING.match(code):
            raise UnsafeSuggestion(f"{target.qualname}: its body already starts with a string")
        return
    raise UnsafeSuggestion(f"{target.qualname}: no body follows its header")


def _prove_one_liner(target: Target, lines: Sequence[str], new_head: str, value: str) -> None:
    indent = _indentation(lines[target.line - 1])
    rest = "".join(lines[target.header_end : target.end_line])
    old = _definition("".join(lines[target.line - 1 : target.end_line]), indent, target)
    new = _definition(new_head + rest, indent, target)
    if _docstring(new) != value or _docstring(old) is not None:
        raise UnsafeSuggestion(
            f"{target.qualname}: the docstring would not be the body's first statement"
        )
    if not _same_but_docstrings(old, new):
        raise UnsafeSuggestion(f"{target.qualname}: splitting the one-liner would change its code")


# --- modules ---------------------------------------------------------------------------------


def _module_suggestion(target: Target, lines: Sequence[str], docstring: str) -> Suggestion:
    literal = docstring_literal(docstring, "")
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
    if len(tree.body) != 1 or _docstring(tree) != value:
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
    lines = list(_lines(source))
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


@functools.lru_cache(maxsize=8)
def _lines(source: str) -> tuple[str, ...]:
    # Cached: one file's many targets share one split (str caches its hash).
    return tuple(_LINE.findall(source))


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
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _docstring(node: ast.AST) -> str | None:
    body = getattr(node, "body", None)
    if not body or not isinstance(body[0], ast.Expr):
        return None
    value = body[0].value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


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
    return body[1:] if _docstring(node) is not None else body
