"""The offline template provider: plain drafts from the signature, always consistent with it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.docmodel import DocstringDraft, problems
from bot.model import Param, Target, TargetKind, Usage
from bot.providers.base import DraftRequest, Provider
from bot.providers.template import TemplateProvider, draft_for, split_words
from bot.render import render
from tests.targets_by_hand import targets_by_hand

FIXTURES = Path(__file__).parent / "data" / "suggest"


def target(qualname: str, kind: TargetKind = TargetKind.FUNCTION, **fields: Any) -> Target:
    base: dict[str, Any] = dict(
        path="pkg/mod.py", qualname=qualname, kind=kind, line=1, end_line=2, header_end=1,
        body_indent="    ", one_liner=False,
    )  # fmt: skip
    return Target(**(base | fields))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("get_user_name", ["get", "user", "name"]),
        ("HttpClient", ["http", "client"]),
        ("parseHTTPResponse", ["parse", "HTTP", "response"]),
        ("_private__thing", ["private", "thing"]),
        ("load2d", ["load", "2", "d"]),
        ("__", []),
    ],
)
def test_names_split_on_snake_and_camel_case(name: str, words: list[str]) -> None:
    assert split_words(name) == words


@pytest.mark.parametrize(
    ("the_target", "summary"),
    [
        (target("get_user_name"), "Get user name."),
        (target("Outer.HttpClient", TargetKind.NESTED_CLASS), "Http client."),
        (target("HTTPServer", TargetKind.CLASS), "HTTP server."),
        (target("is_valid", returns="bool"), "Return whether valid."),
        (target("has_children", returns="bool"), "Return whether it has children."),
        (target("to_json", returns="str"), "Convert to json."),
        (target("from_dict"), "Create from dict."),
        (target("Cart.total_price", TargetKind.METHOD, returns_value=True),
         "Return the total price."),
        (target("Cart.total", TargetKind.METHOD, decorators=("property",)), "The total."),
        (target("lines", is_generator=True), "Yield lines."),
        (target("main"), "Handle main."),
        (target("normalize_path"), "Normalize path."),
        (target("Cart.__init__", TargetKind.METHOD), "Initialize the instance."),
        (target("mod", TargetKind.MODULE), "Mod."),
    ],
)  # fmt: skip
def test_summary_is_an_imperative_sentence_from_the_name(the_target: Target, summary: str) -> None:
    assert draft_for(the_target).summary == summary


def test_the_draft_describes_params_returns_yields_and_raises() -> None:
    the_target = target(
        "read_rows",
        params=(
            Param("path", "positional", "Path"),
            Param("strict", "keyword_only", "bool", "False"),
            Param("args", "var_positional"),
            Param("options", "var_keyword", "Any"),
        ),
        returns="Iterator[tuple[str, int]]",
        is_generator=True,
        raises=("ValueError", "errors.ParseError", "ValueError"),
    )
    assert draft_for(the_target).model_dump(exclude={"params": {"__all__": {"renamed_from"}}}) == {
        "summary": "Read rows.",
        "description": None,
        "params": [
            {"name": "path", "type": "Path", "description": "The path."},
            {"name": "strict", "type": "bool",
             "description": "Whether strict. Defaults to ``False``."},
            {"name": "args", "type": None, "description": "Further positional arguments."},
            {"name": "options", "type": "Any", "description": "Further keyword arguments."},
        ],
        "returns": None,
        "yields": {"type": "tuple[str, int]", "description": "The next item."},
        "raises": [
            {"exception": "ValueError", "description": "If a value is invalid."},
            {"exception": "errors.ParseError", "description": "On a parse error."},
        ],
        "examples": [],
    }  # fmt: skip


def test_fixture_definitions_get_drafts_without_problems_that_render_in_every_style() -> None:
    source = (FIXTURES / "basic.py").read_text(encoding="utf-8")
    for the_target in targets_by_hand(source, module=True):
        draft = draft_for(the_target)
        assert problems(draft, the_target) == []
        for style in ("google", "numpy", "sphinx"):
            assert render(draft, style, line_length=88, indent=the_target.body_indent)


IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)
ANNOTATION = st.one_of(st.none(), st.sampled_from(["int", "None", "bool", "Iterator[int]", "'X'"]))
PARAM = st.builds(
    Param,
    name=IDENTIFIER,
    kind=st.sampled_from(["positional", "keyword_only", "var_positional", "var_keyword"]),
    annotation=ANNOTATION,
    default=st.one_of(st.none(), st.text(max_size=40)),
)
TARGETS = st.builds(
    target,
    qualname=IDENTIFIER,
    kind=st.sampled_from(list(TargetKind)),
    params=st.lists(PARAM, max_size=5, unique_by=lambda p: p.name).map(tuple),
    returns=ANNOTATION,
    returns_value=st.booleans(),
    is_generator=st.booleans(),
    raises=st.lists(IDENTIFIER, max_size=3).map(tuple),
    decorators=st.lists(st.sampled_from(["property", "staticmethod"]), max_size=1).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(TARGETS)
def test_template_drafts_always_pass_problems(the_target: Target) -> None:
    assert problems(draft_for(the_target), the_target) == []


def test_provider_answers_every_request_for_free() -> None:
    provider: Provider = TemplateProvider()
    requests = [
        DraftRequest(target("load"), "def load(): ...\n", "google"),
        DraftRequest(target("Store", TargetKind.CLASS), "class Store: ...\n", "numpy"),
    ]
    done: list[int] = []
    outcomes = asyncio.run(provider.write(requests, progress=done.append))
    assert [outcome.draft for outcome in outcomes] == [draft_for(r.target) for r in requests]
    assert all(isinstance(outcome.draft, DocstringDraft) for outcome in outcomes)
    assert [outcome.usage for outcome in outcomes] == [Usage(), Usage()]
    assert sum(done) == len(requests)
    assert provider.name == "template"
    assert provider.estimate_cost_usd(requests) == 0.0
    assert provider.fingerprint(requests[0]) == provider.fingerprint(requests[1])
    asyncio.run(provider.aclose())
