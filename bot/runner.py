"""Settings + a change -> a RunReport: wires the pure stages to a provider and a cache.

Shared by ``docbot dry-run`` and the Action.  Large changes fan the pure stages out
over worker processes; a pull request of ordinary size runs in-process.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from bot.cache.base import Backend, CacheStats
from bot.changes import Change
from bot.errors import ConfigError
from bot.gcpause import collector_paused
from bot.languages import CommentStyle, Project, Registry, adapter
from bot.model import FileDiff, Result, Skip, Status, Suggestion, Target, Usage
from bot.pipeline import FinishJob, ScanOutcome, finish_file, scan_file
from bot.providers.base import DraftOutcome, DraftRequest, Progress, Provider
from bot.providers.template import draft_for
from bot.render import ConcreteStyle, winning_style
from bot.sectionwords import needs_words
from bot.settings import Settings
from bot.targets import TargetOptions

__all__ = ["Change", "RunReport", "run"]

Warn = Callable[[str], None]
RunProgress = Callable[[int, int], None]

# Below this much changed source, starting worker processes costs more than it saves.
_PARALLEL_BYTES = 2_000_000
_DEFAULT_LINE_LENGTH = 88


@dataclass(frozen=True)
class RunReport:
    """Everything a run found and did, for the reports and the Action."""

    results: tuple[Result, ...]
    skips: tuple[Skip, ...]
    usage: Usage
    cache: CacheStats
    estimated_cost_usd: float
    style: ConcreteStyle
    provider: str
    warnings: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
    """What a language could not resolve while scanning (a Rust crate root it could not
    read, so publicity came from each item's own ``pub``): shown with the results."""

    def counts(self) -> dict[str, int]:
        """Targets by status, the ``stats`` head of the JSON contract."""
        by_status = {status: 0 for status in Status}
        for result in self.results:
            by_status[result.status] += 1
        return {
            "targets": len(self.results),
            "suggested": by_status[Status.SUGGESTED],
            "skipped": by_status[Status.SKIPPED],
            "failed": by_status[Status.FAILED],
        }


def _stderr(message: str) -> None:
    print(f"docbot: warning: {message}", file=sys.stderr)


def run(
    settings: Settings,
    change: Change,
    *,
    repo: str = "",
    progress: RunProgress | None = None,
    warn: Warn = _stderr,
    posted: frozenset[tuple[str, str]] = frozenset(),
    limit: int | None = None,
    note: Warn | None = None,
) -> RunReport:
    """Run the whole pipeline over ``change``: scan, draft, render, prove.

    Targets whose ``(path, qualname)`` is in ``posted`` already have a suggestion on the
    pull request: they count as suggested and are not drafted again.  Beyond ``limit``
    drafted targets the rest are skipped, so a cap saves LLM money, not only comments.
    ``note`` hears what a long run is doing (a Batch API job's state), if anyone listens.
    """
    global _FILES, _ROOT, _DIFFS
    diffs = [d for d in change.diffs if d.path in change.files]
    _FILES, _ROOT, _DIFFS = change.files, change.root, diffs
    options = TargetOptions.from_settings(settings)
    registry = Registry.from_mapping(settings.languages)
    # Forked workers inherit the paused collector; see bot.gcpause for why it pays.
    with collector_paused(), _executor(sum(map(_text_size, diffs))) as pool:
        try:
            by_size = _chunks(range(len(diffs)), lambda i: _text_size(diffs[i]))
            scans = _fan_out(pool, _scan_chunk, by_size, options, registry)
            styles = _styles(settings, scans)
            held = _held_back([t for s in scans for t in s.targets], posted, limit)
            waiting = {id(result.target) for result in held}
            requests = [
                DraftRequest(t, change.files[t.path], styles[t.path].name)
                for s in scans
                for t in s.targets
                if id(t) not in waiting
            ]
            drafts = _draft(
                settings, change, requests, repo=repo, warn=warn, progress=progress, note=note
            )
            jobs = _by_file(requests, drafts.outcomes)
            width = settings.line_length or _DEFAULT_LINE_LENGTH
            chunks = _chunks(jobs, _job_size)
            finished = _fan_out(pool, _finish_chunk, chunks, styles, width)
            targets = [target for _, items in jobs for target, _ in items]
            results = [Result(t, *rest) for t, rest in zip(targets, finished, strict=True)]
        finally:
            _FILES, _ROOT, _DIFFS = {}, None, []
    results = sorted(results + held, key=attrgetter("target.path", "target.line"))
    return RunReport(
        results=tuple(results),
        skips=change.skips + tuple(s.skip for s in scans if s.skip is not None),
        usage=Usage.total(r.usage for r in results),
        cache=drafts.cache,
        estimated_cost_usd=drafts.estimate,
        style=_python_style(settings, scans),
        provider=drafts.provider,
        notes=tuple(dict.fromkeys(note for scan in scans for note in scan.notes)),
    )


@dataclass(frozen=True)
class _Drafts:
    outcomes: Sequence[DraftOutcome | None]
    estimate: float
    cache: CacheStats
    provider: str


def _draft(
    settings: Settings,
    change: Change,
    requests: Sequence[DraftRequest],
    *,
    repo: str,
    warn: Warn,
    progress: RunProgress | None,
    note: Warn | None = None,
) -> _Drafts:
    """Ask the configured provider, through the cache, for every request's draft.

    The offline writer is a pure function of the target: ``None`` outcomes tell the
    workers that render the docstrings to draft them there, in parallel (``_finish_chunk``).
    """
    if settings.resolved_provider() == "template":
        if settings.batch_api:
            raise ConfigError(
                "setting batch_api: the Batch API is Azure OpenAI's; use --provider azure"
            )
        return _Drafts([None] * len(requests), 0.0, CacheStats(), "template")
    # A stale docstring that only loses or reorders entries needs no words from anyone.
    asked = [r for r in requests if r.target.problem != "stale" or needs_words(r.target)]
    provider, backend = _provider(settings, change, repo=repo, warn=warn, note=note)
    try:
        estimate = provider.estimate_cost_usd(asked)
        written = iter(asyncio.run(_write(provider, asked, progress)))
        outcomes = [
            next(written) if r.target.problem != "stale" or needs_words(r.target) else None
            for r in requests
        ]
    finally:
        if backend is not None:
            backend.close()
    stats = backend.stats if backend is not None else CacheStats()
    return _Drafts(outcomes, estimate, stats, provider.name)


def _held_back(
    targets: Sequence[Target], posted: frozenset[tuple[str, str]], limit: int | None
) -> list[Result]:
    held: list[Result] = []
    drafted = 0
    for target in targets:
        if (target.path, target.qualname) in posted:
            held.append(Result(target, Status.SUGGESTED))
        elif limit is not None and drafted >= limit:
            held.append(Result(target, Status.SKIPPED, f"over max-suggestions ({limit})"))
        else:
            drafted += 1
    return held


def _styles(settings: Settings, scans: Sequence[ScanOutcome]) -> dict[str, CommentStyle]:
    """Each scanned file's comment style, as its language decides from the file and the run."""
    run_votes: dict[str, Counter[str]] = {}
    for outcome in scans:
        run_votes.setdefault(outcome.language, Counter()).update(outcome.votes)
    styles: dict[str, CommentStyle] = {}
    for outcome in scans:
        language = adapter(outcome.language) if outcome.targets else None
        if language is not None:
            votes = run_votes[outcome.language]
            styles[outcome.path] = language.style(outcome.votes, votes, settings.style)
    return styles


def _python_style(settings: Settings, scans: Sequence[ScanOutcome]) -> ConcreteStyle:
    """The run's Python docstring style, as the reports name it."""
    if settings.style != "auto":
        return settings.style
    votes = sum((s.votes for s in scans if s.language == "python"), Counter[str]())
    return winning_style(votes) or "google"


def _provider(
    settings: Settings, change: Change, *, repo: str, warn: Warn, note: Warn | None = None
) -> tuple[Provider, Backend | None]:
    from bot.cache.open import open_cache
    from bot.cache.provider import CachedProvider
    from bot.providers.llm import make_llm_provider

    provider: Provider
    if settings.batch_api:
        from bot.providers.batch import make_batch_provider

        provider = make_batch_provider(settings, files=change.files, warn=warn, note=note)
    else:
        provider = make_llm_provider(settings, files=change.files, warn=warn)
    backend = open_cache(settings, repo=repo, warn=warn)
    if backend is None:
        return provider, None
    model = settings.azure_deployment or settings.model
    return CachedProvider(provider, backend, repo=repo, model=model), backend


async def _write(
    provider: Provider, requests: Sequence[DraftRequest], progress: RunProgress | None
) -> list[DraftOutcome]:
    total = len(requests)
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    report: Progress | None = tick if progress is not None else None
    try:
        return await provider.write(requests, progress=report) if requests else []
    finally:
        await provider.aclose()


_Drafted = tuple[str, tuple[tuple[Target, DraftOutcome | None], ...]]
"""A file's path and its targets' outcomes; ``None``: the offline writer drafts it."""


def _by_file(
    requests: Sequence[DraftRequest], outcomes: Sequence[DraftOutcome | None]
) -> list[_Drafted]:
    by_path: dict[str, list[tuple[Target, DraftOutcome | None]]] = {}
    for request, outcome in zip(requests, outcomes, strict=True):
        by_path.setdefault(request.target.path, []).append((request.target, outcome))
    return [(path, tuple(items)) for path, items in by_path.items()]


def _job_size(job: _Drafted) -> int:
    return len(job[1])


def _text_size(diff: FileDiff) -> int:
    return len(_FILES[diff.path])


# -- fanning pure stages out over processes ------------------------------------------------

# Worker processes are forked after the change is loaded, so they read its texts and
# diffs from this module's memory instead of having them pickled to them and back.
_FILES: Mapping[str, str] = {}
_ROOT: Path | None = None
_DIFFS: Sequence[FileDiff] = []


def _scan_chunk(
    indices: Sequence[int], options: TargetOptions, registry: Registry
) -> list[ScanOutcome]:
    project = Project(files=_FILES, root=_ROOT)
    diffs = [_DIFFS[i] for i in indices]
    return [scan_file(diff, _FILES[diff.path], options, registry, project) for diff in diffs]


_Finished = tuple[
    Status, str | None, str | None, Suggestion | None, Usage, tuple[tuple[str, str], ...]
]


def _finish_chunk(
    jobs: Sequence[_Drafted], styles: Mapping[str, CommentStyle], line_length: int
) -> list[_Finished]:
    # Results travel back without their targets, which the caller holds already: the
    # targets' source texts would be most of what is pickled.
    finished: list[_Finished] = []
    for path, items in jobs:
        # The offline writer is a pure function of the target: it drafts here, in parallel.
        drafted = tuple(
            (target, DraftOutcome(draft_for(target)) if outcome is None else outcome)
            for target, outcome in items
        )
        job = FinishJob(path, drafted, styles[path], line_length)
        finished += [
            (r.status, r.reason, r.docstring, r.suggestion, r.usage, r.renamed)
            for r in finish_file(job, _FILES[path])
        ]
    return finished


T = TypeVar("T")
R = TypeVar("R")


class _InProcess(Executor):
    """Runs each call at once; the executor for ordinary-sized changes."""


def _executor(size: int) -> Executor:
    workers = min(os.cpu_count() or 1, 4)
    # fork is only safe while no other thread might hold a lock; with threads about (a
    # test's fake servers) the change is an ordinary one and runs in-process.
    if size < _PARALLEL_BYTES or workers < 2 or threading.active_count() > 1:
        return _InProcess()
    return ProcessPoolExecutor(workers, mp_context=get_context("fork"))


def _fan_out(
    pool: Executor, fn: Callable[..., list[R]], chunks: Iterator[list[T]], *args: Any
) -> list[R]:
    if isinstance(pool, _InProcess):
        return [item for chunk in chunks for item in fn(chunk, *args)]
    futures = [pool.submit(fn, chunk, *args) for chunk in chunks]
    return [item for future in futures for item in future.result()]


def _chunks(items: Sequence[T], size: Callable[[T], int], parts: int = 16) -> Iterator[list[T]]:
    """Contiguous chunks of roughly equal total ``size``, order kept."""
    total = sum(size(item) for item in items) or 1
    step = total / parts
    chunk: list[T] = []
    weight = 0
    for item in items:
        chunk.append(item)
        weight += size(item)
        if weight >= step:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk
