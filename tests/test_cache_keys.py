"""Cache keys: everything that changes an answer changes the key, layout does not."""

from __future__ import annotations

import pytest

from bot.cache.keys import cache_key, matches, normalise_source, parse_tag
from bot.errors import ConfigError

METHOD = """\
    def take(self, sku, quantity):
        have = self.counts.get(sku, 0)

        if quantity > have:
            raise LookupError(f"only {have} of {sku} left")
"""

FUNCTION = """\
def take(self, sku, quantity):
    have = self.counts.get(sku, 0)

    if quantity > have:
        raise LookupError(f"only {have} of {sku} left")"""


@pytest.mark.parametrize(
    "source",
    [
        METHOD,
        FUNCTION,
        METHOD.replace("\n", "\r\n"),
        "\n\n" + METHOD + "\n\n",
        METHOD.replace("\n", "   \n"),
    ],
    ids=["indented method", "top level", "CRLF", "blank lines around", "trailing spaces"],
)
def test_layout_that_cannot_change_a_docstring_is_normalised_away(source: str) -> None:
    assert normalise_source(source) == FUNCTION


def test_tab_indented_source_is_dedented_by_its_own_margin() -> None:
    assert normalise_source("\tdef f():\n\t\treturn 1\n") == "def f():\n\treturn 1"


BASE = {"provider": "azure", "fingerprint": "gpt-4o|p1", "source": FUNCTION, "style": "google"}


@pytest.mark.parametrize(
    "change",
    [
        {"provider": "openai"},
        {"fingerprint": "gpt-4o-mini|p1"},
        {"style": "numpy"},
        {"source": FUNCTION.replace("LookupError", "KeyError")},
        {"provider": "azureg", "fingerprint": "pt-4o|p1"},  # fields cannot bleed into each other
    ],
    ids=["provider", "fingerprint", "style", "source", "field boundary"],
)
def test_anything_that_changes_the_answer_changes_the_key(change: dict[str, str]) -> None:
    assert cache_key(**{**BASE, **change}) != cache_key(**BASE)


def test_a_key_is_64_hex_digits_and_stable() -> None:
    key = cache_key(**BASE)
    assert key == cache_key(**{**BASE, "source": METHOD})
    assert len(key) == 64 and int(key, 16) >= 0


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("model=gpt-4o", ("model", "gpt-4o")),
        ("repo=acme/app", ("repo", "acme/app")),
        ("a=", ("a", "")),
    ],
)
def test_tags_parse_from_name_equals_value(text: str, tag: tuple[str, str]) -> None:
    assert parse_tag(text) == tag


@pytest.mark.parametrize("text", ["model", "=gpt-4o", "", "a=b\nc=d"])
def test_a_malformed_tag_is_a_config_error_with_an_example(text: str) -> None:
    with pytest.raises(ConfigError, match=r"NAME=VALUE, e\.g\. model=gpt-4o"):
        parse_tag(text)


def test_an_entry_matches_when_it_carries_every_wanted_tag() -> None:
    entry = {"model": "gpt-4o", "repo": "acme/app", "prompt": "1"}
    assert matches(entry, {"model": "gpt-4o", "repo": "acme/app"})
    assert matches(entry, {})
    assert not matches(entry, {"model": "gpt-4o", "repo": "other"})
    assert not matches(entry, {"branch": "main"})


def test_the_language_is_part_of_every_key_but_pythons_which_stay_as_they_were() -> None:
    common = {"provider": "azure", "fingerprint": "f", "source": "x", "style": "tsdoc"}
    python = cache_key(**common)
    assert cache_key(**common, language="python") == python
    assert cache_key(**common, language="typescript") != python
    assert cache_key(**common, language="typescript") != cache_key(**common, language="javascript")
