"""Argument types gone stale, sphinx style (see test_typechecks.py)."""

# ruff: noqa
from typing import Optional


def agree(path: str, size: "Optional[int]" = None) -> None:
    """Types that match, quotes aside.

    :param str path: Where.
    :param size: How much.
    :type size: Optional[int]
    """


def changed(path: str, size: int) -> None:
    """A type the signature changed.

    :param str path: Where.
    :param size: How much.
        Rounded down.
    :type size: int
    """


def untyped(path: str, size: int) -> None:
    """No types in the docstring, annotations in the signature.

    :param path: Where.
    :type path: str
    :param size: How much.
    :type size: int
    """


def inline(path: str, size: dict[str, int]) -> None:
    """An inline type that cannot take one with spaces.

    :param bytes path: Where.
    :param float size: How much.
    """
