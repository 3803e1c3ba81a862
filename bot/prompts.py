"""Chat requests for docstring drafts: a static prefix, the context that fits, the targets.

Pure: requests in, messages out.  The system message (instructions, the style's guide,
a worked example) is byte-identical for every request of a style, so Azure's prompt
cache serves it; everything that varies comes after it.  Context is trimmed in a
fixed order until the request fits the model's budget: the module's outline, then the
enclosing class's outline, then the definition alone.  Outlines leave out bodies, so
a target's request (and the cache key built from it) only changes when the target
itself or the shape of its module does.  A target that fits at no level is
skipped with the reason.  Several targets of one file may share one request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.docmodel import DocstringDraft, returns_something
from bot.model import Target, TargetKind
from bot.outline import class_outline, definition_source, module_outline
from bot.providers.base import DraftRequest
from bot.pysource import physical_lines
from bot.renames import removed_names
from bot.sectionwords import instructions
from bot.stale import new_names
from bot.tokens import TokenCounter

PROMPT_VERSION = "2"
"""Part of every cache key: bumped when the prompt or the draft schema changes meaning
(2: ``renamed_from``), so no answer to an older question is read as an answer to this one."""
MAX_BATCH = 8
"""Targets per request at most: more makes answers worse and a failure costlier."""

Message = dict[str, Any]
Level = Literal["module", "class", "definition"]
LEVELS: tuple[Level, ...] = ("module", "class", "definition")


class TargetAnswer(BaseModel):
    """The draft for one target of a request, by the target's id (``T1``, ``T2``...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(description="The target's id exactly as given, e.g. T1.")
    draft: DocstringDraft


class DraftBatch(BaseModel):
    """The answer to one request: one draft per target asked about."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    answers: list[TargetAnswer] = Field(description="One entry per target, in the order asked.")


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema made acceptable to strict structured outputs.

    Strict mode wants every object closed (``additionalProperties: false``) with every
    property required (optional ones are nullable instead) and no defaults.
    """
    return _strictify(model.model_json_schema())  # type: ignore[no-any-return]


