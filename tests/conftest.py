"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# --- cache: a real redis-server on loopback (tests/test_cache_redis.py) -----------------------
# CI sets DOCBOT_REQUIRE_REDIS=1 so a missing server fails the run instead of skipping quietly.


class RedisServer:
    """A ``redis-server`` child on 127.0.0.1 with persistence off, in its own tmp dir."""

    def __init__(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)


def _need_redis_server() -> None:
    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("DOCBOT_REQUIRE_REDIS") == "1":
            pytest.fail(f"{reason}; DOCBOT_REQUIRE_REDIS=1 requires it")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One server shared by the session; tests that kill or freeze it use ``fresh_redis``."""
    _need_redis_server()
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The shared server's URL, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server.url) as client:
        client.flushall()
    return redis_server.url


@pytest.fixture
def fresh_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A server of this test's own, free to be killed or paused."""
    _need_redis_server()
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


# --- oracles: eslint from .ci/node (tests/languages/test_typescript_oracle.py) ----------------
# Under CI (CI=true, or DOCBOT_REQUIRE_ORACLES=1) a missing oracle fails instead of skipping.


@pytest.fixture(scope="session")
def eslint() -> None:
    """Skip, with the reason, when eslint cannot run here; fail instead under CI."""
    from tests import eslint_oracle

    reason = eslint_oracle.available()
    if reason is None:
        return
    if os.environ.get("CI") == "true" or os.environ.get("DOCBOT_REQUIRE_ORACLES") == "1":
        pytest.fail(f"{reason}; CI requires the oracle")
    pytest.skip(reason)
