"""What offering the model read-only tools costs, on the bundled example, against the fake.

``python -m tests.benchmarks.tools`` answers the example's targets three ways: tools off,
tools offered but never called, and every first request answered with a tool call
(``get_imports``) before the model writes. It prints requests, prompt tokens, cost and
how many docstrings differ from the tools-off run. The fake writes from the signature
alone, so "differ" measures plumbing, not quality: judging quality needs a real model.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.changes import from_diff_text
from bot.model import Usage
from bot.pipeline import scan_file
from bot.providers.base import DraftOutcome, DraftRequest
from bot.providers.llm import make_llm_provider
from bot.targets import TargetOptions
from tests.fakes.azure import FakeAzure, settings_for

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"


def example_requests() -> tuple[list[DraftRequest], dict[str, str]]:
    """The example's targets as the runner would ask for them."""
    change = from_diff_text((EXAMPLE / "change.diff").read_text(encoding="utf-8"), EXAMPLE)
    found = [scan_file(d, change.files[d.path], TargetOptions()) for d in change.diffs]
    requests = [DraftRequest(t, change.files[t.path], "google") for s in found for t in s.targets]
    return requests, change.files


def answer(tools: bool, calls: int) -> tuple[list[DraftOutcome], int]:
    """Outcomes and the number of HTTP requests, with ``calls`` scripted tool calls."""
    requests, files = example_requests()
    with FakeAzure() as fake:
        fake.script(*["tool_call"] * calls)
        settings = settings_for(fake, tools=tools, concurrency=1)
        provider = make_llm_provider(settings, files=files, warn=lambda _: None)

        async def go() -> list[DraftOutcome]:
            try:
                return await provider.write(requests)
            finally:
                await provider.aclose()

        outcomes = asyncio.run(go())
        return outcomes, len(fake.requests)


def main() -> None:
    """Run the three ways and print one row each."""
    baseline, _ = answer(tools=False, calls=0)
    print(f"{'run':34} {'HTTP requests':>13} {'prompt tokens':>13} {'cost USD':>9} {'changed':>7}")
    for label, tools, calls in (
        ("tools off", False, 0),
        ("tools offered, none called", True, 0),
        ("tools offered, one call per batch", True, 3),
    ):
        outcomes, http = answer(tools=tools, calls=calls)
        usage = sum((o.usage for o in outcomes), Usage())
        changed = sum(a.draft != b.draft for a, b in zip(outcomes, baseline, strict=True))
        print(
            f"{label:34} {http:>13} {usage.prompt_tokens:>13} {usage.cost_usd:>9.4f} "
            f"{changed:>4}/{len(outcomes)}"
        )


if __name__ == "__main__":
    main()
