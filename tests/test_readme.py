"""The README documents every setting, and documents nothing that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings, env_name

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def settings_rows() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (`DOCBOT_[A-Z0-9_]+`[^|]*) \|", README, re.MULTILINE)
    return {name.replace("-", "_"): env for name, env in rows}


def test_every_setting_has_a_row_with_its_environment_variable() -> None:
    rows = settings_rows()
    assert set(rows) == set(Settings.model_fields)
    for name, env in rows.items():
        assert f"`{env_name(name)}`" in env


def test_the_quick_start_runs_the_bundled_example() -> None:
    assert "docbot dry-run --diff examples/shop/change.diff --root examples/shop" in README
    assert (Path(__file__).parent.parent / "examples/shop/change.diff").is_file()
