"""Yield types gone stale, numpy style (see test_returntypes.py)."""

# ruff: noqa
from typing import Iterator


def changed(path: str) -> Iterator[bytes]:
    """A yield type the signature changed.

    Parameters
    ----------
    path : str
        Where.

    Yields
    ------
    bytes
        Each line.
    """
    yield b""
