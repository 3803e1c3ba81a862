import math
from functools import lru_cache

__all__ = ["Point", "area_of_circle", "distance", "midpoint", "polygon_area", "scale"]


class Point:
    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y

    def norm(self) -> float: return math.hypot(self.x, self.y)

    @classmethod
    def origin(cls) -> "Point": return cls(0.0, 0.0)

    @staticmethod
    def parse(text: str) -> "Point":
        x, y = text.split(",")
        return Point(float(x), float(y))


def distance(a: Point,
             b: Point) -> float:
    return math.dist((a.x, a.y), (b.x, b.y))


@lru_cache(maxsize=128)
def area_of_circle(radius: float) -> float:
    if radius < 0:
        raise ValueError("negative radius")
    return math.pi * radius**2


def polygon_area(points: list[Point]) -> float:
    pairs = zip(points, points[1:] + points[:1])
    return abs(sum(a.x * b.y - b.x * a.y for a, b in pairs)) / 2


def scale(p: Point, factor: float = 2.0) -> Point: return Point(p.x * factor, p.y * factor)


def midpoint(
    a: Point,
    b: Point,
) -> Point:
    return Point((a.x + b.x) / 2, (a.y + b.y) / 2)


def helper():
    return None
