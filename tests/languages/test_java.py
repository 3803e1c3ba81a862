"""The Java adapter: checkstyle's targets on real files, Javadoc rendering, the proof.

Fixtures in tests/data/languages/java are real files from the npm packages
@react-native-async-storage/async-storage and react-native-device-info (MIT; origins in
tests/data/languages/SOURCES.md), plus two written for these tests: ``Quirks.java`` (checkstyle's rules at
their edges) and ``Shapes.java`` (sealed types and records, which checkstyle 8.36 cannot
parse: javac's doclint is the oracle there).  Next to each, the oracle's findings as a
golden file (``NAME.checkstyle.txt`` or ``NAME.javac.txt``: the reported lines); the
oracle tests re-run the tool and compare with the golden file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages import adapter
from bot.languages.base import Project
from bot.languages.javadoc import escape
from bot.model import Target
from bot.providers.template import draft_for
from bot.targets import TargetOptions
from tests import oracle_java

DATA = Path(__file__).parents[1] / "data" / "languages" / "java"
FIXTURES = sorted(DATA.glob("*.java"))
JAVA = adapter("java")
assert JAVA is not None
EVERY_LINE = frozenset(range(1, 10_000))


def golden(path: Path) -> tuple[str, list[int]]:
    for tool in ("checkstyle", "javac"):
        found = path.with_suffix(f".{tool}.txt")
        if found.exists():
            return tool, [int(line) for line in found.read_text().split()]
    raise AssertionError(f"no golden file for {path.name}")


def targets(path: str, text: str, added: frozenset[int] = EVERY_LINE) -> list[Target]:
    return list(JAVA.scan(path, text, added, TargetOptions(), project=Project()).targets)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_targets_are_the_oracles_findings(fixture: Path) -> None:
    _, lines = golden(fixture)
    assert [t.line for t in targets(fixture.name, fixture.read_text())] == lines


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_the_golden_files_are_what_the_oracle_says(fixture: Path) -> None:
    tool, lines = golden(fixture)
    if tool == "checkstyle":
        oracle_java.need("checkstyle", "checkstyle")
        found, failed = oracle_java.checkstyle([fixture])
        assert failed == []
    else:
        oracle_java.need("checkstyle", "checkstyle")
        oracle_java.need("javac", "openjdk-17-jdk-headless")
        assert oracle_java.checkstyle([fixture])[1] == [fixture.resolve()]
        found = oracle_java.javac([fixture])
    assert sorted(line for _, line in found) == lines


def test_checkstyle_quirks_are_kept() -> None:
    found = {t.qualname: t.line for t in targets("Quirks.java", (DATA / "Quirks.java").read_text())}
    # A class without `public` inside an interface is public itself, but checkstyle reads
    # its scope from the modifiers alone for its members: N is a target, N.nn is not.
    assert "Quirks.N" in found and "Quirks.N.nn" not in found
    # A Javadoc on the declaration's own line, or below its annotations, does not count.
    assert found["Quirks.same"] == 17
    # Blank lines and // comments between the Javadoc and the declaration are allowed.
    assert "Quirks.sep" not in found
    # `/**/` is not Javadoc; a private interface method needs none; @Override needs none.
    assert "Quirks.empty" in found and "Quirks.pv" not in found
    assert "Quirks.ovr" not in found and "Quirks.afterAnn" not in found


def test_public_members_of_a_package_private_class_are_not_targets() -> None:
    text = "package p;\nclass Hidden {\n  public void shown() {}\n}\n"
    assert targets("Hidden.java", text) == []


def test_anonymous_and_local_classes_have_no_targets() -> None:
    text = (
        "package p;\n/** A. */\npublic class A {\n  /** Make. */\n  public Object make() {\n"
        "    class Local { public void x() {} }\n"
        "    return new Object() { public void y() {} };\n  }\n}\n"
    )
    assert targets("A.java", text) == []


def test_a_target_counts_when_its_signature_holds_an_added_line() -> None:
    text = (DATA / "DeviceTypeResolver.java").read_text()
    # line 26 is the body of isTablet (25); line 29 the signature of getDeviceType
    assert [t.qualname for t in targets("D.java", text, frozenset({26, 29}))] == [
        "DeviceTypeResolver.getDeviceType"
    ]
    touched = JAVA.scan(
        "D.java", text, frozenset({26}), TargetOptions(scope="touched"), project=Project()
    )
    assert [t.qualname for t in touched.targets] == ["DeviceTypeResolver.isTablet"]


def test_a_target_knows_its_signature() -> None:
    text = (DATA / "Shapes.java").read_text()
    count = next(t for t in targets("S.java", text) if t.qualname.endswith("count"))
    assert [p.name for p in count.params] == ["<T>", "kind"]
    assert count.returns == "int" and count.kind == "method"
    assert (count.line, count.header_end, count.anchor) == (66, 66, 66)
    circle = next(t for t in targets("S.java", text) if t.qualname == "Shapes.Circle.Circle")
    assert circle.raises == ("IllegalArgumentException",)


@pytest.mark.parametrize(
    ("path", "skipped"),
    [
        ("src/main/java/org/x/A.java", False),
        ("src/test/java/org/x/ATest.java", True),
        ("module/src/test/java/A.java", True),
        ("src/main/java/module-info.java", True),
        ("src/main/java/org/x/package-info.java", False),
        ("tests/A.java", False),
    ],
)
def test_test_sources_and_module_info_are_left_out(path: str, skipped: bool) -> None:
    assert (JAVA.skip_reason(path, "", included=False) is not None) is skipped


def test_an_include_glob_brings_test_sources_back_but_not_module_info() -> None:
    assert JAVA.skip_reason("src/test/java/A.java", "", included=True) is None
    assert JAVA.skip_reason("module-info.java", "", included=True) is not None


DRAFT = DocstringDraft(
    summary="Read the values of several keys",
    description="Answers through the callback.\n\nThe keys are <read> & kept: a */ b {@code x}.",
    params=[ParamDoc(name="keys", type=None, description="The keys to @read."),
            ParamDoc(name="callback", type=None, description="Called with the values.")],
    returns=None,
    yields=None,
    raises=[RaiseDoc(exception="IllegalStateException", description="Never, in practice.")],
    examples=[],
)  # fmt: skip


def test_javadoc_golden() -> None:
    text = (DATA / "NativeAsyncStorageModuleSpec.java").read_text()
    target = next(t for t in targets("N.java", text) if t.qualname.endswith(".multiGet"))
    style = JAVA.style(Counter(), Counter(), "auto")
    rendered = JAVA.render(DRAFT, target, style, line_length=60)
    assert rendered == (DATA / "rendered" / "multiGet.txt").read_text().rstrip("\n")
    suggestion = JAVA.suggest(target, text, rendered)
    # the Javadoc goes above the annotations, where checkstyle reads it
    assert (suggestion.start_line, suggestion.end_line) == (24, 24)
    assert suggestion.replacement.endswith("\n  @ReactMethod")


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("a */ b", "a *&#47; b"),
        ("<b> & </b>", "&lt;b&gt; &amp; &lt;/b&gt;"),
        ("{@link X}", "&#123;&#64;link X}"),
        ("@param x", "&#64;param x"),
        ("/* nested", "&#47;* nested"),
    ],
)
def test_draft_text_is_inert_in_javadoc(text: str, inert: str) -> None:
    assert escape(text) == inert


def test_exception_tag_follows_the_file_then_the_run() -> None:
    assert "exception" in JAVA.style(Counter({"tag:exception": 2}), Counter(), "auto").tags
    assert "throws" in JAVA.style(Counter(), Counter({"tag:throws": 1}), "auto").tags
    votes = JAVA.scan(
        "A.java",
        "/**\n * @exception X when\n */\nclass A {}\n",
        frozenset(),
        TargetOptions(),
        project=Project(),
    ).votes
    assert votes["tag:exception"] == 1


def test_every_fixture_target_gets_a_proven_suggestion_that_satisfies_the_oracle(
    tmp_path: Path,
) -> None:
    """Template drafts for every target, applied bottom-up; then checkstyle (javac for
    Shapes) finds nothing left."""
    for fixture in FIXTURES:
        text = fixture.read_text()
        found = targets(fixture.name, text)
        lines = text.split("\n")
        style = JAVA.style(Counter(), Counter(), "auto")
        for target in sorted(found, key=lambda t: -t.anchor):
            rendered = JAVA.render(draft_for(target), target, style, line_length=100)
            suggestion = JAVA.suggest(target, "\n".join(lines), rendered)
            lines[suggestion.start_line - 1 : suggestion.end_line] = suggestion.replacement.split(
                "\n"
            )
        fixed = "\n".join(lines)
        JAVA.check_safe(text, fixed)
        (tmp_path / fixture.name).write_text(fixed)
        assert targets(fixture.name, fixed) == []
    tool_files = [tmp_path / f.name for f in FIXTURES]
    oracle_java.need("checkstyle", "checkstyle")
    found, failed = oracle_java.checkstyle(tool_files)
    assert not found
    assert [p.name for p in failed] == ["Shapes.java"]
    oracle_java.need("javac", "openjdk-17-jdk-headless")
    assert not oracle_java.javac([tmp_path / "Shapes.java"])


def test_the_proof_refuses_a_comment_that_is_not_one() -> None:
    text = (DATA / "SerialExecutor.java").read_text()
    target = targets("S.java", text)[0]
    with pytest.raises(UnsafeSuggestion):
        JAVA.suggest(target, text, "/**\n * Broken. */ int x;\n */")


def test_a_file_that_does_not_parse_is_skipped_with_its_line() -> None:
    # checkstyle stops on it, javac gives no doclint warning past a syntax error
    text = "package p;\npublic class A {\n  public void ok() {}\n  public void broken( {}\n}\n"
    with pytest.raises(UnparsableFile, match=r"^A.java:4: not valid Java"):
        targets("A.java", text)
