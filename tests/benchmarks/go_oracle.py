"""golint as the Go oracle of ``lang_agreement``: run per package, findings parsed.

Findings are golint's "exported X should have comment or be unexported", plus its
"comment on exported X should be of the form" where the comment is only directives
(``//go:embed``...): golint calls such a comment malformed, Go's convention (and docbot)
calls it missing; both ask for the same doc comment.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from bot.languages.golang.targets import is_generated
from bot.model import FileDiff, Target, TargetKind
from tests.benchmarks.oracle_common import Finding, Key
from tests.oracles_go_rust import golint_path

_REPORT = re.compile(
    r"^(?P<path>.*?):(?P<line>\d+):\d+: (?:exported (?P<kind>\w+) (?P<name>\S+) should have"
    r" comment|comment on exported (?P<fkind>\w+) (?P<fname>\S+) should be of the form)"
)
_DIRECTIVE = re.compile(r"\s*//(line |extern |export |[a-z0-9]+:[a-z0-9])")
_PACKAGE = re.compile(r"^package\s+(\w+)", re.MULTILINE)
_GENERIC_RECEIVER = re.compile(r"^func\s*\([^)]*\[")


class Golint:
    """golint, at ``$DOCBOT_GOLINT`` or on PATH (built by hand; see the README's Go section)."""

    name = "golint"
    repositories = (
        ("sirupsen+logrus", "v1.4.2", "v1.10.1"),
        ("go-chi+chi", "v4.1.2", "v5.3.2"),
        ("urfave+cli", "v3.0.0-beta1", "v3.11.0"),
    )

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def findings(
        self, repo: Path, files: list[FileDiff], *, packages: bool = True
    ) -> list[Finding]:
        """golint's missing comments in ``files``, golint run on every package holding one
        (all its non-test files, as ``golint ./dir`` sees them, build tags aside), or only
        on ``files`` themselves when not ``packages``."""
        return [f for f in self._run(repo, files, packages=packages) if not f.malformed]

    def malformed(self, repo: Path, files: list[FileDiff]) -> set[tuple[str, str]]:
        """(path, name) of each comment golint finds not of the form "Name ..."."""
        return {(f.path, f.name) for f in self._run(repo, files, packages=True) if f.malformed}

    def _run(self, repo: Path, files: list[FileDiff], *, packages: bool) -> list[Finding]:
        wanted = {f.path for f in files}
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for folder in sorted({str(Path(p).parent) for p in wanted}):
            for path in sorted((repo / folder).glob("*.go")):
                relative = str(path.relative_to(repo))
                text = path.read_text("utf-8", "replace")
                match = _PACKAGE.search(text)
                if path.name.endswith("_test.go") or is_generated(text) or match is None:
                    continue
                if packages or relative in wanted:
                    groups[(folder, match[1])].append(relative)
        found: list[Finding] = []
        for paths in groups.values():
            done = subprocess.run([str(self.binary), *paths], cwd=repo, capture_output=True,
                                  text=True)  # fmt: skip
            found.extend(f for f in _parse(repo, done.stdout) if f.path in wanted)
        return found

    def key(self, target: Target) -> Key:
        """golint names the declaration: file, line and name."""
        return (target.path, target.line, target.qualname)

    def explain_extra(self, repo: Path, target: Target) -> str | None:
        """Generic receivers: golint's bug, Go's convention (tests/languages/test_golang_targets)."""
        if target.kind is TargetKind.METHOD and _GENERIC_RECEIVER.match(target.source):
            return "method on a generic receiver: golint never reports these (bug), Go does"
        return None

    def explain_missed(self, repo: Path, finding: Finding) -> str | None:
        """No known reason: every golint finding should be a target."""
        return None


def _parse(repo: Path, report: str) -> list[Finding]:
    found = []
    lines_of: dict[str, list[str]] = {}
    for match in map(_REPORT.match, report.splitlines()):
        if match is None:
            continue
        path, line = match["path"], int(match["line"])
        lines = lines_of.setdefault(path, (repo / path).read_text("utf-8", "replace").splitlines())
        kind = match["kind"] or match["fkind"]
        malformed = False
        if match["fname"]:
            # A comment of the wrong form is there: not a missing one, unless it is only
            # directives; then the declaration's line is the first after the comment.
            malformed = not _DIRECTIVE.match(lines[line - 1])
            while line <= len(lines) and lines[line - 1].lstrip().startswith("//"):
                line += 1
        name = match["name"] or match["fname"]
        found.append(Finding(path, line, name, _header_end(lines, line, kind), match[0], malformed))
    return found


def _header_end(lines: list[str], line: int, kind: str) -> int:
    """A function's signature runs to the line opening its body; a spec is one line."""
    if kind not in ("function", "method"):
        return line
    for number in range(line, min(line + 60, len(lines)) + 1):
        if lines[number - 1].split("//")[0].rstrip().endswith("{"):
            return number
    return line


def load() -> Golint:
    """The oracle, or exit saying where it was looked for."""
    binary = golint_path()
    if binary is None:
        sys.exit(
            "golint not found: put it on PATH or set DOCBOT_GOLINT to its path (nothing here"
            " builds it; no allowed source installs it, see the README's golint note)"
        )
    return Golint(binary)
