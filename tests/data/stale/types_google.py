"""Argument types gone stale, google style (see test_typechecks.py)."""

# ruff: noqa
from typing import Literal, Optional


def agree(path: str, mode: Literal["r", "w"] = "r") -> None:
    """Types that match, quotes aside.

    Args:
        path (str): Where.
        mode (Literal['r', 'w'], optional): How.
    """


def changed(path: str, size: int) -> None:
    """A type the signature changed.

    Args:
        path (str): Where.
        size (float): How much.
            Rounded down.
    """


def untyped(path: str, size: int) -> None:
    """No types in the docstring, annotations in the signature.

    Args:
        path: Where.
        size: How much.
    """


def spaced(items: dict[str, int], *args: int, **kwargs: "Optional[str]") -> None:
    """Annotations with spaces and quotes.

    Args:
        items (Dict[str,int]): What.
        *args (int): More.
        **kwargs (Optional[str]): Options.
    """


def swapped(size: int, path: str) -> None:
    """Reordered, and a type changed.

    Args:
        path (str): Where.
        size (str): How much.
    """


def ignored(path: str, _: int) -> None:
    """An underscore argument pydoclint does not compare.

    Args:
        path (bytes): Where.
    """
