"""GitHub Actions' side channels: workflow commands on stdout, output and summary files.

Formatting comes from ``actions_toolkit``; where the text goes is ours, so the Action
runs in-process in tests with an explicit ``env`` and ``stdout``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from actions_toolkit.command import Command
from actions_toolkit.file_command import prepare_key_value_message

from bot.inert import log_line

ANNOTATIONS_PER_KIND = 10
"""GitHub shows at most 10 error, 10 warning (and 10 notice) annotations per step."""
ANNOTATION_KINDS = ("notice", "warning", "error")


class Workflow:
    """Writes workflow commands to ``stdout`` and files named by ``env``.

    Every text passes ``redact`` first (only ``mask`` sends a secret, to hide it); plain
    lines are escaped so that none can be read as a workflow command.
    """

    def __init__(
        self, env: Mapping[str, str], stdout: TextIO, redact: Callable[[str], str] = str
    ) -> None:
        self._env = env
        self._out = stdout
        self.redact = redact
        self.annotations: dict[str, int] = dict.fromkeys(ANNOTATION_KINDS, 0)
        """Annotations written so far, by kind."""

    def command(self, name: str, message: str = "", **properties: str | int | None) -> None:
        """One ``::name key=value::message`` line; None properties are left out."""
        kept = {
            key: self.redact(str(value)) for key, value in properties.items() if value is not None
        }
        self._command(name, self.redact(message), kept)

    def _command(self, name: str, message: str, properties: Mapping[str, str] = {}) -> None:
        if name in self.annotations:
            self.annotations[name] += 1
        self._out.write(str(Command(name, dict(properties), message)) + "\n")
        self._out.flush()

    def mask(self, secret: str) -> None:
        """Ask the runner to hide ``secret`` (each line of it) in every later log line."""
        for line in secret.splitlines():
            if line.strip():
                self._command("add-mask", line)

    def info(self, line: str) -> None:
        """A plain log line: one line, never a workflow command."""
        self._out.write(log_line(self.redact(line)) + "\n")
        self._out.flush()

    def notice(self, message: str, **where: str | int | None) -> None:
        """A notice annotation, optionally on ``file``/``line``/``endLine``."""
        self.command("notice", message, **where)

    def warning(self, message: str, **where: str | int | None) -> None:
        """A warning annotation."""
        self.command("warning", message, **where)

    def error(self, message: str, **where: str | int | None) -> None:
        """An error annotation."""
        self.command("error", message, **where)

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        """Fold the lines logged inside into one collapsible group."""
        self.command("group", title)
        try:
            yield
        finally:
            self.command("endgroup")

    def set_outputs(self, outputs: Mapping[str, str]) -> None:
        """Append step outputs to ``GITHUB_OUTPUT`` (heredoc records, safe for any value)."""
        target = self._env.get("GITHUB_OUTPUT")
        if not target:
            return
        with Path(target).open("a", encoding="utf-8", newline="") as handle:
            for key, value in outputs.items():
                handle.write(prepare_key_value_message(key, self.redact(value)) + "\n")

    def add_summary(self, markdown: str) -> None:
        """Append markdown to the job summary (``GITHUB_STEP_SUMMARY``)."""
        target = self._env.get("GITHUB_STEP_SUMMARY")
        if not target:
            return
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(self.redact(markdown).rstrip("\n") + "\n")
