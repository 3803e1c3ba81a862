"""`docbot dry-run` as a user runs it: the bundled example, every format, --apply, --check, bad input."""

from __future__ import annotations

import ast
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "shop"
EXPECTED = {
    ("shop/cart.py", "Line.subtotal"),
    ("shop/cart.py", "Cart.Coupon"),
    ("shop/cart.py", "Cart.add"),
    ("shop/cart.py", "Cart.total"),
    ("shop/cart.py", "Cart.reserve"),
    ("shop/inventory.py", "OutOfStock"),
    ("shop/inventory.py", "Inventory"),
    ("shop/inventory.py", "Inventory.restock"),
    ("shop/inventory.py", "Inventory.take"),
    ("shop/pricing.py", "apply_discount"),
    ("shop/pricing.py", "tax_rate"),
    ("shop/pricing.py", "with_tax"),
    ("shop/pricing.py", "price_steps"),
    ("shop/pricing.py", "total"),
}


def run(
    *argv: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if cwd is None:
        code = main(list(argv), env=env or {}, stdout=out, stderr=err)
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(cwd)
            code = main(list(argv), env=env or {}, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def example_args(*more: str) -> tuple[str, ...]:
    return ("dry-run", "--diff", str(EXAMPLE / "change.diff"), "--root", str(EXAMPLE), *more)


def strip_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def test_the_quick_start_shows_a_table_and_every_suggestion() -> None:
    code, out, err = run(*example_args())
    assert code == 0, err
    assert "docbot targets" in out
    assert "14 targets: 14 suggested, 0 skipped, 0 failed" in out
    assert "provider template, style google" in out
    assert '+        """Apply discount.' not in out or "Args:" in out


def test_json_lists_the_example_targets_with_proven_suggestions() -> None:
    code, out, _ = run(*example_args("--format", "json"))
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 1
    assert {(t["path"], t["qualname"]) for t in data["targets"]} == EXPECTED
    assert data["stats"]["targets"] == data["stats"]["suggested"] == 14
    assert data["stats"]["cost_usd"] == 0.0
    kinds = {t["qualname"]: t["kind"] for t in data["targets"]}
    assert kinds["Cart.Coupon"] == "nested_class"
    assert kinds["Cart.add"] == "method"
    assert kinds["tax_rate"] == "function"
    with_tax = next(t for t in data["targets"] if t["qualname"] == "with_tax")
    # the one-liner is split: header, docstring, then the body on its own line
    assert with_tax["suggestion"]["replacement"].startswith(
        "def with_tax(price: Decimal, country: str) -> Decimal:\n"
    )
    assert with_tax["suggestion"]["replacement"].endswith(
        "\n    return round_money(price * (1 + tax_rate(country)))"
    )


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_the_patch_applies_with_git_apply_and_changes_only_docstrings(example_copy: Path) -> None:
    code, patch, _ = run(*example_args("--format", "patch"))
    assert code == 0
    before = {
        p: (example_copy / p).read_text()
        for p in ("shop/cart.py", "shop/pricing.py", "shop/inventory.py")
    }
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=example_copy, check=True)
    for path, old in before.items():
        new = (example_copy / path).read_text()
        assert new != old
        assert strip_docstrings(new) == strip_docstrings(old)


def test_apply_writes_the_same_result_as_the_patch_and_a_second_run_finds_nothing(
    example_copy: Path, tmp_path: Path
) -> None:
    patched = tmp_path / "patched"
    shutil.copytree(example_copy, patched)
    _, patch, _ = run(*example_args("--format", "patch"))
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=patched, check=True)

    code, _, err = run(
        "dry-run",
        "--diff",
        str(EXAMPLE / "change.diff"),
        "--root",
        str(example_copy),
        "--apply",
        "--format",
        "json",
    )
    assert code == 0, err
    assert "wrote docstrings into 3 files" in err
    for path in ("shop/cart.py", "shop/pricing.py", "shop/inventory.py"):
        assert (example_copy / path).read_bytes() == (patched / path).read_bytes()


