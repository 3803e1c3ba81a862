"""A docstring's text as a Python string literal that no text can break out of.

The literal's lines after the first are indented by the body's indentation, and a
multi-line docstring closes on a line of its own, so its runtime value is
``runtime_value(text, indent)``; ``inspect.cleandoc`` of that value (what ``help()`` and
``ast.get_docstring`` show) is the text again, tabs in it aside.
"""

from __future__ import annotations

import re

_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")
"""Characters a literal must spell as escapes: the tokenizer, editors or UTF-8 would alter them."""


def runtime_value(text: str, indent: str) -> str:
    """The value of the docstring literal ``suggest`` writes for ``text`` at ``indent``."""
    first, *rest = text.split("\n")
    if not rest:
        return first
    return first + "".join("\n" + (indent + line if line else "") for line in rest) + "\n" + indent


def docstring_literal(text: str, indent: str, *, ascii_only: bool = False) -> str:
    """The indented string literal, lines joined by ``\\n``, whose value is ``runtime_value``.

    Plain triple double quotes when nothing needs escaping; ``r\"\"\"`` when the text has
    backslashes but no quote or character a raw string cannot hold; otherwise every
    backslash, every quote that touches another quote or the closing quotes, and every
    control character is escaped, so no text can end the string or change its value.
    With ``ascii_only`` every non-ASCII character is escaped as well.
    """
    value = runtime_value(text, indent)
    risky_quotes = '""' in value or value.endswith('"')
    if _UNSAFE_CHARS.search(value) or risky_quotes or (ascii_only and not value.isascii()):
        return indent + '"""' + _escape(value, ascii_only=ascii_only) + '"""'
    if "\\" in value:
        if value.endswith("\\") or '\\"' in value:
            return indent + '"""' + _escape(value) + '"""'
        return indent + 'r"""' + value + '"""'
    return indent + '"""' + value + '"""'


def _escape(value: str, *, ascii_only: bool = False) -> str:
    out: list[str] = []
    last = len(value) - 1
    for index, char in enumerate(value):
        if char == "\\":
            out.append("\\\\")
        elif char == '"' and (index == last or value[index + 1] == '"'):
            # An unescaped quote then never touches another one, so no `"""` can form.
            out.append('\\"')
        elif _UNSAFE_CHARS.match(char) or (ascii_only and not char.isascii()):
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            else:
                out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)
