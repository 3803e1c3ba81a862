"""The Java oracles, run for real: checkstyle, and javac's doclint where checkstyle cannot parse.

checkstyle (Debian's 8.36) runs ``tests/data/languages/java/checkstyle.xml``:
``MissingJavadocType`` and ``MissingJavadocMethod``, ``scope=public``,
``minLineCount=-2``, ``@Override`` allowed.  It reports ``path:line:col`` with the line of
the declaration's first token (annotations included).  It stops on a file it cannot
parse (``sealed``, ``permits``): that file is taken out, named, and the run repeated.

``javac -Xdoclint:missing/public`` says "no comment" at a declaration's name.  It also
asks comments of fields and enum constants, which checkstyle's two checks do not: only
its findings on a type, method or constructor count, and a finding is keyed by that
declaration's first line, as checkstyle keys it (tree-sitter finds the declaration at
javac's line and column).

Under ``CI=true`` a missing tool fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.languages.java import GRAMMAR
from bot.languages.java_targets import METHODS, TYPES

CONFIG = Path(__file__).parent / "data" / "languages" / "java" / "checkstyle.xml"
Finding = tuple[Path, int]
_CHECKSTYLE = re.compile(r"^\[ERROR\] (.+?):(\d+):(?:\d+:)? Missing a Javadoc comment", re.M)
_CRASH = re.compile(r"Exception was thrown while processing (.+)$", re.M)
_JAVAC = re.compile(r"^(.+?\.java):(\d+): warning: no comment$")


def need(tool: str, package: str) -> None:
    """Skip (fail under CI=true) when ``tool`` is not installed."""
    if shutil.which(tool) is not None:
        return
    reason = f"{tool} is not installed (apt-get install {package}); it is the Java oracle"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires it")
    pytest.skip(reason)


def checkstyle(files: Iterable[Path]) -> tuple[Counter[Finding], list[Path]]:
    """checkstyle's findings ``(file, line)`` (a multiset: a line may hold several), and
    the files it could not parse."""
    todo = [path.resolve() for path in files]
    failed: list[Path] = []
    while todo:
        run = subprocess.run(
            ["checkstyle", "-c", str(CONFIG), *map(str, todo)],
            capture_output=True,
            text=True,
            check=False,
        )
        crash = _CRASH.search(run.stdout + run.stderr)
        if crash is None:
            found = Counter(
                (Path(m[1]).resolve(), int(m[2])) for m in _CHECKSTYLE.finditer(run.stdout)
            )
            return found, failed
        bad = Path(crash[1].strip()).resolve()
        if bad not in todo:
            raise RuntimeError(f"checkstyle failed on {bad}: {run.stdout[-2000:]}")
        failed.append(bad)
        todo.remove(bad)
    return Counter(), failed


def javac(files: Iterable[Path]) -> Counter[Finding]:
    """javac doclint's missing-comment findings on types, methods and constructors."""
    paths = [path.resolve() for path in files]
    if not paths:
        return Counter()
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(
            ["javac", "-Xdoclint:missing/public", "-Xmaxwarns", "1000000", "-Xmaxerrs",
             "1000000", "-proc:none", "-implicit:none", "-encoding", "UTF-8", "-d", out,
             *map(str, paths)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    lines = run.stderr.split("\n")
    found: Counter[Finding] = Counter()
    for number, line in enumerate(lines):
        match = _JAVAC.match(line)
        if match is None or number + 2 >= len(lines):
            continue
        path = Path(match[1]).resolve()
        column = _column(lines[number + 1], lines[number + 2].index("^"))
        start = _declaration_start(path, int(match[2]), column)
        if start is not None:
            found[(path, start)] += 1
    return found


def _column(source_line: str, caret: int) -> int:
    """The byte column in ``source_line`` that javac's caret (tabs expanded to 8) marks."""
    shown = 0
    for index, char in enumerate(source_line):
        if shown >= caret:
            return len(source_line[:index].encode())
        shown = (shown // 8 + 1) * 8 if char == "\t" else shown + 1
    return len(source_line.encode())


def _declaration_start(path: Path, line: int, column: int) -> int | None:
    """The first line of the type, method or constructor at ``line:column``, or ``None``
    when the finding is on a field, an enum constant or anything else."""
    tree = GRAMMAR.parse(path.read_bytes())
    point = (line - 1, column)
    node = tree.root_node.named_descendant_for_point_range(point, point)
    while node is not None:
        if node.type in TYPES or node.type in METHODS:
            return node.start_point[0] + 1
        if node.type in ("field_declaration", "constant_declaration", "enum_constant"):
            return None
        node = node.parent
    return None
