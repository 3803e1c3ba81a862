"""Finding the Go and Rust oracles (golint, rustc) for the tests that compare with them.

A missing oracle skips its tests with the reason shown; under CI (``CI=true``, as
``.ci/run`` runs) it fails them instead, so a green CI always means the oracle agreed.
golint is the exception (``GOLINT_MISSING`` says why): its live checks skip everywhere.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


GOLINT_MISSING = (
    "golint is not on PATH nor at $DOCBOT_GOLINT: no allowed source installs it on a fresh "
    "machine (Debian dropped it, no registry ships it), so its live checks skip, under CI=true "
    "too; the golint reports stored in tests/data/golang/ still check docbot"
)
"""Why golint's live checks skip. The one oracle exempt from CI's rule that a missing oracle
fails: there is no allowed way to install it, and its source may not be committed."""


def golint_path() -> Path | None:
    """golint at ``$DOCBOT_GOLINT``, else on PATH (built by hand: nothing here builds it)."""
    candidate = os.environ.get("DOCBOT_GOLINT")
    if candidate and Path(candidate).is_file():
        return Path(candidate)
    found = shutil.which("golint")
    return Path(found) if found else None


def require_golint() -> Path:
    """golint, or a skip naming ``GOLINT_MISSING`` (a skip under CI as well)."""
    found = golint_path()
    if found is None:
        pytest.skip(GOLINT_MISSING)
    return found


def rustc_path() -> Path | None:
    """rustc on PATH, else rustup's default place."""
    found = shutil.which("rustc") or str(Path.home() / ".cargo" / "bin" / "rustc")
    return Path(found) if Path(found).is_file() else None


def require(path: Path | None, reason: str) -> Path:
    """``path``, or a skip naming ``reason`` (a failure when ``CI=true``)."""
    if path is not None:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires it (.ci/run installs it)")
    pytest.skip(reason)
