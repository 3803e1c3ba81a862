"""Does docbot find exactly the declarations the C# compiler's CS1591 reports?

``python -m tests.benchmarks.csharp_agreement [--rounds N]`` takes real release-to-release
changes of C# projects published in source form on the Python package index
(pythonnet's ``Python.Runtime`` and ``Python.Test``, 2.3.0 to 2.4.0; clr-loader's
``netfx_loader``, 0.2.5 to 0.2.6 and 0.2.7.post0 to 0.2.8; see ``registry_sources``),
and compares, per change:

1. docbot's C# targets (``bot.languages.csharp``) with the CS1591 warnings of Mono's
   ``mcs -doc`` compiling the project at the new release (the compiler needs the whole
   project, so only releases written in the C# that mcs knows, up to 7.x: pythonnet
   2.5 and later do not compile), both kept to the changed files of that project and to
   declarations whose signature holds an added line;
2. the same with every line of those files counted as added;
3. the patch: ``docbot dry-run --provider template --format patch`` applied with
   ``git apply`` to the new release, compiled again: the suggested targets must be gone
   and nothing new reported; targets docbot refuses (a member sharing its line with
   another declaration, where no comment can go above it alone) are counted apart;
4. speed: docbot's detection on the project's files next to mcs compiling them.

Prints markdown tables; every disagreement is listed.  Exit status 1 on any.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.languages import adapter
from bot.languages.base import Language
from bot.languages.csharp import GRAMMAR
from bot.languages.csharp_targets import findings
from tests import oracle_csharp
from tests.benchmarks.csharp_disagreements import reason
from tests.benchmarks.oracle_changes import (
    BENCH,
    HEADER,
    Change,
    Key,
    Score,
    disagreements,
    docbot_patch,
    docbot_targets,
    drop_files,
    export,
    git_apply,
    in_change,
    load_change,
    moved_line,
    refused,
    timed,
    unparsable,
    whole_files,
)
from tests.benchmarks.registry_sources import releases

PYTHONNET_DEFINES = ("PYTHON3", "PYTHON36", "UCS4", "MONO_LINUX")
"""What Python.Runtime.csproj's Python 3 configurations define (one CPython ABI)."""
NXPORTS = """namespace NXPorts.Attributes
{
    /// <summary>Stands in for the NuGet package NXPorts's attribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.Method)]
    public sealed class DllExportAttribute : System.Attribute
    {
        /// <summary>Names the export.</summary>
        public DllExportAttribute(string name, System.Runtime.InteropServices.CallingConvention c)
        {
        }
    }
}
"""
"""clr-loader references NuGet's NXPorts for one attribute, ``[DllExport(name, convention)]``;
NuGet is out of reach here, so this hand-written declaration stands in for it (documented,
so it adds no finding of its own)."""


@dataclass(frozen=True)
class CsProject:
    """A C# project inside a package's source distribution, as its csproj compiles it."""

    package: str
    globs: tuple[str, ...]
    references: tuple[str, ...] = ("System.Core", "Microsoft.CSharp")
    defines: tuple[str, ...] = ()
    stub: str = ""
    needs: str = ""
    """Another project of the same release, compiled first and referenced."""


