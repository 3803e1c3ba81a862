"""The Rust adapter: files left out, notes when the crate cannot be read, rustdoc, the proof."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.docmodel import DocstringDraft, RaiseDoc
from bot.errors import UnparsableFile, UnsafeSuggestion
from bot.languages import adapter
from bot.languages.base import Language, Project
from bot.model import Target
from bot.providers.template import draft_for
from bot.targets import TargetOptions
from tests.languages.rustc_oracle import lines_of, rustc_report

DATA = Path(__file__).parents[1] / "data" / "rust"
HEX = DATA / "hex"


def rust() -> Language:
    found = adapter("rust")
    assert found is not None
    return found


def crate_targets(folder: Path) -> list[Target]:
    project = Project({}, folder)
    found: list[Target] = []
    for path in sorted(folder.rglob("*.rs")):
        text = path.read_text()
        added = frozenset(range(1, text.count("\n") + 2))
        relative = path.relative_to(folder).as_posix()
        found.extend(rust().scan(relative, text, added, TargetOptions(), project=project).targets)
    return found


def patched(source: str, found: list[Target], style_votes: Counter[str]) -> str:
    style = rust().style(style_votes, style_votes, "auto")
    lines = source.splitlines(keepends=True)
    for target in sorted(found, key=lambda t: t.anchor, reverse=True):
        rendered = rust().render(draft_for(target), target, style, line_length=100)
        suggestion = rust().suggest(target, source, rendered)
        lines[suggestion.start_line - 1 : suggestion.end_line] = [
            line + "\n" for line in suggestion.replacement.split("\n")
        ]
    result = "".join(lines)
    rust().check_safe(source, result)
    return result


def test_real_crate_targets_are_rustcs_findings() -> None:
    golden = (DATA / "hex.rustc").read_text().splitlines()
    assert {(t.path, t.line) for t in crate_targets(HEX)} == lines_of(golden)


def test_golden_report_is_what_rustc_says() -> None:
    # Sorted: rustc versions order their warnings differently (1.63 by module, 1.95 by item).
    assert sorted(rustc_report(HEX)) == sorted((DATA / "hex.rustc").read_text().splitlines())


def test_the_disabled_serde_module_has_no_targets() -> None:
    assert [t for t in crate_targets(HEX) if t.path == "src/serde.rs"] == []


def test_after_the_patch_rustc_reports_nothing_in_the_patched_files(tmp_path: Path) -> None:
    copy = tmp_path / "hex"
    shutil.copytree(HEX, copy)
    for path, group in _by_path(crate_targets(HEX)).items():
        if any(t.line == other.line for t in group for other in group if t is not other):
            group = [t for t in group if not _shares_line(t, group)]
        source = (HEX / path).read_text()
        votes = (
            rust().scan(path, source, frozenset(), TargetOptions(), project=Project({}, HEX)).votes
        )
        result = patched(source, group, votes)
        assert result == (DATA / "patched" / path).read_text()
        (copy / path).write_text(result)
    left = rustc_report(copy)
    assert all("struct field" in entry for entry in left), left


def _by_path(targets: list[Target]) -> dict[str, list[Target]]:
    out: dict[str, list[Target]] = {}
    for target in targets:
        out.setdefault(target.path, []).append(target)
    return out


def _shares_line(target: Target, group: list[Target]) -> bool:
    return sum(1 for other in group if other.line == target.line) > 1


def test_an_item_sharing_its_line_is_not_suggested() -> None:
    """``InvalidHexCharacter { c: char, index: usize }``: a comment above the line would
    document the variant, not its fields; the fields stay reported (see the test above)."""
    source = (HEX / "src" / "error.rs").read_text()
    fields = [t for t in crate_targets(HEX) if t.path == "src/error.rs"]
    assert [t.qualname for t in fields] == ["error.FromHexError.InvalidHexCharacter.c",
                                            "error.FromHexError.InvalidHexCharacter.index"]  # fmt: skip
    with pytest.raises(UnsafeSuggestion, match="shares its line"):
        rust().suggest(fields[0], source, "/// The character.")


@pytest.mark.parametrize(
    ("path", "included", "reason"),
    [("tests/it.rs", False, True), ("benches/b.rs", False, True), ("examples/e.rs", False, True),
     ("tests/it.rs", True, False), ("src/lib.rs", False, False)],
)  # fmt: skip
def test_files_left_out(path: str, included: bool, reason: bool) -> None:
    assert (rust().skip_reason(path, "", included=included) is not None) is reason


def test_the_summary_says_when_the_crate_root_cannot_be_read() -> None:
    scan = rust().scan("src/inner.rs", "pub fn f() {}\n", frozenset({1}), TargetOptions(),
                       project=Project({}))  # fmt: skip
    assert [t.qualname for t in scan.targets] == ["f"]
    assert "could not be read" in scan.notes[0]


def test_a_file_the_crate_does_not_reach_has_no_targets_and_says_so() -> None:
    files = {"Cargo.toml": '[package]\nname = "x"\n', "src/lib.rs": "//! X.\n",
             "src/orphan.rs": "pub fn f() {}\n"}  # fmt: skip
    scan = rust().scan("src/orphan.rs", files["src/orphan.rs"], frozenset({1}), TargetOptions(),
                       project=Project(files))  # fmt: skip
    assert scan.targets == ()
    assert "not reached" in scan.notes[0]


def _draft(*raises: tuple[str, str]) -> DocstringDraft:
    return DocstringDraft(summary="Parse the text.", description=None, params=[], returns=None,
                          yields=None, examples=[],
                          raises=[RaiseDoc(exception=e, description=d) for e, d in raises])  # fmt: skip


FN = "pub unsafe fn parse(s: &str) -> Result<u8, E> { s.parse().unwrap() }\n"


def test_sections_safety_always_errors_and_panics_as_the_crate_writes_them() -> None:
    files = {"Cargo.toml": '[package]\nname = "x"\n', "src/lib.rs": "//! X.\n" + FN}
    (target,) = rust().scan("src/lib.rs", files["src/lib.rs"], frozenset({2}), TargetOptions(),
                            project=Project(files)).targets  # fmt: skip
    assert target.raises == ("Err", "panic", "unsafe")
    draft = _draft(("Err", "If s is no number."), ("panic", "Never."), ("unsafe", "None really."))
    plain = rust().render(draft, target, rust().style(Counter(), Counter(), "auto"), line_length=80)
    assert plain == "/// Parses the text.\n///\n/// # Safety\n///\n/// None really."
    votes = Counter({"tag:errors": 2, "tag:panics": 1})
    full = rust().render(draft, target, rust().style(votes, votes, "auto"), line_length=80)
    assert full == (
        "/// Parses the text.\n///\n/// # Errors\n///\n/// If s is no number.\n///\n"
        "/// # Panics\n///\n/// Never.\n///\n/// # Safety\n///\n/// None really."
    )


def test_model_text_cannot_leave_the_comment() -> None:
    files = {"Cargo.toml": '[package]\nname = "x"\n', "src/lib.rs": "//! X.\npub fn f() {}\n"}
    (target,) = rust().scan("src/lib.rs", files["src/lib.rs"], frozenset({2}), TargetOptions(),
                            project=Project(files)).targets  # fmt: skip
    draft = _draft().model_copy(update={"summary": "Run.\n*/ fn evil() {}\r\n"})
    text = rust().render(draft, target, rust().style(Counter(), Counter(), "auto"), line_length=80)
    assert text == "/// Runs. */ fn evil() {}."
    rust().suggest(target, files["src/lib.rs"], text)


def test_a_binarys_root_is_a_crate_of_its_own() -> None:
    files = {"Cargo.toml": '[package]\nname = "x"\n', "src/lib.rs": "//! X.\n",
             "src/main.rs": "//! Bin.\npub fn f() {}\nfn main() {}\n"}  # fmt: skip
    scan = rust().scan("src/main.rs", files["src/main.rs"], frozenset({2, 3}), TargetOptions(),
                       project=Project(files))  # fmt: skip
    assert [t.qualname for t in scan.targets] == ["f"]
    assert scan.notes == ()


def test_a_file_rustc_cannot_parse_is_skipped_with_the_line() -> None:
    files = {"Cargo.toml": '[package]\nname = "x"\n', "src/lib.rs": "//! X.\npub fn f( {}\n"}
    with pytest.raises(UnparsableFile, match=r"src/lib\.rs:2: syntax error"):
        rust().scan("src/lib.rs", files["src/lib.rs"], frozenset({2}), TargetOptions(),
                    project=Project(files))  # fmt: skip
