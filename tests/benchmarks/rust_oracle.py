"""rustc's ``missing_docs`` as the Rust oracle of ``lang_agreement``.

The crate is checked as ``cargo build`` would compile its library with default features
(``--cfg feature="..."``), ``--emit=metadata`` (the lint runs after type checking, no code
is generated), ``--force-warn missing_docs`` so the crate's own ``allow``/``deny`` do
not change the answer, JSON diagnostics.

The crates come from Debian's ``librust-*-dev`` packages (``apt-get download``, unpacked
with ``dpkg-deb`` under ``.bench/``), where Debian ships two releases of one crate
(``librust-semver-0.9-dev`` and ``librust-semver-dev``): a real release diff from a
package registry. No crate registry answers here, so the newer crate's required
dependencies come from Debian too, checked first into ``.rmeta`` files that rustc takes
with ``--extern`` (metadata only: nothing is linked or run, nor are build scripts).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from bot.languages.rust.cfg import default_features
from bot.model import FileDiff, Target
from tests.benchmarks.oracle_common import Finding, Key
from tests.oracles_go_rust import rustc_path

_MESSAGE = re.compile(r"^missing documentation for (?:a|an) (.+)$")
_DEBS = Path(__file__).resolve().parents[2] / ".bench" / "lang_agreement" / "debian"
_PACKAGES = {
    ("semver", "0.9.0"): "librust-semver-0.9-dev",
    ("semver", "1.0.14"): "librust-semver-dev",
    ("nom", "4.2.3"): "librust-nom-4-dev",
    ("nom", "7.1.1"): "librust-nom-dev",
    ("arrayvec", "0.5.2"): "librust-arrayvec-0.5-dev",
    ("arrayvec", "0.7.2"): "librust-arrayvec-dev",
    ("memchr", "2.5.0"): "librust-memchr-dev",
    ("minimal-lexical", "0.2.1"): "librust-minimal-lexical-dev",
}
"""The Debian package of each crate release (Debian 12's)."""
_DEPENDENCIES = (("memchr", "2.5.0"), ("minimal-lexical", "0.2.1"))
"""What nom 7.1.1 requires; neither requires anything."""


class Rustc:
    """rustc on the crate's library root."""

    name = "rustc"
    repositories = (
        ("semver", "0.9.0", "1.0.14"),
        ("nom", "4.2.3", "7.1.1"),
        ("arrayvec", "0.5.2", "0.7.2"),
    )

    def __init__(self, binary: Path) -> None:
        self.binary = binary
        self.externs = _DEBS / "rmeta"

    def unpack(self, name: str, version: str, dest: Path) -> None:
        """Put crate ``name`` at ``version`` into ``dest``, as its Debian package ships it."""
        shutil.copytree(_crate(name, version), dest, dirs_exist_ok=True)

    def check_dependencies(self) -> None:
        """The ``.rmeta`` of every crate a benchmark crate requires."""
        for name, version in _DEPENDENCIES:
            self._check_dependency(name, version)

    def _check_dependency(self, name: str, version: str) -> None:
        """``lib<name>.rmeta`` in ``self.externs`` for ``--extern``, made once."""
        ident = name.replace("-", "_")
        if (self.externs / f"lib{ident}.rmeta").is_file():
            return
        crate = _crate(name, version)
        self.externs.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(self.binary), *_edition_args(crate), "--crate-type", "lib", "--crate-name",
             ident, "src/lib.rs", "--emit=metadata", "--out-dir", str(self.externs),
             "--cap-lints", "allow", *_feature_args(crate)],
            cwd=crate, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            sys.exit(f"rustc could not check {name} {version}: {done.stderr.strip()[:400]}")

    def key(self, target: Target) -> Key:
        """rustc names no item: a finding is its file and line."""
        return (target.path, target.line, "")

    def findings(
        self, repo: Path, files: list[FileDiff], *, packages: bool = True
    ) -> list[Finding]:
        """rustc's missing-docs findings in ``files`` (it always checks the whole crate)."""
        manifest = tomllib.loads((repo / "Cargo.toml").read_text())
        lib = str(manifest.get("lib", {}).get("path", "src/lib.rs"))
        # Paths, not bare names: a bare name finds the sysroot's private copies first.
        externs = [a for name, spec in manifest.get("dependencies", {}).items()
                   if not (isinstance(spec, dict) and spec.get("optional"))
                   for ident in [name.replace("-", "_")]
                   for a in ("--extern", f"{ident}={self.externs / f'lib{ident}.rmeta'}")]  # fmt: skip
        wanted = {f.path for f in files}
        with tempfile.TemporaryDirectory() as out:
            done = subprocess.run(
                [str(self.binary), *_edition_args(repo), "--crate-type", "lib", "--crate-name",
                 "bench", lib, "--emit=metadata", "--out-dir", out, "--force-warn",
                 "missing_docs", "--cap-lints", "warn", "--error-format=json",
                 *externs, *_feature_args(repo)],
                cwd=repo, capture_output=True, text=True,
            )  # fmt: skip
        found = []
        for line in done.stderr.splitlines():
            if not line.startswith("{"):
                continue
            message = json.loads(line)
            if message.get("level") == "error":
                sys.exit(f"rustc cannot check {repo.name}: {message.get('message')}")
            match = _MESSAGE.match(message.get("message", ""))
            spans = [s for s in message.get("spans", []) if s.get("is_primary")]
            if match is None or not spans or spans[0]["file_name"] not in wanted:
                continue
            span = spans[0]
            found.append(Finding(span["file_name"], span["line_start"], "", span["line_end"],
                                 match[1]))  # fmt: skip
        return found

    def malformed(self, repo: Path, files: list[FileDiff]) -> set[tuple[str, str]]:
        """rustc checks no comment's form."""
        return set()

    def explain_extra(self, repo: Path, target: Target) -> str | None:
        """No known reason."""
        return None

    def explain_missed(self, repo: Path, finding: Finding) -> str | None:
        """Items a macro writes: rustc sees the expansion, docbot the source."""
        line = (repo / finding.path).read_text().splitlines()[finding.line - 1]
        if "!" in line and "macro_rules!" not in line:
            return "declared by a macro call: rustc sees the expansion, docbot the source"
        return None


