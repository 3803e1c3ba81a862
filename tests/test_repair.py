"""The repair edits the author's lines: kept entries byte for byte, the rest untouched.

Examples in each style, then properties over generated docstrings in all three styles:
after any change of signature the repaired docstring agrees with it, and it differs from
the old one only in the entries the findings named.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.docentries import read
from bot.model import Param
from bot.repair import NewEntry, Unrepairable, repair, verify
from bot.stale import documented_names, findings


def params(*names: str, annotated: bool = False) -> tuple[Param, ...]:
    return tuple(Param(n.lstrip("*"), _kind(n), "int" if annotated else None, None) for n in names)


def _kind(name: str) -> str:  # type: ignore[return]
    if name.startswith("**"):
        return "var_keyword"
    if name.startswith("*"):
        return "var_positional"
    return "positional"


def lines(text: str) -> list[str]:
    return text.split("\n")


NEW = {"timeout": NewEntry("Seconds to wait.", None), "b": NewEntry("The second.", "str")}

GOOGLE = """Fetch a URL.

    Longer words: stay.

    Args:
        url (str): The address.
            Must be absolute.
        verbose (bool): Print more.

    Returns:
        The body.
    """

NUMPY = """Fetch a URL.

    Parameters
    ----------
    url : str
        The address.

    verbose : bool, optional
        Print more.

    Notes
    -----
    Words.
    """

SPHINX = """Fetch a URL.

    :param url: The address.
        Must be absolute.
    :type url: str
    :param verbose: Print more.
    :type verbose: bool
    :returns: The body.
    """


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            GOOGLE,
            """Fetch a URL.

    Longer words: stay.

    Args:
        url (str): The address.
            Must be absolute.
        timeout (int): Seconds to wait.

    Returns:
        The body.
    """,
        ),
        (
            NUMPY,
            """Fetch a URL.

    Parameters
    ----------
    url : str
        The address.

    timeout : int
        Seconds to wait.

    Notes
    -----
    Words.
    """,
        ),
        (
            SPHINX,
            """Fetch a URL.

    :param url: The address.
        Must be absolute.
    :type url: str
    :param timeout: Seconds to wait.
    :type timeout: int
    :returns: The body.
    """,
        ),
    ],
    ids=["google", "numpy", "sphinx"],
)
def test_a_renamed_parameter_swaps_one_entry_in_the_neighbours_format(
    doc: str, expected: str
) -> None:
    signature = (Param("url", "positional", "str"), Param("timeout", "positional", "int"))
    fixed = repair(lines(doc), signature, NEW)
    verify(lines(doc), fixed, signature)
    assert "\n".join(fixed.lines) == expected


def test_entries_follow_the_signatures_order_byte_for_byte() -> None:
    doc = "Do.\n\n    Args:\n        b: Bee.\n            More bee.\n        a: Ay.\n    "
    fixed = repair(lines(doc), params("a", "b"), {})
    assert "\n".join(fixed.lines) == (
        "Do.\n\n    Args:\n        a: Ay.\n        b: Bee.\n            More bee.\n    "
    )


def test_a_missing_args_section_is_added_before_the_first_section() -> None:
    doc = "Do.\n\n    Returns:\n        It.\n    "
    fixed = repair(lines(doc), params("a"), {"a": NewEntry("The a.")})
    assert "\n".join(fixed.lines) == (
        "Do.\n\n    Args:\n        a: The a.\n\n    Returns:\n        It.\n    "
    )


def test_stars_missing_from_a_documented_varargs_are_added_in_place() -> None:
    doc = "Do.\n\n    Args:\n        args: The rest.\n    "
    fixed = repair(lines(doc), params("*args"), {})
    assert "\n".join(fixed.lines) == "Do.\n\n    Args:\n        *args: The rest.\n    "


def test_an_entry_naming_two_parameters_is_left_to_its_author() -> None:
    doc = "Do.\n\n    Parameters\n    ----------\n    x, y : int\n        Both.\n    "
    with pytest.raises(Unrepairable, match="several names"):
        repair(lines(doc), params("x", "y", "z"), {})


def test_an_entry_on_the_closing_quotes_line_is_left_to_its_author() -> None:
    doc = "Do.\n\n    Args:\n        a: Ay."
    with pytest.raises(Unrepairable, match="quotes"):
        repair(lines(doc), params("b"), {})


# -- properties ------------------------------------------------------------------------------

NAMES = ["alpha", "beta", "gamma", "delta", "eps", "zeta"]
words = st.lists(st.sampled_from(["the", "value", "of", "it", "x", "used", "for"]), min_size=1)


@st.composite
def documented(draw: st.DrawFn) -> tuple[str, list[str], list[str], dict[str, list[str]]]:
    """A docstring in some style documenting some names, and a new signature."""
    style = draw(st.sampled_from(["google", "numpy", "sphinx"]))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    bodies = {
        n: [" ".join(draw(words)) + "." for _ in range(draw(st.integers(1, 3)))] for n in names
    }
    gap = draw(st.booleans()) and style == "numpy"
    out = ["Summary line.", ""]
    if draw(st.booleans()):
        out += ["    A description: with a colon.", ""]
    if style == "google":
        out.append("    Args:")
        for n in names:
            out += [
                f"        {n} (int): {bodies[n][0]}",
                *(f"            {b}" for b in bodies[n][1:]),
            ]
        out += ["", "    Returns:", "        A thing."]
    elif style == "numpy":
        out += ["    Parameters", "    ----------"]
        for n in names:
            out += [f"    {n} : int", *(f"        {b}" for b in bodies[n])]
            out += [""] if gap else []
        out = out[:-1] if gap else out
        out += ["", "    Examples", "    --------", "    >>> f(1)"]
    else:
        for n in names:
            out += [f"    :param {n}: {bodies[n][0]}", *(f"        {b}" for b in bodies[n][1:])]
        out += ["    :returns: A thing."]
    out.append("    ")
    signature = draw(st.permutations(draw(st.lists(st.sampled_from(NAMES), unique=True))))
    return style, out, list(signature), bodies


@settings(max_examples=300, deadline=None)
@given(documented())
def test_any_repair_agrees_with_the_signature_and_keeps_every_other_line(
    case: tuple[str, list[str], list[str], dict[str, list[str]]],
) -> None:
    style, old, signature, _ = case
    sig = params(*signature, annotated=True)
    new_words = {n: NewEntry(f"New {n}.") for n in signature}
    layout = read(old)
    assert layout is not None and layout.style == style
    fixed = repair(old, sig, new_words)
    verify(old, fixed, sig)
    after = read(fixed.lines)
    assert after is not None and not findings(after, documented_names(sig))
    # Old lines that were not in a dropped entry all survive; new lines are new entries.
    gone = {e.name for e in layout.params} - set(signature)
    dropped = Counter(
        line for e in layout.params if e.name in gone for line in old[e.first : e.last + 1]
    )
    if not signature:  # no argument left: the section goes with its title
        dropped = Counter(old[fixed.start : fixed.stop])
    # Blank lines between entries go and come with them (the neighbours' spacing).
    kept = Counter(line for line in old if line.strip()) - dropped
    now = Counter(line for line in fixed.lines if line.strip())
    added = now - kept
    assert not kept - now
    fresh = set(signature) - {e.name for e in layout.params}
    assert all(any(n in line for n in fresh) for line in added if line.strip()), added


@settings(max_examples=300, deadline=None)
@given(documented(), st.data())
def test_a_renamed_entry_keeps_every_word_but_its_name_at_the_new_place(
    case: tuple[str, list[str], list[str], dict[str, list[str]]], data: st.DataObject
) -> None:
    style, old, _, bodies = case
    gone = data.draw(st.sampled_from(sorted(bodies)))
    others = data.draw(st.lists(st.sampled_from([n for n in NAMES if n != gone]), unique=True))
    signature = data.draw(st.permutations([*others, "omega"]))
    sig = params(*signature, annotated=True)
    new_words = {n: NewEntry(f"New {n}.") for n in signature}
    fixed = repair(old, sig, new_words, renames={gone: "omega"})
    verify(old, fixed, sig)
    layout, after = read(old), read(fixed.lines)
    assert layout is not None and after is not None
    assert [e.name for e in after.params] == signature
    entry = next(e for e in layout.params if e.name == gone)
    block = old[entry.first : entry.last + 1]
    name = f":param {gone}:" if style == "sphinx" else f" {gone} "
    first = block[0].replace(name, name.replace(gone, "omega"), 1)
    text = "\n".join(fixed.lines)
    assert "\n".join((first, *block[1:])) in text
    assert all(line in text for line in bodies[gone]) and "New omega." not in text
    moved = next(e for e in after.params if e.name == "omega")
    assert fixed.lines[moved.first] == first
