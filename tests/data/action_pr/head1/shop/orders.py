"""Orders and their lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Line:
    """One line of an order."""

    sku: str
    quantity: int
    unit_price: float

    def subtotal(self) -> float:
        return self.quantity * self.unit_price


class Order:
    def __init__(self, number: str) -> None:
        self.number = number
        self.lines: list[Line] = []

    def add(self, sku: str, quantity: int = 1, *,
            unit_price: float) -> Line:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        line = Line(sku, quantity, unit_price)
        self.lines.append(line)
        return line

    @property
    def total(self) -> float:
        return sum(line.subtotal() for line in self.lines)

    def is_empty(self): return not self.lines

    class Status:
        OPEN = "open"
        PAID = "paid"

    def __len__(self) -> int:
        return len(self.lines)

    def _renumber(self, number: str) -> None:
        self.number = number
