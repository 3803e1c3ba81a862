"""The C# oracle, run for real: Mono's ``mcs`` compiling with ``-doc:``, whose CS1591
warnings ("Missing XML comment for publicly visible type or member") are the findings.

The compiler needs the whole project to get that far (a type it cannot resolve stops it
before the documentation pass), so the oracle compiles a project's files together and
reports ``(file, line)`` for those asked about.  ``mcs`` understands C# up to 7.2, so the
projects compared are releases written in it.  The .NET SDK's ``csc`` is not installable
from Debian's packages; mcs is the compiler there is.

Under ``CI=true`` a missing ``mcs`` fails the test instead of skipping it.
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

Finding = tuple[Path, int]
_WARNING = re.compile(r"^(.+?\.cs)\((\d+),\d+\): warning CS1591:", re.M)
_ERROR = re.compile(r"^.*error CS\d+:.*$", re.M)


class CompileError(RuntimeError):
    """mcs stopped before its documentation pass."""


def need() -> None:
    """Skip (fail under CI=true) when ``mcs`` is not installed."""
    if shutil.which("mcs") is not None:
        return
    reason = "mcs is not installed (apt-get install mono-mcs); it is the C# oracle"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires it")
    pytest.skip(reason)


def mcs(
    files: Iterable[Path],
    *,
    cwd: Path | None = None,
    unsafe: bool = True,
    references: tuple[str, ...] = (),
    defines: tuple[str, ...] = (),
) -> Counter[Finding]:
    """CS1591 findings of compiling ``files`` as one library (with ``references`` and
    the conditional-compilation symbols ``defines``), as a multiset: a line may hold
    several."""
    paths = [path.resolve() for path in files]
    with tempfile.TemporaryDirectory() as out:
        command = ["mcs", "-target:library", "-warn:4", f"-doc:{out}/doc.xml", f"-out:{out}/o.dll"]
        command += ["-unsafe"] if unsafe else []
        command += [f"-r:{name}" for name in references]
        command += [f"-define:{name}" for name in defines]
        run = subprocess.run(
            [*command, *map(str, paths)], capture_output=True, text=True, check=False, cwd=cwd
        )
    output = run.stdout + run.stderr
    if run.returncode != 0:
        errors = _ERROR.findall(output)
        raise CompileError("mcs failed: " + " | ".join(errors[:3]))
    base = cwd or Path.cwd()
    return Counter(((base / m[1]).resolve(), int(m[2])) for m in _WARNING.finditer(output))


def warnings(
    files: Iterable[Path],
    codes: tuple[str, ...],
    *,
    references: tuple[str, ...] = (),
    defines: tuple[str, ...] = (),
) -> list[tuple[str, str]]:
    """``(code, message)`` of every warning among ``codes`` mcs gives on ``files``."""
    with tempfile.TemporaryDirectory() as out:
        command = ["mcs", "-target:library", "-warn:4", "-unsafe", f"-doc:{out}/doc.xml",
                   f"-out:{out}/o.dll", *[f"-r:{name}" for name in references],
                   *[f"-define:{name}" for name in defines]]  # fmt: skip
        run = subprocess.run(
            [*command, *map(str, files)], capture_output=True, text=True, check=False
        )
    pattern = re.compile(r"warning (" + "|".join(codes) + r"): (.*)$", re.M)
    return [(m[1], m[2]) for m in pattern.finditer(run.stdout + run.stderr)]
