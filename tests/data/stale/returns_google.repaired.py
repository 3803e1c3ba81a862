"""Return types gone stale, google style (see test_returntypes.py)."""

# ruff: noqa
from typing import Iterator, Optional


def agree(path: str) -> "Optional[int]":
    """Types that match, quotes aside.

    Args:
        path (str): Where.

    Returns:
        Optional[int]: How much.
    """
    return None


def changed(path: str) -> int:
    """A return type the signature changed.

    Args:
        path (str): Where.

    Returns:
        int: How much.
    """
    return 1


def untyped(path: str) -> int:
    """A Returns section without a type.

    Args:
        path (str): Where.

    Returns:
        int: How much, counted: in bytes.
    """
    return 1


def unannotated(path: str):
    """A typed Returns section, no annotation.

    Args:
        path (str): Where.

    Returns:
        int: How much.
    """
    return 1


def missing(path: str) -> int:
    """No Returns section under an annotation.

    Args:
        path (str): Where.

    Returns:
        int: The missing.
    """
    return 1


def nothing(path: str) -> None:
    """No Returns section, nothing returned.

    Args:
        path (str): Where.
    """


def lines(path: str) -> Iterator[str]:
    """A generator's annotation needs no Returns section.

    Args:
        path (str): Where.

    Yields:
        str: Each line.
    """
    yield path
