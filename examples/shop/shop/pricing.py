"""Prices, discounts and taxes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round an amount to whole cents.

    Args:
        amount: The amount to round.

    Returns:
        The amount rounded half-up to two decimal places.
    """
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def apply_discount(
    price: Decimal,
    percent: Decimal,
    *,
    floor: Decimal = Decimal("0"),
) -> Decimal:
    if not 0 <= percent <= 100:
        raise ValueError(f"discount out of range: {percent}")
    return max(floor, round_money(price * (100 - percent) / 100))


@lru_cache(maxsize=64)
def tax_rate(country: str) -> Decimal:
    rates = {"DE": Decimal("0.19"), "FR": Decimal("0.20"), "NL": Decimal("0.21")}
    try:
        return rates[country]
    except KeyError:
        raise LookupError(f"no tax rate for {country}") from None


def with_tax(price: Decimal, country: str) -> Decimal: return round_money(price * (1 + tax_rate(country)))


def price_steps(start: Decimal, stop: Decimal, step: Decimal) -> Iterator[Decimal]:
    current = start
    while current <= stop:
        yield current
        current += step


def total(prices: Iterable[Decimal]) -> Decimal:
    return round_money(sum(prices, Decimal("0")))
