"""The read-only context tools: answers from the change's files, limits, refused paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.providers.tools import MAX_RESULT_TOKENS, MAX_TOTAL_TOKENS, ToolBox, safe_path
from bot.tokens import estimating_counter

SOURCE = (Path(__file__).parent / "data" / "llm" / "inventory.py").read_text(encoding="utf-8")
FILES = {
    "shop/inventory.py": SOURCE,
    "shop/big.py": "def huge():\n    return '" + "x" * 20_000 + "'\n",
}


def ask(box: ToolBox, tool: str, **args: str) -> str:
    return box.answer(tool, json.dumps(args))


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("shop/inventory.py", "shop/inventory.py"),
        ("shop/./inventory.py", "shop/inventory.py"),
        ("shop/../shop/inventory.py", "shop/inventory.py"),
        ("../shop/inventory.py", None),
        ("/etc/passwd", None),
        ("shop/../../etc/passwd", None),
        ("C:\\Windows\\win.ini", None),
        ("shop/other.py", None),  # inside the repository but not a file of the change
        ("", None),
    ],
)
def test_paths_must_name_a_file_of_the_change_inside_the_repository(
    path: str, allowed: str | None
) -> None:
    assert safe_path(path, FILES) == allowed


def test_source_of_a_name_used_in_the_function() -> None:
    box = ToolBox(FILES, estimating_counter())
    answer = ask(box, "get_source", name="restock")
    assert answer.startswith(
        "# shop/inventory.py\ndef restock(inventory: Inventory, **counts: int)"
    )
    assert "Inventory.take" not in answer
    assert "def take(self, sku" in ask(box, "get_source", name="Inventory.take")
    assert ask(box, "get_source", name="missing").startswith("error: no definition")


def test_class_outline_and_imports() -> None:
    box = ToolBox(FILES, estimating_counter())
    outline = ask(box, "get_class_outline", path="shop/inventory.py", qualname="Inventory")
    assert outline.splitlines()[:3] == [
        "class Inventory:",
        '    unit = "pcs"',
        "    def __init__(self, path: Path) -> None: ...",
    ]
    imports = ask(box, "get_imports", path="shop/inventory.py")
    assert imports.splitlines() == [
        "from __future__ import annotations",
        "import json",
        "from collections.abc import Iterator",
        "from pathlib import Path",
    ]
    assert ask(box, "get_imports", path="../secrets.py").startswith("error: refused")


def test_answers_are_cut_to_the_per_call_and_per_request_token_limits() -> None:
    counter = estimating_counter()
    box = ToolBox(FILES, counter)
    first = ask(box, "get_source", name="huge")
    assert first.startswith("# shop/big.py\ndef huge():")
    assert MAX_RESULT_TOKENS * 0.8 <= counter.count(first) <= MAX_RESULT_TOKENS
    answers = [ask(box, "get_source", name="huge") for _ in range(MAX_TOTAL_TOKENS // 100)]
    assert box.used_tokens <= MAX_TOTAL_TOKENS
    assert answers[-1].startswith("error: the tool budget of this request is spent")


def test_unknown_tools_and_bad_arguments_get_an_error_not_an_exception() -> None:
    box = ToolBox(FILES, estimating_counter())
    assert box.answer("read_file", "{}").startswith("error: unknown tool")
    assert box.answer("get_source", "{not json").startswith("error: arguments")
