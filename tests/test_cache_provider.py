"""CachedProvider: a second run asks nothing; a change re-asks exactly what changed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bot.cache.base import Backend
from bot.cache.file import FileBackend
from bot.cache.layered import LayeredCache
from bot.cache.provider import CachedProvider
from bot.model import Status, Usage
from bot.prompts import PROMPT_VERSION
from bot.providers.base import DraftOutcome, DraftRequest
from tests.fakes.counting_provider import CountingProvider, requests_for

SOURCE = (Path(__file__).parent / "data" / "cache" / "inventory.py").read_text()
ALL = ["parse_sku", "restock_threshold", "Inventory.add", "Inventory.take", "Inventory.low"]
DAY = 86_400.0


@pytest.fixture(params=["file", "redis"])
def open_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Backend]:
    """Opens the same store afresh, as each new run (a new process) would."""
    if request.param == "file":
        return lambda: FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    from bot.cache.redis import RedisBackend

    url = request.getfixturevalue("redis_url")
    return lambda: RedisBackend.connect(url, ttl_s=DAY)


def run(
    inner: CountingProvider, backend: Backend, requests: Sequence[DraftRequest]
) -> list[DraftOutcome]:
    cache = LayeredCache(backend, warn=pytest.fail)
    provider = CachedProvider(inner, cache, repo="acme/shop", model=inner.model)
    try:
        return asyncio.run(provider.write(requests))
    finally:
        cache.close()


def test_a_second_run_asks_nothing_and_returns_equal_drafts(
    open_backend: Callable[[], Backend],
) -> None:
    requests = requests_for("shop/inventory.py", SOURCE)
    first_inner, second_inner = CountingProvider(), CountingProvider()

    first = run(first_inner, open_backend(), requests)
    second = run(second_inner, open_backend(), requests)

    assert first_inner.calls == [ALL]  # misses go out in one write() call: batching still works
    assert second_inner.calls == []
    assert [o.draft for o in second] == [o.draft for o in first]
    assert all(o.status is Status.SUGGESTED for o in second)
    assert sum((o.usage for o in second), Usage()) == Usage(cache_hits=len(ALL))
    assert sum(o.usage.llm_requests for o in first) == len(ALL)


def _restyled(requests: list[DraftRequest]) -> list[DraftRequest]:
    return [DraftRequest(r.target, r.module_source, "numpy") for r in requests]


def _one_body_changed(requests: list[DraftRequest]) -> list[DraftRequest]:
    changed = SOURCE.replace("daily_sales * lead_days * safety", "daily_sales * (lead_days + 1)")
    return requests_for("shop/inventory.py", changed)


@pytest.mark.parametrize(
    ("change", "model", "reasked"),
    [
        (_restyled, "model-a", ALL),
        (lambda requests: requests, "model-b", ALL),
        (_one_body_changed, "model-a", ["restock_threshold"]),
    ],
    ids=["style", "model", "one function's body"],
)
def test_a_change_re_asks_exactly_what_it_touches(
    open_backend: Callable[[], Backend],
    change: Callable[[list[DraftRequest]], list[DraftRequest]],
    model: str,
    reasked: list[str],
) -> None:
    requests = requests_for("shop/inventory.py", SOURCE)
    run(CountingProvider(), open_backend(), requests)

    again = CountingProvider(model=model)
    outcomes = run(again, open_backend(), change(requests))

    assert again.calls == [reasked]
    assert [o.usage.cache_hits for o in outcomes] == [int(q not in reasked) for q in ALL]


@pytest.mark.parametrize(
    "moved",
    [
        pytest.param(lambda s: "import os\n\n\n" + s, id="lines shifted down"),
        pytest.param(lambda s: s.replace("\n", "\r\n"), id="CRLF line endings"),
        pytest.param(lambda s: s.replace(":\n", ":   \n"), id="trailing whitespace"),
    ],
)
def test_layout_that_cannot_change_a_docstring_keeps_the_answer(
    tmp_path: Path, moved: Callable[[str], str]
) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    run(CountingProvider(), backend, requests_for("shop/inventory.py", SOURCE))

    again = CountingProvider()
    run(again, backend, requests_for("shop/stock.py", moved(SOURCE)))

    assert again.calls == []


def test_only_suggested_answers_are_stored(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    requests = requests_for("shop/inventory.py", SOURCE)
    first = run(CountingProvider(fail=frozenset({"Inventory.take"})), backend, requests)

    again = CountingProvider()
    run(again, backend, requests)

    assert first[ALL.index("Inventory.take")].status is Status.FAILED
    assert again.calls == [["Inventory.take"]]
    assert backend.inventory()[0] == len(ALL)


def test_identical_questions_in_one_run_are_asked_once(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    twice = requests_for("a/inventory.py", SOURCE) + requests_for("b/inventory.py", SOURCE)
    inner = CountingProvider()

    outcomes = run(inner, backend, twice)

    assert inner.calls == [ALL]
    assert [o.draft for o in outcomes[: len(ALL)]] == [o.draft for o in outcomes[len(ALL) :]]
    assert sum(o.usage.llm_requests for o in outcomes) == len(ALL)
    assert sum(o.usage.cache_hits for o in outcomes) == len(ALL)


def test_a_stored_answer_that_no_longer_fits_the_draft_schema_is_asked_again(
    tmp_path: Path,
) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    requests = requests_for("shop/inventory.py", SOURCE)
    inner = CountingProvider()
    provider = CachedProvider(inner, backend, repo="acme/shop")
    backend.put(provider.key(requests[0]), b'{"summary": "Old schema."}', tags={})

    asyncio.run(provider.write(requests))

    assert inner.calls == [ALL]


def test_hits_are_reported_as_progress_before_the_inner_provider_runs(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    requests = requests_for("shop/inventory.py", SOURCE)
    run(CountingProvider(), backend, requests[:3])
    ticks: list[int] = []
    provider = CachedProvider(CountingProvider(), LayeredCache(backend, warn=pytest.fail), repo="r")

    asyncio.run(provider.write(requests, progress=ticks.append))

    assert ticks == [3, 2]


def test_the_cost_estimate_leaves_out_what_the_cache_answers(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    requests = requests_for("shop/inventory.py", SOURCE)
    run(CountingProvider(), backend, requests[:2])
    provider = CachedProvider(CountingProvider(), backend, repo="acme/shop")
    lookups_before = backend.stats.hits + backend.stats.misses

    assert provider.estimate_cost_usd(requests) == pytest.approx(0.03)
    asyncio.run(provider.write(requests))
    # Each key is looked up once, though both the estimate and the write needed it.
    assert backend.stats.hits + backend.stats.misses - lookups_before == len(ALL)


def test_entries_are_tagged_for_invalidation(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    requests = requests_for("shop/inventory.py", SOURCE)
    run(CountingProvider(model="model-a"), backend, requests[:2])
    run(CountingProvider(model="model-b"), backend, requests[2:])

    removed = backend.invalidate(
        {"provider": "counting", "model": "model-a", "prompt": PROMPT_VERSION, "repo": "acme/shop"}
    )

    again = CountingProvider(model="model-a")
    run(again, backend, requests)
    assert removed == 2
    assert again.calls == [ALL]  # model-b's entries remain, but model-a keys differ anyway
    assert backend.invalidate({"model": "model-b"}) == 3


class Interrupted(CountingProvider):
    """Answers its first ``answered`` requests, then the run is interrupted (Ctrl-C, a kill)."""

    def __init__(self, answered: int) -> None:
        super().__init__()
        self.answered = answered

    async def write(
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Callable[[int], None] | None = None,
        each: Callable[[int, DraftOutcome], None] | None = None,
    ) -> list[DraftOutcome]:
        self.calls.append([request.target.qualname for request in requests])
        for index, request in enumerate(requests[: self.answered]):
            assert each is not None
            each(index, self._answer(request))
        raise KeyboardInterrupt


def test_an_interrupted_run_has_kept_every_answer_that_arrived(
    open_backend: Callable[[], Backend],
) -> None:
    requests = requests_for("shop/inventory.py", SOURCE)
    with pytest.raises(KeyboardInterrupt):
        run(Interrupted(answered=3), open_backend(), requests)
    rerun = CountingProvider()
    run(rerun, open_backend(), requests)
    assert rerun.calls == [ALL[3:]]  # the rerun pays only for what is left


def test_each_outcome_is_told_once_with_its_index_hits_and_duplicates_included(
    tmp_path: Path,
) -> None:
    requests = requests_for("shop/inventory.py", SOURCE)
    backend = FileBackend(tmp_path, ttl_s=DAY, max_bytes=1 << 20, warn=pytest.fail)
    run(CountingProvider(), backend, requests[:2])
    told: dict[int, DraftOutcome] = {}
    cache = LayeredCache(backend, warn=pytest.fail)
    provider = CachedProvider(CountingProvider(), cache, repo="acme/shop")
    twice = [*requests, requests[4]]
    outcomes = asyncio.run(provider.write(twice, each=lambda i, o: told.setdefault(i, o)))
    assert [told[i] for i in range(len(twice))] == outcomes
    assert [o.usage.cache_hits for o in outcomes] == [1, 1, 0, 0, 0, 1]
