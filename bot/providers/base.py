"""The protocol every docstring writer implements, and the records it trades in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.docmodel import DocstringDraft
from bot.model import Status, Target, Usage
from bot.pickling import by_constructor

ConcreteStyle = str
"""The comment style's name (``CommentStyle.name``): ``google``, ``numpy``, ``sphinx`` for
Python, ``tsdoc``, ``jsdoc``... for others (``auto`` is resolved before providers run)."""


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """Ask for one target's docstring; ``module_source`` is the whole new file."""

    target: Target
    module_source: str
    style: ConcreteStyle


@by_constructor
@dataclass(frozen=True, slots=True)
class DraftOutcome:
    """A provider's answer for one request: a draft, or why there is none."""

    draft: DocstringDraft | None
    status: Status = Status.SUGGESTED
    reason: str | None = None
    usage: Usage = field(default_factory=Usage)

    @classmethod
    def failed(cls, reason: str, usage: Usage | None = None) -> DraftOutcome:
        """An outcome for a target the provider could not answer."""
        return cls(None, Status.FAILED, reason, usage or Usage())

    @classmethod
    def skipped(cls, reason: str) -> DraftOutcome:
        """An outcome for a target the provider chose not to ask about (budget, cap)."""
        return cls(None, Status.SKIPPED, reason)


Progress = Callable[[int], None]
"""Called with the number of requests just finished."""

Each = Callable[[int, "DraftOutcome"], None]
"""Called with a request's index and its outcome as soon as it is known (the cache keeps
each answer then, so an interrupted run has paid only for what is left)."""


class Provider(Protocol):
    """Writes ``DocstringDraft``s; one instance serves one run."""

    name: str

    def fingerprint(self, request: DraftRequest) -> str:
        """Everything besides the request itself that changes the answer, as a string.

        The cache keys on it: prompt version, model/deployment, generation settings and
        the context actually sent.
        """
        ...

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        """Upper-bound cost of answering ``requests``, before any call."""
        ...

    async def write(
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Progress | None = None,
        each: Each | None = None,
    ) -> list[DraftOutcome]:
        """One outcome per request, in order; a failed request never fails the others."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
