"""Stock levels of a small shop."""

from dataclasses import dataclass, field


def parse_sku(text):
    prefix, _, number = text.partition("-")
    if not number.isdigit():
        raise ValueError(f"not a SKU: {text!r}")
    return prefix.upper(), int(number)


def restock_threshold(daily_sales, lead_days, safety=1.5):
    return round(daily_sales * lead_days * safety)


@dataclass
class Inventory:
    counts: dict = field(default_factory=dict)

    def add(self, sku, quantity):
        self.counts[sku] = self.counts.get(sku, 0) + quantity

    def take(self, sku, quantity):
        have = self.counts.get(sku, 0)
        if quantity > have:
            raise LookupError(f"only {have} of {sku} left")
        self.counts[sku] = have - quantity

    def low(self, threshold):
        return sorted(sku for sku, count in self.counts.items() if count < threshold)
