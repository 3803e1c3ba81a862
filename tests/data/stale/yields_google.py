"""Yield types gone stale, google style (see test_returntypes.py)."""

# ruff: noqa
from typing import Generator, Iterator


def agree(path: str) -> Iterator[str]:
    """Types that match.

    Args:
        path (str): Where.

    Yields:
        str: Each line.
    """
    yield path


def changed(path: str) -> Generator[bytes, None, None]:
    """A yield type the signature changed.

    Args:
        path (str): Where.

    Yields:
        str: Each line.
    """
    yield b""


def untyped(path: str) -> Iterator[str]:
    """A Yields section without a type.

    Args:
        path (str): Where.

    Yields:
        Each line.
    """
    yield path


def missing(path: str) -> Iterator[str]:
    """No Yields section under an iterator annotation.

    Args:
        path (str): Where.
    """
    yield path
