"""suggest(): header + docstring replacements that provably change nothing but a docstring."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import UnsafeSuggestion
from bot.literal import runtime_value
from bot.model import Suggestion, Target, TargetKind
from bot.suggest import apply, check_safe, suggest
from bot.targets import TargetOptions, scan
from tests.targets_by_hand import targets_by_hand

FIXTURES = Path(__file__).parent / "data" / "suggest"
BASIC = (FIXTURES / "basic.py").read_text(encoding="utf-8")
TABS = (FIXTURES / "tabs.py").read_text(encoding="utf-8")

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
HOSTILE = [
    'Ends the string early """ and then some.',
    "Backslashes \\n \\t \\ \\\\ \\N{BULLET} stay as written.",
    'Ends with a quote "',
    'Ends with two quotes ""',
    'Quotes \\" escaped \\"""',
    "Ends with a backslash \\",
    'Mixed """ and \\ and "quoted"\n\nSecond paragraph ends with """',
    "Tabs\tinside\n\n\tand leading a line",
    "Non-ASCII: café, Ω, 漢字, 🙂 and \u2028 a line separator",
    "Control \x00 \x0b \x0c \r characters \x1b[31m",
    "Lone surrogate \ud800 survives",
    "Summary.\n\nArgs:\n    x: Indented section.\n",
    "'''Single quotes''' never matter",
    "",
]


def documented(source: str, target: Target) -> str | None:
    """The docstring value of the definition starting on ``target.line`` of ``source``."""
    tree = ast.parse(source.removeprefix("\ufeff"))
    for node in ast.walk(tree):
        if isinstance(node, DEFINITIONS) and node.lineno == target.line:
            return ast.get_docstring(node, clean=False)
    if target.kind is TargetKind.MODULE:
        return ast.get_docstring(tree, clean=False)
    raise AssertionError(f"nothing defined on line {target.line}")


def assert_suggestion_works(source: str, target: Target, text: str) -> Suggestion:
    suggestion = suggest(target, source, text)
    modified = apply(source, [suggestion])
    check_safe(source, modified)
    assert documented(modified, target) == runtime_value(text, target.body_indent)
    return suggestion


def variants() -> list[tuple[str, str]]:
    return [
        ("basic", BASIC),
        ("basic-crlf", BASIC.replace("\n", "\r\n")),
        ("tabs", TABS),
        ("tabs-crlf", TABS.replace("\n", "\r\n")),
        ("no-final-newline", BASIC.rstrip("\n")),
    ]


@pytest.mark.parametrize(("name", "source"), variants())
def test_every_definition_of_the_fixtures_gets_its_docstring(name: str, source: str) -> None:
    targets = targets_by_hand(source, module=True)
    assert len(targets) > 5
    for target in targets:
        assert_suggestion_works(source, target, "Summary line.\n\nMore words.")


@pytest.mark.parametrize("text", HOSTILE)
def test_no_text_can_end_the_string_or_change_its_value(text: str) -> None:
    for target in targets_by_hand(BASIC, module=True):
        assert_suggestion_works(BASIC, target, text)


