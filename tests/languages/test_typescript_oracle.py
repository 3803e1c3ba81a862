"""docbot's TypeScript/JavaScript targets against eslint-plugin-jsdoc, on real files.

``tests/data/typescript/eslint.json`` stores what eslint reports for each real file; docbot
is checked against it always.  With eslint installed (``.ci/node``; CI requires it) eslint
runs again on the files and on every quirk of ``test_requirejsdoc``, so the stored answers
are the oracle's own, and the template writer's patch is applied and linted: eslint
reports none of the suggested targets afterwards.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.languages import Project, Registry
from bot.languages.typescript import JAVASCRIPT_LANGUAGE, TYPESCRIPT_LANGUAGE
from bot.pipeline import FinishJob, finish_file
from bot.providers.base import DraftOutcome
from bot.providers.template import draft_for
from bot.suggest import apply
from bot.targets import TargetOptions
from tests import eslint_oracle
from tests.languages.test_requirejsdoc import QUIRKS

DATA = Path(__file__).parents[1] / "data" / "typescript"
GOLDEN: dict[str, list[int]] = json.loads((DATA / "eslint.json").read_text("utf-8"))


def docbot_lines(path: str, source: str) -> list[int]:
    language = TYPESCRIPT_LANGUAGE if path.endswith(".ts") else JAVASCRIPT_LANGUAGE
    every = frozenset(range(1, source.count("\n") + 2))
    return [
        t.line
        for t in language.scan(path, source, every, TargetOptions(), project=Project()).targets
    ]


@pytest.mark.parametrize("path", sorted(GOLDEN))
def test_docbot_reports_what_eslint_reported(path: str) -> None:
    assert docbot_lines(path, (DATA / path).read_text("utf-8")) == GOLDEN[path]


@pytest.mark.usefixtures("eslint")
def test_eslint_still_reports_the_stored_findings() -> None:
    report = eslint_oracle.run(DATA, GOLDEN)
    assert report.fatal == {}
    assert {
        path: sorted(line for line, _ in report.findings.get(path, [])) for path in GOLDEN
    } == GOLDEN


@pytest.mark.usefixtures("eslint")
def test_eslint_reports_each_quirk_as_written_down(tmp_path: Path) -> None:
    paths = {}
    for quirk, (name, source, _) in QUIRKS.items():
        (tmp_path / quirk).mkdir()
        (tmp_path / quirk / name).write_text(source, "utf-8")
        paths[quirk] = f"{quirk}/{name}"
    report = eslint_oracle.run(tmp_path, paths.values())
    found = {q: sorted(line for line, _ in report.findings.get(p, [])) for q, p in paths.items()}
    assert found == {quirk: expected for quirk, (_, _, expected) in QUIRKS.items()}


@pytest.mark.usefixtures("eslint")
def test_after_the_template_patch_eslint_reports_none_of_the_targets(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "src")
    registry = Registry()
    suggested = 0
    for path in GOLDEN:
        file = tmp_path / "src" / path
        source = file.read_text("utf-8")
        language = registry.language_for(path)
        assert language is not None
        every = frozenset(range(1, source.count("\n") + 2))
        scanned = language.scan(path, source, every, TargetOptions(), project=Project())
        targets = scanned.targets
        style = language.style(scanned.votes, Counter(), "auto")
        items = tuple((t, DraftOutcome(draft_for(t))) for t in targets)
        results = finish_file(FinishJob(path, items, style, 88), source)
        suggestions = [r.suggestion for r in results if r.suggestion is not None]
        suggested += len(suggestions)
        edited = apply(source, suggestions)
        language.check_safe(source, edited)
        file.write_text(edited, "utf-8")
    report = eslint_oracle.run(tmp_path / "src", GOLDEN)
    assert suggested == sum(len(lines) for lines in GOLDEN.values())
    assert report.fatal == {} and report.findings == {}
