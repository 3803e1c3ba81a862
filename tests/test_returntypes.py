"""The ``types`` stale check, return side: DOC203 as pydoclint reports it.

The fixtures tests/data/stale/returns_*.py hold Returns sections whose types agree with
the return annotation or do not (changed, missing, untyped, unannotated); pydoclint
runs live with ``--check-return-types True``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.mend import finish_stale
from bot.model import Status
from bot.providers.template import draft_for
from bot.targets import TargetOptions, scan
from tests.test_stale import STYLES, everything_added, pydoclint_codes

DATA = Path(__file__).parent / "data" / "stale"
OPTIONS = TargetOptions(problems=("stale",), stale_checks=("types",))
RETURN_FLAGS = (
    "--arg-type-hints-in-docstring", "True", "--arg-type-hints-in-signature", "True",
    "--check-return-types", "True", "--check-yield-types", "False",
    "--skip-checking-raises", "True", "--allow-init-docstring", "True",
)  # fmt: skip
CODES = ("DOC101", "DOC102", "DOC103", "DOC104", "DOC105", "DOC203")
EXPECTED = {
    "google": {"changed", "untyped", "unannotated", "missing"},
    "numpy": {"changed", "unannotated"},
    "sphinx": {"changed", "untyped", "prose"},
}


@pytest.mark.parametrize("style", STYLES)
def test_docbot_reports_what_pydoclint_reports_with_return_types_on(style: str) -> None:
    path = DATA / f"returns_{style}.py"
    text = path.read_text(encoding="utf-8")
    found = scan(path.name, text, everything_added(text), OPTIONS).targets
    ours = {t.line: {f.code for f in t.findings} for t in found}
    assert ours == pydoclint_codes(path, style, RETURN_FLAGS, CODES)
    assert {t.qualname for t in found} == EXPECTED[style]


def test_a_stale_return_type_is_left_to_its_author_with_a_reason() -> None:
    text = (DATA / "returns_google.py").read_text(encoding="utf-8")
    targets = scan("m.py", text, everything_added(text), OPTIONS).targets
    results = [finish_stale(t, draft_for(t), source=text, line_length=88) for t in targets]
    assert {(r.status, r.reason) for r in results} == {
        (Status.SKIPPED, "repair of return types (DOC203) not supported yet")
    }