@pytest.mark.parametrize(("name", "source"), variants())
def test_all_suggestions_of_a_file_apply_together(name: str, source: str) -> None:
    targets = targets_by_hand(source, module=True)
    suggestions = [suggest(target, source, HOSTILE[6]) for target in targets]
    modified = apply(source, suggestions)
    check_safe(source, modified)
    before = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.stmt | ast.Module)]
    after = [n for n in ast.walk(ast.parse(modified)) if isinstance(n, ast.stmt | ast.Module)]
    assert len(after) == len(before) + len(targets)
    docstrings = [
        ast.get_docstring(node, clean=False)
        for node in ast.walk(ast.parse(modified))
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    assert None not in docstrings


def target_named(source: str, qualname: str) -> Target:
    return next(t for t in targets_by_hand(source) if t.qualname == qualname)


def test_replacement_is_the_header_verbatim_then_the_docstring() -> None:
    suggestion = suggest(target_named(BASIC, "fetch"), BASIC, "Fetch a URL.\n\nIt waits.")
    assert (suggestion.start_line, suggestion.end_line) == (19, 24)
    assert suggestion.replacement == (
        "async def fetch(\n"
        "    url: str,\n"
        "    timeout: float = 3.0,\n"
        "    on_done=lambda result: None,\n"
        '    table: dict[str, int] = {"a:b": 1},\n'
        ') -> dict[str, "int"]:\n'
        '    """Fetch a URL.\n'
        "\n"
        "    It waits.\n"
        '    """'
    )


def test_decorators_stay_outside_and_comments_after_the_colon_stay() -> None:
    suggestion = suggest(target_named(BASIC, "decorated"), BASIC, "Echo x.")
    assert suggestion.start_line == 14
    assert suggestion.replacement == (
        'def decorated(x: int) -> int:  # a comment after the colon\n    """Echo x."""'
    )


@pytest.mark.parametrize(
    ("qualname", "expected"),
    [
        ("one_liner", 'def one_liner(x):\n    """Doc."""\n    return x * 2'),
        ("semicolons", 'def semicolons():\n    """Doc."""\n    a = 1; b = 2; return a + b'),
        ("spread", 'def spread():\n    """Doc."""\n    return (1,'),
        ("commented", 'def commented(x):\n    """Doc."""\n    return x  # noqa: E704'),
        ("Empty", 'class Empty:\n    """Doc."""\n    pass'),
        ("Outer.tricky", "    def tricky(self, s='\"\"\"', t=\"\\\\\"):\n"
                         '        """Doc."""\n        return s + t'),
    ],
)  # fmt: skip
def test_one_liners_are_split_under_the_docstring(qualname: str, expected: str) -> None:
    target = target_named(BASIC, qualname)
    assert assert_suggestion_works(BASIC, target, "Doc.").replacement == expected


def test_a_blank_line_follows_class_and_module_docstrings_unless_one_is_there() -> None:
    outer = suggest(target_named(BASIC, "Outer"), BASIC, "Outer.")
    assert outer.replacement == 'class Outer(Base, metaclass=Meta):\n    """Outer."""\n'
    inner = suggest(target_named(BASIC, "Outer.Inner"), BASIC, "Inner.")
    assert inner.replacement == '    class Inner:\n        """Inner."""\n'
    module = Target("m.py", "m", TargetKind.MODULE, 1, 3, 1, "", False)
    assert suggest(module, "import os\n", "Doc.").replacement == '"""Doc."""\n\nimport os'
    assert suggest(module, "\nimport os\n", "Doc.").replacement == '"""Doc."""\n'
    source = "class A:\n\n    x = 1\n"
    assert suggest(target_named(source, "A"), source, "A.").replacement == 'class A:\n    """A."""'


def test_crlf_files_get_crlf_and_tab_files_get_tabs() -> None:
    source = TABS.replace("\n", "\r\n")
    suggestion = suggest(target_named(source, "Walker.short"), source, "One.\n\nTwo.")
    assert suggestion.replacement == (
        '\tdef short(self):\r\n\t\t"""One.\r\n\r\n\t\tTwo.\r\n\t\t"""\r\n\t\treturn 1'
    )
    assert "\n" not in suggestion.replacement.replace("\r\n", "")


def test_module_docstring_goes_below_shebang_and_encoding_cookie() -> None:
    target = Target("m.py", "m", TargetKind.MODULE, 1, 60, 1, "", False)
    suggestion = assert_suggestion_works(BASIC, target, "A module.")
    assert (suggestion.start_line, suggestion.end_line) == (1, 2)
    assert apply(BASIC, [suggestion]).startswith(
        '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""A module."""\n\nfrom __future__'
    )


@pytest.mark.parametrize("source", ["import os\n", "\ufeffimport os\r\n", "", "# comment only"])
def test_module_docstring_goes_on_top(source: str) -> None:
    target = Target("m.py", "m", TargetKind.MODULE, 1, 1, 1, "", False)
    modified = apply(source, [assert_suggestion_works(source, target, "Top.\n\nMore.")])
    assert modified.lstrip("\ufeff").startswith('"""Top.')


WRONG = [
    ("body_indent too deep", dict(body_indent="        ")),
    ("body_indent too shallow", dict(body_indent="  ")),
    ("body_indent not under header", dict(body_indent="")),
    ("header_end too early", dict(header_end=20)),
    ("header_end inside the body", dict(header_end=25)),
    ("line of another definition", dict(line=8, header_end=8)),
    ("lines past the end", dict(line=900, header_end=901)),
    ("not really a one-liner", dict(one_liner=True)),
]


@pytest.mark.parametrize(("why", "changes"), WRONG, ids=[why for why, _ in WRONG])
def test_inconsistent_targets_are_refused_not_applied(why: str, changes: dict[str, object]) -> None:
    target = replace(target_named(BASIC, "fetch"), **changes)  # type: ignore[arg-type]
    with pytest.raises(UnsafeSuggestion):
        suggest(target, BASIC, "Doc.")


def test_a_body_that_already_starts_with_a_string_is_refused() -> None:
    source = 'def f():\n    "already"\n    return 1\n'
    target = Target("m.py", "f", TargetKind.FUNCTION, 1, 3, 1, "    ", False)
    with pytest.raises(UnsafeSuggestion, match="already starts with a string"):
        suggest(target, source, "Doc.")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(): \\\n    return 1\n", 'def f():\n    """Doc."""\n    return 1\n'),
        ("def g(x):\\\n  pass\n", 'def g(x):\n  """Doc."""\n  pass\n'),
        (
            "class C: \\\r\n    x = 1; \\\r\n    y = 2\r\n",
            'class C:\r\n    """Doc."""\r\n\r\n    x = 1; \\\r\n    y = 2\r\n',
        ),
    ],
)
def test_a_body_continuing_the_header_line_after_a_backslash_becomes_a_block(
    source: str, expected: str
) -> None:
    (target,) = targets_by_hand(source)
    assert not target.one_liner
    assert apply(source, [assert_suggestion_works(source, target, "Doc.")]) == expected


def test_a_backslash_in_a_comment_after_the_colon_is_left_alone() -> None:
    source = "def f():  # C:\\\n    return 1\n"
    (target,) = targets_by_hand(source)
    modified = apply(source, [assert_suggestion_works(source, target, "Doc.")])
    assert modified == 'def f():  # C:\\\n    """Doc."""\n    return 1\n'


@pytest.mark.parametrize(
    "first",
    ["b'bytes'", "f'{1}'", "'''x''' if 0 else 1", "r'raw'.upper()", "('a'\n         'b').strip()"],
)
def test_a_body_starting_with_a_string_that_is_no_docstring_gets_one(first: str) -> None:
    source = f"class A:\n    def f(self):\n        {first}\n        return 1\n"
    target = targets_by_hand(source)[1]
    modified = apply(source, [assert_suggestion_works(source, target, "Doc.")])
    assert f'        """Doc."""\n        {first}\n' in modified


def test_check_safe_accepts_docstring_changes_only() -> None:
    check_safe("def f():\n    return 1\n", 'def f():\n    """Doc."""\n    return 1\n')
    check_safe('def f():\n    "old"\n    return 1\n', 'def f():\n    """New."""\n    return 1\n')
    with pytest.raises(UnsafeSuggestion, match="changes code"):
        check_safe("def f():\n    return 1\n", "def f():\n    return 2\n")
    with pytest.raises(UnsafeSuggestion, match="changes code"):
        check_safe('def f():\n    "old"\n    "kept"\n', 'def f():\n    "kept"\n')
    with pytest.raises(UnsafeSuggestion, match="edited file does not parse"):
        check_safe("def f():\n    return 1\n", 'def f():\n  """Doc."""\n    return 1\n')


def test_apply_replaces_bottom_up_and_refuses_overlaps() -> None:
    source = "a\nb\nc\nd\n"
    edits = [Suggestion("x", 1, 1, "A1\nA2"), Suggestion("x", 3, 4, "CD")]
    assert apply(source, edits) == "A1\nA2\nb\nCD\n"
    with pytest.raises(UnsafeSuggestion, match="overlap"):
        apply(source, [Suggestion("x", 1, 2, "x"), Suggestion("x", 2, 3, "y")])
    with pytest.raises(UnsafeSuggestion, match="outside"):
        apply(source, [Suggestion("x", 5, 5, "x")])


def test_a_form_feed_opening_an_indented_line_does_not_count_as_indentation() -> None:
    source = "class A:\n\x0c    def m(self):\n        pass\n\x0c    def n(self): return 1\n"
    found = scan("m.py", source, frozenset(range(1, 5)), TargetOptions()).targets
    assert [target.body_indent for target in found] == ["    ", "        ", "        "]
    suggestions = [assert_suggestion_works(source, target, "Doc.") for target in found]
    modified = apply(source, suggestions)
    assert modified == (
        'class A:\n    """Doc."""\n\n\x0c    def m(self):\n        """Doc."""\n        pass\n'
        '\x0c    def n(self):\n        """Doc."""\n        return 1\n'
    )


@pytest.mark.parametrize(
    "head",
    ["# -*- coding: cp1252 -*-\n", "#!/usr/bin/env python\n# vim: set fileencoding=ascii :\n"],
)
def test_a_file_declaring_another_encoding_gets_an_ascii_docstring(head: str) -> None:
    # Python reads these bytes as cp1252 / ASCII: UTF-8 for "ā" (C4 81) is not cp1252 and
    # would make the module a SyntaxError on import.
    source = head + "def f(x):\n    return x\n"
    (target,) = targets_by_hand(source)
    module = Target("m.py", "m", TargetKind.MODULE, 1, 4, 1, "", False)
    text = "Māori → ok, 🙂.\n\nSecond ⟶ line."
    modified = apply(
        source,
        [
            assert_suggestion_works(source, target, text),
            assert_suggestion_works(source, module, text),
        ],
    )
    assert modified.isascii()
    data = modified.encode()
    tree = ast.parse(data)  # decoded the way Python imports it: by the cookie
    assert ast.get_docstring(tree) == text
    function = tree.body[1]
    assert isinstance(function, ast.FunctionDef)
    assert ast.get_docstring(function) == text


def test_a_utf8_cookie_keeps_the_docstring_readable() -> None:
    source = "# coding: utf-8\ndef f(x):\n    return x\n"
    (target,) = targets_by_hand(source)
    assert "Māori" in assert_suggestion_works(source, target, "Māori.").replacement
