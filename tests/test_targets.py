"""Target detection: which definitions need a docstring (ruff's D1 rules), and their records."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from bot.errors import UnparsableFile
from bot.model import Param, Target, TargetKind
from bot.settings import validate
from bot.targets import FileScan, TargetOptions, scan

DATA = Path(__file__).parent / "data" / "targets"


def scan_all(source: str, path: str = "pkg/mod.py", **options: object) -> FileScan:
    """Scan ``source`` (dedented) as if the change added every line of it."""
    text = textwrap.dedent(source)
    added = frozenset(range(1, text.count("\n") + 2))
    return scan(path, text, added, TargetOptions(**options))  # type: ignore[arg-type]


def found(source: str, path: str = "pkg/mod.py", **options: object) -> list[str]:
    return [t.qualname for t in scan_all(source, path, **options).targets]


def only(source: str, **options: object) -> Target:
    targets = scan_all(source, **options).targets
    assert len(targets) == 1, [t.qualname for t in targets]
    return targets[0]


# -- which definitions count (ruff's D101/D102/D103/D106 and its notion of public) ------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("def f(): pass\nclass C: pass\n", ["f", "C"], id="public function and class"),
        pytest.param(
            "def _f(): pass\nclass _C:\n    def m(self): pass\n", [], id="underscore is private"
        ),
        pytest.param(
            "class C:\n    def m(self): pass\n    def _p(self): pass\n    def __m(self): pass\n",
            ["C", "C.m"],
            id="private and mangled methods",
        ),
        pytest.param(
            "class C:\n    class Inner:\n        def m(self): pass\n"
            "    class _Hidden:\n        class Deep: pass\n",
            ["C", "C.Inner", "C.Inner.m"],
            id="nested classes, private scope hides members",
        ),
        pytest.param(
            "def outer():\n    def inner(): pass\n    class Local:\n        def m(self): pass\n",
            ["outer"],
            id="anything inside a function body is private",
        ),
        pytest.param('def f():\n    """Doc."""\n', [], id="already documented"),
        pytest.param(
            "def f():\n    ('parenthesised')\n", [], id="parenthesised string is a docstring"
        ),
        pytest.param("def f():\n    'a' 'b'\n", [], id="implicitly concatenated docstring"),
        pytest.param("def f():\n    f'not {a} docstring'\n", ["f"], id="f-string is no docstring"),
        pytest.param("def f():\n    b'bytes'\n", ["f"], id="bytes are no docstring"),
        pytest.param(
            "def f():\n    # comment\n    x = 1\n    'late'\n", ["f"], id="string not first"
        ),
        pytest.param("async def fetch(): pass\n", ["fetch"], id="async"),
        pytest.param("def __getattr__(name): pass\n", [], id="module-level dunder is private"),
        pytest.param(
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    def a(): pass\nelse:\n    def b(): pass\n"
            "try:\n    def c(): pass\nexcept ImportError:\n    def d(): pass\n"
            "for _ in ():\n    def e(): pass\nwith x:\n    def g(): pass\n"
            "match y:\n    case 1:\n        def h(): pass\n",
            ["a", "b", "c", "d", "e", "g", "h"],
            id="module-level blocks count",
        ),
        pytest.param(
            "class C:\n    if True:\n        def m(self): pass\n"
            "    try:\n        class N: pass\n    except E:\n        pass\n",
            ["C", "C.m", "C.N"],
            id="class-level blocks count",
        ),
    ],
)
def test_public_undocumented_definitions_are_targets(source: str, expected: list[str]) -> None:
    assert found(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """\
            from typing import overload
            @overload
            def f(x: int) -> int: ...
            @overload
            def f(x: str) -> str: ...
            def f(x): return x
            """,
            [6],
            id="overload stubs need none, the implementation does",
        ),
        pytest.param(
            """\
            import typing as t
            import typing_extensions
            @t.overload
            def f(x: int) -> int: ...
            @typing_extensions.overload
            def g(x: int) -> int: ...
            """,
            [],
            id="overload through module aliases",
        ),
        pytest.param(
            """\
            @overload
            def f(x: int) -> int: ...
            @typing.overload
            def g(x: int) -> int: ...
            """,
            [2, 4],
            id="overload not imported from typing is just a decorator",
        ),
        pytest.param(
            """\
            @overload
            def f(x: int) -> int: ...
            from typing import overload
            """,
            [],
            id="ruff resolves decorators against the module's final bindings",
        ),
        pytest.param(
            """\
            from typing_extensions import override
            import typing
            class C(Base):
                '''Doc.'''
                @override
                def a(self): pass
                @typing.override
                def b(self): pass
            @override
            def plain(): pass
            """,
            [10],
            id="override exempts methods only",
        ),
        pytest.param(
            """\
            class C:
                '''Doc.'''
                @property
                def value(self): return self._v
                @value.setter
                def value(self, v): self._v = v
                @value.deleter
                def value(self): del self._v
                @other.setter
                def changed(self, v): pass
            """,
            [4, 10],
            id="property getter is a target, its setter and deleter are not",
        ),
    ],
)
def test_exemptions(source: str, expected: list[int]) -> None:
    assert [t.line for t in scan_all(source).targets] == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "__all__ = ['f', '_g']\ndef f(): pass\ndef g(): pass\ndef _g(): pass\n",
            ["f"],
            id="list",
        ),
        pytest.param(
            "def f(): pass\ndef g(): pass\n__all__ = ('g',)\n", ["g"], id="after the definitions"
        ),
        pytest.param(
            "__all__ = ['f']\n__all__ += ['g']\ndef f(): pass\ndef g(): pass\n",
            ["f", "g"],
            id="augmented",
        ),
        pytest.param(
            "__all__ = ['f'] + other.__all__\ndef f(): pass\ndef g(): pass\n",
            ["f"],
            id="concatenated",
        ),
        pytest.param(
            "__all__ = list(('f',))\ndef f(): pass\ndef g(): pass\n", ["f"], id="list() call"
        ),
        pytest.param(
            "__all__ = ['f']\n__all__.append('g')\ndef f(): pass\ndef g(): pass\n",
            ["f"],
            id="append unseen",
        ),
        pytest.param(
            "__all__ = [n for n in dir()]\ndef f(): pass\n", [], id="dynamic: nothing public"
        ),
        pytest.param(
            "if X:\n    __all__ = ['f']\nelse:\n    __all__ = ['g']\n"
            "def f(): pass\ndef g(): pass\ndef h(): pass\n",
            ["f", "g"],
            id="every binding counts",
        ),
        pytest.param(
            "__all__ = ['C']\nclass C:\n    def m(self): pass\nclass D:\n    def m(self): pass\n",
            ["C", "C.m"],
            id="members of unexported classes are private",
        ),
        pytest.param(
            "class K:\n    __all__ = []\n    def m(self): pass\n",
            ["K", "K.m"],
            id="class-level __all__ ignored",
        ),
    ],
)
def test_dunder_all_decides_module_level_publicity(source: str, expected: list[str]) -> None:
    assert found(source) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pkg/mod.py", ["f", "C", "C.m"]),
        ("pkg/_mod.py", []),
        ("pkg/_internal/mod.py", []),
        ("pkg/__main__.py", ["f", "C", "C.m"]),
        ("__dunder__/mod.py", ["f", "C", "C.m"]),
    ],
)
def test_private_modules_and_packages_make_members_private(path: str, expected: list[str]) -> None:
    assert found("def f(): pass\nclass C:\n    def m(self): pass\n", path) == expected


MAGIC = """\
class C:
    '''Doc.'''
    def __init__(self): pass
    def __new__(cls): pass
    def __call__(self): pass
    def __repr__(self): pass
