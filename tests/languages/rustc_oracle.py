"""Running rustc's ``missing_docs`` on a crate folder, for the Rust tests."""

from __future__ import annotations

import json
import subprocess
import tempfile
import tomllib
from pathlib import Path

from bot.languages.rust.cfg import default_features
from tests.oracles_go_rust import require, rustc_path


def rustc_report(crate: Path) -> list[str]:
    """``path:line:column: message`` of each missing-docs warning, in rustc's order."""
    rustc = require(rustc_path(), "rustc is not installed (apt-get install rustc)")
    manifest = (crate / "Cargo.toml").read_text()
    edition = str(tomllib.loads(manifest).get("package", {}).get("edition", "2015"))
    cfgs = [a for f in sorted(default_features(manifest)) for a in ("--cfg", f'feature="{f}"')]
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [str(rustc), "--edition", edition, "--crate-type", "lib", "--crate-name", "fixture",
             "src/lib.rs", "--emit=metadata", "--out-dir", out, "--force-warn", "missing_docs",
             "--cap-lints", "warn", "--error-format=json", *cfgs],
            cwd=crate, capture_output=True, text=True,
        )  # fmt: skip
    found = []
    for line in done.stderr.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("level") == "error":
            raise AssertionError(message.get("rendered"))
        text = message.get("message", "")
        spans = [s for s in message.get("spans", []) if s.get("is_primary")]
        if text.startswith("missing documentation for") and spans:
            span = spans[0]
            found.append(f"{span['file_name']}:{span['line_start']}:{span['column_start']}: {text}")
    return found


def lines_of(report: list[str]) -> set[tuple[str, int]]:
    """(path, line) of each finding (rustc names no item; several can share a line)."""
    return {(entry.split(":")[0], int(entry.split(":")[1])) for entry in report}
