"""Argument types gone stale, numpy style (see test_typechecks.py)."""

# ruff: noqa
from typing import Literal


def agree(path: str, mode: Literal["r", "w"] = "r") -> None:
    """Types that match, quotes aside.

    Parameters
    ----------
    path : str
        Where.
    mode : Literal['r', 'w']
        How.
    """


def changed(path: str, size: int) -> None:
    """A type the signature changed.

    Parameters
    ----------
    path : str
        Where.
    size : float
        How much.
        Rounded down.
    """


def optional(path: str, size: int = 1) -> None:
    """numpy's ``, optional`` is part of the type pydoclint compares.

    Parameters
    ----------
    path : str
        Where.
    size : int, optional
        How much.
    """


def untyped(path: str, size: int) -> None:
    """No types in the docstring, annotations in the signature.

    Parameters
    ----------
    path
        Where.
    size
        How much.
    """