"""


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ["C.__new__", "C.__call__"]),
        ({"include_init": True}, ["C.__init__", "C.__new__", "C.__call__"]),
        ({"include_magic": True}, ["C.__new__", "C.__call__", "C.__repr__"]),
    ],
)
def test_magic_methods_follow_ruff_d102_d105_d107(
    options: dict[str, bool], expected: list[str]
) -> None:
    assert found(MAGIC, **options) == expected


def test_include_private_adds_private_names_but_keeps_exemptions() -> None:
    source = """\
    def _helper(): pass
    class _Impl:
        def run(self): pass
        @property
        def x(self): return 1
        @x.setter
        def x(self, v): pass
    def outer():
        def inner(): pass
    """
    assert found(source, include_private=True) == [
        "_helper",
        "_Impl",
        "_Impl.run",
        "_Impl.x",
        "outer",
    ]


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        ("x = 1\n", "pkg/mod.py", ["mod"]),
        ('"""Doc."""\nx = 1\n', "pkg/mod.py", []),
        ("x = 1\n", "pkg/__init__.py", []),
        ("x = 1\n", "pkg/_private.py", []),
    ],
)
def test_modules_are_opt_in_d100(source: str, path: str, expected: list[str]) -> None:
    targets = scan_all(source, path, include_modules=True).targets
    assert [t.qualname for t in targets] == expected
    assert all((t.kind, t.line, t.header_end) == (TargetKind.MODULE, 1, 1) for t in targets)


@pytest.mark.parametrize(
    "source",
    [
        "def f():  # noqa: D103\n    pass\n",
        "def f():  # noqa\n    pass\n",
        "# ruff: noqa: D103\ndef f():\n    pass\n",
        "# ruff: noqa\ndef f():\n    pass\n",
    ],
)
def test_noqa_silences_the_rule_as_in_ruff(source: str) -> None:
    assert found(source) == []


def test_noqa_for_another_rule_does_not() -> None:
    assert found("def f():  # noqa: E501\n    pass\n") == ["f"]


def test_kinds() -> None:
    source = "def f(): pass\nclass C:\n    def m(self): pass\n    class N: pass\n"
    assert [t.kind for t in scan_all(source).targets] == [
        TargetKind.FUNCTION,
        TargetKind.CLASS,
        TargetKind.METHOD,
        TargetKind.NESTED_CLASS,
    ]


def test_stubs_have_no_targets() -> None:
    assert found("def f(x: int) -> int: ...\n", "pkg/mod.pyi") == []


@pytest.mark.skipif(shutil.which("ruff") is None, reason="needs ruff")
def test_fixture_files_match_ruff_exactly(tmp_path: Path) -> None:
    """The fixtures hold every rule above in real-looking modules; ruff is the oracle."""
    shutil.copytree(DATA, tmp_path / "data")
    done = subprocess.run(
        [
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "json",
            "--select",
            "D101,D102,D103,D106",
            ".",
        ],
        cwd=tmp_path / "data",
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = {
        (Path(d["filename"]).relative_to(tmp_path / "data").as_posix(), d["location"]["row"])
        for d in json.loads(done.stdout)
    }
    ours = set()
    for path in sorted((tmp_path / "data").rglob("*.py")):
        rel = path.relative_to(tmp_path / "data").as_posix()
        text = path.read_text(encoding="utf-8")
        added = frozenset(range(1, text.count("\n") + 2))
        ours |= {(rel, t.line) for t in scan(rel, text, added, TargetOptions()).targets}
    assert theirs, "the fixtures should hold undocumented public definitions"
    assert ours == theirs


# -- scope: which added lines make a definition a target --------------------------------------

SIGNATURE = """\
@decorator
def f(
    a,
    b,
) -> int:
    x = 1
    return x