PROJECTS = {
    "Python.Runtime": CsProject(
        "pythonnet", ("src/SharedAssemblyInfo.cs", "src/runtime/**/*.cs"), defines=PYTHONNET_DEFINES
    ),
    "Python.Test": CsProject("pythonnet", ("src/testing/**/*.cs",), needs="Python.Runtime"),
    "clr-loader": CsProject("clr-loader", ("netfx_loader/*.cs",), stub=NXPORTS),
}
CHANGES = (
    ("Python.Runtime", "2.3.0", "2.4.0"),
    ("Python.Test", "2.3.0", "2.4.0"),
    ("clr-loader", "0.2.5", "0.2.6"),
    ("clr-loader", "0.2.7.post0", "0.2.8"),
)
WORK = BENCH / "csharp"
_ORACLE: dict[str, Counter[Key]] = {}
_WARNED: dict[str, set[str]] = {}
_TREE: dict[str, Path] = {}
DOC_WARNINGS = ("CS1570", "CS1571", "CS1572", "CS1573", "CS1574", "CS1580", "CS1584", "CS1587")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if shutil.which("mcs") is None:
        print("mcs is not installed: it is the oracle (see .ci/run)")
        return 2
    csharp = adapter("csharp")
    assert csharp is not None
    shutil.rmtree(WORK, ignore_errors=True)
    packages: dict[str, list[str]] = {}
    for name, old, new in CHANGES:
        versions = packages.setdefault(PROJECTS[name].package, [])
        versions += [v for v in (old, new) if v not in versions]
    git_dirs = {package: releases(package, tuple(v)) for package, v in packages.items()}
    changes = [
        _load(name, old, new, csharp, git_dirs[PROJECTS[name].package])
        for name, old, new in CHANGES
    ]
    ok = True
    for every_line in (False, True):
        title = (
            "every declaration of the changed files"
            if every_line
            else "signature holds an added line"
        )
        print(f"\n## Agreement with mcs's CS1591: {title}\n")
        print(HEADER)
        scores = [score(change, csharp, every_line=every_line) for change in changes]
        for found in scores:
            print(found.row())
        ok &= disagreements(scores, _explainer(changes, csharp))
    for change in changes:
        for why in unparsable(change, csharp):
            print(f"- {change.name}: docbot skips {why}")
    ok &= _patches(changes, csharp, every_line=False)
    ok &= _patches(changes, csharp, every_line=True)
    _speed(changes, args.rounds)
    return 0 if ok else 1


def _load(project: str, old: str, new: str, csharp: Language, git_dir: Path) -> Change:
    name = f"{project} {old}..{new}"
    change = load_change(git_dir, name, old, new, csharp, (".cs",))
    change.repo = project
    tree = export(change, WORK / name.replace(" ", "_") / "new")
    _TREE[name] = tree
    inside = {str(path.relative_to(tree)) for path in _globbed(PROJECTS[project], tree)}
    outside = [path for path in change.files if path not in inside]
    if outside:
        print(f"({name}: {len(outside)} changed files outside the compiled project left out)")
    drop_files(change, outside)
    _ORACLE[name] = oracle(tree, project)
    _WARNED[name] = _doc_warnings(tree, project)
    return change


def _explainer(changes: list[Change], csharp: Language) -> Callable[[str, str, Key], str]:
    """Why docbot and mcs disagree on a key of a change (``csharp_disagreements``)."""
    by_name = {change.name: change for change in changes}
    skipped = {
        (change.name, why.split(":")[0]) for change in changes for why in unparsable(change, csharp)
    }

    def explain(name: str, side: str, key: Key) -> str:
        change, (path, line) = by_name[name], key
        defines = PROJECTS[change.repo].defines
        return reason(side, change.files[path], line, defines, (name, path) in skipped)

    return explain


def _globbed(project: CsProject, tree: Path) -> list[Path]:
    return sorted({path for pattern in project.globs for path in tree.glob(pattern)})


def _sources(project: CsProject, tree: Path) -> list[Path]:
    """The files mcs compiles: the project's, and the stand-in for a missing reference."""
    files = _globbed(project, tree)
    if project.stub:
        stub = tree.parent / "stubs" / f"{project.package}.cs"
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(project.stub, "utf-8")
        files.append(stub)
    return files


def _references(project: CsProject, tree: Path) -> tuple[str, ...]:
    """The project's references; a project it needs is compiled from ``tree`` first."""
    if not project.needs:
        return project.references
    needed = PROJECTS[project.needs]
    dll = tree.parent / "lib" / f"{project.needs}.dll"
    if not dll.exists():
        dll.parent.mkdir(parents=True, exist_ok=True)
        command = ["mcs", "-target:library", "-unsafe", "-nowarn:1591", f"-out:{dll}"]
        command += [f"-r:{name}" for name in _references(needed, tree)]
        command += [f"-define:{name}" for name in needed.defines]
        command += [str(path) for path in _sources(needed, tree)]
        subprocess.run(command, capture_output=True, check=True)
    return (*project.references, str(dll))


def oracle(tree: Path, name: str) -> Counter[Key]:
    """mcs's CS1591 findings on the project, keyed by path relative to ``tree``."""
    project = PROJECTS[name]
    base = tree.resolve()
    found = oracle_csharp.mcs(
        _sources(project, tree),
        references=_references(project, tree),
        defines=project.defines,
    )
    return Counter(
        {
            (str(path.relative_to(base)), line): n
            for (path, line), n in found.items()
            if path.is_relative_to(base)
        }
    )


