"""Read-only context tools the model may call (opt-in): answered from the PR's files only.

Three tools: the source of a name the function uses, the outline of a class, and a
module's imports.  Every answer is cut to a token limit and a request's answers share
a total; paths are repository-relative and anything that leaves the repository (or is
not a file of the change) is refused.  No tool reads the disk or the network.
"""

from __future__ import annotations

import ast
import json
import posixpath
from collections.abc import Callable, Mapping
from typing import Any

from bot.outline import class_outline
from bot.tokens import TokenCounter

MAX_RESULT_TOKENS = 600
MAX_TOTAL_TOKENS = 2400


def _function(name: str, description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "strict": True,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": list(properties),
                "additionalProperties": False,
            },
        },
    }


_PATH = {"type": "string", "description": "Repository-relative path of a file in the change."}
TOOL_SPECS: list[dict[str, Any]] = [
    _function(
        "get_source",
        "Source of a function or class used by the target, by name or dotted qualname.",
        {"name": {"type": "string", "description": "e.g. parse_header or Reader.close"}},
    ),
    _function(
        "get_class_outline",
        "Header and member signatures of a class in a file of the change.",
        {"path": _PATH, "qualname": {"type": "string", "description": "e.g. Reader"}},
    ),
    _function("get_imports", "The import statements of a file of the change.", {"path": _PATH}),
]


def safe_path(path: str, files: Mapping[str, str]) -> str | None:
    """``path`` normalised if it names a file of the change inside the repository, else None."""
    if not path or path.startswith(("/", "\\")) or "\\" in path or ":" in path:
        return None
    normal = posixpath.normpath(path)
    if normal.startswith("../") or normal == ".." or normal not in files:
        return None
    return normal


class ToolBox:
    """Answers tool calls for one request, within the token limits."""

    def __init__(self, files: Mapping[str, str], counter: TokenCounter) -> None:
        self._files = files
        self._counter = counter
        self.used_tokens = 0
        self.calls = 0

    def answer(self, name: str, arguments: str) -> str:
        """The tool's answer to a call, or a one-line refusal the model can read."""
        self.calls += 1
        try:
            args = json.loads(arguments)
        except json.JSONDecodeError:
            return "error: arguments are not valid JSON"
        handlers: dict[str, Callable[[dict[str, Any]], str]] = {
            "get_source": self._source,
            "get_class_outline": self._outline,
            "get_imports": self._imports,
        }
        handler = handlers.get(name)
        if handler is None or not isinstance(args, dict):
            return f"error: unknown tool {name!r}"
        return self._limit(handler(args))

    def turn(self, message: Any) -> list[dict[str, Any]]:
        """The assistant's tool-calling message and one answer message per call, to send back."""
        # Only function tools are offered, so any other kind of call is dropped.
        calls = [c for c in message.tool_calls or [] if getattr(c, "function", None) is not None]
        asked = {
            "role": "assistant",
            "content": message.content,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.function.name, "arguments": call.function.arguments},
                }
                for call in calls
            ],
        }
        answers = [
            {
                "role": "tool",
                "tool_call_id": call.id,
                "content": self.answer(call.function.name, call.function.arguments),
            }
            for call in calls
        ]
        return [asked, *answers]

    def _limit(self, text: str) -> str:
        left = min(MAX_RESULT_TOKENS, MAX_TOTAL_TOKENS - self.used_tokens)
        if left <= 0:
            return "error: the tool budget of this request is spent; answer with what you have"
        while self._counter.count(text) > left:
            text = text[: int(len(text) * 0.8)]
            if not text:
                break
        text_tokens = self._counter.count(text)
        self.used_tokens += text_tokens
        return text

    def _source(self, args: dict[str, Any]) -> str:
        wanted = str(args.get("name", ""))
        for path, text in self._files.items():
            found = _find(text, wanted.split("."))
            if found is not None:
                return f"# {path}\n{found}"
        return f"error: no definition named {wanted!r} in the files of this change"

    def _outline(self, args: dict[str, Any]) -> str:
        path = safe_path(str(args.get("path", "")), self._files)
        if path is None:
            return "error: refused: not a file of this change inside the repository"
        qualname = str(args.get("qualname", ""))
        outline = class_outline(self._files[path], qualname)
        return outline if outline is not None else f"error: no class {qualname!r} in {path}"

    def _imports(self, args: dict[str, Any]) -> str:
        path = safe_path(str(args.get("path", "")), self._files)
        if path is None:
            return "error: refused: not a file of this change inside the repository"
        tree = _parse(self._files[path])
        imports = [
            n for n in (tree.body if tree else []) if isinstance(n, ast.Import | ast.ImportFrom)
        ]
        text = self._files[path]
        return "\n".join(ast.get_source_segment(text, n) or "" for n in imports) or "(no imports)"


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _is_def(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)


def _node(body: list[ast.stmt], names: list[str]) -> ast.stmt | None:
    for node in body:
        if _is_def(node) and getattr(node, "name", None) == names[0]:
            if len(names) == 1:
                return node
            return _node(getattr(node, "body", []), names[1:])
    return None


def _find(text: str, names: list[str]) -> str | None:
    tree = _parse(text)
    node = _node(tree.body, names) if tree is not None else None
    if node is None:
        return None
    return ast.get_source_segment(text, node)
