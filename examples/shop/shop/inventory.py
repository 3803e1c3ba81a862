"""Stock levels per warehouse."""

from __future__ import annotations

from collections import Counter


class OutOfStock(Exception):
    pass


class Inventory:
    def __init__(self) -> None:
        self._stock: Counter[str] = Counter()

    def restock(self, sku: str, count: int) -> None:
        self._stock[sku] += count

    def take(self, sku: str, count: int = 1) -> int:
        if self._stock[sku] < count:
            raise OutOfStock(sku)
        self._stock[sku] -= count
        return self._stock[sku]
