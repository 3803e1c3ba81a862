"""A provider that answers from the cache first and asks the one it wraps only for the rest."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from bot.cache.base import Backend
from bot.cache.keys import cache_key
from bot.cache.layered import get_many
from bot.docmodel import DocstringDraft
from bot.model import Status, Usage
from bot.prompts import PROMPT_VERSION
from bot.providers.base import DraftOutcome, DraftRequest, Each, Progress, Provider

_HIT = Usage(cache_hits=1)


class CachedProvider:
    """Wraps any ``Provider``: hits never reach it, misses go to it in one ``write`` call.

    Only suggested outcomes are stored; a failure or a skip is asked again next run.
    Entries are tagged provider, model (pass the deployment or model name), prompt
    version and repo.  The cache is the caller's to close.
    """

    def __init__(
        self,
        inner: Provider,
        cache: Backend,
        *,
        repo: str,
        model: str = "",
        prompt_version: str = PROMPT_VERSION,
    ) -> None:
        self.name = inner.name
        self._inner = inner
        self._cache = cache
        tags = {"provider": inner.name, "model": model, "prompt": prompt_version, "repo": repo}
        # Tags serve `docbot cache invalidate --tag`; an unknown value is left out, not "".
        self._tags = {name: value for name, value in tags.items() if value}
        self._known: dict[str, DocstringDraft | None] = {}
        self._keys: dict[int, tuple[DraftRequest, str]] = {}

    def key(self, request: DraftRequest) -> str:
        """The cache key of ``request``: provider, its fingerprint, normalised source, style."""
        # A fingerprint can mean building the whole prompt, and the estimate and the write
        # both need the key: it is worked out once per request, remembered by identity
        # (hashing a request field by field costs more than a cache hit).  Holding the
        # request keeps its id from being reused.
        known = self._keys.get(id(request))
        if known is not None and known[0] is request:
            return known[1]
        key = cache_key(
            provider=self._inner.name,
            fingerprint=self._inner.fingerprint(request),
            source=request.target.source,
            style=request.style,
            language=request.target.language,
        )
        self._keys[id(request)] = (request, key)
        return key

    def fingerprint(self, request: DraftRequest) -> str:
        """The wrapped provider's fingerprint."""
        return self._inner.fingerprint(request)

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        """What the wrapped provider would charge for the requests the cache cannot answer."""
        keys = [self.key(request) for request in requests]
        self._prefetch(keys)
        return self._inner.estimate_cost_usd(
            [
                request
                for request, key in zip(requests, keys, strict=True)
                if self._known[key] is None
            ]
        )

    async def write(
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Progress | None = None,
        each: Each | None = None,
    ) -> list[DraftOutcome]:
        """One outcome per request, in order: cached drafts, then the wrapped provider's.

        Each new answer is stored as soon as it arrives, so a run interrupted halfway
        has kept what it paid for.
        """
        keys = [self.key(request) for request in requests]
        self._prefetch(keys)
        outcomes: list[DraftOutcome | None] = []
        asked: dict[str, int] = {}  # key -> its position among the requests passed on
        passed_on: list[DraftRequest] = []
        for request, key in zip(requests, keys, strict=True):
            draft = self._known[key]
            outcomes.append(None if draft is None else DraftOutcome(draft, usage=_HIT))
            # Identical questions in one batch are asked once.
            if draft is None and key not in asked:
                asked[key] = len(passed_on)
                passed_on.append(request)
        if progress is not None and len(requests) > len(passed_on):
            progress(len(requests) - len(passed_on))
        if each is not None:
            for index, outcome in enumerate(outcomes):
                if outcome is not None:
                    each(index, outcome)
        first = {key: index for index, key in reversed(list(enumerate(keys)))}
        waiting: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            if outcomes[index] is None:
                waiting.setdefault(key, []).append(index)
        passed_keys = list(asked)
        kept: set[str] = set()

        def arrived(at: int, outcome: DraftOutcome) -> None:
            key = passed_keys[at]
            self._store(key, outcome)
            kept.add(key)
            if each is not None:
                for index in waiting[key]:
                    each(index, _shared(outcome, first=first[key] == index))

        answers = (
            await self._inner.write(passed_on, progress=progress, each=arrived) if passed_on else []
        )
        for key, at in asked.items():
            if key not in kept:  # a provider that does not tell as it goes
                self._store(key, answers[at])
        return [
            outcome or _shared(answers[asked[key]], first=first[key] == index)
            for index, (outcome, key) in enumerate(zip(outcomes, keys, strict=True))
        ]

    async def aclose(self) -> None:
        """Close the wrapped provider."""
        await self._inner.aclose()

    def _prefetch(self, keys: Sequence[str]) -> None:
        unknown = [key for key in dict.fromkeys(keys) if key not in self._known]
        for key, value in zip(unknown, get_many(self._cache, unknown), strict=True):
            self._known[key] = _decode(value) if value is not None else None

    def _store(self, key: str, outcome: DraftOutcome) -> None:
        if outcome.status is not Status.SUGGESTED or outcome.draft is None:
            return
        self._known[key] = outcome.draft
        self._cache.put(key, outcome.draft.model_dump_json().encode(), tags=self._tags)


def _decode(value: bytes) -> DocstringDraft | None:
    # An entry written by an older docbot whose draft schema differed is a miss.
    try:
        return DocstringDraft.model_validate_json(value)
    except ValidationError:
        return None


def _shared(outcome: DraftOutcome, *, first: bool) -> DraftOutcome:
    """The answer for a request, or for a duplicate of it, whose cost was already counted."""
    if first:
        return outcome
    if outcome.status is Status.SUGGESTED:
        return DraftOutcome(outcome.draft, usage=_HIT)
    return DraftOutcome(outcome.draft, outcome.status, outcome.reason)
