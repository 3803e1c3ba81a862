"""Go doc comments: the first sentence begins with the declared name (Effective Go)."""

from __future__ import annotations

import pytest

from bot.docmodel import DocstringDraft
from bot.languages.golang.render import first_sentence, render, third_person


def draft(summary: str, description: str | None = None) -> DocstringDraft:
    return DocstringDraft(summary=summary, description=description, params=[], returns=None,
                          yields=None, raises=[], examples=[])  # fmt: skip


@pytest.mark.parametrize(
    ("summary", "name", "kind", "expected"),
    [
        ("Return the value for key.", "Get", "method", "Get returns the value for key."),
        ("Fetch the page.", "Load", "function", "Load fetches the page."),
        ("Copy the buffer", "Clone", "function", "Clone copies the buffer."),
        ("Get returns the value.", "Get", "method", "Get returns the value."),
        ("Header router.", "HeaderRouter", "type", "HeaderRouter is header router."),
        ("A Pool of buffers.", "Pool", "type", "A Pool of buffers."),
        ("The set of levels.", "Levels", "var", "Levels is the set of levels."),
        ("Default timeout.", "Timeout", "const", "Timeout is default timeout."),
        ("", "F", "function", "F is undocumented."),
        ("Run it\nnow", "F", "function", "F runs it now."),
    ],
)
def test_first_sentence_starts_with_the_name(
    summary: str, name: str, kind: str, expected: str
) -> None:
    assert first_sentence(summary, name, kind=kind) == expected


@pytest.mark.parametrize(
    ("verb", "expected"),
    [("Return", "returns"), ("Push", "pushes"), ("Apply", "applies"), ("Say", "says"),
     ("Go", "goes"), ("Fix", "fixes")],
)  # fmt: skip
def test_third_person(verb: str, expected: str) -> None:
    assert third_person(verb) == expected


def test_comment_lines_wrap_and_paragraphs_are_separated_by_an_empty_comment_line() -> None:
    text = render(
        draft("Return the value stored for key, or the zero value when none is.",
              "Safe for concurrent use.\n\nSee Set."),
        "Cache.Get", kind="method", width=40,
    )  # fmt: skip
    assert text == (
        "// Get returns the value stored for key,\n"
        "// or the zero value when none is.\n"
        "//\n"
        "// Safe for concurrent use.\n"
        "//\n"
        "// See Set."
    )


def test_model_text_cannot_leave_the_comment() -> None:
    text = render(draft("Return x.\r\nfunc Evil() {}\u2028*/ \x00"), "F", kind="function", width=80)
    assert text.count("\n") == 0
    assert text.startswith("// F returns x. func Evil() {} */")
