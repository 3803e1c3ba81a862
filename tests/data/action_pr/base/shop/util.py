"""Small helpers shared by the shop."""

import re


def slugify(text: str) -> str:
    """Lower-case ``text`` and join its words with hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clamp(value, low, high):
    return max(low, min(high, value))


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]