def _strictify(node: Any) -> Any:
    if isinstance(node, list):
        return [_strictify(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strictify(value) for key, value in node.items() if key not in ("default", "title")}
    if out.get("type") == "object" and "properties" in node:
        out["additionalProperties"] = False
        out["required"] = list(node["properties"])
        # property names are data, not schema keywords: keep a property called "title".
        out["properties"] = {name: _strictify(sub) for name, sub in node["properties"].items()}
    return out


@cache
def response_format() -> dict[str, Any]:
    """The ``response_format`` of every draft request: the strict ``DraftBatch`` schema."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "docstring_drafts",
            "strict": True,
            "schema": strict_schema(DraftBatch),
        },
    }


def schema_tokens(counter: TokenCounter) -> int:
    """Prompt tokens the schema adds to every request (the service counts it as input)."""
    return counter.count(json.dumps(response_format(), separators=(",", ":")))


@dataclass(frozen=True, slots=True)
class Prompt:
    """One chat request asking about ``indices`` (positions in the request list)."""

    path: str
    indices: tuple[int, ...]
    ids: tuple[str, ...]
    messages: tuple[Message, ...]
    level: Level
    tokens: int
    """Prompt tokens as counted here, schema included."""


@dataclass(frozen=True, slots=True)
class PromptSkip:
    """A request that fits the budget at no context level."""

    index: int
    reason: str


def budget(context_window: int, completion_allowance: int) -> int:
    """Prompt tokens a request may use: what the window leaves after the completion."""
    return context_window - completion_allowance


def build_prompts(
    requests: Sequence[DraftRequest],
    *,
    counter: TokenCounter,
    context_window: int,
    allowance: int,
    batch: bool,
) -> tuple[list[Prompt], list[PromptSkip]]:
    """Group requests into prompts that fit ``context_window``; the rest are skips.

    ``allowance`` is the completion allowance per target; a request for n targets
    reserves n of them.  Batches hold targets of one file and one style, in order.
    """
    prompts: list[Prompt] = []
    skips: list[PromptSkip] = []
    for group in _groups(requests, batch=batch):
        _fit_group(requests, group, counter, context_window, allowance, prompts, skips)
    return prompts, skips


def _groups(requests: Sequence[DraftRequest], *, batch: bool) -> list[list[int]]:
    if not batch:
        return [[index] for index in range(len(requests))]
    by_file: dict[tuple[str, str], list[int]] = {}
    for index, request in enumerate(requests):
        by_file.setdefault((request.target.path, request.style), []).append(index)
    groups: list[list[int]] = []
    for indices in by_file.values():
        groups += [indices[i : i + MAX_BATCH] for i in range(0, len(indices), MAX_BATCH)]
    return groups


def _fit_group(
    requests: Sequence[DraftRequest],
    group: list[int],
    counter: TokenCounter,
    context_window: int,
    allowance: int,
    prompts: list[Prompt],
    skips: list[PromptSkip],
) -> None:
    limit = budget(context_window, allowance * len(group))
    for level in LEVELS:
        prompt = make_prompt(requests, group, level=level, counter=counter)
        if prompt is not None and prompt.tokens <= limit:
            prompts.append(prompt)
            return
    if len(group) > 1:
        half = len(group) // 2
        for part in (group[:half], group[half:]):
            _fit_group(requests, part, counter, context_window, allowance, prompts, skips)
        return
    smallest = make_prompt(requests, group, level="definition", counter=counter)
    needed = smallest.tokens if smallest is not None else 0
    skips.append(
        PromptSkip(
            group[0],
            f"definition too large for the model: its request needs {needed} prompt tokens, "
            f"the budget is {max(limit, 0)} ({context_window}-token context window minus "
            f"{allowance} for the answer)",
        )
    )


def make_prompt(
    requests: Sequence[DraftRequest], group: Sequence[int], *, level: Level, counter: TokenCounter
) -> Prompt | None:
    """The prompt for ``group`` at context ``level``; ``None`` when the level has nothing to add."""
    first = requests[group[0]]
    targets = [requests[index].target for index in group]
    context = _context(first.module_source, targets, level)
    if context is None:
        return None
    ids = tuple(f"T{n}" for n in range(1, len(group) + 1))
    user = _user_message(first.target.path, context, targets, ids, first.module_source)
    messages: tuple[Message, ...] = (
        {"role": "system", "content": system_prompt(first.style, first.target.language)},
        {"role": "user", "content": user},
    )
    tokens = counter.count_messages(messages) + schema_tokens(counter)
    return Prompt(first.target.path, tuple(group), ids, messages, level, tokens)


def _context(module_source: str, targets: Sequence[Target], level: Level) -> str | None:
    if level == "definition":
        return ""
    if targets[0].language != "python":
        return None  # outlines are Python's; other languages show the definition itself
    if level == "module":
        outline = module_outline(module_source)
        if outline is None:
            return None
        return f"Outline of the module (bodies elided):\n```python\n{outline}\n```\n"
    owners = dict.fromkeys(t.qualname.rpartition(".")[0] for t in targets)
    outlines = [class_outline(module_source, owner) for owner in owners if owner]
    kept = [outline for outline in outlines if outline]
    if not kept:
        return None
    body = "\n\n".join(kept)
    return f"Outline of the enclosing class:\n```python\n{body}\n```\n"


def _user_message(
    path: str, context: str, targets: Sequence[Target], ids: Sequence[str], module_source: str
) -> str:
    parts = [f"File: {path}\n", context]
    parts.append(f"Write docstrings for these {len(targets)} definition(s):\n")
    for target_id, target in zip(ids, targets, strict=True):
        parts.append(target_block(target_id, target, module_source))
    return "\n".join(parts)


def target_block(target_id: str, target: Target, module_source: str = "") -> str:
    """The facts about one target that the answer is checked against, then its source."""
    params = ", ".join(_star(p.kind) + p.name for p in target.params) or "(none)"
    lines = [
        f"### Target {target_id}",
        f"qualname: {target.qualname}",
        f"kind: {target.kind.value}",
        f"signature: {header(target)}",
        f"parameters: {params}",
        f"returns a value: {'yes' if returns_something(target) else 'no'}",
        f"generator: {'yes' if target.is_generator else 'no'}",
        f"raises: {', '.join(dict.fromkeys(target.raises)) or '(none)'}",
    ]
    if target.problem == "stale":
        lines += _stale_lines(target, module_source)
    fence = target.language
    lines.append(f"```{fence}\n{shown_source(target, module_source).rstrip()}\n```")
    return "\n".join(lines) + "\n"


def _stale_lines(target: Target, module_source: str) -> list[str]:
    """A stale docstring's facts: the repair keeps its text and needs words for new entries."""
    codes = "; ".join(f"{f.code} {f.message}" for f in target.findings)
    documented_apart: list[str] = []
    where = target.docstring_lines
    if where is not None and where[0] < target.line and module_source:
        text = "".join(physical_lines(module_source)[where[0] - 1 : where[1]]).rstrip()
        documented_apart = [f"its docstring, on its class:\n```python\n{text}\n```"]
    new = new_names(target)
    removed = removed_names(target) if new else []
    renaming = [
        f"may be renamed from: {', '.join(removed)}",
        "renaming: these names are documented but gone from the signature. When a parameter"
        " under 'write parameters' is one of them renamed (the same meaning, type and units:"
        " every word of the old entry is still true of it), set its renamed_from to the old"
        " name and docbot keeps the old entry under the new name; otherwise renamed_from is"
        " null. Each old name at most once.",
    ]
    return [
        *documented_apart,
        f"findings: {codes}",
        f"write parameters: {', '.join(new) or '(none)'}",
        *(renaming if removed else []),
        "problem: stale: its docstring is kept as written and only gains entries; in params"
        " describe exactly the parameters under 'write parameters', nothing else (summary: its"
        " current summary; description, returns, yields: null; raises, examples: empty)",
        *instructions(target),
    ]


def shown_source(target: Target, module_source: str) -> str:
    """A function's whole source; a class's outline and constructor, not every method body.

    Method bodies have their own targets (and their own cache keys); repeating them in
    the class's request would cost tokens and re-ask the class whenever one changes.
    """
    if target.kind not in (TargetKind.CLASS, TargetKind.NESTED_CLASS):
        return target.source
    outline = class_outline(module_source, target.qualname)
    if outline is None:
        return target.source
    init = definition_source(module_source, target.qualname + ".__init__")
    return outline if init is None else f"{outline}\n\n# the constructor:\n{init}"


def _star(kind: str) -> str:
    return {"var_positional": "*", "var_keyword": "**"}.get(kind, "")


def header(target: Target) -> str:
    """The definition's header (``def``/``class`` line through the colon), on one line;
    for other languages the signature's lines (``line`` through ``header_end``)."""
    lines = [line.rstrip("\r\n") for line in physical_lines(target.source)]
    if target.language != "python":
        first = target.line - (target.anchor or target.line)
        signature = lines[first : first + target.header_end - target.line + 1]
        return " ".join(part.strip() for part in signature) or target.qualname
    for start, line in enumerate(lines):
        if line.lstrip().startswith(("def ", "async def ", "class ")):
            count = target.header_end - target.line + 1
            return " ".join(part.strip() for part in lines[start : start + count])
    return target.qualname


def repair_messages(prompt: Prompt, answer: str, problems: dict[str, list[str]]) -> list[Message]:
    """The follow-up asking again for the targets whose answers had ``problems``, by id."""
    listed = "\n".join(
        f"- {target_id}: " + " ".join(found) for target_id, found in problems.items()
    )
    ask = (
        "Your answer does not match the signatures:\n"
        f"{listed}\n"
        f"Answer again for {', '.join(problems)} only, fixing every problem, in the same schema."
    )
    return [
        *prompt.messages,
        {"role": "assistant", "content": answer},
        {"role": "user", "content": ask},
    ]


@cache
def system_prompt(style: str, language: str = "python") -> str:
    """The static prefix for ``style`` in ``language``: identical bytes for every request
    of that language and style."""
    if language != "python":
        return _other_language_prompt(style, language)
    guide = STYLE_GUIDES.get(style, STYLE_GUIDES["google"])
    return "\n".join((INSTRUCTIONS, f"## Style: {style}\n{guide}", _worked_example()))


def _other_language_prompt(style: str, language: str) -> str:
    """The same instructions and schema, naming the language and its comment convention.

    The draft schema is one for every language: code renders it into the language's doc
    comment, so the model never writes comment markers either.
    """
    from bot.languages import adapter

    found = adapter(language)
    convention = found.convention if found is not None else language
    head = (
        f"You write documentation for {language} code as structured data for docbot, a"
        " code-review assistant. Where the rules below say docstring, read the language's"
        " doc comment; never write comment markers (/**, *, //, ///), tags (@param,"
        " <summary>) or indentation into the fields: code renders them."
    )
    instructions = head + INSTRUCTIONS.split("\n", 1)[1]
    return "\n".join(
        (
            instructions,
            f"## Language: {language}; style: {style}\n{convention}",
            _worked_example(),
        )
    )


INSTRUCTIONS = """\
You write Python docstrings as structured data for docbot, a code-review assistant.
The user shows you one file of a pull request and names the definitions (targets) that
have no docstring yet. For each target you return one draft in the JSON schema you are
given; code turns the draft into docstring text later, so never write quotes, markup for
a docstring style, or indentation into the fields.

## Rules every draft must follow
1. summary: one line in the imperative mood ("Return...", "Build...", "Raise..." are
   fine; "This function..." is not), at most about 80 characters, ending with a period.
   Say what the definition does for its caller, not how it is implemented.
2. description: null unless the behaviour needs more than the summary: side effects,
   ordering guarantees, units, thread-safety, what happens at the edges. One short
   paragraph; never repeat the summary or restate the parameters.
3. params: exactly the names listed under "parameters" for the target, in that order,
   without * or ** (write *args as args, **kwargs as kwargs). Never document self or cls.
   A class's params are its constructor's. type: the annotation when the signature has
   one, simplified for a reader; null when there is no annotation and the type is not
   evident. description: what the value means to the caller, one or two sentences.
4. returns: only when "returns a value" says yes; else null. Describe the value, not the
   variable name. For properties describe the attribute.
5. yields: only when "generator" says yes; describe each yielded item; else null.
6. raises: only the exception names listed under "raises" (the body raises them
   explicitly); say when each is raised. Never add exceptions that may merely propagate.
7. examples: almost always an empty list. Add one doctest (">>> call()" then the
   expected output) only for a pure function whose use is not obvious from its name.
8. Do not invent behaviour: use only what the code shows. When the code is unclear, be
   brief rather than speculative. Do not mention the pull request, the reviewer or docbot.
9. Write in plain English for a maintainer reading the code a year from now. Prefer
   concrete nouns from the code's domain over generic words like "data" or "object".
10. Answer every target id you are given, once each, in the order given; the "id" of an
    answer is the target's id (T1, T2...), never its name.

## What you are shown
- "File:" the path of the module in the repository.
- Context, as much as fits: an outline of the whole module (imports, constants and
  every signature, bodies elided), or an outline of the enclosing class, or nothing
  beyond the definition itself.
- One block per target: its id, qualified name, kind (function, method, class,
  nested_class), signature, the parameters to document, whether it returns a value,
  whether it is a generator, the exceptions its body raises, and its full source.

If the user says your previous answer had problems, fix exactly those problems and
answer again for the listed ids only.
"""

STYLE_GUIDES = {
    "google": """\
The repository uses Google style (Args:, Returns:, Yields:, Raises: sections). Write
parameter descriptions as sentence fragments that start with a capital letter and end
with a period, e.g. "Maximum number of rows to fetch.". Types go in the type field, not
in descriptions. Returns descriptions start with a noun phrase: "The parsed header.".
Raises descriptions start with "If": "If the file is not valid TOML.".""",
    "numpy": """\
The repository uses numpydoc style (Parameters / Returns / Yields / Raises sections with
dashed underlines). Parameter descriptions are full sentences; put the type in the type
field exactly as a reader would write it ("int", "list of str", "Path or None"). Returns
descriptions say what the value holds. Raises descriptions start with "If".""",
    "sphinx": """\
The repository uses Sphinx reST field lists (:param x:, :type x:, :returns:, :rtype:,
:raises X:). Parameter descriptions are sentence fragments ending with a period; put the
type in the type field so it becomes :type:. Returns descriptions say what the value
holds. Raises descriptions start with "If".""",
}

_EXAMPLE_SOURCE = """\
def read_config(path: Path, *, strict: bool = True, **overrides: str) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    unknown = sorted(set(values) - KNOWN_KEYS)
    if strict and unknown:
        raise ConfigError(f"unknown keys: {', '.join(unknown)}")
    return values | overrides"""


@cache
def _worked_example() -> str:
    from bot.docmodel import ParamDoc, RaiseDoc, ReturnDoc

    draft = DocstringDraft(
        summary="Read key=value settings from a file, with overrides applied last.",
        description=None,
        params=[
            ParamDoc(name="path", type="Path", description="The settings file to read."),
            ParamDoc(name="strict", type="bool", description="Refuse keys that are not known."),
            ParamDoc(name="overrides", type="str", description="Values that win over the file's."),
        ],
        returns=ReturnDoc(type="dict[str, str]", description="The settings by key."),
        yields=None,
        raises=[RaiseDoc(exception="ConfigError", description="If strict and a key is unknown.")],
        examples=[],
    )
    answer = DraftBatch(answers=[TargetAnswer(id="T1", draft=draft)])
    return (
        "## Worked example\n"
        "### Target T1\nqualname: read_config\nkind: function\n"
        "parameters: path, strict, **overrides\nreturns a value: yes\ngenerator: no\n"
        f"raises: ConfigError\n```python\n{_EXAMPLE_SOURCE}\n```\n"
        f"Answer:\n{answer.model_dump_json(indent=1)}\n"
    )
