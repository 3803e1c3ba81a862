"""GitHub API requests per Action run, by pull request size: reads grow, writes stay at two.

Then the same by ``delivery`` (review, commit, pull-request) for 10, 100 and 1,000
targets: a first run and a re-run with nothing new.
Run: ``python -m tests.benchmarks.action_requests``.  Uses the fake GitHub on 127.0.0.1
and the template provider; nothing is downloaded or written outside a temp folder.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import ActionRun, open_fixture_pull, push, run_docbot


def synthetic_tree(files: int, functions: int, *, extra: int = 0) -> dict[str, str]:
    """``files`` modules of ``functions`` undocumented functions each (+``extra`` in file 0)."""
    tree = {}
    for index in range(files):
        count = functions + (extra if index == 0 else 0)
        body = "".join(
            f"def op_{index}_{n}(value: int,\n         factor: int = {n}) -> int:\n"
            f"    return value * factor\n\n\n"
            for n in range(count)
        )
        tree[f"pkg/mod_{index:03d}.py"] = '"""Generated module."""\n\n\n' + body
    return tree


def _kinds(run: ActionRun) -> str:
    kinds = Counter(f"{r.method} {_endpoint(r.path)}" for r in run.requests)
    return ", ".join(f"{name} x{count}" for name, count in sorted(kinds.items()))


def _endpoint(path: str) -> str:
    parts = path.split("/")[4:]
    return "/".join("N" if p.isdigit() or len(p) == 40 else p for p in parts) or "repo"


def _line(label: str, run: ActionRun, seconds: float) -> None:
    print(
        f"{label:<34} targets={run.outputs.get('targets', '?'):>4} "
        f"requests={len(run.requests):>4} writes={len(run.writes)} {seconds:6.2f}s"
    )
    print(f"{'':<34} {_kinds(run)}")


def _timed(fake: FakeGitHub, workdir: Path, **kwargs: object) -> tuple[ActionRun, float]:
    start = time.perf_counter()
    run = run_docbot(fake, workdir, **kwargs)  # type: ignore[arg-type]
    assert run.code == 0, run.stdout
    return run, time.perf_counter() - start


def fixture_pr(workdir: Path) -> None:
    """The e2e fixture: first run, a new commit, a re-run with nothing new."""
    with FakeGitHub(page_size=100) as fake:
        open_fixture_pull(fake)
        _line("fixture PR, first run", *_timed(fake, workdir / "a", action="opened"))
        push(fake, 12, "head2")
        _line("fixture PR, after a new commit", *_timed(fake, workdir / "a"))
        _line("fixture PR, re-run, nothing new", *_timed(fake, workdir / "a"))


def synthetic_pr(workdir: Path, files: int, functions: int) -> None:
    """A large pull request; GitHub's 100-per-page file listing."""
    with FakeGitHub(page_size=100) as fake:
        base = fake.commit({"README.md": "# pkg\n"})
        head = fake.commit(synthetic_tree(files, functions), base)
        fake.open_pull(12, base, head)
        label = f"{files} files x {functions} defs, first run"
        _line(label, *_timed(fake, workdir / f"s{files}"))
        pull = fake.pulls[12]
        fake.move_branch(
            pull.head_ref, fake.commit(synthetic_tree(files, functions, extra=3), pull.head)
        )
        _line(f"{files} files x {functions} defs, +3 defs", *_timed(fake, workdir / f"s{files}"))


def delivery_pr(workdir: Path, delivery: str, files: int, functions: int) -> None:
    """``files`` x ``functions`` targets delivered one way: first run, then a re-run."""
    with FakeGitHub(page_size=100) as fake:
        base = fake.commit({"README.md": "# pkg\n"})
        fake.open_pull(12, base, fake.commit(synthetic_tree(files, functions), base))
        where = workdir / f"d-{delivery}-{files}"
        inputs = {"delivery": delivery}
        label = f"{delivery}, {files * functions} targets"
        _line(f"{label}, first run", *_timed(fake, where, inputs=inputs))
        print(f"{'':<34} docstrings delivered: {_delivered(fake, delivery)}")
        _line(f"{label}, re-run", *_timed(fake, where, inputs=inputs))


def _delivered(fake: FakeGitHub, delivery: str) -> int:
    """Review comments posted, or docstrings in docbot's commit."""
    if delivery == "review":
        return len(fake.pulls[12].review_comments)
    tip = fake.refs["feature" if delivery == "commit" else "docbot/12"]
    made, before = fake.trees[tip], fake.trees[fake.parents[tip][0]]
    return sum(made[p].count('"""') - before[p].count('"""') for p in made) // 2


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        fixture_pr(workdir)
        for files, functions in ((10, 5), (60, 10), (250, 4)):
            synthetic_pr(workdir, files, functions)
        for files, functions in ((2, 5), (10, 10), (100, 10)):
            for delivery in ("review", "commit", "pull-request"):
                delivery_pr(workdir, delivery, files, functions)


if __name__ == "__main__":
    main()
