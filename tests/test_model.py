"""The records' own arithmetic."""

from __future__ import annotations

from bot.model import Usage

PAID = Usage(llm_requests=1, prompt_tokens=310, cached_prompt_tokens=128, completion_tokens=42)


def test_a_total_is_the_sum_field_by_field() -> None:
    usages = [PAID, Usage(cache_hits=2), Usage(llm_requests=2, cost_usd=0.25)]
    assert Usage.total(usages) == PAID + Usage(cache_hits=2) + Usage(llm_requests=2, cost_usd=0.25)
    assert Usage.total(usages) == Usage(3, 2, 310, 128, 42, 0.25)


def test_the_total_of_nothing_is_no_usage() -> None:
    assert Usage.total([]) == Usage()
    assert isinstance(Usage.total([]).cost_usd, float)
    assert Usage.total(iter([PAID])) == PAID