def score(change: Change, csharp: Language, *, every_line: bool) -> Score:
    """Agreement on the change's files."""
    found = in_change(change, _ORACLE[change.name], every_line=every_line)
    ours = Counter((t.path, t.line) for t in docbot_targets(change, csharp, every_line=every_line))
    return Score(change.name, len(change.files), found, ours)


def _patches(changes: list[Change], csharp: Language, *, every_line: bool) -> bool:
    what = "every declaration of the changed files" if every_line else "the change's targets"
    print(f"\n## The patch for {what} (`docbot dry-run --provider template --format patch`):")
    print("applies, passes the proof, and mcs reports none of the suggested targets nor any")
    print("new documentation warning (CS1570-CS1574, CS1580, CS1584, CS1587: malformed XML,")
    print("param tags that do not match, misplaced comments)\n")
    print("| change | targets | refused (share a line) | files patched | git apply "
          "| suggested still reported | new findings | new doc warnings |"
          "\n|---|---|---|---|---|---|---|---|")  # fmt: skip
    ok = True
    for original in changes:
        change = whole_files(original) if every_line else original
        targets = docbot_targets(change, csharp, every_line=every_line)
        skipped = refused(change, csharp, targets)
        folder = WORK / change.name.replace(" ", "_") / ("whole" if every_line else "change")
        tree = export(change, folder / "patched")
        diff = docbot_patch(change, tree)
        (folder / "docbot.patch").write_text(diff, "utf-8", "surrogateescape")
        git_apply(tree, diff)
        files = {
            p: (tree / p).read_bytes().decode("utf-8", "surrogateescape") for p in change.files
        }
        after = {k for k in oracle(tree, change.repo) if k[0] in files}
        warned = _doc_warnings(tree, change.repo) - _WARNED[change.name]
        suggested = {_moved(change, files, t.path, t.line) for t in targets if t not in skipped}
        before = {_moved(change, files, *key) for key in _ORACLE[change.name] if key[0] in files}
        left, new = after & suggested, after - before
        touched = sum(files[p] != change.files[p] for p in files)
        ok &= not left and not new and not warned
        print(f"| {change.name} | {len(targets)} | {len(skipped)} | {touched} | yes "
              f"| {len(left)} | {len(new)} | {len(warned)} |")  # fmt: skip
        for path, line in sorted(left | new):
            print(f"- after the patch: {path}:{line}")
        for warning in sorted(warned):
            print(f"- new warning: {warning}")
        for target in skipped:
            print(f"- refused: {target.path}:{target.line} {target.qualname}")
    return ok


def _doc_warnings(tree: Path, name: str) -> set[str]:
    """mcs's documentation warnings other than CS1591, as ``code member`` (line-free, so
    they compare across the patch)."""
    project = PROJECTS[name]
    found = oracle_csharp.warnings(
        _sources(project, tree),
        DOC_WARNINGS,
        references=_references(project, tree),
        defines=project.defines,
    )
    return {f"{code} {message}" for code, message in found}


def _moved(change: Change, files: dict[str, str], path: str, line: int) -> Key:
    return path, moved_line(change.files[path], files[path], line)


def _speed(changes: list[Change], rounds: int) -> None:
    seen: dict[str, Change] = {}
    for change in changes:
        seen.setdefault(change.repo, change)
    for name, change in seen.items():
        project, tree = PROJECTS[name], _TREE[change.name]
        files = _sources(project, tree)
        texts = [path.read_bytes() for path in files]
        references = _references(project, tree)

        def docbot(texts: list[bytes] = texts) -> None:
            for src in texts:
                findings(GRAMMAR.parse(src), src)

        def mcs(
            files: list[Path] = files,
            references: tuple[str, ...] = references,
            defines: tuple[str, ...] = project.defines,
        ) -> None:
            oracle_csharp.mcs(files, references=references, defines=defines)

        times = timed(rounds, {"docbot": docbot, "mcs": mcs})
        print(f"\n## Detection speed on {change.name}'s {len(files)} project files "
              f"(median of {rounds} interleaved rounds)\n")  # fmt: skip
        print("| tool | seconds | ratio to mcs |\n|---|---|---|")
        for tool, seconds in times.items():
            print(f"| {tool} | {seconds:.3f} | {seconds / times['mcs']:.3f}x |")


if __name__ == "__main__":
    sys.exit(main())
