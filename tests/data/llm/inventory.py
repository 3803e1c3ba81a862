"""Stock levels for a small shop, kept in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


class OutOfStock(Exception):
    pass


class Inventory:
    unit = "pcs"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.levels: dict[str, int] = {}

    def load(self) -> None:
        self.levels = json.loads(self.path.read_text(encoding="utf-8"))

    def take(self, sku: str, count: int = 1) -> int:
        left = self.levels.get(sku, 0) - count
        if left < 0:
            raise OutOfStock(sku)
        self.levels[sku] = left
        return left

    def low(self, threshold: int, *skus: str) -> Iterator[str]:
        for sku in skus or self.levels:
            if self.levels.get(sku, 0) < threshold:
                yield sku


def restock(inventory: Inventory, **counts: int) -> None:
    for sku, count in counts.items():
        if count < 0:
            raise ValueError(f"negative restock for {sku}")
        inventory.levels[sku] = inventory.levels.get(sku, 0) + count


def report(inventory: Inventory) -> str:
    return "\n".join(f"{sku}: {n} {inventory.unit}" for sku, n in sorted(inventory.levels.items()))
