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


def test_the_model_writes_only_the_new_entrys_words_and_is_asked_again_when_it_strays(
    tmp_path: Path,
) -> None:
    from tests.fakes.azure import KEY, FakeAzure

    with FakeAzure() as fake:
        fake.script("wrong")  # the first answer documents a parameter that does not exist
        env = {
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE": "false",
        }
        code, out, err = run(*project(tmp_path), "--provider", "azure", "--format", "json", env=env)
    assert code == 0, err
    (target,) = json.loads(out)["targets"]
    assert target["suggestion"]["replacement"] == "            timeout: The timeout to use."
    asked = [r.body["messages"] for r in fake.billed()]
    assert len(asked) == 2  # the answer and the repair round
    first_user = next(m["content"] for m in asked[0] if m["role"] == "user")
    assert "write parameters: timeout" in first_user
    assert "DOC103" in first_user
    assert "exactly these parameters, no others: timeout" in asked[1][-1]["content"]


def test_a_stale_docstring_that_only_loses_entries_asks_no_model(tmp_path: Path) -> None:
    from tests.fakes.azure import KEY, FakeAzure

    args = project(
        tmp_path, text=BEFORE.replace("def get(self, url, verbose=False):", "def get(self, url):")
    )
    with FakeAzure() as fake:
        env = {
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE": "false",
        }
        code, out, err = run(*args, "--provider", "azure", "--format", "json", env=env)
    assert code == 0, err
    (target,) = json.loads(out)["targets"]
    assert target["suggestion"] == {
        "start_line": 9,
        "end_line": 10,
        "replacement": "                Must be absolute.",
    }
    assert fake.billed() == []


def test_the_patch_of_a_repair_applies_with_git_apply_like_apply_writes_it(tmp_path: Path) -> None:
    import subprocess

    args = project(tmp_path)
    code, patch, _ = run(*args, "--format", "patch")
    assert code == 0 and "+            timeout: The timeout." in patch
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "client.py").write_text(AFTER, encoding="utf-8")
    (copy / "fix.patch").write_text(patch, encoding="utf-8")
    subprocess.run(["git", "apply", "fix.patch"], cwd=copy, check=True)
    assert run(*args, "--apply")[0] == 0
    assert (copy / "client.py").read_text() == (tmp_path / "client.py").read_text()
