"""problems(): every way a draft disagrees with its target's signature, in words."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.docmodel import (
    DocstringDraft,
    ParamDoc,
    RaiseDoc,
    ReturnDoc,
    problems,
    without_annotated_types,
)
from bot.model import Param, Target, TargetKind


def target(**fields: Any) -> Target:
    base: dict[str, Any] = dict(
        path="pkg/mod.py", qualname="load", kind=TargetKind.FUNCTION, line=3, end_line=9,
        header_end=3, body_indent="    ", one_liner=False,
    )  # fmt: skip
    return Target(**(base | fields))


def draft(**fields: Any) -> DocstringDraft:
    base: dict[str, Any] = dict(
        summary="Load it.", description=None, params=[], returns=None, yields=None, raises=[],
        examples=[],
    )  # fmt: skip
    return DocstringDraft(**(base | fields))


def params(*names: str) -> list[ParamDoc]:
    return [ParamDoc(name=name, type=None, description=f"The {name}.") for name in names]


# def load(path, *args, mode="r", **kwargs)
SIGNATURE = (
    Param("path", "positional"),
    Param("args", "var_positional"),
    Param("mode", "keyword_only", default='"r"'),
    Param("kwargs", "var_keyword"),
)
VALUE = ReturnDoc(type="bytes", description="The content.")
ITEMS = ReturnDoc(type="str", description="Each line.")


@pytest.mark.parametrize(
    ("the_target", "the_draft"),
    [
        (target(params=SIGNATURE), draft(params=params("path", "args", "mode", "kwargs"))),
        (target(returns_value=True), draft(returns=VALUE)),
        (target(returns="bytes"), draft(returns=VALUE)),
        (target(returns="bytes"), draft()),  # a Returns section is welcome, not required
        (target(is_generator=True), draft(yields=ITEMS)),
        (target(is_generator=True, returns_value=True), draft(yields=ITEMS, returns=VALUE)),
        (target(raises=("ValueError", "errors.ConfigError")),
         draft(raises=[RaiseDoc(exception="ConfigError", description="When bad.")])),
        (target(kind=TargetKind.CLASS, qualname="Loader", params=SIGNATURE[:1]),
         draft(params=params("path"))),
        (target(kind=TargetKind.MODULE, qualname="mod"), draft(description="More.\n\nAnd more.")),
    ],
)  # fmt: skip
def test_a_draft_that_matches_its_signature_has_no_problems(
    the_target: Target, the_draft: DocstringDraft
) -> None:
    assert problems(the_draft, the_target) == []


@pytest.mark.parametrize(
    ("the_target", "the_draft", "expected"),
    [
        (target(params=SIGNATURE), draft(params=params("path", "mode", "kwargs")),
         ["Document the missing parameters: args."]),
        (target(params=SIGNATURE), draft(params=params("path", "args", "mode", "kwargs", "self")),
         ["Remove parameters the signature does not have: self."]),
        (target(params=SIGNATURE), draft(params=params("path", "*args", "mode", "**kwargs")),
         ["Write parameter names without stars: '*args' as 'args', '**kwargs' as 'kwargs'."]),
        (target(params=SIGNATURE), draft(params=params("mode", "path", "args", "kwargs")),
         ["List the parameters in signature order: path, args, mode, kwargs."]),
        (target(params=SIGNATURE[:1]), draft(params=params("path", "path")),
         ["Document each parameter once: path."]),
        (target(params=SIGNATURE[:1]),
         draft(params=[ParamDoc(name="path", type=None, description=" ")]),
         ["Describe the parameters: path."]),
        (target(), draft(returns=VALUE), ["Set returns to null: the function returns nothing."]),
        (target(returns="None"), draft(returns=VALUE),
         ["Set returns to null: the function returns nothing."]),
        (target(returns="Iterator[str]", is_generator=True), draft(yields=ITEMS, returns=VALUE),
         ["Set returns to null: the generator returns no value; use yields."]),
        (target(is_generator=True), draft(),
         ["Add a yields section: the function is a generator."]),
        (target(returns_value=True), draft(yields=ITEMS),
         ["Set yields to null: the function is not a generator."]),
        (target(raises=("KeyError",)),
         draft(raises=[RaiseDoc(exception="ValueError", description="When bad.")]),
         ["Remove exceptions the body does not raise: ValueError (it raises KeyError)."]),
        (target(), draft(raises=[RaiseDoc(exception="OSError", description="Always.")]),
         ["Remove exceptions the body does not raise: OSError (it raises nothing explicitly)."]),
        (target(), draft(summary="   "),
         ["The summary is empty; write one line saying what it does."]),
        (target(), draft(summary="Load it.\nThen parse it."),
         ["The summary must be a single line; move the rest into the description."]),
        (target(kind=TargetKind.CLASS), draft(returns=VALUE, yields=ITEMS),
         ["Remove the returns section: a class returns nothing.",
          "Remove the yields section: a class yields nothing."]),
        (target(kind=TargetKind.MODULE), draft(params=params("x")),
         ["Remove parameters the signature does not have: x."]),
    ],
)  # fmt: skip
def test_each_disagreement_is_one_sentence_for_the_repair_prompt(
    the_target: Target, the_draft: DocstringDraft, expected: list[str]
) -> None:
    assert problems(the_draft, the_target) == expected


def test_several_problems_are_all_reported() -> None:
    found = problems(
        draft(summary="", params=params("x"), returns=VALUE),
        target(params=SIGNATURE[:1], is_generator=True),
    )
    assert len(found) == 5


def test_without_annotated_types_keeps_only_what_annotations_do_not_say() -> None:
    target = Target(
        path="m.py",
        qualname="f",
        kind=TargetKind.FUNCTION,
        line=1,
        end_line=2,
        header_end=1,
        body_indent="    ",
        one_liner=False,
        params=(
            Param("x", "positional", "int"),
            Param("y", "positional"),
            Param("*rest", "var_positional", "str"),
        ),
        returns="bool",
        returns_value=True,
    )
    draft = DocstringDraft(
        summary="Check.",
        description=None,
        params=[
            ParamDoc(name="x", type="int", description="X."),
            ParamDoc(name="y", type="float", description="Y."),
            ParamDoc(name="rest", type="str", description="More."),
        ],
        returns=ReturnDoc(type="bool", description="Whether."),
        yields=None,
        raises=[],
        examples=[],
    )
    bare = without_annotated_types(draft, target)
    assert [(p.name, p.type) for p in bare.params] == [("x", None), ("y", "float"), ("rest", None)]
    assert bare.returns == ReturnDoc(type=None, description="Whether.")
    assert without_annotated_types(draft, replace(target, returns=None)).returns == draft.returns


@pytest.mark.parametrize(
    ("the_draft", "expected"),
    [
        (draft(summary="Load " + "it " * 100 + "."),
         "Shorten the summary to one line of at most 200 characters."),
        (draft(description="w" * 2001),
         "Keep each description, name, type and example under 2000 characters."),
        (draft(examples=["x" * 2001]),
         "Keep each description, name, type and example under 2000 characters."),
        (draft(description="w" * 1999, examples=["x" * 1999] * 6),
         "Keep the whole docstring under 12000 characters."),
    ],
)  # fmt: skip
def test_absurd_lengths_fail_validation_with_a_reason(
    the_draft: DocstringDraft, expected: str
) -> None:
    assert expected in problems(the_draft, target())
