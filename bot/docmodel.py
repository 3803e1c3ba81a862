"""The structured docstring every provider returns, and its checks against a signature.

Providers (the LLM or the offline template writer) fill a ``DocstringDraft``; only
``render.py`` turns it into text.  The model doubles as the strict JSON schema sent
to the LLM, so every field is required (nullable where optional) and documented.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot import sectionwords
from bot.model import Target, TargetKind
from bot.renames import claims


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamDoc(_Strict):
    """One documented parameter."""

    name: str = Field(
        description="The parameter's name exactly as in the signature, without * or **."
    )
    type: str | None = Field(description="Type as a reader would write it, or null to omit.")
    description: str = Field(description="What the parameter means, one or two sentences.")
    renamed_from: str | None = Field(
        default=None,
        description="Only for a stale docstring's new parameter that is the same parameter as"
        " one listed under 'may be renamed from', renamed: that old name (its entry is kept)."
        " Null otherwise.",
    )


class ReturnDoc(_Strict):
    """What a function returns or yields."""

    type: str | None = Field(description="Type of the value, or null to omit.")
    description: str = Field(description="What the value is.")


class RaiseDoc(_Strict):
    """One exception the body raises on purpose."""

    exception: str = Field(description="The exception's name as raised in the body.")
    description: str = Field(description="When it is raised.")


class DocstringDraft(_Strict):
    """A docstring as data; rendered into the repository's style by code, not by the model."""

    summary: str = Field(description="One line in the imperative mood, ending with a period.")
    description: str | None = Field(description="Further paragraphs, or null.")
    params: list[ParamDoc] = Field(description="Every parameter of the signature except self/cls.")
    returns: ReturnDoc | None = Field(description="Null when the function returns nothing.")
    yields: ReturnDoc | None = Field(description="Only for generators, else null.")
    raises: list[RaiseDoc] = Field(description="Only exceptions the body raises explicitly.")
    examples: list[str] = Field(description="Doctest-style examples, usually empty.")


# --- checks against a signature ------------------------------------------------------------

_NO_VALUE_ANNOTATIONS = frozenset({"None", "NoReturn", "Never", "typing.NoReturn", "typing.Never"})


_NOT_CALLED = frozenset({
    TargetKind.CLASS, TargetKind.NESTED_CLASS, TargetKind.MODULE, TargetKind.CONSTANT,
    TargetKind.VARIABLE, TargetKind.FIELD, TargetKind.VARIANT, TargetKind.MACRO,
})  # fmt: skip
"""Kinds that return and yield nothing a doc could describe as a result."""


def documentable_names(target: Target) -> list[str]:
    """The parameter names a draft must document, in order (``*args`` as ``args``)."""
    return [param.name.lstrip("*") for param in target.params]


def returns_something(target: Target) -> bool:
    """Whether a ``Returns`` section is allowed: a return value, or a non-None annotation.

    A generator's annotation describes what it yields, so only its ``return <value>`` counts.
    """
    if target.kind in _NOT_CALLED:
        return False
    if target.returns_value:
        return True
    if target.is_generator or target.returns is None:
        return False
    return " ".join(target.returns.split()).strip("'\"") not in _NO_VALUE_ANNOTATIONS


def with_starred_names(draft: DocstringDraft, target: Target) -> DocstringDraft:
    """The draft with ``*args`` and ``**kwargs`` written with their stars.

    The model writes bare names (``problems`` asks it to); pydoclint, which checks the
    docstrings docbot writes as it checks the author's, wants the stars (DOC101/DOC102
    otherwise), as Google's and numpydoc's guides write them.
    """
    stars = {"var_positional": "*", "var_keyword": "**"}
    starred = {p.name: stars[p.kind] + p.name for p in target.params if p.kind in stars}
    if not any(p.name in starred for p in draft.params):
        return draft
    params = [
        p.model_copy(update={"name": starred[p.name]}) if p.name in starred else p
        for p in draft.params
    ]
    return draft.model_copy(update={"params": params})


def without_annotated_types(draft: DocstringDraft, target: Target) -> DocstringDraft:
    """The draft with the types the signature's annotations already state left out.

    For code bases whose docstrings do not repeat annotations (Google's guide, sphinx's
    ``autodoc_typehints``); a parameter without an annotation keeps its documented type.
    """
    annotated = {param.name.lstrip("*") for param in target.params if param.annotation}
    params = [
        p.model_copy(update={"type": None}) if p.name.lstrip("*") in annotated else p
        for p in draft.params
    ]
    update: dict[str, object] = {"params": params}
    if target.returns is not None:
        for field in ("returns", "yields"):
            value = getattr(draft, field)
            if value is not None:
                update[field] = value.model_copy(update={"type": None})
    return draft.model_copy(update=update)


def problems(draft: DocstringDraft, target: Target) -> list[str]:
    """Every way ``draft`` disagrees with ``target``'s signature, as sentences for a repair prompt.

    An empty list means the draft may be rendered.  For a stale docstring only the entries
    of parameters it does not mention yet are asked for (``stale.new_names``).
    """
    if target.problem == "stale":
        return _new_entry_problems(draft, target)
    found = _summary_problems(draft)
    found += _length_problems(draft)
    found += _param_problems(draft, target)
    found += _return_problems(draft, target)
    found += _raise_problems(draft, target)
    return found


