"""JavaScript: the ``javascript`` adapter, which shares its code with TypeScript's."""

from __future__ import annotations

from bot.languages.base import Language
from bot.languages.typescript import JAVASCRIPT_LANGUAGE

LANGUAGE: Language = JAVASCRIPT_LANGUAGE
