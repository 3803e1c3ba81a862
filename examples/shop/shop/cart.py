"""Shopping carts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal

from shop.pricing import apply_discount, total


@dataclass
class Line:
    """One product in a cart.

    Args:
        sku: The product's stock keeping unit.
        quantity: How many of it.
        unit_price: Price of one.
    """

    sku: str
    quantity: int
    unit_price: Decimal

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class Cart:
    """A customer's cart."""

    lines: list[Line] = field(default_factory=list)

    class Coupon:
        def __init__(self, code: str, percent: Decimal) -> None:
            self.code = code
            self.percent = percent

    def add(self, sku: str, quantity: int, unit_price: Decimal) -> None:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.lines.append(Line(sku, quantity, unit_price))

    def total(self, coupon: Coupon | None = None) -> Decimal:
        amount = total(line.subtotal for line in self.lines)
        return apply_discount(amount, coupon.percent) if coupon else amount

    async def reserve(self, stock: dict[str, int], *, timeout: float = 5.0) -> bool:
        async with asyncio.timeout(timeout):
            await asyncio.sleep(0)
            return all(stock.get(line.sku, 0) >= line.quantity for line in self.lines)

    def _audit(self) -> list[str]:
        return [line.sku for line in self.lines]
