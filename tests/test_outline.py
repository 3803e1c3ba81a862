"""Outlines: a module's or class's shape without bodies."""

from __future__ import annotations

from pathlib import Path

from bot.outline import class_outline, definition_source, module_outline

SOURCE = (Path(__file__).parent / "data" / "llm" / "inventory.py").read_text(encoding="utf-8")

ONE_LINERS = """\
import os
LIMITS = {
    "a": 1,
}


@staticmethod
def f(x: dict[str, int] = {"k": 1}) -> int: return x["k"]
async def g(
    a,  # first
    b,
):  # trailing
    # a comment before the body
    return a
"""


def test_module_outline_keeps_imports_constants_and_signatures_drops_bodies() -> None:
    outline = module_outline(SOURCE)
    assert outline is not None
    assert outline.splitlines() == [
        "from __future__ import annotations",
        "import json",
        "from collections.abc import Iterator",
        "from pathlib import Path",
        "class OutOfStock(Exception):",
        "    pass",
        "class Inventory:",
        '    unit = "pcs"',
        "    def __init__(self, path: Path) -> None: ...",
        "    def load(self) -> None: ...",
        "    def take(self, sku: str, count: int = 1) -> int: ...",
        "    def low(self, threshold: int, *skus: str) -> Iterator[str]: ...",
        "def restock(inventory: Inventory, **counts: int) -> None: ...",
        "def report(inventory: Inventory) -> str: ...",
    ]


def test_one_liners_multi_line_headers_decorators_and_long_statements() -> None:
    assert module_outline(ONE_LINERS) == "\n".join(
        [
            "import os",
            "LIMITS = { ...",
            "@staticmethod",
            'def f(x: dict[str, int] = {"k": 1}) -> int: ...',
            "async def g(",
            "    a,  # first",
            "    b,",
            "):  # trailing ...",
        ]
    )


def test_a_body_edit_leaves_the_outline_alone_a_signature_edit_does_not() -> None:
    body_edit = SOURCE.replace("left = self.levels.get(sku, 0) - count", "left = 0")
    signature_edit = SOURCE.replace("count: int = 1", "count: int = 2")
    assert module_outline(body_edit) == module_outline(SOURCE)
    assert module_outline(signature_edit) != module_outline(SOURCE)


def test_class_outline_and_definition_source_by_qualname() -> None:
    assert (class_outline(SOURCE, "Inventory") or "").startswith("class Inventory:\n")
    assert class_outline(SOURCE, "restock") is None
    assert class_outline(SOURCE, "Missing") is None
    init = definition_source(SOURCE, "Inventory.__init__")
    assert init == (
        "    def __init__(self, path: Path) -> None:\n"
        "        self.path = path\n"
        "        self.levels: dict[str, int] = {}"
    )


def test_unparsable_source_has_no_outline() -> None:
    assert module_outline("def broken(:\n") is None
