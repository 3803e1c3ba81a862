"""A real `docbot backfill --batch` process, killed while it waits on its job, run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakes.azure import KEY, FakeAzure, FakeConfig
from tests.fakes.code import stdlib_change


def test_a_run_killed_mid_poll_resumes_the_same_job_without_a_second_submission(
    tmp_path: Path,
) -> None:
    root = tmp_path / "code"
    root.mkdir()
    stdlib_change(root, files=5, per_file=4)
    (root / "change.diff").unlink()
    cache = tmp_path / "cache"
    with FakeAzure() as fake:
        env = {
            **os.environ,
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE_DIR": str(cache),
            "DOCBOT_BATCH_POLL_S": "0.05",
        }
        argv = [sys.executable, "-m", "bot", "backfill", "--root", str(root), "--batch"]
        fake.batches.hold()  # the job stays in progress: the run sits in its poll loop
        first = subprocess.Popen(
            [*argv, "--format", "json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while len(fake.batches.looks) < 4 and first.poll() is None:
            assert time.monotonic() < deadline, "the run never polled its job"
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        assert first.returncode == -signal.SIGKILL
        assert [job.status for job in fake.batches.jobs.values()] == ["in_progress"]
        assert len(list((cache / "batches").glob("*.json"))) == 1  # what the rerun resumes

        fake.batches.release()
        again = subprocess.run(
            [*argv, "--format", "json"], env=env, capture_output=True, text=True, timeout=120
        )
        assert again.returncode == 0, again.stderr
        report = json.loads(again.stdout)
        assert report["stats"]["targets"] == report["stats"]["suggested"] == 20
        assert len(fake.batches.uploads) == len(fake.batches.jobs) == 1  # paid once
        assert "0 to submit" in again.stderr and "submitted job" not in again.stderr
        assert not list((cache / "batches").glob("*.json"))
        assert KEY not in again.stdout + again.stderr


def test_an_interrupted_backfill_resumes_paying_only_for_what_is_left(tmp_path: Path) -> None:
    root = tmp_path / "code"
    root.mkdir()
    stdlib_change(root, files=30, per_file=1)
    (root / "change.diff").unlink()
    with FakeAzure(FakeConfig(latency_s=0.1)) as fake:
        env = {
            **os.environ,
            "AZURE_OPENAI_ENDPOINT": fake.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE_DIR": str(tmp_path / "cache"),
            "DOCBOT_CONCURRENCY": "2",
        }
        argv = [sys.executable, "-m", "bot", "backfill", "--root", str(root), "--format", "json"]
        first = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(fake.billed()) < 10 and first.poll() is None:
            assert time.monotonic() < deadline, "the run never asked"
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        paid_before = len(fake.billed())
        again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    stats = json.loads(again.stdout)["stats"]
    assert stats["targets"] == stats["suggested"] == 30
    # Only the answers in flight at the kill (at most the concurrency) are paid twice.
    assert stats["cache_hits"] >= paid_before - 2
    assert stats["llm_requests"] == 30 - stats["cache_hits"]
    assert len(fake.billed()) <= 30 + 2
