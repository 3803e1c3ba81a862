"""eslint-plugin-jsdoc's require-jsdoc quirks, each written down as docbot matches it.

Each case is a file eslint was run on (``tests/languages/test_typescript_oracle.py`` runs it
again when eslint is installed) and the lines it reports; docbot must report the same.
"""

from __future__ import annotations

import pytest

from bot.languages import Project
from bot.languages.typescript import JAVASCRIPT_LANGUAGE, TYPESCRIPT_LANGUAGE
from bot.targets import TargetOptions

QUIRKS: dict[str, tuple[str, str, list[int]]] = {
    "exported_function_declaration": (
        "a.ts",
        ("export function f() {}\n"),
        [1],
    ),
    "unexported_function": (
        "a.ts",
        ("function f() {}\n"),
        [],
    ),
    "jsdoc_separated_by_a_blank_line_counts_as_missing": (
        "a.ts",
        ("/** Doc. */\n\nexport function f() {}\n"),
        [3],
    ),
    "block_comment_that_is_not_jsdoc_counts_as_missing": (
        "a.js",
        ("/* Doc. */\nexport function f() {}\n/**Doc.*/\nexport function g() {}\n"),
        [2, 4],
    ),
    "line_comments_between_jsdoc_and_declaration_are_climbed_over": (
        "a.js",
        ("/** Doc. */\n// note\nexport function f() {}\n"),
        [],
    ),
    "private_protected_and_hash_private_methods_are_skipped": (
        "a.ts",
        (
            "export class C {\n"
            "  private a() {}\n"
            "  protected b() {}\n"
            "  #c() {}\n"
            "  public d() {}\n"
            "  e() {}\n"
            "}\n"
        ),
        [1, 5, 6],
    ),
    "abstract_methods_are_skipped": (
        "a.ts",
        ("export abstract class A {\n  abstract m(): void;\n  n() {}\n}\n"),
        [1, 3],
    ),
    "constructors_getters_and_setters_are_targets": (
        "a.js",
        (
            "export class C {\n"
            "  constructor() {}\n"
            "  get x() { return 1; }\n"
            "  set x(v) {}\n"
            "  static s() {}\n"
            "}\n"
        ),
        [1, 2, 3, 4, 5],
    ),
    "class_field_arrows_are_not_targets_under_esm": (
        "a.ts",
        ("export class C {\n  u = () => 1;\n  v = function () {};\n}\n"),
        [1],
    ),
    "class_field_arrows_are_targets_under_commonjs": (
        "a.js",
        ("class K {\n  u = () => 1;\n  m() {}\n}\nmodule.exports = K;\n"),
        [1, 2, 3],
    ),
    "overload_signatures_are_not_targets_but_the_implementation_is": (
        "a.ts",
        (
            "export function f(a: string): void;\n"
            "export function f(a: number): void;\n"
            "export function f(a: unknown) {}\n"
        ),
        [3],
    ),
    "a_jsdoc_on_the_first_overload_does_not_cover_the_implementation": (
        "a.ts",
        ("/** Doc. */\nexport function f(a: string): void;\nexport function f(a: unknown) {}\n"),
        [3],
    ),
    "declared_functions_are_not_targets_declared_class_methods_are": (
        "a.d.ts",
        (
            "export declare function f(): void;\n"
            "export declare class K {\n"
            "  m(): void;\n"
            "  m(a: string): void;\n"
            "}\n"
        ),
        [2, 3, 4],
    ),
    "export_list_exports_bindings_declared_before_it_only": (
        "a.js",
        ("const a = () => 1;\nexport { a, b };\nfunction b() {}\n"),
        [1],
    ),
    "commonjs_last_module_exports_assignment_wins": (
        "a.js",
        ("function a() {}\nmodule.exports = a;\nfunction b() {}\nmodule.exports = b;\n"),
        [3],
    ),
    "exports_properties_set_before_module_exports_is_replaced_are_lost": (
        "a.js",
        ("exports.c = function () {};\nexports.d = () => 1;\nmodule.exports = {};\n"),
        [],
    ),
    "commonjs_exports_properties_are_targets": (
        "a.js",
        ("exports.c = function () {};\nmodule.exports.d = () => 1;\n"),
        [1, 2],
    ),
    "commonjs_object_literal_methods_are_targets": (
        "a.js",
        ("module.exports = {\n  f() {},\n  g: function () {},\n  h: () => 1,\n};\n"),
        [2, 3, 4],
    ),
    "esm_exported_object_literal_methods_are_not_targets": (
        "a.js",
        ("export const o = {\n  f() {},\n  g: () => 1,\n};\n"),
        [],
    ),
    "string_keyed_properties_share_one_slot": (
        "a.js",
        ("module.exports = {\n  'a': function () {},\n  'b': function () {},\n};\n"),
        [3],
    ),
    "a_getter_and_setter_of_one_name_share_one_slot_under_commonjs": (
        "a.js",
        ("class K {\n  get x() { return 1; }\n  set x(v) {}\n}\nmodule.exports = K;\n"),
        [1, 3],
    ),
    "a_class_inside_an_exported_function_is_a_target": (
        "a.js",
        ("export function f() {\n  class Inner {\n    m() {}\n  }\n  function g() {}\n}\n"),
        [1, 2, 3],
    ),
    "a_decorator_after_export_hides_the_jsdoc_above_export": (
        "a.ts",
        ("/** Doc. */\nexport @dec class E {}\n"),
        [2],
    ),
    "the_jsdoc_goes_above_decorators": (
        "a.ts",
        ("/** Doc. */\n@dec\nexport class D {}\n@dec\nexport class F {}\n"),
        [5],
    ),
    "methods_of_an_anonymous_default_class_are_not_targets": (
        "a.js",
        ("export default class {\n  m() {}\n}\n"),
        [1],
    ),
    "an_arrow_passed_to_a_call_is_not_checked": (
        "a.js",
        ("export const a = wrap(() => 1);\nexport const b = (() => 2);\n"),
        [2],
    ),
    "export_equals_exports_nothing": (
        "a.ts",
        ("class K {\n  m() {}\n}\nexport = K;\n"),
        [],
    ),
    "a_class_in_an_exported_namespace_is_a_target": (
        "a.ts",
        ("export namespace N {\n  class Z {\n    m() {}\n  }\n  export function f() {}\n}\n"),
        [2, 5],
    ),
    "jsdoc_above_export_covers_an_exported_arrow": (
        "a.ts",
        ("/** Doc. */\nexport const a = () => 1;\nexport const b = () => 2;\n"),
        [3],
    ),
    "default_exported_functions_and_arrows": (
        "a.js",
        ("export default function () {}\n"),
        [1],
    ),
    "a_method_is_reported_at_its_parameter_list": (
        "a.ts",
        ("export class C {\n  @dec()\n  m<T>(\n    a: T,\n  ) {}\n}\n"),
        [1, 3],
    ),
    "nested_functions_are_not_targets": (
        "a.js",
        ("export function f() {\n  function g() {}\n  const h = () => 1;\n}\n"),
        [1],
    ),
}
"""Quirk -> (file name, source, lines eslint reports)."""


def reported(name: str, source: str) -> list[int]:
    """The lines docbot reports for ``source``, every line counted as added."""
    language = TYPESCRIPT_LANGUAGE if name.endswith(".ts") else JAVASCRIPT_LANGUAGE
    added = frozenset(range(1, source.count("\n") + 2))
    found = language.scan(name, source, added, TargetOptions(), project=Project())
    return [target.line for target in found.targets]


@pytest.mark.parametrize("quirk", list(QUIRKS))
def test_quirk(quirk: str) -> None:
    name, source, expected = QUIRKS[quirk]
    assert reported(name, source) == expected
