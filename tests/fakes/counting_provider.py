"""A provider that records every question it is asked, for cache tests and benchmarks."""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Sequence

from bot.docmodel import DocstringDraft, ParamDoc
from bot.model import Param, Target, TargetKind, Usage
from bot.providers.base import DraftOutcome, DraftRequest, Each, Progress


class CountingProvider:
    """Answers from the request alone; ``calls`` holds the qualnames of each ``write`` call."""

    name = "counting"

    def __init__(self, *, model: str = "model-a", fail: frozenset[str] = frozenset()) -> None:
        self.model = model
        self.fail = fail
        self.calls: list[list[str]] = []

    @property
    def asked(self) -> list[str]:
        return [qualname for call in self.calls for qualname in call]

    def fingerprint(self, request: DraftRequest) -> str:
        return f"{self.model}|prompt-1"

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        return 0.01 * len(requests)

    async def write(
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Progress | None = None,
        each: Each | None = None,
    ) -> list[DraftOutcome]:
        self.calls.append([request.target.qualname for request in requests])
        if progress is not None:
            progress(len(requests))
        outcomes = [self._answer(request) for request in requests]
        for index, outcome in enumerate(outcomes):
            if each is not None:
                each(index, outcome)
        return outcomes

    async def aclose(self) -> None:
        pass

    def _answer(self, request: DraftRequest) -> DraftOutcome:
        usage = Usage(llm_requests=1, prompt_tokens=100, completion_tokens=20, cost_usd=0.001)
        if request.target.qualname in self.fail:
            return DraftOutcome.failed("the model answered with invalid JSON", usage)
        digest = hashlib.sha256(request.target.source.encode()).hexdigest()[:8]
        params = [
            ParamDoc(name=p.name, type=None, description="A value.") for p in request.target.params
        ]
        draft = DocstringDraft(
            summary=f"Do what {request.target.qualname} does ({self.model}, {request.style}).",
            description=f"Source digest {digest}.",
            params=params,
            returns=None,
            yields=None,
            raises=[],
            examples=[],
        )
        return DraftOutcome(draft, usage=usage)


def requests_for(path: str, source: str, style: str = "google") -> list[DraftRequest]:
    """A request for every top-level function and method of ``source``."""
    return [DraftRequest(target, source, style) for target in targets_of(path, source)]


def targets_of(path: str, source: str) -> list[Target]:
    """Targets for the functions and methods of ``source`` (no publicity rules: a fake)."""
    lines = source.splitlines(keepends=True)
    found: list[Target] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            found += [_target(path, lines, item, node.name) for item in node.body if _is_def(item)]
        elif _is_def(node):
            found.append(_target(path, lines, node, None))
    return found


def _is_def(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)


def _target(path: str, lines: list[str], node: ast.stmt, owner: str | None) -> Target:
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    end = node.end_lineno or node.lineno
    params = tuple(
        Param(a.arg, "positional") for a in node.args.args if a.arg not in ("self", "cls")
    )
    return Target(
        path=path,
        qualname=f"{owner}.{node.name}" if owner else node.name,
        kind=TargetKind.METHOD if owner else TargetKind.FUNCTION,
        line=node.lineno,
        end_line=end,
        header_end=max(node.lineno, node.body[0].lineno - 1),
        body_indent=" " * node.body[0].col_offset,
        one_liner=node.body[0].lineno == node.lineno,
        params=params,
        source="".join(lines[node.lineno - 1 : end]),
    )
