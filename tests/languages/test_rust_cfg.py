"""``#[cfg]`` as a default ``cargo build`` on Linux sees it."""

from __future__ import annotations

import pytest

from bot.languages.rust.cfg import default_features, enabled

FEATURES = frozenset({"std", "alloc"})


@pytest.mark.parametrize(
    ("predicate", "on"),
    [
        ("test", False),
        ("not(test)", True),
        ('feature = "std"', True),
        ('feature="serde"', False),
        ('all(unix, feature = "alloc")', True),
        ('any(windows, target_os = "macos")', False),
        ('any(windows, target_os = "linux")', True),
        ('not(any(test, feature = "std"))', False),
        ("docsrs", False),
        ("debug_assertions", True),
        ('target_pointer_width = "32"', False),
        ("all()", True),
        ("any()", False),
        ("unreadable(", True),
    ],
)
def test_predicates(predicate: str, on: bool) -> None:
    assert enabled(predicate, FEATURES) is on


def test_default_features_follow_what_they_imply() -> None:
    manifest = '[features]\ndefault = ["std"]\nstd = ["alloc", "dep:serde", "serde/std"]\nalloc = []\nx = []\n'
    assert default_features(manifest) == {"std", "alloc"}


@pytest.mark.parametrize("manifest", [None, "", "[features", '[package]\nname = "x"\n'])
def test_no_or_unreadable_manifest_means_no_features(manifest: str | None) -> None:
    assert default_features(manifest) == frozenset()
