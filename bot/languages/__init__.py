"""The language layer: which adapter owns a file, by its suffix.

Every language docbot knows is one adapter module behind ``base.Language``.  Adapters
are imported on first use, so a Python-only run never loads a tree-sitter grammar, and a
language whose module is not installed yet is simply not offered.  The ``languages``
setting maps more suffixes to a language (``{".es6" = "javascript"}``) or turns one off
(``{".js" = ""}``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from bot.errors import ConfigError
from bot.languages.base import CommentStyle, FileScan, Language, Project

__all__ = [
    "ADAPTERS",
    "CommentStyle",
    "FileScan",
    "Language",
    "Project",
    "Registry",
    "adapter",
    "available",
]

ADAPTERS: Mapping[str, str] = {
    "python": "bot.languages.python",
    "typescript": "bot.languages.typescript",
    "javascript": "bot.languages.javascript",
    "go": "bot.languages.golang",
    "java": "bot.languages.java",
    "rust": "bot.languages.rust",
    "csharp": "bot.languages.csharp",
}
"""Language name -> the module whose ``LANGUAGE`` attribute is its adapter."""


@cache
def adapter(name: str) -> Language | None:
    """The adapter called ``name``, or ``None`` when docbot has no such module (yet)."""
    module_name = ADAPTERS.get(name)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    found: Language = module.LANGUAGE
    return found


def available() -> tuple[Language, ...]:
    """Every adapter docbot ships, in ``ADAPTERS`` order."""
    return tuple(found for name in ADAPTERS if (found := adapter(name)) is not None)


@dataclass(frozen=True)
class Registry:
    """Suffix -> language: the adapters' own suffixes, then the setting's overrides.

    The longest matching suffix wins, so ``.d.ts`` can belong elsewhere than ``.ts``;
    suffixes match case-sensitively, as the linters' default file globs do.
    """

    overrides: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> Registry:
        """A registry from the ``languages`` setting; ``ConfigError`` names a bad entry."""
        for suffix, name in mapping.items():
            if not suffix.startswith(".") or len(suffix) < 2:
                raise ConfigError(f"setting languages: {suffix!r} is not a suffix like '.ts'")
            if name and adapter(name) is None:
                known = ", ".join(n for n in ADAPTERS if adapter(n) is not None)
                raise ConfigError(f"setting languages: no language {name!r} (known: {known})")
        return cls(tuple(sorted(mapping.items())))

    def language_for(self, path: str) -> Language | None:
        """The adapter owning ``path``, or ``None`` when no language claims it."""
        table = _suffixes(self.overrides)
        name = path.rpartition("/")[2]
        dot = name.find(".", 1)
        while dot != -1:
            owner = table.get(name[dot:])
            if owner is not None:
                return adapter(owner) if owner else None
            dot = name.find(".", dot + 1)
        return None

    def suffixes(self) -> tuple[str, ...]:
        """Every suffix some language owns (for listing untracked files and PR files)."""
        return tuple(suffix for suffix, owner in _suffixes(self.overrides).items() if owner)


@cache
def _suffixes(overrides: tuple[tuple[str, str], ...]) -> dict[str, str]:
    table = {suffix: found.name for found in available() for suffix in found.extensions}
    table.update(overrides)
    return table
