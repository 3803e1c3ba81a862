"""Records pickle as the constructor call that makes them, and come back equal."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

import pytest

from bot.model import Finding, Param, Result, Status, Suggestion, Target, TargetKind, Usage
from bot.pickling import by_constructor

STALE = Target(
    path="pkg/mod.py",
    qualname="Client.send",
    kind=TargetKind.METHOD,
    line=10,
    end_line=20,
    header_end=12,
    body_indent="        ",
    one_liner=False,
    is_async=True,
    decorators=("retry(3)",),
    params=(Param("timeout", "keyword_only", "float", "None"), Param("kw", "var_keyword")),
    returns="bytes",
    returns_value=True,
    raises=("ValueError",),
    source="    async def send(self, *, timeout=None, **kw):\n        ...\n",
    problem="stale",
    findings=(Finding("DOC101", "fewer", ("timeout",)),),
    docstring_lines=(13, 18),
)


@pytest.mark.parametrize(
    "record",
    [
        STALE,
        Result(STALE, Status.SUGGESTED, None, "Send.", Suggestion("pkg/mod.py", 14, 14, "x")),
        Result(STALE, Status.FAILED, "unsafe", usage=Usage(llm_requests=1, cost_usd=0.5)),
        Param("x", "positional"),
    ],
    ids=["target", "suggested", "failed", "param"],
)
def test_a_record_comes_back_equal_and_of_its_class(record: object) -> None:
    back = pickle.loads(pickle.dumps(record))
    assert back == record
    assert type(back) is type(record)


def test_a_record_pickles_as_its_constructor_call() -> None:
    constructor, values = STALE.__reduce__()
    assert constructor is Target
    assert constructor(*values) == STALE


def test_a_one_field_record_round_trips() -> None:
    @by_constructor
    @dataclass(frozen=True, slots=True)
    class One:
        name: str

    assert One.__reduce__(One("a")) == (One, ("a",))


def test_a_field_outside_init_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="outside __init__"):

        @by_constructor
        @dataclass(frozen=True)
        class Derived:
            name: str
            size: int = field(init=False, default=0)
