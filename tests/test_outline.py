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


def test_lines_are_python_lines_whatever_breaks_str_splitlines_or_a_bom() -> None:
    # A form feed, \x1c and U+2028 end a line for str.splitlines but not for Python; a BOM
    # opens the file; ast columns count UTF-8 bytes.
    source = (
        "\ufeffimport os\n\x0c\nX = '\x1c'  # \u2028\nclass Ç:\n\x0c\n"
        "    def ü(self, é='ñ'): return é\n    def n(self):\r\n        pass\r\n"
    )
    assert module_outline(source) == "\n".join(
        [
            "import os",
            "X = '\x1c'  # \u2028",
            "class Ç:",
            "    def ü(self, é='ñ'): ...",
            "    def n(self): ...",
        ]
    )
    assert definition_source(source, "Ç.n") == "    def n(self):\n        pass"
