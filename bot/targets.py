"""One file's text + its added lines -> the definitions that need a docstring.

What counts is ruff's pydocstyle D101/D102/D103/D106 (DESIGN.md, "What counts as a
target"), with ruff's notion of public: a leading underscore is private, members of
a private module or scope are private, ``__all__`` decides at module level, and
``@overload`` stubs, property setters/deleters and ``@override`` methods need none.

Each file is parsed once with ``ast``; only module and class bodies are walked, and
a function body only when that function is a target (for its returns, yields and
raises).  That keeps a scan linear in the file and cheap enough for changes of
hundreds of thousands of lines.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from functools import partial
from typing import Literal

from bot.errors import UnparsableFile
from bot.gcpause import collector_paused
from bot.model import Param, Target, TargetKind
from bot.pysource import (
    COMPOUND,
    DEFS,
    DefNode,
    SourceLines,
    blocks,
    body_facts,
    docstring_of,
    dotted_name,
    first_line,
    indent_unit,
    param_names,
    params,
)
from bot.settings import Settings
from bot.stale import documenting, stale_target

_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
_OVERLOAD = frozenset({"typing.overload", "typing_extensions.overload"})
_OVERRIDE = frozenset({"typing.override", "typing_extensions.override"})
# Enough to vote on a module's style; each one read costs the style vote a regex pass.
_MAX_DOCSTRINGS = 8
_CODES = r"(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)"
_NOQA = re.compile(r"#\s*noqa(?::\s?" + _CODES + ")?", re.IGNORECASE)
_FILE_NOQA = re.compile(
    r"^[ \t]*#[ \t]*(?:ruff[ \t]*:[ \t]*noqa(?::[ \t]*" + _CODES + r")?|flake8[ \t]*:[ \t]*noqa)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class TargetOptions:
    """Which definitions and paths a scan considers; built once from ``Settings``."""

    scope: Literal["signature", "touched"] = "signature"
    include_magic: bool = False
    include_init: bool = False
    include_private: bool = False
    include_modules: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    problems: tuple[str, ...] = ("missing", "stale")
    stale_checks: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, s: Settings) -> TargetOptions:
        """The scan-related part of the settings."""
        return cls(
            scope=s.scope,
            include_magic=s.include_magic,
            include_init=s.include_init,
            include_private=s.include_private,
            include_modules=s.include_modules,
            include=tuple(s.include),
            exclude=tuple(s.exclude),
            problems=tuple(s.problems),
            stale_checks=tuple(s.stale_checks),
        )


@dataclass(frozen=True)
class FileScan:
    """What one file holds for the pipeline: its targets and a sample of its docstrings."""

    targets: tuple[Target, ...]
    docstrings: tuple[str, ...]
    """Up to 8 existing docstrings, multi-line ones first, as written (indentation kept):
    samples for style detection."""


def scan(path: str, text: str, added: frozenset[int], options: TargetOptions) -> FileScan:
    """The targets of one file, in line order, and some of its existing docstrings.

    Raises ``UnparsableFile("path:line: why")`` when the text is not valid Python.
    """
    lines = SourceLines(text)
    with collector_paused():
        return _Scanner(path, lines, _parse(path, lines.src), added, options).run()


def _parse(path: str, src: str) -> ast.Module:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about the user's code are noise here
            return ast.parse(src, filename=path)
    except SyntaxError as exc:
        raise UnparsableFile(f"{path}:{exc.lineno or 1}: {exc.msg}") from None
    except ValueError as exc:  # null bytes
        raise UnparsableFile(f"{path}:1: {exc}") from None


@dataclass(slots=True)
class _Def:
    node: DefNode
    qualname: str
    kind: TargetKind
    parent: _Def | None
    scope: dict[str, str | None] | None
    """The enclosing class body's bindings (``None`` at module level)."""
    public: bool = False
    local: bool = False
    """Defined inside a function body: never asked for a docstring, but checked for
    a stale one."""


