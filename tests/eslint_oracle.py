"""eslint-plugin-jsdoc's require-jsdoc, run for real: the oracle of the TypeScript adapter.

eslint comes from ``.ci/node`` (``npm ci`` there installs the versions the lock file
pins; ``.ci/run`` does it).  ``available()`` says why it cannot run, for a visible skip;
under CI a missing oracle is a failure (``tests/conftest.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / ".ci" / "node"
ESLINT = NODE_DIR / "node_modules" / ".bin" / "eslint"
CONFIG = NODE_DIR / "eslint.config.mjs"
_RULE = "jsdoc/require-jsdoc"


@dataclass(frozen=True)
class Report:
    """What eslint said about a set of files."""

    findings: dict[str, list[tuple[int, int]]]
    """Path (relative to the root) -> (line, column) of every require-jsdoc report."""
    fatal: dict[str, str]
    """Path -> the parsing error eslint stopped at."""


def available() -> str | None:
    """``None`` when eslint can run, else why not (for a skip's reason)."""
    if shutil.which("node") is None:
        return "node is not installed (.ci/run installs it)"
    if not ESLINT.exists():
        return "eslint is not installed: run `npm ci` in .ci/node (.ci/run does)"
    return None


def run(root: Path, paths: Iterable[str], *, batch: int = 400) -> Report:
    """require-jsdoc over ``paths`` (relative to ``root``), inline config ignored."""
    findings: dict[str, list[tuple[int, int]]] = {}
    fatal: dict[str, str] = {}
    listed = sorted(paths)
    for start in range(0, len(listed), batch):
        chunk = listed[start : start + batch]
        if not chunk:
            continue
        done = subprocess.run(
            [str(ESLINT), *command_flags(), *chunk],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode not in (0, 1):
            raise RuntimeError(f"eslint failed ({done.returncode}): {done.stderr.strip()[:500]}")
        for entry in json.loads(done.stdout):
            path = Path(entry["filePath"]).resolve().relative_to(root.resolve()).as_posix()
            for message in entry["messages"]:
                if message.get("fatal"):
                    fatal[path] = f"{message.get('line')}: {message['message']}"
                elif message.get("ruleId") == _RULE:
                    findings.setdefault(path, []).append((message["line"], message["column"]))
    return Report(findings, fatal)


def command_flags() -> list[str]:
    """The flags every run uses: docbot's config only, ``--no-inline-config``, JSON out."""
    return [
        "--no-inline-config",
        "--no-config-lookup",
        "--no-warn-ignored",
        "-c",
        str(CONFIG),
        "-f",
        "json",
    ]
