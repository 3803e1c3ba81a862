"""Words for comment languages: text made inert on one comment line, verbs in the third person."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")
"""Characters that would end a line comment (or blur it) in a reader or a compiler."""


def inert(text: str) -> str:
    """``text`` as words on one comment line: no line break or control character."""
    return " ".join(_CONTROL.sub(" ", text).split())


def third_person(verb: str) -> str:
    """``Return`` -> ``returns``, ``Fetch`` -> ``fetches``, ``Copy`` -> ``copies``."""
    word = verb.lower()
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
