"""The offline docstring writer: drafts built from the signature alone, no model, no network.

Deterministic, so its drafts are good fixtures; plain, so a reviewer sees what to improve.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc, ReturnDoc, returns_something
from bot.model import Param, Target, TargetKind, Usage
from bot.providers.base import DraftOutcome, DraftRequest, Each, Progress
from bot.stale import new_params

VERSION = "template-1"

_VERB_WORDS = """
    accept add adjust allocate append apply assert assign attach build bump cache calculate call
    cancel check clean clear close collect combine compare compile compute configure connect
    convert copy count create decode delete describe detect disable dispatch download drop dump
    emit enable encode ensure enqueue evaluate execute expand export extend extract fetch fill
    filter find finish fix flush format generate get group handle hash ignore import index
    init initialize insert inspect install invalidate invoke iterate join keep list load lock
    log lookup make map mark match merge migrate move normalize notify open pack parse patch
    pick poll pop post prepare print process publish pull push put query queue raise read
    rebuild receive record refresh register reload remove render repair replace report request
    reset resolve restore retry return reverse run save scan schedule search select send
    serialize set setup show skip sort split start stop store strip submit subscribe suggest
    sync tag test track transform translate trim truncate try unlock unpack unregister update
    upload upsert validate verify visit wait walk warn watch wrap write yield
    approve authorize buy charge deny discount divide grant multiply pay refund reject release
    reserve restock revoke sell ship subtract
"""
_VERBS = frozenset(_VERB_WORDS.split())
"""First words that already make an imperative summary."""
_PREDICATES = {"is": "", "has": "it has ", "can": "it can ", "should": "it should "}
_SPECIAL = {
    "to": "Convert to {rest}.",
    "as": "Return as {rest}.",
    "from": "Create from {rest}.",
    "on": "Handle {rest}.",
    "with": "Return a copy with {rest}.",
}
_MAGIC = {
    "__init__": "Initialize the instance.",
    "__repr__": "Return the developer representation.",
    "__str__": "Return the readable representation.",
    "__call__": "Call the instance.",
    "__iter__": "Iterate over the items.",
    "__len__": "Return the number of items.",
    "__eq__": "Return whether both are equal.",
    "__hash__": "Return the hash.",
    "__enter__": "Enter the context.",
    "__exit__": "Exit the context.",
}
_EXCEPTIONS = {
    "ValueError": "If a value is invalid.",
    "TypeError": "If an argument has the wrong type.",
    "KeyError": "If a key is missing.",
    "IndexError": "If an index is out of range.",
    "NotImplementedError": "If a subclass does not implement it.",
    "RuntimeError": "If the operation cannot proceed.",
    "FileNotFoundError": "If a file does not exist.",
    "PermissionError": "If access is denied.",
    "TimeoutError": "If the operation times out.",
}


class TemplateProvider:
    """Answers every request from the target's signature: free, offline, deterministic."""

    name = "template"

    def fingerprint(self, request: DraftRequest) -> str:
        """The template version: answers change only when the templates do."""
        return VERSION

    def estimate_cost_usd(self, requests: Sequence[DraftRequest]) -> float:
        """Nothing: no model is called."""
        return 0.0

    async def write(
        self,
        requests: Sequence[DraftRequest],
        *,
        progress: Progress | None = None,
        each: Each | None = None,
    ) -> list[DraftOutcome]:
        """A draft for every request, in order."""
        outcomes: list[DraftOutcome] = []
        for index, request in enumerate(requests):
            outcomes.append(DraftOutcome(draft_for(request.target), usage=Usage()))
            if each is not None:
                each(index, outcomes[-1])
            if progress is not None:
                progress(1)
        return outcomes

    async def aclose(self) -> None:
        """Nothing to release."""


def draft_for(target: Target) -> DocstringDraft:
    """The template draft of ``target``; it always passes ``docmodel.problems``."""
    words = split_words(target.qualname.rsplit(".", 1)[-1])
    returns = yields = None
    if target.is_generator and target.kind in (TargetKind.FUNCTION, TargetKind.METHOD):
        yields = ReturnDoc(type=_yield_type(target.returns), description="The next item.")
    if returns_something(target):
        returns = ReturnDoc(
            type=None if target.is_generator else _clean(target.returns),
            description=_returns_description(words),
        )
    return DocstringDraft(
        summary=summary_for(target),
        description=None,
        params=[_param_doc(param) for param in _described(target)],
        returns=returns,
        yields=yields,
        raises=[
            RaiseDoc(exception=name, description=_raise_description(name))
            for name in dict.fromkeys(target.raises)
        ],
        examples=[],
    )


