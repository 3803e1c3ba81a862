"""Shapes and their areas: public API with the usual mix of documented and bare code."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, overload

from typing_extensions import override

if TYPE_CHECKING:
    from collections.abc import Iterable

    def type_only_helper(x: int) -> int: ...


class Shape(Protocol):
    def area(self) -> float: ...

    def _scale(self, factor: float) -> Shape: ...


@dataclass(frozen=True)
class Circle:
    radius: float

    @property
    def area(self) -> float:
        return math.pi * self.radius**2

    @cached_property
    def diameter(self) -> float:
        """Twice the radius."""
        return 2 * self.radius

    def __post_init__(self) -> None:
        if self.radius < 0:
            raise ValueError("radius must be >= 0")

    def __repr__(self) -> str:
        return f"Circle({self.radius})"

    class Builder:
        def build(self, radius: float) -> Circle:  # type: ignore[name-defined]
            return Circle(radius)

    class _Cache:
        def get(self): ...


class Square(Circle):
    @override
    def __repr__(self) -> str:
        return "Square"

    @Circle.area.getter
    def area(self) -> float:
        return self.radius**2

    @property
    def side(self): return self.radius

    @side.setter
    def side(self, value): object.__setattr__(self, "radius", value)


@overload
def total(shapes: list[Circle]) -> float: ...
@overload
def total(shapes: Iterable[Shape]) -> float: ...
def total(shapes):
    return sum(s.area for s in shapes)


def largest(shapes, *, key=lambda s: s.area):
    best = None
    for s in shapes:
        if best is None or key(s) > key(best):
            best = s
    return best


async def stream_areas(shapes):
    for s in shapes:
        yield s.area


def _private_helper():
    def nested_public_name():
        pass

    return nested_public_name


try:
    from fast_shapes import fast_area
except ImportError:

    def fast_area(shape):
        return shape.area


def legacy(x):  # noqa: D103
    return x