class _Scanner:
    """The state of one scan: the parsed tree, its lines and what the walk collected."""

    def __init__(
        self,
        path: str,
        lines: SourceLines,
        tree: ast.Module,
        added: frozenset[int],
        options: TargetOptions,
    ) -> None:
        self.path, self.lines, self.tree = path, lines, tree
        self.added, self.options = added, options
        self.defs: list[_Def] = []
        self.bindings: dict[str, str | None] = {}
        self.exports: set[str] | None = None
        self._unit: str | None = None
        self._file_noqa: set[str] | None = None

    def run(self) -> FileScan:
        self._walk(self.tree.body, None, "", None)
        private_module = _private_module(self.path)
        targets: list[Target] = []
        module = self._module_target(private_module)
        if module is not None:
            targets.append(module)
        stub = self.path.endswith(".pyi")
        missing = "missing" in self.options.problems
        for d in self.defs:
            d.public = self._public(d, private_module)
            rule = None if stub or not missing else self._rule(d)
            if rule is not None and not self._silenced(d.node.lineno, rule):
                target = self._target(d)
                if target is not None:
                    targets.append(target)
            elif self._stale_wanted and not stub and self._may_be_in_scope(d.node):
                target = stale_target(
                    d.node,
                    documenting(d.node, None if d.parent is None else d.parent.node),
                    self.lines,
                    partial(self._names, d),
                    partial(self._target, d),
                    self.options.stale_checks,
                )
                if target is not None:
                    targets.append(target)
        return FileScan(tuple(targets), self._docstrings())

    @property
    def _stale_wanted(self) -> bool:
        return "stale" in self.options.problems

    def _may_be_in_scope(self, node: DefNode) -> bool:
        """A cheap first look (``_target`` decides): the lines the scope could count."""
        if self.options.scope == "signature":
            return not self.added.isdisjoint(range(node.lineno, node.body[0].lineno + 1))
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        return not self.added.isdisjoint(range(first, (node.end_lineno or node.lineno) + 1))

    def _names(self, d: _Def) -> tuple[Param, ...]:
        node = d.node
        if isinstance(node, ast.ClassDef):
            return ()
        return param_names(node, drop_first=d.kind is TargetKind.METHOD)

    # -- the walk: module and class bodies, through if/try/with/for/match blocks
    def _walk(
        self,
        body: list[ast.stmt],
        parent: _Def | None,
        prefix: str,
        scope: dict[str, str | None] | None,
    ) -> None:
        names = self.bindings if scope is None else scope
        for stmt in body:
            if isinstance(stmt, DEFS):
                kind = _kind(stmt, parent)
                d = _Def(stmt, prefix + stmt.name, kind, parent, scope)
                self.defs.append(d)
                names[stmt.name] = None
                if isinstance(stmt, ast.ClassDef):
                    self._walk(stmt.body, d, d.qualname + ".", {})
                elif self._stale_wanted and self._touched(stmt) and self._nests(stmt):
                    # Nested functions' docstrings should stay true too (pydoclint checks them).
                    self._walk_local(stmt.body, d, d.qualname + ".")
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        root = alias.name.partition(".")[0]
                        names[root] = root
            elif isinstance(stmt, ast.ImportFrom):
                base = "." * stmt.level + (stmt.module or "")
                for alias in stmt.names:
                    names[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(stmt, _ASSIGNMENTS):
                self._assignment(stmt, names, module_level=scope is None)
            elif isinstance(stmt, COMPOUND):
                for block in blocks(stmt):
                    self._walk(block, parent, prefix, scope)

    def _walk_local(self, body: list[ast.stmt], parent: _Def, prefix: str) -> None:
        """Definitions inside a function body: only their docstrings' staleness matters."""
        for stmt in body:
            if isinstance(stmt, DEFS):
                d = _Def(stmt, prefix + stmt.name, _kind(stmt, parent), parent, None, local=True)
                self.defs.append(d)
                if isinstance(stmt, ast.ClassDef) or (self._touched(stmt) and self._nests(stmt)):
                    self._walk_local(stmt.body, d, d.qualname + ".")
            elif isinstance(stmt, COMPOUND):
                for block in blocks(stmt):
                    self._walk_local(block, parent, prefix)

    def _assignment(
        self,
        stmt: ast.Assign | ast.AnnAssign | ast.AugAssign,
        names: dict[str, str | None],
        *,
        module_level: bool,
    ) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            names[target.id] = None
            if module_level and target.id == "__all__" and stmt.value is not None:
                if self.exports is None:
                    self.exports = set()
                self.exports.update(_all_names(stmt.value))

    # -- publicity, ruff's way
    def _public(self, d: _Def, private_module: bool) -> bool:
        name = d.node.name
        if d.parent is None:
            exported = self.exports is None or name in self.exports
            return not private_module and exported and not name.startswith("_")
        if not d.parent.public or d.local:
            return False
        if d.kind is TargetKind.NESTED_CLASS:
            return not name.startswith("_")
        if any(_is_accessor(dec, name) for dec in d.node.decorator_list):
            return False
        return not name.startswith("_") or _is_magic(name)

    def _rule(self, d: _Def) -> str | None:
        """The ruff rule that asks this definition for a docstring, if any is wanted."""
        node = d.node
        if _has_docstring(node) or d.local:
            return None
        if d.kind is TargetKind.METHOD and any(
            _is_accessor(dec, node.name) for dec in node.decorator_list
        ):
            return None
        if not (d.public or self.options.include_private):
            return None
        if isinstance(node, ast.ClassDef):
            return "D101" if d.kind is TargetKind.CLASS else "D106"
        resolved = {self._resolve(dec, d.scope) for dec in node.decorator_list}
        if resolved & _OVERLOAD or (d.kind is TargetKind.METHOD and resolved & _OVERRIDE):
            return None
        if d.kind is not TargetKind.METHOD:
            return "D103"
        if not _is_magic(node.name) or node.name in ("__new__", "__call__"):
            return "D102"
        if node.name == "__init__":
            return "D107" if self.options.include_init else None
        return "D105" if self.options.include_magic else None

    def _nests(self, node: DefNode) -> bool:
        """Whether the body's lines could hold a definition (a text search beats a walk)."""
        first, last = node.body[0].lineno, node.end_lineno or node.lineno
        start, end = self.lines.span(first, last)
        text = self.lines.text
        return text.find("def ", start, end) >= 0 or text.find("class ", start, end) >= 0

    def _touched(self, node: DefNode) -> bool:
        return not self.added.isdisjoint(range(node.lineno, (node.end_lineno or node.lineno) + 1))

    def _silenced(self, line: int, rule: str) -> bool:
        """A ``# noqa`` on the line, or a file-wide ``# ruff: noqa``, that covers ``rule``."""
        if self._file_noqa is None:
            self._file_noqa = set()
            if "noqa" in self.lines.src:
                for found in _FILE_NOQA.finditer(self.lines.src):
                    codes = found["codes"]
                    self._file_noqa.update(_codes(codes) if codes else {"*"})
        if self._file_noqa & {"*", rule}:
            return True
        text = self.lines.lines[line - 1]
        if "noqa" not in text.lower():
            return False
        match = _NOQA.search(text)
        return match is not None and (not match["codes"] or rule in _codes(match["codes"]))

    def _resolve(self, expr: ast.expr, scope: dict[str, str | None] | None) -> str | None:
        """The qualified name a decorator refers to, as the file's final bindings say."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, dot, rest = dotted.partition(".")
        names = scope if scope is not None and head in scope else self.bindings
        origin = names.get(head)
        return None if origin is None else origin + dot + rest

    # -- building a Target
    def _target(self, d: _Def) -> Target | None:
        node = d.node
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        body_line = node.body[0].lineno
        if self.options.scope == "signature":
            if self.added.isdisjoint(range(node.lineno, body_line + 1)):
                return None
            header_end = self.lines.header_end(node)
            if self.added.isdisjoint(range(node.lineno, header_end + 1)):
                return None
        else:
            if self.added.isdisjoint(range(first, (node.end_lineno or node.lineno) + 1)):
                return None
            header_end = self.lines.header_end(node)
        end_line = node.end_lineno or node.lineno
        one_liner = body_line <= header_end
        source = self.lines.source(first, end_line)
        arguments: tuple[Param, ...] = ()
        returns = None
        facts: tuple[bool, bool, tuple[str, ...]] = (False, False, ())
        if isinstance(node, ast.ClassDef):
            bases = tuple(self.lines.segment(base) for base in node.bases)
        else:
            bases = ()
            arguments = params(self.lines, node, drop_first=d.kind is TargetKind.METHOD)
            returns = None if node.returns is None else self.lines.segment(node.returns)
            facts = body_facts(node, source)
        return Target(
            path=self.path,
            qualname=d.qualname,
            kind=d.kind,
            line=node.lineno,
            end_line=end_line,
            header_end=header_end,
            body_indent=self._body_indent(node, one_liner),
            one_liner=one_liner,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            decorators=tuple(self.lines.segment(dec) for dec in node.decorator_list),
            params=arguments,
            returns=returns,
            returns_value=facts[0],
            is_generator=facts[1],
            raises=facts[2],
            bases=bases,
            source=source,
        )

    def _module_target(self, private_module: bool) -> Target | None:
        name = self.path.rpartition("/")[2]
        if not self.options.include_modules or name.endswith(".pyi") or name == "__init__.py":
            return None
        if _has_docstring(self.tree):
            return None
        if private_module and not self.options.include_private:
            return None
        if self.options.scope == "signature" and 1 not in self.added:
            return None
        if self.options.scope == "touched" and not self.added:
            return None
        return Target(
            path=self.path,
            qualname=name.rpartition(".")[0],
            kind=TargetKind.MODULE,
            line=1,
            end_line=self.lines.count(),
            header_end=1,
            body_indent="",
            one_liner=False,
            source=self.lines.text,
        )

    def _body_indent(self, node: DefNode, one_liner: bool) -> str:
        if not one_liner:
            return self.lines.indent(first_line(node.body[0]))
        if self._unit is None:
            self._unit = indent_unit(self.lines, (d.node for d in self.defs))
        return self.lines.indent(node.lineno) + self._unit

    def _docstrings(self) -> tuple[str, ...]:
        """Multi-line docstrings first (they show a style), as written (not dedented)."""
        multi: list[str] = []
        single: list[str] = []
        for node in [self.tree, *(d.node for d in self.defs)]:
            raw = docstring_of(node)
            if raw is not None and raw.strip():
                (multi if "\n" in raw.strip() else single).append(raw)
                if len(multi) >= _MAX_DOCSTRINGS:
                    break
        return tuple((multi + single)[:_MAX_DOCSTRINGS])


# -- helpers over ast nodes and text
def _kind(node: DefNode, parent: _Def | None) -> TargetKind:
    if isinstance(node, ast.ClassDef):
        return TargetKind.CLASS if parent is None else TargetKind.NESTED_CLASS
    in_class = parent is not None and isinstance(parent.node, ast.ClassDef)
    return TargetKind.METHOD if in_class else TargetKind.FUNCTION


def _has_docstring(node: ast.Module | DefNode) -> bool:
    return docstring_of(node) is not None


def _is_magic(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _is_accessor(decorator: ast.expr, name: str) -> bool:
    """``@name.setter`` / ``@name.deleter``: the property's getter carries the docstring."""
    return (
        isinstance(decorator, ast.Attribute)
        and decorator.attr in ("setter", "deleter")
        and isinstance(decorator.value, ast.Name)
        and decorator.value.id == name
    )


def _all_names(value: ast.expr) -> list[str]:
    """The string literals an ``__all__`` assignment names, as ruff extracts them."""
    parts: list[ast.expr] = []
    while isinstance(value, ast.BinOp):
        parts.append(value.right)
        value = value.left
    parts.append(value)
    names: list[str] = []
    for part in parts:
        while isinstance(part, ast.NamedExpr):
            part = part.value
        elts: list[ast.expr] = []
        if isinstance(part, ast.List | ast.Tuple):
            elts = part.elts
        elif (
            isinstance(part, ast.Call)
            and _call_name(part.func) in ("list", "tuple")
            and not part.keywords
            and len(part.args) == 1
            and isinstance(part.args[0], ast.List | ast.Tuple | ast.Set)
        ):
            elts = part.args[0].elts
        names += [e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return names


def _codes(text: str) -> set[str]:
    return {code.upper() for code in re.split(r"[\s,]+", text) if code}


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Subscript):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def _private_module(path: str) -> bool:
    """``_x.py`` or any ``_pkg/`` folder on the path (dunder names stay public)."""
    parts = path.split("/")
    parts[-1] = parts[-1].rpartition(".")[0] or parts[-1]
    return any(p.startswith("_") and not _is_magic(p) for p in parts)
