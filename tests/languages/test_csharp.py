"""The C# adapter: CS1591's targets on real files, XML documentation, the proof.

Fixtures in tests/data/languages/csharp are real files from the pythonnet 2.5.2 sdist (MIT:
``Types.cs``, ``eventtest.cs``, ``exceptiontest.cs``, ``generictest.cs``; origins in
tests/data/languages/SOURCES.md), plus ``Quirks.cs``, written for these tests; all compile
together.  ``NAME.mcs.txt`` holds
the lines of Mono's ``mcs -doc`` CS1591 warnings for the fixtures compiled as one
library; the oracle test compiles them again and compares.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc, ReturnDoc
from bot.errors import UnsafeSuggestion
from bot.languages import adapter
from bot.languages.base import Project
from bot.model import Target
from bot.providers.template import draft_for
from bot.targets import TargetOptions
from tests import oracle_csharp

DATA = Path(__file__).parents[1] / "data" / "languages" / "csharp"
FIXTURES = sorted(DATA.glob("*.cs"))
CSHARP = adapter("csharp")
assert CSHARP is not None
EVERY_LINE = frozenset(range(1, 10_000))


def golden(path: Path) -> list[int]:
    return [int(line) for line in path.with_suffix(".mcs.txt").read_text().split()]


def targets(path: str, text: str, added: frozenset[int] = EVERY_LINE) -> list[Target]:
    return list(CSHARP.scan(path, text, added, TargetOptions(), project=Project()).targets)


def lines_of(found: list[Target]) -> list[int]:
    return sorted({t.line for t in found})


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_targets_are_the_compilers_findings(fixture: Path) -> None:
    assert lines_of(targets(fixture.name, fixture.read_text())) == golden(fixture)


def test_the_golden_files_are_what_mcs_says() -> None:
    oracle_csharp.need()
    found = oracle_csharp.mcs(FIXTURES)
    for fixture in FIXTURES:
        assert sorted({line for path, line in found if path == fixture.resolve()}) == golden(
            fixture
        )


def test_cs1591_rules_at_their_edges() -> None:
    found = {t.qualname: t.line for t in targets("Quirks.cs", (DATA / "Quirks.cs").read_text())}
    # documented: /** */ comments, a comment above a #region, one above the attributes,
    # and one separated from the class by a plain comment and a blank line
    assert {"Foo.Block", "Foo.AfterRegion", "Foo.Attr"}.isdisjoint(found)
    assert "Foo.EmptyBlock" in found and "Foo.Undocumented" in found
    # overrides, finalizers, protected internal and protected-in-sealed members need docs
    assert {"Foo.ToString", "Foo.~Foo", "Foo.Pi", "Sealed.Prot"} <= set(found)
    # explicit interface implementations, static constructors, internal types do not
    assert {"Foo.Dispose", "Foo.Hidden", "Foo.Hidden.H", "Internal.Hidden"}.isdisjoint(found)
    # a partial class documented in one part is documented; its members are not
    assert "Foo" not in found and found["Foo.Other"] == 40
    # #pragma warning disable 1591 .. restore
    assert "Off" not in found and "Off.Quiet" not in found and found["Off.Loud"] == 55


def test_code_in_every_if_branch_counts() -> None:
    text = "/// <summary>A.</summary>\npublic class A {\n#if DEBUG\n  public void Debug() {}\n#else\n  public void Release() {}\n#endif\n}\n"
    assert [t.qualname for t in targets("A.cs", text)] == ["A.Debug", "A.Release"]


def test_types_of_one_name_and_different_arity_are_each_reported() -> None:
    # pythonnet's generictest.cs: GenericNameTest1, GenericNameTest1<T> and <T, U> are three
    # types for mcs, not parts of one; only `partial` parts share a comment
    text = "public class G {}\npublic class G<T> {}\npublic partial class P<T> {}\n" + (
        "/// <summary>P.</summary>\npublic partial class P<T> {}\npublic partial class P {}\n"
    )
    assert [(t.qualname, t.line) for t in targets("G.cs", text)] == [
        ("G", 1), ("G", 2), ("P", 6)
    ]  # fmt: skip


def test_one_comment_documents_every_name_of_a_field_declaration() -> None:
    # csc gives the declaration's comment to each name; mcs only to the first, and so
    # reports `Height` after the comment is added.  One target, keyed by the first name.
    text = "/// <summary>A.</summary>\npublic class A {\n  public int Width,\n    Height;\n}\n"
    assert [(t.qualname, t.line) for t in targets("A.cs", text)] == [("A.Width", 3)]


@pytest.mark.parametrize(
    ("path", "skipped"),
    [
        ("src/Lib/Foo.cs", False),
        ("src/Lib.Tests/Foo.cs", True),
        ("Lib.Test/Foo.cs", True),
        ("src/Lib/FooTests.cs", True),
        ("src/Lib/Tests.cs", True),
        ("src/Lib/FooTest.cs", True),
        ("tests/fixtures/TagLib.Tests.Images/ArwTest.cs", True),
        ("Test/Mono.Cecil.Tests/Addin.cs", True),
        ("src/Lib.UnitTests/Foo.cs", True),
        ("src/Lib/Testing.cs", False),
        ("src/Contest/Latest.cs", False),
        ("src/Lib.Testing/Foo.cs", False),
    ],
)
def test_test_projects_are_left_out(path: str, skipped: bool) -> None:
    assert (CSHARP.skip_reason(path, "", included=False) is not None) is skipped
    assert CSHARP.skip_reason(path, "", included=True) is None


def test_a_target_knows_its_signature() -> None:
    found = {t.qualname: t for t in targets("Quirks.cs", (DATA / "Quirks.cs").read_text())}
    get = found["Foo.Get"]
    assert [(p.name, p.annotation) for p in get.params] == [
        ("<T>", None), ("fallback", "T"), ("keys", "params string []")
    ]  # fmt: skip
    assert get.returns == "T" and get.raises == ("ArgumentException",)
    assert found["Foo.Undocumented"].anchor == 21  # above its attribute
    assert found["Foo.Undocumented"].line == 22


DRAFT = DocstringDraft(
    summary="Get the value for the first key that has one",
    description="Keys are tried in order.\n\nA <null> & \"quoted\" value counts as missing.",
    params=[ParamDoc(name="<T>", type=None, description="The value's type."),
            ParamDoc(name="fallback", type=None, description="Returned when no key has a value."),
            ParamDoc(name="keys", type=None, description="The keys, </param> included.")],
    returns=ReturnDoc(type=None, description="The value, or fallback."),
    yields=None,
    raises=[RaiseDoc(exception="ArgumentException", description="When keys is empty."),
            RaiseDoc(exception='X" onload="y', description="Hostile.")],
    examples=[],
)  # fmt: skip


def test_xml_documentation_golden() -> None:
    text = (DATA / "Quirks.cs").read_text()
    target = next(t for t in targets("Q.cs", text) if t.qualname == "Foo.Get")
    rendered = CSHARP.render(
        DRAFT, target, CSHARP.style(Counter(), Counter(), "auto"), line_length=80
    )
    assert rendered == (DATA / "rendered" / "Get.txt").read_text().rstrip("\n")
    suggestion = CSHARP.suggest(target, text, rendered)
    assert suggestion.replacement.startswith("\t\t/// <summary>\n")
    assert suggestion.replacement.endswith(
        '\n\t\tpublic T Get<T> (T fallback, params string [] keys) { throw new ArgumentException ("x"); }'
    )


def test_members_that_share_a_line_are_refused_with_a_reason() -> None:
    text = (DATA / "Quirks.cs").read_text()
    red = next(t for t in targets("Q.cs", text) if t.qualname == "Color.Red")
    with pytest.raises(UnsafeSuggestion, match="shares line 47"):
        CSHARP.suggest(red, text, "/// <summary>Red.</summary>")


def test_every_fixture_target_gets_a_proven_suggestion_that_satisfies_mcs(tmp_path: Path) -> None:
    """Template drafts for every target that starts its line, applied bottom-up; then mcs
    reports only the members that share a line with another declaration."""
    refused: set[tuple[str, int]] = set()
    for fixture in FIXTURES:
        text = fixture.read_text()
        lines = text.split("\n")
        for target in sorted(targets(fixture.name, text), key=lambda t: -t.anchor):
            rendered = CSHARP.render(
                draft_for(target),
                target,
                CSHARP.style(Counter(), Counter(), "auto"),
                line_length=100,
            )
            try:
                suggestion = CSHARP.suggest(target, "\n".join(lines), rendered)
            except UnsafeSuggestion:
                refused.add((fixture.name, target.qualname))
                continue
            lines[suggestion.start_line - 1 : suggestion.end_line] = suggestion.replacement.split(
                "\n"
            )
        fixed = "\n".join(lines)
        CSHARP.check_safe(text, fixed)
        (tmp_path / fixture.name).write_text(fixed)
    assert refused == {
        ("Quirks.cs", name)
        for name in ("Foo.Nested.A", "IShape.Area", "IShape.Moved", "IShape.Sides",
                     "Color.Red", "Color.Green", "Sealed.Prot")
    }  # fmt: skip
    left = [t for f in FIXTURES for t in targets(f.name, (tmp_path / f.name).read_text())]
    assert {(t.path, t.qualname) for t in left} == refused
    oracle_csharp.need()
    found = oracle_csharp.mcs([tmp_path / f.name for f in FIXTURES])
    assert set(found) == {((tmp_path / t.path).resolve(), t.line) for t in left}


def test_a_verbatim_identifier_is_documented_by_its_name() -> None:
    # Mono.Cecil's `TypeReference (string @namespace, string name)`: mcs wants
    # <param name="namespace">, and warns CS1572/CS1573 on "@namespace".
    text = "/// <summary>T.</summary>\npublic class T {\n  public T (string @namespace, string name) {}\n}\n"
    (target,) = targets("T.cs", text)
    assert [p.name for p in target.params] == ["namespace", "name"]
    rendered = CSHARP.render(
        draft_for(target), target, CSHARP.style(Counter(), Counter(), "auto"), line_length=100
    )
    assert '<param name="namespace">' in rendered
