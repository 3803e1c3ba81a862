"""The Action end to end on a pull request mixing Python, TypeScript and JavaScript.

The Python half is tests/data/action_pr (23 targets); the other half,
tests/data/action_pr_ts, adds a decorated exported TypeScript class, an exported arrow and
a CommonJS module.  One review carries suggestions for every language; committed the way
GitHub commits them, each file passes its language's proof (and eslint, when installed,
reports none of the TypeScript/JavaScript targets); a re-run posts nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.languages import Registry
from tests import eslint_oracle
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import run_docbot, tree
from tests.test_action_e2e import apply_like_github

TS_DATA = Path(__file__).parent / "data" / "action_pr_ts"
SCRIPT_TARGETS = {
    ("web/cart.ts", "Cart"),
    ("web/cart.ts", "Cart.constructor"),
    ("web/cart.ts", "Cart.add"),
    ("web/cart.ts", "Cart.size"),
    ("web/cart.ts", "formatTotal"),
    ("web/legacy.js", "parseSku"),
    ("web/legacy.js", "module.exports.isSku"),
}


def _files(version: str) -> dict[str, str]:
    folder = TS_DATA / version
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*.*s")}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub(prefix="/api/v3", page_size=3) as server:
        base = server.commit(tree("base") | _files("base"))
        head = server.commit(tree("head1") | _files("head"), base)
        server.open_pull(12, base, head)
        yield server


def _head() -> dict[str, str]:
    return tree("head1") | _files("head")


def _posted(fake: FakeGitHub) -> set[tuple[str, str]]:
    return {(str(c["path"]), str(c["body"]).split("`")[1]) for c in fake.pulls[12].review_comments}


def test_one_review_suggests_for_python_typescript_and_javascript(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    assert [r["state"] for r in fake.pulls[12].reviews] == ["COMMENTED"]
    posted = _posted(fake)
    assert {p for p in posted if p[0].startswith("web/")} == SCRIPT_TARGETS
    assert len([p for p in posted if p[0].endswith(".py")]) == 23
    assert run.outputs["targets"] == run.outputs["suggested"] == str(23 + len(SCRIPT_TARGETS))
    bodies = {str(c["body"]).split("`")[1]: str(c["body"]) for c in fake.pulls[12].review_comments}
    # TSDoc in a .ts file that writes TSDoc, above the decorator, at the member's indentation.
    assert "\n/**\n * Cart.\n */\n@Injectable()\n" in bodies["Cart"]
    assert "   * @param sku - The sku.\n" in bodies["Cart.add"]
    assert "   * @throws {@link RangeError}" in bodies["Cart.add"]
    assert "/**\n * Parse sku.\n *\n * @param text The text.\n" in bodies["parseSku"]


def test_committed_suggestions_pass_each_languages_proof(fake: FakeGitHub, tmp_path: Path) -> None:
    assert run_docbot(fake, tmp_path).code == 0
    head = _head()
    by_path: dict[str, list[dict[str, object]]] = {}
    for comment in fake.pulls[12].review_comments:
        by_path.setdefault(str(comment["path"]), []).append(comment)
    registry = Registry()
    committed = tmp_path / "committed"
    for path, comments in by_path.items():
        after = apply_like_github(head[path], comments)
        language = registry.language_for(path)
        assert language is not None
        language.check_safe(head[path], after)
        (committed / path).parent.mkdir(parents=True, exist_ok=True)
        (committed / path).write_text(after)
    if eslint_oracle.available() is None:
        report = eslint_oracle.run(committed, ["web/cart.ts", "web/legacy.js"])
        assert report.fatal == {} and report.findings == {}


def test_a_rerun_posts_nothing_new(fake: FakeGitHub, tmp_path: Path) -> None:
    first = run_docbot(fake, tmp_path, action="opened")
    second = run_docbot(fake, tmp_path, action="synchronize")
    assert first.code == second.code == 0
    assert second.writes == []
    assert len(fake.pulls[12].reviews) == 1
