"""A small, independent oracle for Target records: every undocumented def/class of a module.

The suggest tests and benchmark use it instead of bot.targets so that suggest() is checked
against line numbers derived another way (tokens and the AST, no publicity rules).
"""

from __future__ import annotations

import ast
import re
import tokenize

from bot.model import Param, ParamKind, Target, TargetKind

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def targets_by_hand(source: str, path: str = "mod.py", *, module: bool = False) -> list[Target]:
    """Targets for each def/class without a docstring, outer before inner, in line order."""
    lines = LINE.findall(source)
    feed = iter(lines)
    colons = [
        token.start
        for token in tokenize.generate_tokens(lambda: next(feed, ""))
        if token.type == tokenize.OP and token.string == ":"
    ]
    found: list[Target] = []
    tree = ast.parse(source)
    if module and ast.get_docstring(tree, clean=False) is None:
        found.append(Target(path, "mod", TargetKind.MODULE, 1, len(lines), 1, "", False))
    _visit(tree, "", None, lines, colons, path, found)
    return sorted(found, key=lambda target: target.line)


def _visit(
    node: ast.AST,
    prefix: str,
    parent: ast.AST | None,
    lines: list[str],
    colons: list[tuple[int, int]],
    path: str,
    found: list[Target],
) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            qualname = prefix + child.name
            if ast.get_docstring(child, clean=False) is None:
                found.append(_target(child, qualname, parent, lines, colons, path))
            _visit(child, qualname + ".", child, lines, colons, path, found)
        else:
            _visit(child, prefix, parent, lines, colons, path, found)


def _target(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
    qualname: str,
    parent: ast.AST | None,
    lines: list[str],
    colons: list[tuple[int, int]],
    path: str,
) -> Target:
    first = node.body[0]
    header_end = max(row for row, col in colons if (row, col) < (first.lineno, first.col_offset))
    one_liner = first.lineno == header_end
    header_indent = _indent(lines[node.lineno - 1])
    if one_liner:
        body_indent = header_indent + ("\t" if "\t" in "".join(lines) else "    ")
    else:
        body_indent = _indent(lines[first.lineno - 1])
    if isinstance(node, ast.ClassDef):
        kind = TargetKind.NESTED_CLASS if isinstance(parent, ast.ClassDef) else TargetKind.CLASS
        extra: dict[str, object] = {}
    else:
        kind = TargetKind.METHOD if isinstance(parent, ast.ClassDef) else TargetKind.FUNCTION
        extra = {
            "params": _params(node.args, kind is TargetKind.METHOD),
            "returns": ast.unparse(node.returns) if node.returns else None,
            "returns_value": any(
                isinstance(n, ast.Return) and n.value is not None for n in ast.walk(node)
            ),
            "is_generator": any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(node)),
            "is_async": isinstance(node, ast.AsyncFunctionDef),
        }
    return Target(
        path=path,
        qualname=qualname,
        kind=kind,
        line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        header_end=header_end,
        body_indent=body_indent,
        one_liner=one_liner,
        source="".join(lines[node.lineno - 1 : node.end_lineno]),
        **extra,  # type: ignore[arg-type]
    )


def _params(args: ast.arguments, method: bool) -> tuple[Param, ...]:
    ordered: list[tuple[ast.arg, ParamKind]] = [(a, "positional_only") for a in args.posonlyargs]
    ordered += [(a, "positional") for a in args.args]
    if args.vararg:
        ordered.append((args.vararg, "var_positional"))
    ordered += [(a, "keyword_only") for a in args.kwonlyargs]
    if args.kwarg:
        ordered.append((args.kwarg, "var_keyword"))
    if method and ordered and ordered[0][0].arg in ("self", "cls"):
        ordered = ordered[1:]
    return tuple(
        Param(arg.arg, kind, ast.unparse(arg.annotation) if arg.annotation else None)
        for arg, kind in ordered
    )


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]