"""


@pytest.mark.parametrize(
    ("added", "scope", "is_target"),
    [
        ({2}, "signature", True),
        ({4}, "signature", True),
        ({5}, "signature", True),
        ({1}, "signature", False),
        ({6}, "signature", False),
        ({1}, "touched", True),
        ({7}, "touched", True),
        ({8, 40}, "touched", False),
        (set(), "touched", False),
    ],
)
def test_scope_signature_vs_touched(added: set[int], scope: str, is_target: bool) -> None:
    targets = scan("m.py", SIGNATURE, frozenset(added), TargetOptions(scope=scope)).targets  # type: ignore[arg-type]
    assert bool(targets) is is_target


def test_a_class_is_not_a_target_because_a_method_changed() -> None:
    source = "class C:\n    def old(self): pass\n    def new(self): pass\n"
    assert [t.qualname for t in scan("m.py", source, frozenset({3}), TargetOptions()).targets] == [
        "C.new"
    ]


# -- the header: where it ends, one-liners, indentation ---------------------------------------


@pytest.mark.parametrize(
    ("source", "header_end", "one_liner", "body_indent"),
    [
        ("def f(a, b):\n    return a\n", 1, False, "    "),
        (
            "def f(\n    a: int,\n    b: str = 'x',\n) -> dict[str, int]:\n    pass\n",
            4,
            False,
            "    ",
        ),
        ("def f(a='):'):\n    pass\n", 1, False, "    "),
        ("def f(a=(1,  # note: ) here\n       2)):\n    pass\n", 2, False, "    "),
        ("def f(a,  # type: int\n      b):  # why: because\n    pass\n", 2, False, "    "),
        ("def f(a, \\\n      b):\n    pass\n", 2, False, "    "),
        ("def f(a=lambda x: x):\n    pass\n", 1, False, "    "),
        ("def f() -> 'A:B':\n    pass\n", 1, False, "    "),
        ("def f(): return 1\n", 1, True, "    "),
        ("class A: pass\n", 1, True, "    "),
        ("class A(\n    Base,\n    metaclass=Meta,\n):\n  x = 1\n", 4, False, "  "),
        ("def f(\n):\n    pass\n", 2, False, "    "),
    ],
)
def test_header_end_one_liner_and_body_indent(
    source: str, header_end: int, one_liner: bool, body_indent: str
) -> None:
    target = only(source)
    assert (target.line, target.header_end, target.one_liner, target.body_indent) == (
        1,
        header_end,
        one_liner,
        body_indent,
    )


@pytest.mark.parametrize(
    ("source", "body_indent"),
    [
        pytest.param(
            "class A:\n\tdef g(self):\n\t\tpass\n\tdef f(self): pass\n", "\t\t", id="tabs"
        ),
        pytest.param(
            "class A:\n  def g(self):\n    pass\n  def f(self): pass\n", "    ", id="two spaces"
        ),
        pytest.param("class A:\n    def f(self): pass\n", "        ", id="default four"),
    ],
)
def test_one_liner_indent_uses_the_files_unit(source: str, body_indent: str) -> None:
    target = scan_all(source).targets[-1]
    assert target.qualname == "A.f"
    assert target.one_liner
    assert target.body_indent == body_indent


def test_line_is_the_def_line_not_the_decorator() -> None:
    target = only("import functools\n\n@functools.cache\n@other(\n    1)\ndef f(): pass\n")
    assert (target.line, target.decorators) == (6, ("functools.cache", "other(\n    1)"))
    assert target.source == "@functools.cache\n@other(\n    1)\ndef f(): pass\n"


# -- files as they come: CRLF, tabs, BOM, non-ASCII, form feeds -------------------------------


def test_crlf_file_keeps_its_line_endings_in_source() -> None:
    text = "class A:\r\n    def m(self, x: int = 1) -> str:\r\n        return 'x'\r\n"
    targets = scan("m.py", text, frozenset({1, 2, 3}), TargetOptions()).targets
    method = targets[1]
    assert (method.header_end, method.body_indent, method.end_line) == (2, "        ", 3)
    assert method.source == "    def m(self, x: int = 1) -> str:\r\n        return 'x'\r\n"
    assert method.params == (Param("x", "positional", "int", "1"),)
    assert targets[0].source == text


def test_bom_non_ascii_and_form_feed() -> None:
    text = "\ufeff# café\n\x0c\ndef naïve(ß: 'é' = 'ü', *, ç: int = 2) -> 'ñ':\n    return 'ø'\n"
    target = scan("m.py", text, frozenset(range(1, 6)), TargetOptions()).targets[0]
    assert (target.qualname, target.line, target.header_end) == ("naïve", 3, 3)
    assert target.params == (
        Param("ß", "positional", "'é'", "'ü'"),
        Param("ç", "keyword_only", "int", "2"),
    )
    assert target.returns == "'ñ'"


def test_lone_carriage_returns_count_as_line_breaks_like_python() -> None:
    text = "x = 1\rdef f():\r    return 1\r"
    target = scan("m.py", text, frozenset({2}), TargetOptions()).targets[0]
    assert (target.line, target.end_line, target.source) == (2, 3, "def f():\r    return 1\r")


def test_added_lines_beyond_the_file_are_ignored() -> None:
    assert scan("m.py", "x = 1\n", frozenset({5, 99}), TargetOptions()).targets == ()


@pytest.mark.parametrize(
    ("text", "line"),
    [("def f(:\n    pass\n", 1), ("x = 1\ny = (\n", 2), ("def f():\nreturn 1\n", 2), ("a\0b", 1)],
)
def test_unparsable_file_says_where(text: str, line: int) -> None:
    with pytest.raises(UnparsableFile) as caught:
        scan("pkg/bad.py", text, frozenset({1}), TargetOptions())
    message = str(caught.value)
    assert message.startswith(f"pkg/bad.py:{line}: ")
    assert "\n" not in message


# -- what a target says about the definition --------------------------------------------------


def test_params_of_a_method_drop_self_and_keep_source_text() -> None:
    target = only(
        """\
        class C:
            '''Doc.'''
            def m(self, a, /, b: list[int] = [1, 2], *args: str, c=None, d: 'X', **kw: o) -> None:
                pass
        """
    )
    assert target.params == (
        Param("a", "positional_only"),
        Param("b", "positional", "list[int]", "[1, 2]"),
        Param("args", "var_positional", "str"),
        Param("c", "keyword_only", None, "None"),
        Param("d", "keyword_only", "'X'"),
        Param("kw", "var_keyword", "o"),
    )
    assert target.returns == "None"


@pytest.mark.parametrize(
    ("decorator", "names"),
    [("@staticmethod", ["a", "b"]), ("@classmethod", ["b"]), ("@functools.cache", ["b"])],
)
def test_self_or_cls_removed_unless_static(decorator: str, names: list[str]) -> None:
    target = only(f"class C:\n    '''Doc.'''\n    {decorator}\n    def m(a, b): pass\n")
    assert [p.name for p in target.params] == names


def test_class_record() -> None:
    target = only("@dataclass\nclass C(Base, Generic[T], metaclass=M):\n    x: int\n")
    assert (target.kind, target.bases, target.decorators, target.params) == (
        TargetKind.CLASS,
        ("Base", "Generic[T]"),
        ("dataclass",),
        (),
    )
    assert (target.end_line, target.returns) == (3, None)


@pytest.mark.parametrize(
    ("body", "returns_value", "is_generator", "raises"),
    [
        ("return 1", True, False, ()),
        ("return None", False, False, ()),
        ("return", False, False, ()),
        ("pass", False, False, ()),
        ("if x:\n        return x\n    return None", True, False, ()),
        ("def inner():\n        return 1\n    yield 2", False, True, ()),
        ("f = lambda: (yield)\n    return", False, False, ()),
        ("x = yield from g()", False, True, ()),
        ("class K:\n        def m(self):\n            yield 1", False, False, ()),
        ("raise ValueError('x')", False, False, ("ValueError",)),
        (
            "try:\n        pass\n    except E:\n        raise errors.Boom from None\n"
            "    finally:\n        raise\n    raise ValueError\n    raise ValueError()",
            False,
            False,
            ("errors.Boom", "ValueError"),
        ),
        ("raise exc", False, False, ()),
        ("match x:\n        case 1:\n            raise KeyError(x)", False, False, ("KeyError",)),
        ("with x:\n        for y in x:\n            return y", True, False, ()),
    ],
)
def test_body_facts_look_at_the_functions_own_body(
    body: str, returns_value: bool, is_generator: bool, raises: tuple[str, ...]
) -> None:
    target = only(f"def f(x=None):\n    {body}\n")
    assert (target.returns_value, target.is_generator, target.raises) == (
        returns_value,
        is_generator,
        raises,
    )


def test_async_and_qualname() -> None:
    target = scan_all("class A:\n    class B:\n        async def go(self): pass\n").targets[-1]
    assert (target.qualname, target.kind, target.is_async) == ("A.B.go", TargetKind.METHOD, True)


def test_docstrings_sample_prefers_multi_line_ones() -> None:
    source = (
        '"""Module."""\ndef a():\n    """One."""\n'
        'def b():\n    """Two.\n\n    Args:\n        x: y\n    """\n'
    )
    assert scan_all(source).docstrings == (
        "Two.\n\n    Args:\n        x: y\n    ",
        "Module.",
        "One.",
    )


def test_fields_of_a_target_from_a_fixture_file() -> None:
    text = (DATA / "shapes.py").read_text(encoding="utf-8")
    result = scan("shapes.py", text, frozenset(range(1, 200)), TargetOptions())
    area = next(t for t in result.targets if t.qualname == "Circle.area")
    assert (area.kind, area.decorators, area.params, area.returns) == (
        TargetKind.METHOD,
        ("property",),
        (),
        "float",
    )
    assert area.returns_value and not area.raises


def test_options_from_settings() -> None:
    settings = validate({"scope": "touched", "include_magic": True, "exclude": ["gen/**"]})
    assert TargetOptions.from_settings(settings) == TargetOptions(
        scope="touched", include_magic=True, exclude=("gen/**",)
    )


@pytest.mark.parametrize(
    ("text", "body_indent"),
    [
        ("def f(): \\\n    return 1\n", "    "),  # the body continues the header's line
        ("class A:\n\x0c    def m(self):\n        pass\n", "        "),  # a form feed resets
    ],
)
def test_body_indent_is_the_indentation_python_gives_the_body(text: str, body_indent: str) -> None:
    target = scan("m.py", text, frozenset(range(1, 4)), TargetOptions()).targets[-1]
    assert (target.one_liner, target.body_indent) == (False, body_indent)
