"""Prices per model, overrides, and the cost of a request from its usage."""

from __future__ import annotations

import pytest

from bot.pricing import context_window, cost_usd, price_for, upper_bound_usd
from bot.settings import Price

CHEAP = Price(input=1.0, cached_input=0.5, output=4.0)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4o", Price(input=2.50, cached_input=1.25, output=10.00)),
        ("gpt-4o-2024-11-20", Price(input=2.50, cached_input=1.25, output=10.00)),
        ("gpt-4o-mini", Price(input=0.15, cached_input=0.075, output=0.60)),
        ("unknown-model", None),
    ],
)
def test_known_models_and_dated_names(model: str, expected: Price | None) -> None:
    assert price_for(model, {}) == expected


def test_settings_override_the_table() -> None:
    assert price_for("gpt-4o-2024-11-20", {"gpt-4o": CHEAP}) == CHEAP
    assert price_for("house-model", {"house-model": CHEAP}) == CHEAP


def test_cached_input_is_billed_at_its_own_rate() -> None:
    cost = cost_usd(CHEAP, prompt_tokens=3000, cached_prompt_tokens=2000, completion_tokens=500)
    assert cost == pytest.approx((1000 * 1.0 + 2000 * 0.5 + 500 * 4.0) / 1e6)


def test_upper_bound_assumes_nothing_cached_and_the_whole_allowance() -> None:
    bound = upper_bound_usd(CHEAP, prompt_tokens=3000, completion_allowance=1024)
    assert bound == pytest.approx((3000 * 1.0 + 1024 * 4.0) / 1e6)


def test_context_window_setting_wins_over_the_known_size() -> None:
    assert context_window("gpt-4o", None) == 128_000
    assert context_window("gpt-4o", 4096) == 4096
    assert context_window("mystery", None) == 8192
