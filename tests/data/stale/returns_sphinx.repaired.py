"""Return types gone stale, sphinx style (see test_returntypes.py)."""

# ruff: noqa
from typing import Optional


def agree(path: str) -> Optional[int]:
    """Types that match.

    :param str path: Where.
    :returns: How much.
    :rtype: Optional[int]
    """
    return None


def changed(path: str) -> int:
    """A return type the signature changed.

    :param str path: Where.
    :returns: How much.
    :rtype: int
    """
    return 1


def untyped(path: str) -> int:
    """A Returns field without a type.

    :param str path: Where.
    :returns: How much.
    :rtype: int
    """
    return 1


def prose(path: str) -> int:
    """An rtype followed by prose, which docstring_parser reads as part of it.

    :param str path: Where.
    :returns: How much.
    :rtype: int

    .. note:: Slow.
    """
    return 1
