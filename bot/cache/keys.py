"""Content-addressed cache keys: the same question always maps to the same key.

A key covers everything that changes the answer: the provider, its fingerprint (model,
prompt version, generation settings, context sent), the target's normalised source and
the docstring style.  Anything else (line numbers, the file's path, indentation of the
definition inside its module) leaves the key alone, so moving code does not re-ask.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from bot.errors import ConfigError

KEY_FORMAT = "1"
"""Bumped when the key's recipe changes, so old entries are never read as new ones."""

TAG_NAMES = ("provider", "model", "prompt", "repo")
"""The tags each entry carries, for ``docbot cache invalidate --tag NAME=VALUE``."""


def normalise_source(source: str) -> str:
    """The definition's source with layout that cannot change its docstring removed.

    Line endings become ``\n``, trailing whitespace and surrounding blank lines go, and
    the block is dedented so a method moved into another scope keeps its key.
    """
    lines = [line.rstrip() for line in source.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    # textwrap.dedent's rule (the common leading whitespace of non-blank lines) without its
    # regexes, which cost more than the rest of a cache hit.  Usually the first line's
    # indentation is that margin: every other line of a definition is indented further.
    first = lines[0] if lines else ""
    margin = first[: len(first) - len(first.lstrip())]
    if margin and not all(line.startswith(margin) for line in lines if line):
        margin = _common_prefix([line[: len(line) - len(line.lstrip())] for line in lines if line])
    if margin:
        lines = [line[len(margin) :] for line in lines]
    return "\n".join(lines)


def _common_prefix(strings: list[str]) -> str:
    if not strings:
        return ""
    # The common prefix of all strings is the common prefix of the smallest and largest.
    low, high = min(strings), max(strings)
    for index, (a, b) in enumerate(zip(low, high, strict=False)):
        if a != b:
            return low[:index]
    return low


def cache_key(
    *, provider: str, fingerprint: str, source: str, style: str, language: str = "python"
) -> str:
    """The sha256 hex key of one question; ``source`` is normalised here.

    The language is a field of every other language's keys; Python's keys leave it out,
    so the answers cached before the language layer stay found.
    """
    digest = hashlib.sha256()
    fields: tuple[str, ...] = (KEY_FORMAT, provider, fingerprint, normalise_source(source), style)
    if language != "python":
        fields += ("language", language)
    # Length-prefixed fields: no two different field tuples can hash the same bytes.
    for field in fields:
        data = field.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def parse_tag(text: str) -> tuple[str, str]:
    """``"model=gpt-4o"`` -> ``("model", "gpt-4o")``; raises ``ConfigError`` on other shapes."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or "\n" in text:
        raise ConfigError(f"tag {text!r} is not NAME=VALUE, e.g. model=gpt-4o")
    return name.strip(), value.strip()


def matches(entry_tags: Mapping[str, str], wanted: Mapping[str, str]) -> bool:
    """Whether an entry carries every tag of ``wanted`` with the same value."""
    return all(entry_tags.get(name) == value for name, value in wanted.items())
