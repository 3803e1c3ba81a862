"""Which adapter owns a path: each language's suffixes, and the ``languages`` setting."""

from __future__ import annotations

import pytest

from bot.errors import ConfigError
from bot.languages import ADAPTERS, Registry, adapter, available


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("src/pkg/mod.py", "python"),
        ("pkg/mod.pyi", "python"),
        ("README.md", None),
        ("Makefile", None),
        (".py", None),
    ],
)
def test_default_owners(path: str, language: str | None) -> None:
    found = Registry().language_for(path)
    assert (found.name if found else None) == language


def test_the_setting_maps_more_suffixes_and_turns_some_off() -> None:
    registry = Registry.from_mapping({".pyw": "python", ".pyi": ""})
    owner = registry.language_for("tools/run.pyw")
    assert owner is not None and owner.name == "python"
    assert registry.language_for("pkg/mod.pyi") is None
    assert ".pyw" in registry.suffixes() and ".pyi" not in registry.suffixes()


def test_suffixes_match_case_sensitively_as_the_linters_globs_do() -> None:
    assert Registry().language_for("LEGACY/MOD.PY") is None


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"py": "python"}, "not a suffix"),
        ({".kt": "kotlin"}, "no language 'kotlin'"),
    ],
)
def test_bad_settings_name_the_problem(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Registry.from_mapping(mapping)


def test_every_available_adapter_is_registered_under_its_own_name() -> None:
    for found in available():
        assert adapter(found.name) is found
        assert found.name in ADAPTERS
        assert all(suffix.startswith(".") for suffix in found.extensions)
