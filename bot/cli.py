"""The ``docbot`` command: dry-run, action, doctor and cache.

An entrypoint: it reads flags and the environment into one Settings object, runs
the pipeline, and turns every ``DocbotError`` into one line and an exit code
(0 ok, 1 targets found by ``--check`` or a fatal run error, 2 usage or config).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from bot import __version__
from bot.errors import ChangeError, ConfigError, DocbotError
from bot.inert import json_text, one_line
from bot.redact import RedactingStream, Redactor
from bot.settings import Settings, load

if TYPE_CHECKING:
    from bot.changes import Change
    from bot.runner import RunReport

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line instead of usage + message."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog}: {message} (see --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="docbot", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"docbot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    dry = sub.add_parser("dry-run", help="suggest docstrings for a local change; never posts")
    source = dry.add_argument_group("the change")
    source.add_argument(
        "--base", help="git revision to compare with (default: merge-base with upstream, else HEAD)"
    )
    source.add_argument("--head", help="git revision to look at (default: the working tree)")
    source.add_argument(
        "--diff", metavar="FILE|-", help="a unified diff instead of git ('-' reads stdin)"
    )
    source.add_argument(
        "--root", type=Path, help="with --diff: the folder holding the new files (default: .)"
    )
    dry.add_argument("--scope", choices=["signature", "touched"])
    _run_flags(dry, formats=["text", "json", "patch", "review"])

    fill = sub.add_parser("backfill", help="document the code already there; never posts")
    fill.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: all)")
    fill.add_argument(
        "--root", type=Path, help="the project folder (default: the git checkout, else .)"
    )
    fill.add_argument(
        "--batch", action="store_true", help="ask through the Azure OpenAI Batch API (50%% price)"
    )
    _run_flags(fill, formats=["text", "json", "patch"])

    sub.add_parser("action", help="run as the GitHub Action (reads INPUT_* and GITHUB_*)")
    doctor = sub.add_parser("doctor", help="check the LLM configuration with one cheap real call")
    doctor.add_argument("--provider", choices=["azure", "openai"])

    cache = sub.add_parser("cache", help="inspect or empty the answer cache")
    cache_sub = cache.add_subparsers(dest="cache_command", required=True, parser_class=_Parser)
    cache_sub.add_parser("stats", help="entries and size")
    inval = cache_sub.add_parser("invalidate", help="drop entries carrying all the given tags")
    inval.add_argument("--tag", action="append", required=True, metavar="KEY=VALUE")
    cache_sub.add_parser("clear", help="drop every entry")
    return parser


def _run_flags(command: argparse.ArgumentParser, *, formats: list[str]) -> None:
    """The flags ``dry-run`` and ``backfill`` share: how to write, and what to show."""
    how = command.add_argument_group("how")
    how.add_argument("--provider", choices=["template", "azure", "openai"])
    how.add_argument("--style", choices=["google", "numpy", "sphinx", "auto"])
    how.add_argument("--line-length", type=int)
    how.add_argument(
        "--problems", metavar="missing,stale", help="what to look for (default: missing,stale)"
    )
    how.add_argument("--max-cost-usd", type=float)
    how.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    out = command.add_argument_group("output")
    out.add_argument("--format", choices=formats, default="text")
    out.add_argument("--apply", action="store_true", help="write the docstrings into the files")
    out.add_argument(
        "--check", action="store_true", help="exit 1 when missing or stale docstrings remain"
    )
    out.add_argument(
        "--commit", action="store_true", help="with --apply: one git commit of the edits"
    )
    out.add_argument("--color", choices=["auto", "always", "never"], default="auto")


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one ``docbot`` command and return its exit code; never shows a traceback."""
    env = os.environ if env is None else env
    redactor = Redactor.for_env(env)
    err = RedactingStream.wrap(stderr or sys.stderr, redactor)
    try:
        return _main(argv, env, stdout or sys.stdout, err)
    finally:
        err.flush()


