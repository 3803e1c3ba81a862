"""Rust targets are rustc's ``missing_docs`` findings, crate reachability included.

Each case is a small crate; with rustc at hand it is also checked against rustc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.languages import adapter
from bot.languages.base import Language, Project
from bot.targets import TargetOptions
from tests.languages.rustc_oracle import lines_of, rustc_report

CARGO = '[package]\nname = "fixture"\nversion = "0.1.0"\nedition = "2021"\n'


def rust() -> Language:
    found = adapter("rust")
    assert found is not None
    return found


@dataclass(frozen=True)
class Case:
    lib: str
    targets: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)
    cargo: str = CARGO


def scan_crate(files: dict[str, str]) -> list[tuple[str, int, str]]:
    project = Project(files)
    found = []
    for path, text in sorted(files.items()):
        if path.endswith(".rs"):
            added = frozenset(range(1, text.count("\n") + 2))
            scan = rust().scan(path, text, added, TargetOptions(), project=project)
            found.extend((t.path, t.line, t.qualname) for t in scan.targets)
    return found


CASES = {
    "public items of the root": Case(
        "pub fn f() {}\npub struct S;\npub const K: u8 = 1;\npub static X: u8 = 1;\n"
        "pub type A = u8;\npub union U { a: u8 }\n",
        ("f", "S", "K", "X", "A", "U"),
    ),
    "private and crate-visible items are not API": Case(
        "fn f() {}\npub(crate) fn g() {}\nmod m {\n    pub(super) struct S;\n}\n", ()
    ),
    "a pub item of a private module is not API": Case(
        "mod inner;\n", (), {"src/inner.rs": "pub fn hidden() {}\n"}
    ),
    "until it is re-exported by name": Case(
        "mod inner;\npub use inner::Shown;\n",
        ("inner.Shown",),
        {"src/inner.rs": "pub struct Shown;\npub struct NotShown;\n"},
    ),
    "or by glob": Case(
        "mod inner;\npub use self::inner::*;\n",
        ("inner.a", "inner.B"),
        {"src/inner.rs": "pub fn a() {}\npub struct B;\nfn c() {}\n"},
    ),
    "a re-exported module makes its pub items API": Case(
        "mod outer;\npub use outer::deep;\n",
        ("outer.deep", "outer.deep.f"),
        {"src/outer.rs": "pub mod deep {\n    pub fn f() {}\n}\n"},
    ),
    "pub modules, in files and inline": Case(
        "pub mod a;\npub mod b {\n    //! B.\n    pub fn g() {}\n}\n",
        ("a.f", "a", "b.g"),
        {"src/a.rs": "pub fn f() {}\n"},
    ),
    "a module file's inner doc documents the module": Case(
        "pub mod a;\n", ("a.f",), {"src/a.rs": "//! About a.\npub fn f() {}\n"}
    ),
    "named pub fields only, not tuple fields": Case(
        "pub struct S {\n    pub a: u8,\n    b: u8,\n}\npub struct T(pub u8);\n",
        ("S", "S.a", "T"),
    ),
    "every variant and its fields": Case(
        "/// E.\npub enum E {\n    A,\n    B {\n        x: u8,\n    },\n    C(u8),\n}\n",
        ("E.A", "E.B", "E.B.x", "E.C"),
    ),
    "every trait item": Case(
        "/// T.\npub trait T {\n    fn a(&self);\n    fn b() {}\n    const C: u8;\n    type X;\n}\n",
        ("T.a", "T.b", "T.C", "T.X"),
    ),
    "pub inherent methods, not trait impls or private ones": Case(
        "/// P.\npub struct P;\nimpl P {\n    pub fn m(&self) {}\n    pub fn new() -> Self { P }\n"
        "    fn private(&self) {}\n}\nimpl Clone for P {\n    fn clone(&self) -> Self { P }\n}\n",
        ("P.m", "P.new"),
    ),
    "methods of a private type are not API": Case(
        "struct Q;\nimpl Q {\n    pub fn m(&self) {}\n}\n", ()
    ),
    "exported macros only": Case(
        "#[macro_export]\nmacro_rules! shown { () => {} }\nmacro_rules! local { () => {} }\n",
        ("shown",),
    ),
    "cfg(test) modules and disabled features are not compiled": Case(
        '#[cfg(test)]\nmod tests {\n    pub fn t() {}\n}\n#[cfg(feature = "extra")]\npub fn extra() {}\n'
        '#[cfg(feature = "std")]\npub fn with_std() {}\n',
        ("with_std",),
        cargo=CARGO + '\n[features]\ndefault = ["std"]\nstd = []\nextra = []\n',
    ),
    "doc(hidden) and doc attributes count as documentation": Case(
        '#[doc(hidden)]\npub fn hidden() {}\n#[doc = "Doc."]\npub fn documented() {}\n', ()
    ),
    "attributes between the doc and the item keep it documented": Case(
        "/// S.\n#[derive(Debug)]\n// a plain comment\npub struct S;\n", ()
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_rule(name: str) -> None:
    case = CASES[name]
    files = {"Cargo.toml": case.cargo, "src/lib.rs": "//! Crate.\n" + case.lib, **case.files}
    assert tuple(q for _, _, q in scan_crate(files)) == case.targets


@pytest.mark.parametrize("name", CASES)
def test_rule_matches_rustc(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    files = {"Cargo.toml": case.cargo, "src/lib.rs": "//! Crate.\n" + case.lib, **case.files}
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert lines_of(rustc_report(tmp_path)) == {(p, n) for p, n, _ in scan_crate(files)}


def test_item_line_is_its_own_and_the_comment_goes_above_its_attributes() -> None:
    files = {
        "Cargo.toml": CARGO,
        "src/lib.rs": "//! C.\n#[derive(Debug)]\n#[repr(C)]\npub struct S;\n",
    }
    project = Project(files)
    (target,) = rust().scan("src/lib.rs", files["src/lib.rs"], frozenset({4}), TargetOptions(),
                            project=project).targets  # fmt: skip
    assert (target.line, target.anchor, target.language) == (4, 2, "rust")
