"""A stale docstring through the whole CLI: JSON contract, smallest suggestion, --apply, --check."""

from __future__ import annotations

import json
from pathlib import Path

from bot.model import Result, Status, Suggestion
from bot.review import comment_body
from bot.targets import TargetOptions, scan
from tests.test_cli import run

BEFORE = '''class Client:
    """Talks to the server."""

    def get(self, url, verbose=False):
        """Fetch a URL.

        Args:
            url: The address.
                Must be absolute.
            verbose: Print more.

        Returns:
            The body.
        """
        return url
'''
AFTER = BEFORE.replace("def get(self, url, verbose=False):", "def get(self, url, timeout=10):")


def _diff() -> str:
    """The change as git shows it: the signature line replaced, every other line context."""
    old, new = BEFORE.splitlines(), AFTER.splitlines()
    body: list[str] = []
    for before, after in zip(old, new, strict=True):
        body += [f" {before}"] if before == after else [f"-{before}", f"+{after}"]
    head = f"--- a/client.py\n+++ b/client.py\n@@ -1,{len(old)} +1,{len(new)} @@\n"
    return head + "\n".join(body) + "\n"


DIFF = _diff()


def project(tmp_path: Path, text: str = AFTER, newline: str = "\n") -> tuple[str, ...]:
    (tmp_path / "client.py").write_bytes(text.replace("\n", newline).encode())
    (tmp_path / "change.diff").write_text(DIFF, encoding="utf-8")
    return ("dry-run", "--diff", str(tmp_path / "change.diff"), "--root", str(tmp_path))


def test_json_says_stale_with_pydoclints_codes_and_the_smallest_suggestion(tmp_path: Path) -> None:
    code, out, _ = run(*project(tmp_path), "--format", "json")
    assert code == 0
    (target,) = json.loads(out)["targets"]
    assert target["problem"] == "stale"
    assert [f["code"] for f in target["findings"]] == ["DOC103"]
    assert "verbose" in target["findings"][0]["message"]
    assert target["suggestion"] == {
        "start_line": 10,
        "end_line": 10,
        "replacement": "            timeout: The timeout. Defaults to ``10``.",
    }


def test_a_missing_docstring_says_missing_and_carries_no_findings(tmp_path: Path) -> None:
    text = "def f(a):\n    return a\n"
    (tmp_path / "m.py").write_text(text, encoding="utf-8")
    diff = "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n-def f():\n+def f(a):\n     return a\n"
    (tmp_path / "d.diff").write_text(diff, encoding="utf-8")
    args = ("dry-run", "--diff", str(tmp_path / "d.diff"), "--root", str(tmp_path))
    (target,) = json.loads(run(*args, "--format", "json")[1])["targets"]
    assert target["problem"] == "missing"
    assert "findings" not in target


def test_apply_repairs_in_place_keeping_crlf_and_a_second_run_finds_nothing(
    tmp_path: Path,
) -> None:
    args = project(tmp_path, newline="\r\n")
    assert run(*args, "--apply")[0] == 0
    fixed = (tmp_path / "client.py").read_bytes().decode()
    assert fixed == AFTER.replace(
        "            verbose: Print more.", "            timeout: The timeout. Defaults to ``10``."
    ).replace("\n", "\r\n")
    assert run(*args, "--check")[0] == 0


def test_check_counts_stale_docstrings_and_problems_chooses(tmp_path: Path) -> None:
    args = project(tmp_path)
    assert run(*args, "--check")[0] == 1
    assert run(*args, "--check", "--problems", "missing")[0] == 0
    assert run(*args, "--check", "--problems", "stale")[0] == 1
    code, _, err = run(*args, "--problems", "outdated")
    assert code == 2 and "problems" in err and "\n" not in err.strip()


def test_problems_come_from_pyproject_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docbot]\nproblems = ["missing"]\n')
    code, out, _ = run(*project(tmp_path), "--format", "json", cwd=tmp_path)
    assert code == 0 and json.loads(out)["targets"] == []


def test_the_review_comment_says_what_went_stale_above_the_suggestion() -> None:
    (target,) = scan("client.py", AFTER, frozenset({4}), TargetOptions()).targets
    suggestion = Suggestion("client.py", 10, 10, "            timeout: The timeout.")
    body = comment_body(Result(target, Status.SUGGESTED, suggestion=suggestion))
    first, _, rest = body.partition("\n")
    assert first == (
        "**docbot**: `Client.get`'s docstring went stale: `timeout` was added to the signature;"
        " the docstring does not mention it; the docstring documents `verbose`, which is not in"
        " the signature. One click fixes it:"
    )
    assert rest.lstrip().startswith("```suggestion\n            timeout: The timeout.\n```")
