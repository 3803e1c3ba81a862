"""Run docbot's Action the way the runner does: INPUT_* variables, an event file, output files.

Shared by ``tests/test_action_e2e.py`` and ``tests/benchmarks/action_requests.py``.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.action import run_action
from tests.fakes.github import FakeGitHub, Request

DATA = Path(__file__).parent.parent / "data"
PR_FILES = DATA / "action_pr"
ROOT = Path(__file__).parent.parent.parent


def tree(version: str) -> dict[str, str]:
    """The files of one version of the fixture repository, by posix path."""
    folder = PR_FILES / version
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def open_fixture_pull(fake: FakeGitHub, number: int = 12, **fields: Any) -> tuple[str, str]:
    """Commit ``base`` and ``head1`` and open the pull request; returns (base, head)."""
    base = fake.commit(tree("base"))
    head = fake.commit(tree("head1"), base)
    fake.open_pull(number, base, head, **fields)
    return base, head


def push(fake: FakeGitHub, number: int, version: str) -> str:
    """A new commit with the files of ``version`` on the pull request's branch."""
    pull = fake.pulls[number]
    fake.move_branch(pull.head_ref, fake.commit(tree(version), pull.head))
    return pull.head


def event_payload(fake: FakeGitHub, name: str, number: int, **change: Any) -> dict[str, Any]:
    """A real-shaped event payload for ``name``, filled in from the fake's pull request."""
    if name == "workflow_dispatch":
        text = (DATA / "events/workflow_dispatch.json").read_text()
        dispatch: dict[str, Any] = json.loads(
            text.replace("PR_NUMBER", str(change.get("pr_number", number)))
        )
        return dispatch
    pull = fake.pulls[number]
    text = (DATA / "events/pull_request.json").read_text()
    text = text.replace("HEAD_SHA", pull.head).replace("BASE_SHA", pull.base)
    payload: dict[str, Any] = json.loads(text.replace("HEAD_REPO", pull.head_repo))
    payload["action"] = change.get("action", "synchronize")
    payload["number"] = payload["pull_request"]["number"] = number
    payload["pull_request"]["draft"] = pull.draft
    return payload


@dataclass
class ActionRun:
    """What one run of the Action left behind."""

    code: int
    stdout: str
    outputs: dict[str, str]
    summary: str
    requests: list[Request]

    @property
    def writes(self) -> list[Request]:
        """Write requests GitHub answered with success."""
        return [r for r in self.requests if r.is_write and r.status < 300]

    def commands(self, name: str) -> list[str]:
        """The ``::name ...`` workflow command lines of stdout."""
        return [line for line in self.stdout.splitlines() if line.startswith(f"::{name}")]


def run_docbot(
    fake: FakeGitHub,
    workdir: Path,
    *,
    event: str = "pull_request",
    number: int = 12,
    inputs: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    in_process: bool = True,
    **change: Any,
) -> ActionRun:
    """Run the Action once against ``fake``; ``in_process=False`` runs ``python -m bot action``."""
    workdir.mkdir(parents=True, exist_ok=True)
    run_id = len(list(workdir.glob("event-*.json")))
    event_path = workdir / f"event-{run_id}.json"
    event_path.write_text(json.dumps(event_payload(fake, event, number, **change)))
    output, summary = workdir / f"output-{run_id}", workdir / f"summary-{run_id}"
    output.touch()
    summary.touch()
    workspace = workdir / "workspace"
    workspace.mkdir(exist_ok=True)
    full_env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": fake.repo,
        "GITHUB_API_URL": fake.base_url,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "INPUT_GITHUB-TOKEN": "write-token",
        "INPUT_PROVIDER": "template",
        **{f"INPUT_{k.upper()}": v for k, v in (inputs or {}).items()},
        **(env or {}),
    }
    seen = len(fake.requests)
    if in_process:
        out = io.StringIO()
        code = run_action(full_env, stdout=out)
        stdout = out.getvalue()
    else:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "action"],
            env={**base, **full_env, "PYTHONPATH": str(ROOT)},
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        code, stdout = done.returncode, done.stdout + done.stderr
    return ActionRun(
        code, stdout, read_outputs(output.read_text()), summary.read_text(), fake.requests[seen:]
    )


def read_outputs(text: str) -> dict[str, str]:
    """Parse ``GITHUB_OUTPUT``'s ``name<<DELIMITER`` records."""
    return {m[0]: m[2] for m in re.findall(r"^([\w-]+)<<(\S+)\n(.*?)\n\2$", text, re.M | re.S)}
