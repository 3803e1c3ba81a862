"""Yield types gone stale, sphinx style (see test_returntypes.py)."""

# ruff: noqa
from typing import Iterator


def changed(path: str) -> Iterator[bytes]:
    """A yield type the signature changed.

    :param str path: Where.
    :yields: Each line.
    :ytype: str
    """
    yield b""


def untyped(path: str) -> Iterator[str]:
    """A Yields field without a type.

    :param str path: Where.
    :yields: Each line.
    """
    yield path
