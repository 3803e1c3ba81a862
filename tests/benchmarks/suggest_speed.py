"""How long suggest() takes over thousands of targets, against a whole-module parse per target.

    python -m tests.benchmarks.suggest_speed [--targets 4000] [--lines 336000] [--files 8]

Builds the modules in memory (a mix of block bodies, one-liners, multi-line headers and
methods), finds their targets with bot.targets.scan, then times: suggest() for every target;
``ast.parse`` of the whole module once per target (what a naive proof would cost; timed on a
sample and scaled); and check_safe() once per file with all its suggestions applied.
"""

from __future__ import annotations

import argparse
import ast
import time

from bot.model import Suggestion, Target
from bot.suggest import apply, check_safe, suggest
from bot.targets import TargetOptions, scan

DOCSTRING = "Summary line of the docstring.\n\nArgs:\n    a: The a.\n    b: The b."


def make_module(targets: int, lines: int, seed: int) -> str:
    # one target in four is a two-line one-liner; the others share the rest of the lines
    filler = max((lines - targets // 2) * 4 // (3 * max(targets, 1)) - 6, 1)
    out: list[str] = ["import os", ""]
    for index in range(targets):
        shape = (index + seed) % 4
        if shape == 0:
            out += [f"def one_liner_{index}(a, b): return a + b", ""]
            continue
        if shape == 1:
            out += [
                "@decorator",
                f"def func_{index}(",
                "    a: int,",
                "    b: str = ':',",
                ") -> int:",
            ]
            indent = "    "
        elif shape == 2:
            out += [f"class Klass{index}:", '    """Documented."""', ""]
            out += [f"    def method_{index}(self, a, b):"]
            indent = "        "
        else:
            out += [f"async def coro_{index}(a, b):"]
            indent = "    "
        out += [f"{indent}x{n} = a + {n}  # filler" for n in range(filler)]
        out += [f"{indent}return x0", ""]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--targets", type=int, default=4000)
    parser.add_argument("--lines", type=int, default=336_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--sample", type=int, default=16)
    args = parser.parse_args()

    per_file = args.targets // args.files
    files = {
        f"pkg/mod{n}.py": make_module(per_file, args.lines // args.files, n)
        for n in range(args.files)
    }
    everything = frozenset(range(1, args.lines * 2))
    found: list[tuple[str, Target]] = []
    for path, text in files.items():
        found += [(path, t) for t in scan(path, text, everything, TargetOptions()).targets]
    total_lines = sum(text.count("\n") for text in files.values())
    print(f"{len(files)} files, {total_lines} lines, {len(found)} targets")

    start = time.perf_counter()
    suggestions: dict[str, list[Suggestion]] = {path: [] for path in files}
    for path, target in found:
        suggestions[path].append(suggest(target, files[path], DOCSTRING))
    spent = time.perf_counter() - start
    print(f"suggest(), all targets: {spent:8.3f} s  ({spent / len(found) * 1e6:7.1f} µs/target)")

    sample = found[:: max(len(found) // args.sample, 1)][: args.sample]
    start = time.perf_counter()
    for path, _ in sample:
        ast.parse(files[path])
    per_parse = (time.perf_counter() - start) / len(sample)
    print(
        f"ast.parse of the module per target: {per_parse * len(found):8.3f} s  "
        f"({per_parse * 1e6:7.1f} µs/target, scaled from {len(sample)})"
    )

    start = time.perf_counter()
    for path, text in files.items():
        check_safe(text, apply(text, suggestions[path]))
    spent = time.perf_counter() - start
    print(f"apply() + check_safe(), per file: {spent:8.3f} s  ({spent / len(files):.3f} s/file)")


if __name__ == "__main__":
    main()
