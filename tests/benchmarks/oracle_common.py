"""What ``lang_agreement`` needs from a language's oracle (golint, rustc), and its records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.model import FileDiff, Target

Key = tuple[str, int, str]
"""(path, line, name): one finding, as the oracle and docbot both name it."""


@dataclass(frozen=True)
class Finding:
    """One "missing documentation" report of the oracle."""

    path: str
    line: int
    name: str
    header_end: int
    """Last line of the declaration's signature, found by the oracle module on its own."""
    message: str = ""
    malformed: bool = False
    """A comment is there but not of the form the oracle wants (golint's other finding)."""

    @property
    def key(self) -> Key:
        """How the finding is matched with docbot's target."""
        return (self.path, self.line, self.name)

    def in_scope(self, files: list[FileDiff]) -> bool:
        """Whether the signature holds an added line of its file (docbot's default scope)."""
        added = next((f.added for f in files if f.path == self.path), frozenset())
        return any(self.line <= n <= self.header_end for n in added)


class Oracle(Protocol):
    """A linter run on a checkout, and the known reasons docbot differs from it."""

    name: str
    repositories: tuple[tuple[str, str, str], ...]
    """(name, older release, newer release): a mirror ``owner+repo`` and two of its tags,
    or, for an oracle with ``unpack(name, release, dest)``, what that method takes."""

    def key(self, target: Target) -> Key:
        """docbot's target named as the oracle names its findings."""
        ...

    def findings(
        self, repo: Path, files: list[FileDiff], *, packages: bool = True
    ) -> list[Finding]:
        """The oracle's missing-documentation findings in ``files`` of the checkout; with
        ``packages`` the oracle sees what it needs around them (the package, the crate),
        else only ``files`` (the speed comparison)."""
        ...

    def malformed(self, repo: Path, files: list[FileDiff]) -> set[tuple[str, str]]:
        """(path, name) of documentation present but not of the form the oracle wants."""
        ...

    def explain_extra(self, repo: Path, target: Target) -> str | None:
        """Why docbot flags what the oracle does not, when it is a known, tested reason."""
        ...

    def explain_missed(self, repo: Path, finding: Finding) -> str | None:
        """Why docbot misses what the oracle flags, when it is a known, tested reason."""
        ...
