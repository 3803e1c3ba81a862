"""The TypeScript/JavaScript adapter: which files, which lines, where the comment goes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.docmodel import DocstringDraft
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages import Project, Registry
from bot.languages.base import CommentStyle
from bot.languages.typescript import JAVASCRIPT_LANGUAGE, TYPESCRIPT_LANGUAGE
from bot.model import Target
from bot.suggest import apply
from bot.targets import TargetOptions

SOURCE = """\
import { Injectable } from "./di";

@Injectable()
export class Cart {
  @Log()
  add(sku: string, quantity = 1): void {
    if (quantity <= 0) {
      throw new RangeError("quantity");
    }
  }
}
"""
DRAFT = DocstringDraft(
    summary="Do it.", description=None, params=[], returns=None, yields=None, raises=[],
    examples=[],
)  # fmt: skip


def scan(path: str, source: str, added: set[int] | None = None, **options: object) -> list[Target]:
    language = TYPESCRIPT_LANGUAGE if path.endswith((".ts", ".tsx")) else JAVASCRIPT_LANGUAGE
    lines = frozenset(added or range(1, source.count("\n") + 2))
    found = language.scan(path, source, lines, TargetOptions(**options), project=Project())  # type: ignore[arg-type]
    return list(found.targets)


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("src/a.ts", "typescript"), ("src/a.tsx", "typescript"), ("src/a.mts", "typescript"),
        ("src/a.cts", "typescript"), ("types/a.d.ts", "typescript"), ("src/a.js", "javascript"),
        ("src/a.jsx", "javascript"), ("src/a.mjs", "javascript"), ("src/a.cjs", "javascript"),
    ],
)  # fmt: skip
def test_files_each_adapter_owns(path: str, language: str) -> None:
    owner = Registry().language_for(path)
    assert owner is not None and owner.name == language


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("src/cart.test.ts", "test file"), ("src/cart.spec.js", "test file"),
        ("src/__tests__/cart.ts", "test file"), ("test/cart.js", "test file"),
        ("packages/a/tests/cart.ts", "test file"), ("node_modules/x/index.js", "node_modules"),
        ("src/cart.ts", None), ("src/testing.ts", None), ("src/latest/x.ts", None),
    ],
)  # fmt: skip
def test_test_paths_are_left_out_by_default(path: str, reason: str | None) -> None:
    found = TYPESCRIPT_LANGUAGE.skip_reason(path, "", included=False)
    assert (found is None) if reason is None else (found is not None and reason in found)


def test_an_include_glob_brings_test_files_back() -> None:
    assert TYPESCRIPT_LANGUAGE.skip_reason("src/cart.test.ts", "", included=True) is None


def test_a_file_that_does_not_parse_is_skipped_with_its_line() -> None:
    with pytest.raises(UnparsableFile, match=r"^src/a.ts:2: does not parse as TypeScript"):
        scan("src/a.ts", "export const a = 1;\nexport function (\n")


def test_a_target_counts_when_its_signature_holds_an_added_line() -> None:
    assert [t.qualname for t in scan("a.ts", SOURCE, {6})] == ["Cart.add"]
    assert scan("a.ts", SOURCE, {8}) == []  # a body line: only with scope touched
    assert [t.qualname for t in scan("a.ts", SOURCE, {8}, scope="touched")] == [
        "Cart",
        "Cart.add",
    ]


def test_target_facts() -> None:
    cart, add = scan("a.ts", SOURCE)
    assert (cart.line, cart.anchor, cart.body_indent) == (4, 3, "")
    assert (add.line, add.anchor, add.header_end, add.end_line) == (6, 5, 6, 10)
    assert add.body_indent == "  " and add.language == "typescript"
    assert [p.name for p in add.params] == ["sku", "quantity"]
    assert add.params[1].default == "1" and add.params[0].annotation == "string"
    assert add.returns is None and add.raises == ("RangeError",)


def test_the_comment_goes_above_decorators_and_export_at_the_declarations_indentation() -> None:
    cart, add = scan("a.ts", SOURCE)
    style = CommentStyle("tsdoc")
    suggestions = [
        TYPESCRIPT_LANGUAGE.suggest(
            t, SOURCE, TYPESCRIPT_LANGUAGE.render(DRAFT, t, style, line_length=80)
        )
        for t in (cart, add)
    ]
    edited = apply(SOURCE, suggestions)
    assert "\n/**\n * Do it.\n */\n@Injectable()\nexport class Cart {\n" in edited
    assert "\n  /**\n   * Do it.\n   */\n  @Log()\n  add(" in edited
    TYPESCRIPT_LANGUAGE.check_safe(SOURCE, edited)
    assert scan("a.ts", edited) == []  # eslint's rule finds the comments where they went


def test_crlf_files_keep_their_line_endings() -> None:
    source = SOURCE.replace("\n", "\r\n")
    (cart, _) = scan("a.ts", source)
    suggestion = TYPESCRIPT_LANGUAGE.suggest(cart, source, "/**\n * Do it.\n */")
    assert suggestion.replacement == "/**\r\n * Do it.\r\n */\r\n@Injectable()"


def test_a_declaration_sharing_its_first_line_with_other_code_gets_no_suggestion() -> None:
    source = "const x = 1; export function f() {}\n"
    (target,) = scan("a.js", source)
    with pytest.raises(UnsafeSuggestion, match="other code starts line 1"):
        JAVASCRIPT_LANGUAGE.suggest(target, source, "/** F. */")


def test_a_rendered_comment_that_would_change_code_is_refused() -> None:
    (cart, _) = scan("a.ts", SOURCE)
    with pytest.raises(UnsafeSuggestion):
        TYPESCRIPT_LANGUAGE.suggest(cart, SOURCE, "/** F. */ let y = 2;")


def test_destructured_parameters_are_documented_as_the_file_documents_them() -> None:
    plain = "export function f({ a, b: c, d = 1 }, [e]) {}\n"
    assert [p.name for p in scan("a.js", plain)[0].params] == ["options", "options2"]
    dotted = "/**\n * G.\n * @param {object} o The options.\n * @param {number} o.x The x.\n */\n"
    names = [p.name for p in scan("a.js", dotted + "function g(o) {}\n" + plain)[0].params]
    assert names == ["options", "options.a", "options.b", "options.d", "options2"]


def test_the_readmes_typescript_example_runs_offline(tmp_path: Path) -> None:
    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text("utf-8")
    command = "docbot dry-run --diff examples/storefront/change.diff --root examples/storefront"
    assert command in readme
    done = subprocess.run(
        [sys.executable, "-m", "bot", *command.split()[1:], "--format", "json"],
        cwd=root, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "DOCBOT_CACHE": "false", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    targets = json.loads(done.stdout)["targets"]
    assert [(t["path"], t["qualname"], t["status"]) for t in targets] == [
        ("src/cart.ts", "Cart", "suggested"),
        ("src/cart.ts", "Cart.constructor", "suggested"),
        ("src/cart.ts", "Cart.add", "suggested"),
        ("src/cart.ts", "Cart.total", "suggested"),
        ("src/cart.ts", "formatCents", "suggested"),
        ("src/discounts.js", "discountFor", "suggested"),
    ]