def _edition_args(crate: Path) -> list[str]:
    manifest = tomllib.loads((crate / "Cargo.toml").read_text())
    return ["--edition", str(manifest.get("package", {}).get("edition", "2015"))]


def _feature_args(crate: Path) -> list[str]:
    """``--cfg feature="..."`` for each feature ``cargo build`` turns on by default."""
    features = sorted(default_features((crate / "Cargo.toml").read_text()))
    return [a for f in features for a in ("--cfg", f'feature="{f}"')]


def _crate(name: str, version: str) -> Path:
    """The crate's folder in its Debian package, downloaded and unpacked on first use."""
    package = _PACKAGES[(name, version)]
    root = _DEBS / package
    crate = root / "usr" / "share" / "cargo" / "registry" / f"{name}-{version}"
    if crate.is_dir():
        return crate
    _DEBS.mkdir(parents=True, exist_ok=True)
    for old in _DEBS.glob(f"{package}_*.deb"):
        old.unlink()
    got = subprocess.run(["apt-get", "download", package], cwd=_DEBS, capture_output=True,
                         text=True)  # fmt: skip
    debs = sorted(_DEBS.glob(f"{package}_*.deb"))
    if got.returncode or not debs:
        sys.exit(f"apt-get download {package} failed: {got.stderr.strip()[-300:]}")
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(root)], check=True)
    if not crate.is_dir():
        sys.exit(f"{package} no longer ships {name} {version}: update rust_oracle._PACKAGES")
    return crate


def load() -> Rustc:
    """The oracle, or exit naming what is missing."""
    binary = rustc_path()
    if binary is None:
        sys.exit("rustc is not installed: apt-get install rustc")
    oracle = Rustc(binary)
    oracle.check_dependencies()
    return oracle
