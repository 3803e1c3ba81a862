"""bot/inert.py: each way of making outside text inert, on the texts that attack it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.errors import ChangeError
from bot.inert import (
    cell,
    code_span,
    inside,
    json_text,
    log_line,
    marker_field,
    marker_value,
    one_line,
    relative,
    unshowable,
    visible,
)
from bot.review import parse_marker, suggestion_marker

NAMES = [
    "shop/api.py",
    "a --> b.py",
    "x qualname=y.py",
    "p path=q.py",
    "back`tick`.py",
    "new\nline.py",
    "pct%41.py",
    "ünïcødé/名前.py",
    "bad\udcffbyte.py",
    "",
]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("``x``", "``` ``x`` ```"),
        ("`edge", "`` `edge ``"),
        (" both ", "`  both  `"),
        ("line\nbreak", "`line break`"),
        ("", "`\u00a0`"),
        ("esc\x1b[2J", "`esc\\x1b[2J`"),
        ("rtl\u202egnp.exe", "`rtl\\u202egnp.exe`"),
    ],
)
def test_a_code_span_is_sized_to_the_text_and_holds_one_line(text: str, span: str) -> None:
    assert code_span(text) == span


def test_a_table_cell_escapes_every_pipe_even_inside_its_code_span() -> None:
    assert cell("a|b") == "`a\\|b`"
    assert "|" not in cell("a|b").replace("\\|", "")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("ok line", "ok line"),
        ("::error::x", "%3A%3Aerror::x"),
        ("  ::warning::x", "  %3A%3Awarning::x"),
        ("\u3000::notice::x", "\u3000%3A%3Anotice::x"),  # .NET trims Unicode spaces too
        ("a\n::error::x", "a%0A::error::x"),
        ("a ##[error]x", "a ##%5Berror]x"),
        ("100%", "100%25"),
        ("red \x1b[31m text", "red \\x1b[31m text"),
    ],
)
def test_a_log_line_can_never_be_read_as_a_workflow_command(text: str, line: str) -> None:
    assert log_line(text) == line
    assert "\n" not in log_line(text) and "\r" not in log_line(text)


def test_one_line_is_visible_and_never_a_command() -> None:
    assert one_line("::error::x\x1b]0;t\x07") == "%3A%3Aerror::x\\x1b]0;t\\x07"
    assert visible("tab\there\r\nnext") == "tab here  next"


@pytest.mark.parametrize("name", NAMES)
def test_a_marker_field_round_trips_and_cannot_end_or_extend_the_marker(name: str) -> None:
    field = marker_field(name)
    assert not set(field) & set(" =<>!\n\r\t`")
    assert marker_value(field) == name
    assert parse_marker("text\n" + suggestion_marker(name, "Klass.method")) == (
        name,
        "Klass.method",
    )


def test_only_a_trailer_counts_as_a_marker() -> None:
    real = suggestion_marker("a.py", "f")
    assert parse_marker(f"{real}\nmore text") is None
    assert parse_marker(f"say {real}") is None
    assert parse_marker(f"{suggestion_marker('x.py', 'g')}\n```\n{real}\n```") is None
    assert parse_marker(f"body\n{real}\n") == ("a.py", "f")


@pytest.mark.parametrize(
    "path",
    ["../x.py", "a/../../x.py", "/etc/passwd", "C:/x.py", "a\\..\\..\\x.py", "", "a\0b.py"],
)
def test_paths_leaving_the_root_are_refused_by_name(path: str) -> None:
    with pytest.raises(ChangeError, match="leaves the root folder"):
        relative(path)


def test_a_symlink_out_of_the_root_is_refused_and_one_inside_is_kept(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "pkg").mkdir(parents=True)
    (tmp_path / "outside.py").write_text("x = 1\n")
    (root / "pkg/mod.py").write_text("x = 1\n")
    os.symlink(tmp_path / "outside.py", root / "out.py")
    os.symlink(tmp_path, root / "up")
    os.symlink(root / "pkg/mod.py", root / "alias.py")
    for path in ("out.py", "up/outside.py"):
        with pytest.raises(ChangeError, match=f"{path}: a symlink leads out of the root"):
            inside(root, path)
    assert inside(root, "alias.py") == root / "alias.py"
    assert inside(root, "pkg/mod.py") == root / "pkg/mod.py"
    assert inside(root, "pkg/new.py") == root / "pkg/new.py"  # not there yet: still inside


def test_names_with_control_characters_are_unshowable() -> None:
    assert unshowable("a\nb.py") is not None and "U+000A" in str(unshowable("a\nb.py"))
    assert unshowable("a\x7fb.py") is not None
    assert unshowable("ünïcødé b.py") is None


def test_json_output_escapes_what_a_terminal_would_act_on_without_changing_the_data() -> None:
    data = {"reason": "csi \u009b2J bidi \u202e nul \x00 ok ü€", "n": [1, "\u2028"]}
    text = json_text(data)
    assert json.loads(text) == data
    assert not set(text) & {"\u009b", "\u202e", "\x00", "\u2028"}
    assert "ü€" in text  # readable text stays as it is


def test_all_inside_refuses_what_inside_refuses_and_passes_what_it_passes(tmp_path: Path) -> None:
    from bot.inert import all_inside

    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("")
    (root / "pkg" / "link.py").symlink_to(outside / "x.py")
    (root / "away").symlink_to(outside)
    all_inside(root, ["pkg/a.py", "pkg/new.py", "top.py"])
    for bad in ("pkg/link.py", "away/b.py", "../x.py", "/etc/passwd"):
        with pytest.raises(ChangeError) as caught:
            all_inside(root, ["pkg/a.py", bad])
        with pytest.raises(ChangeError) as alone:
            inside(root, bad)
        assert str(caught.value) == str(alone.value)
