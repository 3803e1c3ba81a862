"""Reading a docstring's parameter entries the way pydoclint's parser does, edge cases first.

Each case is a function whose docstring sits on one of docstring_parser's edges (sections
it refuses with DOC001, roles that look like fields, titles it does not know); docbot's
findings must equal what the real pydoclint reports in the docstring's style.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.docentries import read
from bot.targets import TargetOptions, scan
from tests.test_stale import pydoclint

CASES = {
    "google-args-at-the-title-column": (
        "google",
        '''def f(a, b):
    """Do it.

    Args:
    a: One.
    b: Two.

    Returns:
        It.
    """
''',
        set(),
    ),
    "google-opening-on-its-title": (
        "google",
        '''def f(a, b):
    """
    Args:
        a: One.
    """
''',
        set(),
    ),
    "google-keyword-args-is-not-a-section": (
        "google",
        '''def f(a, **kw):
    """Do it.

    Args:
        a: One.

    Keyword Args:
        b: Two.
    """
''',
        {"DOC101", "DOC103"},
    ),
    "numpy-unknown-title": (
        "numpy",
        '''def f(a, b):
    """Do it.

    Parameters
    ----------
    a : int
        One.

    See also
    --------
    g
    """
''',
        set(),
    ),
    "numpy-returns-without-an-entry-line": (
        "numpy",
        '''def f(a, b):
    """Do it.

    Parameters
    ----------
    a : int
        One.

    Returns
    -------
        int
    """
''',
        set(),
    ),
    "numpy-other-parameters-count": (
        "numpy",
        '''def f(a, b, c):
    """Do it.

    Parameters
    ----------
    a : int
        One.

    Other Parameters
    ----------------
    b : int
        Two.
    """
''',
        {"DOC101", "DOC103"},
    ),
    "numpy-underline-of-another-length": (
        "numpy",
        '''def f(a, b):
    """Do it.

    Parameters
    ---
    a : int
        One.
    """
''',
        set(),
    ),
    "sphinx-role-at-a-line-start": (
        "sphinx",
        '''def f(a, b):
    """Do it.

    :attr:`x` is read.
    """
''',
        set(),
    ),
    "sphinx-typed-and-starred": (
        "sphinx",
        '''def f(a, *args):
    """Do it.

    :param int a: One.
    :param args: The rest.
    """
''',
        {"DOC103"},
    ),
    "sphinx-escaped-stars": (
        "sphinx",
        '''def f(a, **kwargs):
    r"""Do it.

    :param a: One.
    :param \\*\\*kwargs: The rest.
    """
''',
        set(),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_edge_cases_read_as_pydoclint_reads_them(name: str, tmp_path: Path) -> None:
    style, source, codes = CASES[name]
    found = scan("m.py", source, frozenset({1}), TargetOptions(problems=("stale",))).targets
    ours = {f.code for t in found for f in t.findings}
    assert ours == codes
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    assert set().union(*pydoclint(path, style).values()) == codes


@pytest.mark.parametrize(
    ("lines", "style"),
    [
        (["Do.", "", "    Args:", "        a: One.", "    "], "google"),
        (["Do.", "", "    Parameters", "    ----------", "    a : int", "    "], "numpy"),
        (["Do.", "", "    :param a: One.", "    "], "sphinx"),
    ],
)
def test_the_style_is_read_from_the_docstrings_own_text(lines: list[str], style: str) -> None:
    layout = read(lines)
    assert layout is not None
    assert (layout.style, [e.name for e in layout.params]) == (style, ["a"])


def test_a_docstring_without_sections_has_no_layout() -> None:
    assert read(["Do it.", "", "    More words: and a colon.", "    "]) is None
