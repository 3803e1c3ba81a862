"""Go targets are golint's "exported ... should have comment" findings.

Real files from Debian's Go packages (tests/data/golang/, golint's report stored next to
each) and one snippet per rule; with golint at hand every case is also checked against it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_go

from bot.languages.golang.targets import GoDecl, declarations, is_generated
from tests.oracles_go_rust import require_golint

DATA = Path(__file__).parents[1] / "data" / "golang"
_MISSING = re.compile(r"^(.*?):(\d+):\d+: exported \w+ (\S+) should have comment")
_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))


def scan(source: str) -> list[GoDecl]:
    data = source.encode()
    return declarations(_PARSER.parse(data).root_node, data)


def missing(report: str) -> list[tuple[int, str]]:
    """golint's "should have comment" findings in a report: (line, name)."""
    return [(int(m[2]), m[3]) for m in map(_MISSING.match, report.splitlines()) if m]


def run_golint(folder: Path, name: str) -> str:
    done = subprocess.run([str(require_golint()), name], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


GENERIC_RECEIVERS = {
    "generic_ring.go": [(21, "Ring.Push"), (37, "Ring.Last"), (45, "Ring.Cap")],
}
"""Exported methods on generic receivers: Go's convention wants their comments, golint
never reports them (it reads ``Gen[T]`` as the receiver "invalid-type")."""

FIXTURES = sorted(p.name for p in DATA.glob("*.go"))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_real_files_targets_are_golints_findings_plus_generic_receivers(fixture: str) -> None:
    golden = (DATA / fixture).with_suffix(".golint").read_text()
    found = [(d.line, d.name) for d in scan((DATA / fixture).read_text())]
    assert found == sorted(missing(golden) + GENERIC_RECEIVERS.get(fixture, []))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_golden_reports_are_what_golint_says(fixture: str) -> None:
    golden = (DATA / fixture).with_suffix(".golint").read_text()
    assert run_golint(DATA, fixture) == golden


@dataclass(frozen=True)
class Case:
    source: str
    targets: tuple[str, ...]
    golint: tuple[str, ...] | None = None
    """golint's "should have comment" names when they differ from ``targets``."""


CASES = {
    "documented function": Case("// F does.\nfunc F() {}\n", ()),
    "undocumented function": Case("func F() {}\n", ("F",)),
    "a blank line detaches the comment": Case("// F does.\n\nfunc F() {}\n", ("F",)),
    "a comment trailing the previous line is no doc": Case(
        "var x = 1 // note\nfunc F() {}\n", ("F",)
    ),
    "a block comment documents": Case("/* F does. */\nfunc F() {}\n", ()),
    "unexported names need none": Case("func f() {}\ntype t int\nvar v int\n", ()),
    "method on an unexported receiver": Case("type t int\n\nfunc (t) M() {}\n", ()),
    "method on an exported pointer receiver": Case(
        "// T is.\ntype T int\n\nfunc (t *T) M() {}\n", ("T.M",)
    ),
    "common interface methods need none": Case(
        '// T is.\ntype T int\n\nfunc (T) String() string { return "" }\n'
        'func (T) Error() string { return "" }\nfunc (T) Unwrap() error { return nil }\n',
        (),
    ),
    "Len Less Swap of a sort.Interface need none": Case(
        "// T is.\ntype T []int\n\nfunc (T) Len() int { return 0 }\n"
        "func (T) Less(i, j int) bool { return false }\nfunc (T) Swap(i, j int) {}\n",
        (),
    ),
    "Len alone is an ordinary method": Case(
        "// T is.\ntype T []int\n\nfunc (T) Len() int { return 0 }\n", ("T.Len",)
    ),
    "interfaces and aliases are types": Case(
        "type I interface{ M() }\n\ntype A = int\n", ("I", "A")
    ),
    "a comment on the type group covers its specs": Case(
        "// Types.\ntype (\n\tA int\n\tB int\n)\n", ()
    ),
    "an undocumented type group asks of each type": Case(
        "type (\n\tA int\n\t// B is.\n\tB int\n\tC int\n)\n", ("A", "C")
    ),
    "a const group asks only its first undocumented name": Case(
        "const (\n\tA = 1\n\tB = 2\n)\n", ("A",)
    ),
    "a comment on the const group covers it": Case(
        "// Values.\nconst (\n\tA = 1\n\tB = 2\n)\n", ()
    ),
    "a documented first spec passes the question on": Case(
        "var (\n\t// A is.\n\tA = 1\n\tB = 2\n\tC = 3\n)\n", ("B",)
    ),
    "two exported names in one spec are another finding": Case("var A, B int\n", ()),
    "an unexported first name with an exported second": Case("var a, B int\n", ()),
    "local declarations are not package API": Case(
        "// F does.\nfunc F() {\n\ttype X int\n\t_ = X(0)\n}\n", ()
    ),
    "a doc above a directive documents": Case("// F does.\n//go:noinline\nfunc F() {}\n", ()),
    # Go's convention over golint's letter: directives document nothing (golint calls the
    # comment malformed, "should be of the form", instead of missing).
    "directives alone document nothing": Case("//go:noinline\nfunc F() {}\n", ("F",), ()),
    # Go's convention over golint's bug: golint never reports methods on generic receivers.
    "generic receiver methods need comments (golint misses them)": Case(
        "// Gen is.\ntype Gen[T any] struct{ v T }\n\nfunc (g *Gen[T]) Get() T { return g.v }\n",
        ("Gen.Get",),
        (),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_rule(name: str) -> None:
    case = CASES[name]
    assert tuple(d.name for d in scan("package p\n\n" + case.source)) == case.targets


@pytest.mark.parametrize("name", CASES)
def test_rule_matches_golint(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    (tmp_path / "p.go").write_text("package p\n\n" + case.source)
    expected = case.targets if case.golint is None else case.golint
    assert tuple(n for _, n in missing(run_golint(tmp_path, "p.go"))) == expected


def test_lines_anchors_and_indentation() -> None:
    source = "package p\n\nconst (\n\tA = 1\n)\n\n//go:noinline\nfunc F(\n\tx int,\n) {\n}\n"
    const, func = scan(source)
    # A group's comment goes on the group: it answers for every name in it.
    assert (const.line, const.anchor, const.indent, const.kind) == (4, 3, "", "const")
    assert (func.line, func.header_end, func.end_line, func.anchor) == (8, 10, 11, 7)


@pytest.mark.parametrize(
    ("text", "generated"),
    [
        ("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage p\n", True),
        ("package p\n\n// Code generated by stringer; DO NOT EDIT.\r\n", True),
        ("// Code generated by hand, edit freely.\npackage p\n", False),
        ("package p // Code generated x DO NOT EDIT.\n", False),
    ],
)
def test_generated_files(text: str, generated: bool) -> None:
    assert is_generated(text) is generated