def test_check_exits_1_when_targets_remain_and_0_when_documented(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "mod.py").write_text("def public(x):\n    return x\n")
    code, _, _ = run("dry-run", "--check", "--format", "json", cwd=tmp_path)
    assert code == 1
    code, _, _ = run("dry-run", "--apply", "--check", cwd=tmp_path)
    assert code == 1  # it wrote the docstring, and says so the way a formatter does
    assert '"""' in (tmp_path / "mod.py").read_text()
    code, out, _ = run("dry-run", "--check", "--format", "json", cwd=tmp_path)
    assert code == 0
    assert json.loads(out)["stats"]["targets"] == 0


def test_an_unparsable_file_is_skipped_and_the_others_still_get_suggestions(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "good.py").write_text("def fine(a):\n    return a\n")
    (tmp_path / "bad.py").write_text("def broken(:\n    pass\n")
    code, out, _ = run("dry-run", "--format", "json", cwd=tmp_path)
    assert code == 0
    data = json.loads(out)
    assert [t["qualname"] for t in data["targets"]] == ["fine"]
    assert [s["path"] for s in data["skipped_files"]] == ["bad.py"]
    assert "bad.py:1" in data["skipped_files"][0]["reason"]


def test_review_format_is_the_payload_the_action_would_post() -> None:
    code, out, _ = run(*example_args("--format", "review"))
    assert code == 0
    payload = json.loads(out)
    assert payload["event"] == "COMMENT"
    assert len(payload["comments"]) == 14
    assert all(c["side"] == "RIGHT" and "```suggestion" in c["body"] for c in payload["comments"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("dry-run", "--diff", "{missing}"),
            "docbot: error: --diff {missing}: No such file or directory",
        ),
        (("dry-run", "--root", "."), "docbot: error: --root goes with --diff"),
        (
            ("dry-run", "--format", "xml"),
            "docbot: error: docbot dry-run: argument --format: invalid choice",
        ),
        (("dry-run", "--diff", "{notdiff}", "--root", "."), "docbot: error: "),
        (("launch",), "docbot: error: docbot: argument command: invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    notdiff = tmp_path / "notes.txt"
    notdiff.write_text("just some prose\nnot a diff\n")
    names = {"missing": str(tmp_path / "nope.diff"), "notdiff": str(notdiff)}
    argv = tuple(a.format(**names) for a in argv)
    code, _, err = run(*argv)
    assert code == 2
    assert err.startswith(message.format(**names))
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_bad_settings_from_the_environment_are_exit_2(tmp_path: Path) -> None:
    code, _, err = run(*example_args(), env={"DOCBOT_STYLE": "pep257"})
    assert code == 2
    assert err.startswith("docbot: error: setting style:")


def test_apply_keeps_a_byte_order_mark_and_crlf_line_endings(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "m.py").write_bytes(b"\xef\xbb\xbfdef f(x):\r\n    return x\r\n")
    code, _, err = run("dry-run", "--apply", cwd=tmp_path)
    assert code == 0, err
    data = (tmp_path / "m.py").read_bytes()
    assert data.startswith(b'\xef\xbb\xbfdef f(x):\r\n    """')
    assert data.count(b"\r\n") == data.count(b"\n")


def test_the_patch_applies_to_files_with_form_feeds_and_other_unicode_line_breaks(
    tmp_path: Path,
) -> None:
    # str.splitlines breaks at \f, \x1c and U+2028; git apply and Python do not.
    source = (
        "\x0c\ndef f(x):\n    return x\n\x0c\nclass A:\n\x0c\n    def m(self):\n"
        "        return '\x1c'  # \u2028 \x85\n\ndef g(): return 1"
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "m.py").write_text(source, encoding="utf-8", newline="")
    code, patch, err = run("dry-run", "--format", "patch", cwd=repo)
    assert code == 0, err
    code, text, err = run("dry-run", "--color", "never", cwd=repo)
    assert code == 0, err
    assert "m.py:7 A.m\n     def m(self):\n+" in text  # the diff shown is of the right lines
    patched = tmp_path / "patched"
    patched.mkdir()
    (patched / "m.py").write_text(source, encoding="utf-8", newline="")
    subprocess.run(["git", "apply", "-"], input=patch.encode(), cwd=patched, check=True)
    code, _, err = run("dry-run", "--apply", cwd=repo)
    assert code == 0, err
    assert (patched / "m.py").read_bytes() == (repo / "m.py").read_bytes()
    assert strip_docstrings((repo / "m.py").read_text(encoding="utf-8")) == strip_docstrings(source)


def test_a_file_with_lone_carriage_returns_is_skipped_not_misnumbered(tmp_path: Path) -> None:
    # git and GitHub see one line here, Python four: a suggestion for "line 1" committed on
    # GitHub would replace the whole file with the header and its docstring.
    root = tmp_path / "root"
    root.mkdir()
    (root / "m.py").write_bytes(b"def f(x):\r    return x\rclass A:\r    def m(self): pass\r")
    diff = subprocess.run(
        ["git", "diff", "--no-index", "/dev/null", "m.py"], cwd=root, capture_output=True
    ).stdout
    (tmp_path / "c.diff").write_bytes(diff)
    code, out, err = run(
        "dry-run", "--diff", str(tmp_path / "c.diff"), "--root", str(root), "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["targets"] == []
    (skip,) = data["skipped_files"]
    assert skip["reason"].startswith("m.py:1: a carriage return without a line feed")


@pytest.mark.parametrize("tool", [["git", "apply", "-"], ["patch", "-p1", "--quiet"]])
def test_the_patch_names_files_the_way_git_and_patch_read_them(
    tmp_path: Path, tool: list[str]
) -> None:
    if shutil.which(tool[0]) is None:
        pytest.skip(f"{tool[0]} is not installed")
    names = ["tab\tname.py", "with space.py", 'quote"s.py', "back\\slash.py", "dir é/möd.py"]
    root = tmp_path / "root"
    diff = b""
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("def f(x):\n    return x\n", encoding="utf-8")
        diff += subprocess.run(
            ["git", "diff", "--no-index", "/dev/null", name], cwd=root, capture_output=True
        ).stdout
    (tmp_path / "c.diff").write_bytes(diff)
    patched = tmp_path / "patched"
    shutil.copytree(root, patched)
    args = ("dry-run", "--diff", str(tmp_path / "c.diff"), "--root", str(root))
    code, patch, err = run(*args, "--format", "patch")
    assert code == 0, err
    subprocess.run(tool, input=patch.encode(), cwd=patched, check=True)
    code, _, err = run(*args, "--apply")
    assert code == 0, err
    for name in names:
        assert (patched / name).read_bytes() == (root / name).read_bytes()
        assert b'"""' in (root / name).read_bytes()


def test_text_output_prints_paths_that_look_like_rich_markup_as_they_are(tmp_path: Path) -> None:
    names = ["x[/red]y/m.py", "[bold]/m.py"]
    root = tmp_path / "root"
    diff = b""
    for name in names:
        (root / name).parent.mkdir(parents=True)
        (root / name).write_text("def f(x):\n    return x\n")
        diff += subprocess.run(
            ["git", "diff", "--no-index", "/dev/null", name], cwd=root, capture_output=True
        ).stdout
    (tmp_path / "c.diff").write_bytes(diff)
    code, out, err = run(
        "dry-run", "--diff", str(tmp_path / "c.diff"), "--root", str(root), "--color", "always"
    )
    assert code == 0, err
    assert "x[/red]y/m.py:1" in out
    assert "[bold]/m.py:1" in out
