"""DraftRequests built from real Python source: a small AST scan for the LLM-layer tests.

Every public function, method and class counts (documented or not), so any real module
gives realistic targets; the product's own target finder has stricter rules.
"""

from __future__ import annotations

import ast
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.errors import DocbotError
from bot.model import Param, ParamKind, Target, TargetKind
from bot.providers.base import DraftRequest

_Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def targets(path: str, source: str) -> list[Target]:
    """Public definitions of ``source`` in line order."""
    tree = ast.parse(source)
    lines = source.splitlines()
    return sorted(_walk(tree.body, path, lines, prefix=""), key=lambda t: t.line)


def requests(path: str, source: str, *, style: str = "google") -> list[DraftRequest]:
    """One request per public definition of ``source``."""
    return [DraftRequest(t, source, style) for t in targets(path, source)]


def _walk(body: list[ast.stmt], path: str, lines: list[str], *, prefix: str) -> Iterator[Target]:
    for node in body:
        if not isinstance(node, _Def) or node.name.startswith("_"):
            continue
        yield _target(node, path, lines, prefix)
        if isinstance(node, ast.ClassDef):
            yield from _walk(node.body, path, lines, prefix=f"{prefix}{node.name}.")


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a definition's body, not descending into nested definitions."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _Def | ast.Lambda):
            continue
        yield child
        yield from _own_nodes(child)


def _target(node: _Def, path: str, lines: list[str], prefix: str) -> Target:
    first_body = node.body[0]
    one_liner = first_body.lineno == node.lineno
    header_end = first_body.lineno if one_liner else first_body.lineno - 1
    while not one_liner and lines[header_end - 1].strip()[:1] in ("", "#"):
        header_end -= 1  # skip blank and comment lines between the colon and the body
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    is_class = isinstance(node, ast.ClassDef)
    kind = (
        (TargetKind.NESTED_CLASS if prefix else TargetKind.CLASS)
        if is_class
        else (TargetKind.METHOD if prefix else TargetKind.FUNCTION)
    )
    own = [] if is_class else list(_own_nodes(node))
    return Target(
        path=path,
        qualname=prefix + node.name,
        kind=kind,
        line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        header_end=header_end,
        body_indent=" " * first_body.col_offset,
        one_liner=one_liner,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        decorators=tuple(ast.unparse(d) for d in node.decorator_list),
        params=() if is_class else _params(node, method=bool(prefix)),  # type: ignore[arg-type]
        returns=None if is_class or node.returns is None else ast.unparse(node.returns),  # type: ignore[union-attr]
        returns_value=any(isinstance(n, ast.Return) and n.value is not None for n in own),
        is_generator=any(isinstance(n, ast.Yield | ast.YieldFrom) for n in own),
        raises=tuple(_raised(n) for n in own if isinstance(n, ast.Raise) and n.exc is not None),
        bases=tuple(ast.unparse(b) for b in node.bases) if is_class else (),  # type: ignore[union-attr]
        source="\n".join(lines[start - 1 : node.end_lineno]),
    )


def _raised(node: ast.Raise) -> str:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return ast.unparse(exc) if exc is not None else ""


def _params(node: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> tuple[Param, ...]:
    args = node.args
    out: list[Param] = []

    def add(arg: ast.arg, kind: ParamKind) -> None:
        note = ast.unparse(arg.annotation) if arg.annotation is not None else None
        out.append(Param(arg.arg, kind, note))

    for arg in args.posonlyargs:
        add(arg, "positional_only")
    for arg in args.args:
        add(arg, "positional")
    if args.vararg:
        add(args.vararg, "var_positional")
    for arg in args.kwonlyargs:
        add(arg, "keyword_only")
    if args.kwarg:
        add(args.kwarg, "var_keyword")
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
    if method and not static and out and out[0].name in ("self", "cls"):
        out = out[1:]
    return tuple(out)


def stdlib_requests(files: int, per_file: int, *, max_bytes: int = 16_000) -> list[DraftRequest]:
    """``per_file`` requests from each of ``files`` small standard-library modules (real code)."""
    lib = Path(sysconfig.get_paths()["stdlib"])
    out: list[DraftRequest] = []
    used = 0
    for path in sorted(lib.glob("*.py")):
        size = path.stat().st_size
        if used == files or not 2_000 <= size <= max_bytes:
            continue
        try:
            found = requests(f"lib/{path.name}", path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        if len(found) >= per_file:
            out += found[:per_file]
            used += 1
    assert used == files, f"only {used} stdlib modules qualify"
    return out


def stdlib_change(root: Path, *, files: int, per_file: int) -> Path:
    """A new-file diff under ``root`` of ``files`` real modules with ``per_file`` targets each.

    Standard-library modules are cut after a top-level statement so that docbot's own
    target finder sees exactly ``per_file`` targets in each; returns the diff's path.
    """
    from bot.targets import TargetOptions, scan

    lib = Path(sysconfig.get_paths()["stdlib"])
    chunks: list[str] = []
    for module in sorted(lib.rglob("*.py")):
        rel = module.relative_to(lib).as_posix()
        if len(chunks) == files:
            break
        if _unwanted(rel) or module.stat().st_size > 60_000:
            continue
        path = f"lib/{rel}"
        text = _cut(module.read_text(encoding="utf-8"), path, per_file, scan, TargetOptions())
        if text is None:
            continue
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        lines = text.splitlines()
        chunks.append(
            f"diff --git a/{path} b/{path}\nnew file mode 100644\n"
            f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n"
            + "".join(f"+{line}\n" for line in lines)
        )
    assert len(chunks) == files, f"only {len(chunks)} stdlib modules qualify"
    diff = root / "change.diff"
    diff.write_text("".join(chunks), encoding="utf-8")
    return diff


def _unwanted(rel: str) -> bool:
    parts = rel.split("/")
    return (
        any(
            part.startswith(("_", "test")) or part in ("site-packages", "idlelib") for part in parts
        )
        or "-" in rel
    )


def _cut(text: str, path: str, per_file: int, scan: Any, options: Any) -> str | None:
    every_line = frozenset(range(1, text.count("\n") + 2))
    try:
        body = ast.parse(text).body
        lines_of = [t.line for t in scan(path, text, every_line, options).targets]
    except (SyntaxError, ValueError, DocbotError):
        return None
    lines = text.splitlines()
    for stmt in body:
        end = stmt.end_lineno or stmt.lineno
        found = sum(1 for line in lines_of if line <= end)
        if found > per_file:
            return None
        if found == per_file:
            prefix = "\n".join(lines[:end]) + "\n"
            again = scan(path, prefix, every_line, options).targets
            return prefix if len(again) == per_file else None
    return None
