"""Prices and context windows per model, and the cost of a request from its usage.

Prices are USD per one million tokens (list prices of the models' vendors; Azure's
global deployments charge the same).  ``settings.prices`` overrides any entry.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.settings import Price

DEFAULT_PRICES: Mapping[str, Price] = {
    "gpt-4o": Price(input=2.50, cached_input=1.25, output=10.00),
    "gpt-4o-mini": Price(input=0.15, cached_input=0.075, output=0.60),
    "gpt-4.1": Price(input=2.00, cached_input=0.50, output=8.00),
    "gpt-4.1-mini": Price(input=0.40, cached_input=0.10, output=1.60),
    "gpt-4.1-nano": Price(input=0.10, cached_input=0.025, output=0.40),
    "o4-mini": Price(input=1.10, cached_input=0.275, output=4.40),
    "o3-mini": Price(input=1.10, cached_input=0.55, output=4.40),
    "gpt-5": Price(input=1.25, cached_input=0.125, output=10.00),
    "gpt-5-mini": Price(input=0.25, cached_input=0.025, output=2.00),
    "gpt-5-nano": Price(input=0.05, cached_input=0.005, output=0.40),
}

BATCH_DISCOUNT = 0.5
"""The Azure OpenAI Batch API (Global and Data Zone Batch) charges half the standard price."""

# When nothing is known about a model, plan with the dearest entry so a cap still holds.
FALLBACK_PRICE = Price(input=2.50, cached_input=2.50, output=10.00)

CONTEXT_WINDOWS: Mapping[str, int] = {
    "gpt-4o": 128_000,
    "gpt-4o-mini": 128_000,
    "gpt-4.1": 1_047_576,
    "gpt-4.1-mini": 1_047_576,
    "gpt-4.1-nano": 1_047_576,
    "o4-mini": 200_000,
    "o3-mini": 200_000,
    "gpt-5": 400_000,
    "gpt-5-mini": 400_000,
    "gpt-5-nano": 400_000,
}
FALLBACK_CONTEXT_WINDOW = 8_192


def _lookup(model: str, table: Mapping[str, object]) -> str | None:
    """The table key for ``model``: exact, else the longest key it starts with (dated names)."""
    if model in table:
        return model
    keys = [key for key in table if model.startswith(key + "-")]
    return max(keys, key=len) if keys else None


def price_for(model: str, overrides: Mapping[str, Price]) -> Price | None:
    """The price of ``model``, overrides first; ``None`` when neither table knows it."""
    key = _lookup(model, overrides)
    if key is not None:
        return overrides[key]
    key = _lookup(model, DEFAULT_PRICES)
    return DEFAULT_PRICES[key] if key is not None else None


def context_window(model: str, configured: int | None) -> int:
    """Tokens the model accepts per request: the setting, else the known size, else 8k."""
    if configured is not None:
        return configured
    key = _lookup(model, CONTEXT_WINDOWS)
    return CONTEXT_WINDOWS[key] if key is not None else FALLBACK_CONTEXT_WINDOW


def cost_usd(
    price: Price, *, prompt_tokens: int, cached_prompt_tokens: int, completion_tokens: int
) -> float:
    """What a request costs: uncached input, cached input and output at their own rates."""
    uncached = prompt_tokens - cached_prompt_tokens
    return (
        uncached * price.input
        + cached_prompt_tokens * price.cached_input
        + completion_tokens * price.output
    ) / 1_000_000


def upper_bound_usd(price: Price, *, prompt_tokens: int, completion_allowance: int) -> float:
    """The most a request can cost: nothing cached and the whole completion allowance used."""
    return cost_usd(
        price,
        prompt_tokens=prompt_tokens,
        cached_prompt_tokens=0,
        completion_tokens=completion_allowance,
    )


def batch_price(price: Price) -> Price:
    """``price`` as the Batch API charges it: every rate at ``BATCH_DISCOUNT``."""
    return Price(
        input=price.input * BATCH_DISCOUNT,
        cached_input=price.cached_input * BATCH_DISCOUNT,
        output=price.output * BATCH_DISCOUNT,
    )