def _summary_problems(draft: DocstringDraft) -> list[str]:
    summary = draft.summary.strip()
    if not summary:
        return ["The summary is empty; write one line saying what it does."]
    if "\n" in summary or "\r" in summary:
        return ["The summary must be a single line; move the rest into the description."]
    return []


SUMMARY_MAX = 200
"""Characters of a summary line: one line a reader takes in, not a paragraph."""
TEXT_MAX = 2_000
"""Characters of any one description, type, name or example."""
DRAFT_MAX = 12_000
"""Characters of a whole draft: with the header, well inside GitHub's 65,536 per comment."""


def _length_problems(draft: DocstringDraft) -> list[str]:
    found: list[str] = []
    if len(draft.summary.strip()) > SUMMARY_MAX:
        found.append(f"Shorten the summary to one line of at most {SUMMARY_MAX} characters.")
    texts = [draft.description or "", *draft.examples]
    for param in draft.params:
        texts += [param.name, param.type or "", param.description]
    for section in (draft.returns, draft.yields):
        if section is not None:
            texts += [section.type or "", section.description]
    for doc in draft.raises:
        texts += [doc.exception, doc.description]
    if any(len(text) > TEXT_MAX for text in texts):
        found.append(f"Keep each description, name, type and example under {TEXT_MAX} characters.")
    elif len(draft.summary) + sum(map(len, texts)) > DRAFT_MAX:
        found.append(f"Keep the whole docstring under {DRAFT_MAX} characters.")
    return found


def _param_problems(draft: DocstringDraft, target: Target) -> list[str]:
    expected = documentable_names(target)
    written = [param.name for param in draft.params]
    found: list[str] = []
    starred = [name for name in written if name.startswith("*")]
    if starred:
        found.append(
            "Write parameter names without stars: "
            + ", ".join(f"{name!r} as {name.lstrip('*')!r}" for name in starred)
            + "."
        )
        written = [name.lstrip("*") for name in written]
    missing = [name for name in expected if name not in written]
    extra = [name for name in written if name not in expected]
    duplicated = sorted({name for name in written if written.count(name) > 1})
    if missing:
        found.append("Document the missing parameters: " + ", ".join(missing) + ".")
    if extra:
        found.append("Remove parameters the signature does not have: " + ", ".join(extra) + ".")
    if duplicated:
        found.append("Document each parameter once: " + ", ".join(duplicated) + ".")
    if not (missing or extra or duplicated) and written != expected:
        found.append("List the parameters in signature order: " + ", ".join(expected) + ".")
    empty = [param.name for param in draft.params if not param.description.strip()]
    if empty:
        found.append("Describe the parameters: " + ", ".join(empty) + ".")
    return found


def _new_entry_problems(draft: DocstringDraft, target: Target) -> list[str]:
    wanted = [n.lstrip("*") for f in target.findings for n in f.names]
    signature = documentable_names(target)
    expected = [n for n in signature if n in wanted]
    written = [param.name.lstrip("*") for param in draft.params]
    found: list[str] = []
    if sorted(written) != sorted(expected):
        found.append(
            "The docstring is kept as written: give params entries for exactly these"
            f" parameters, no others: {', '.join(expected) or '(none)'}."
        )
    empty = [param.name for param in draft.params if not param.description.strip()]
    if empty:
        found.append("Describe the parameters: " + ", ".join(empty) + ".")
    return found + claims(draft, target)[1] + sectionwords.problems(draft, target)


def _return_problems(draft: DocstringDraft, target: Target) -> list[str]:
    found: list[str] = []
    is_class = target.kind in (TargetKind.CLASS, TargetKind.NESTED_CLASS)
    if target.kind in _NOT_CALLED:
        what = "a class" if is_class else f"a {target.kind.value.replace('_', ' ')}"
        if draft.returns is not None:
            found.append(f"Remove the returns section: {what} returns nothing.")
        if draft.yields is not None:
            found.append(f"Remove the yields section: {what} yields nothing.")
        return found
    if draft.returns is not None and not returns_something(target):
        if target.is_generator:
            found.append("Set returns to null: the generator returns no value; use yields.")
        else:
            found.append("Set returns to null: the function returns nothing.")
    if target.is_generator and draft.yields is None:
        found.append("Add a yields section: the function is a generator.")
    if not target.is_generator and draft.yields is not None:
        found.append("Set yields to null: the function is not a generator.")
    for section in (draft.returns, draft.yields):
        if section is not None and not section.description.strip():
            found.append("Describe the returned or yielded value; the description is empty.")
    return found


def _raise_problems(draft: DocstringDraft, target: Target) -> list[str]:
    raised = {_last_part(name) for name in target.raises}
    invented = [doc.exception for doc in draft.raises if _last_part(doc.exception) not in raised]
    if not invented:
        return []
    allowed = ", ".join(dict.fromkeys(target.raises)) or "nothing explicitly"
    return [
        "Remove exceptions the body does not raise: "
        + ", ".join(invented)
        + f" (it raises {allowed})."
    ]


def _last_part(name: str) -> str:
    # `raise errors.ConfigError(...)` may be documented as ConfigError and vice versa.
    return name.strip().rsplit(".", 1)[-1]