def _described(target: Target) -> tuple[Param, ...]:
    """The parameters the draft describes: a stale docstring's repair takes words only for
    the entries it lacks, the rest it keeps as written."""
    return new_params(target) if target.problem == "stale" else target.params


def split_words(name: str) -> list[str]:
    """``get_userName`` -> ``["get", "user", "name"]``; acronyms keep their capitals."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)
    return [part if len(part) > 1 and part.isupper() else part.lower() for part in parts]


def summary_for(target: Target) -> str:
    """One imperative sentence made from the name: ``get_user_name`` -> "Get user name."."""
    name = target.qualname.rsplit(".", 1)[-1]
    if name in _MAGIC:
        return _MAGIC[name]
    if name == "constructor" and target.language != "python":
        return "Create the instance."
    words = split_words(name)
    if target.kind is TargetKind.MODULE:
        return _sentence(words or ["module"])
    if not words:
        return "Handle the call." if target.kind not in _CLASSES else "A class."
    if target.kind in _CLASSES or target.kind in _NOUNS:
        return _sentence(words)
    first, rest = words[0], " ".join(words[1:])
    if first in _PREDICATES and rest:
        return f"Return whether {_PREDICATES[first]}{rest}."
    if first in _SPECIAL and rest:
        return _SPECIAL[first].format(rest=rest)
    if first in _VERBS or first.endswith("ize"):
        return _sentence(words)
    if "property" in target.decorators or "cached_property" in target.decorators:
        return f"The {' '.join(words)}."
    if target.is_generator:
        return f"Yield {' '.join(words)}."
    if returns_something(target):
        return f"Return the {' '.join(words)}."
    return f"Handle {' '.join(words)}."


_CLASSES = (TargetKind.CLASS, TargetKind.NESTED_CLASS)
_NOUNS = (TargetKind.CONSTANT, TargetKind.VARIABLE, TargetKind.FIELD, TargetKind.VARIANT)
"""Kinds named by a noun phrase, like classes: "Default timeout.", not "Handle ..."."""


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _param_doc(param: Param) -> ParamDoc:
    name = param.name.lstrip("*")
    words = " ".join(split_words(name)) or name
    if param.kind == "var_positional":
        description = "Further positional arguments."
    elif param.kind == "var_keyword":
        description = "Further keyword arguments."
    elif _clean(param.annotation) == "bool":
        description = f"Whether {words.removeprefix('is ')}."
    else:
        description = f"The {words}."
    if param.default is not None and len(param.default) <= 30 and "\n" not in param.default:
        description += f" Defaults to ``{param.default}``."
    return ParamDoc(name=name, type=_clean(param.annotation), description=description)


def _returns_description(words: list[str]) -> str:
    if words and words[0] in ("is", "has", "can", "should"):
        return "True if so, else False."
    if len(words) > 1 and (words[0] in _VERBS or words[0] in _SPECIAL):
        return f"The {' '.join(words[1:])}."
    return f"The {' '.join(words)}." if words else "The result."


def _raise_description(name: str) -> str:
    short = name.rsplit(".", 1)[-1]
    if short in _EXCEPTIONS:
        return _EXCEPTIONS[short]
    words = split_words(short.removesuffix("Error").removesuffix("Exception"))
    return f"On a {' '.join(words)} error." if words else "On failure."


def _clean(annotation: str | None) -> str | None:
    return " ".join(annotation.split()) if annotation else None


def _yield_type(annotation: str | None) -> str | None:
    # Iterator[int], Generator[int, None, None], AsyncIterator[int] -> int
    match = re.fullmatch(
        r"(?:typing\.|collections\.abc\.)?(?:Async)?(?:Iterator|Iterable|Generator)\[(.+)\]",
        _clean(annotation) or "",
    )
    if not match:
        return None
    inner, depth = match.group(1), 0
    for index, char in enumerate(inner):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            return inner[:index].strip()
    return inner.strip()
