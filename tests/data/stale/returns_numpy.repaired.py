"""Return types gone stale, numpy style (see test_returntypes.py)."""

# ruff: noqa
from typing import Optional


def agree(path: str) -> tuple[int, str]:
    """A tuple documented element by element.

    Parameters
    ----------
    path : str
        Where.

    Returns
    -------
    int
        How much.
    str
        What.
    """
    return 1, ""


def changed(path: str) -> int:
    """A return type the signature changed.

    Parameters
    ----------
    path : str
        Where.

    Returns
    -------
    size : int
        How much.
    """
    return 1


def unannotated(path: str):
    """A typed Returns section, no annotation.

    Parameters
    ----------
    path : str
        Where.

    Returns
    -------
    int
        How much.
    """
    return 1