def _main(argv: Sequence[str] | None, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command != "action":  # the Action's own output redacts, and masks secrets
            out = RedactingStream.wrap(out, Redactor.for_env(env))
        command: Callable[[argparse.Namespace, Mapping[str, str], TextIO, TextIO], int] = {
            "dry-run": _dry_run,
            "backfill": _backfill,
            "action": _action,
            "doctor": _doctor,
            "cache": _cache,
        }[args.command]
        try:
            return command(args, env, out, err)
        finally:
            out.flush()
    except DocbotError as exc:
        print(f"docbot: error: {one_line(str(exc))}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("docbot: interrupted", file=err)
        return 130
    except Exception as exc:  # a bug of ours: one line, unless asked for the details
        if env.get("DOCBOT_DEBUG"):
            raise
        print(
            f"docbot: internal error: {type(exc).__name__}: {one_line(str(exc))} "
            "(set DOCBOT_DEBUG=1 for a traceback)",
            file=err,
        )
        return EXIT_FAIL


def _settings(root: Path, env: Mapping[str, str], **flags: Any) -> Settings:
    return load(root=root, env=env, overrides=flags)


def _dry_run(args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    change, root = _change(args)
    settings = _settings(root, env, scope=args.scope, **_run_settings(args))
    return _run_and_show(args, settings, change, root, env, out, err)


def _backfill(args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    from bot.backfill import backfill_change
    from bot.targets import TargetOptions

    root = args.root if args.root is not None else _checkout_or_here()
    settings = _settings(root, env, batch_api=True if args.batch else None, **_run_settings(args))
    # Paths are typed relative to where the user stands; they must still lie inside the root.
    paths = [str(Path(p).resolve()) for p in args.paths]
    change = backfill_change(root, paths, TargetOptions.from_settings(settings))
    if not change.files and not change.skips:
        print(
            "docbot: no Python files to document there (files git ignores are left out)", file=err
        )
    return _run_and_show(args, settings, change, root, env, out, err)


def _checkout_or_here() -> Path:
    from bot import changes

    try:
        return changes.toplevel(Path("."))
    except ChangeError:
        return Path(".")


def _run_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "provider": args.provider,
        "style": args.style,
        "line_length": args.line_length,
        "max_cost_usd": args.max_cost_usd,
        "cache": False if args.no_cache else None,
        "problems": args.problems,
    }


def _run_and_show(
    args: argparse.Namespace,
    settings: Settings,
    change: Change,
    root: Path,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
) -> int:
    from bot.runner import run

    if args.commit:
        from bot.localcommit import refuse_staged

        if not args.apply:
            raise ConfigError("--commit goes with --apply")
        refuse_staged(root)
    with _ProgressBar(err) as progress:
        result = run(
            settings,
            change,
            repo=str(root.resolve().name),
            progress=progress,
            warn=lambda message: print(f"docbot: warning: {one_line(message)}", file=err),
            note=lambda message: print(f"docbot: {one_line(message)}", file=err),
        )
    for text in result.notes:
        print(f"docbot: note: {one_line(text)}", file=err)
    _show(args, result, change, out, color=_color(args.color, out, env))
    if args.apply:
        _apply(args, root, result, change, err)
    counts = result.counts()
    if args.check and counts["targets"]:
        return EXIT_FAIL
    if counts["targets"] and not counts["suggested"] and counts["failed"]:
        first = next(r.reason for r in result.results if r.reason)
        print(f"docbot: error: no docstring could be written: {one_line(first or '')}", file=err)
        return EXIT_FAIL
    return EXIT_OK


def _apply(
    args: argparse.Namespace, root: Path, result: RunReport, change: Change, err: TextIO
) -> None:
    from bot import localcommit, report

    if args.commit:
        localcommit.refuse_uncommitted(root, sorted(report.suggestions_by_path(result)))
    written = report.apply_to(root, result, change.files)
    print(f"docbot: wrote docstrings into {len(written)} files", file=err)
    if args.commit and written:
        count = sum(len(s) for s in report.suggestions_by_path(result).values())
        noun = "docstring" if count == 1 else "docstrings"
        sha = localcommit.commit(root, written, f"docs: add {count} {noun} (docbot)")
        print(f"docbot: committed them as {sha[:12]}", file=err)


def _change(args: argparse.Namespace) -> tuple[Change, Path]:
    """The change the flags name, and the folder its paths are relative to."""
    from bot import changes

    if args.diff is None and args.root is not None:
        raise ConfigError("--root goes with --diff")
    if args.diff is not None and (args.base or args.head):
        raise ConfigError("--diff cannot be combined with --base/--head")
    if args.diff is not None:
        root = args.root or Path(".")
        return changes.from_diff_text(_read_diff(args.diff), root), root
    if args.apply and args.head is not None:
        raise ConfigError("--apply writes the working tree; it cannot be used with --head")
    change = changes.from_git(Path("."), base=args.base, head=args.head)
    return change, changes.toplevel(Path("."))


def _show(
    args: argparse.Namespace, result: RunReport, change: Change, out: TextIO, *, color: bool
) -> None:
    from bot import report

    if args.format in ("json", "review"):
        if args.format == "json":
            payload = report.to_json(result)
        else:
            from bot.review import review_payload

            payload = review_payload(result, change.diffs)
        out.write(json_text(payload) + "\n")
    elif args.format == "patch":
        out.write(report.to_patch(result, change.files))
    else:
        report.print_text(result, change.files, out, color=color)


def _color(choice: str, out: TextIO, env: Mapping[str, str]) -> bool:
    if choice != "auto":
        return choice == "always"
    return out.isatty() and not env.get("NO_COLOR")


def _read_diff(where: str) -> str:
    if where == "-":
        return sys.stdin.read()
    try:
        with open(where, encoding="utf-8", errors="surrogateescape", newline="") as handle:
            return handle.read()
    except OSError as exc:
        raise ChangeError(f"--diff {where}: {exc.strerror}") from None


class _ProgressBar:
    """A progress bar on a terminal for runs with enough LLM requests to wait on."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        return self._update if self._err.isatty() else None

    def _update(self, done: int, total: int) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(file=self._err), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("writing docstrings", total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _action(args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    from bot.action import run_action

    return run_action(env, stdout=out)


def _doctor(args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    import asyncio

    from bot.doctor import diagnose

    settings = _settings(Path("."), env, provider=args.provider)
    ok, line = asyncio.run(diagnose(settings))
    print(one_line(line), file=out if ok else err)
    return EXIT_OK if ok else EXIT_FAIL


def _cache(args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    from bot.cache.open import cache_stats, open_cache

    settings = _settings(Path("."), env, cache=True)
    backend = open_cache(
        settings, repo="", warn=lambda m: print(f"docbot: warning: {one_line(m)}", file=err)
    )
    assert backend is not None
    try:
        if args.cache_command == "stats":
            for key, value in cache_stats(backend).items():
                print(f"{key}: {value}", file=out)
        elif args.cache_command == "invalidate":
            tags = dict(_tag(t) for t in args.tag)
            print(f"removed {backend.invalidate(tags)} entries", file=out)
        else:
            print(f"removed {backend.clear()} entries", file=out)
    finally:
        backend.close()
    return EXIT_OK


def _tag(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ConfigError(f"--tag {text!r}: expected KEY=VALUE, e.g. model=gpt-4o")
    return key, value
