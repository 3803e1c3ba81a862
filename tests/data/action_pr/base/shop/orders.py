"""Orders and their lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Line:
    """One line of an order."""

    sku: str
    quantity: int
    unit_price: float
