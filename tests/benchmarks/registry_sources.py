"""Released source packages as a git history, for the oracle benchmarks.

A package's source distributions (``pip download --no-binary :all:``) are downloaded
into ``.bench/registry/`` and committed one on top of the other, oldest first, in a git
repository there, each release tagged with its version: ``git diff OLD NEW`` is then the
real change between two releases, and ``oracle_changes.load_change`` reads it as it
reads any repository.  Everything is made again at run time; nothing here is committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from tests.benchmarks.oracle_changes import BENCH

REGISTRY = BENCH / "registry"


def sdist(package: str, version: str) -> Path:
    """The unpacked source distribution of ``package==version`` (downloaded once)."""
    downloads = REGISTRY / "sdists"
    unpacked = REGISTRY / "unpacked" / f"{package}-{version}"
    if unpacked.exists():
        return _top(unpacked)
    downloads.mkdir(parents=True, exist_ok=True)
    archive = _archive(downloads, package, version)
    if archive is None:
        run = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
             ":all:", f"{package}=={version}", "-d", str(downloads)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if run.returncode != 0:
            raise RuntimeError(f"pip download {package}=={version} failed: {run.stderr[-1000:]}")
        archive = _archive(downloads, package, version)
    if archive is None:
        raise RuntimeError(f"pip downloaded no source archive of {package}=={version}")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    return _top(unpacked)


def releases(package: str, versions: tuple[str, ...]) -> Path:
    """The git directory holding ``versions`` of ``package`` as tagged commits."""
    work = REGISTRY / "git" / package
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    git = ["git", "-C", str(work), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    for version in versions:
        for entry in work.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.copytree(sdist(package, version), work, dirs_exist_ok=True)
        subprocess.run([*git, "add", "-A", "-f"], check=True)
        message = f"{package} {version}"
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", message], check=True)
        subprocess.run([*git, "tag", version], check=True)
    return work / ".git"


def _archive(folder: Path, package: str, version: str) -> Path | None:
    stems = {f"{name}-{version}" for name in (package, package.replace("-", "_"))}
    for path in folder.glob("*.tar.gz"):
        if path.name.removesuffix(".tar.gz").lower() in stems:
            return path
    return None


def _top(unpacked: Path) -> Path:
    """The archive's single top folder (``NAME-VERSION/``)."""
    entries = list(unpacked.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked
