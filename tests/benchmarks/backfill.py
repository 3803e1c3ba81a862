"""A backfill of a real package: ``python -m tests.benchmarks.backfill [--package NAME==VER]``.

Downloads the package's sdist (default Django 5.0.6) into .bench/backfill/, unpacks it
into a scratch git repository and runs ``docbot backfill`` over its source as a user
would (``python -m bot``, a real process each time):

1. the template provider: wall time, targets, ``git apply --check`` and ``git apply``
   of the ``--format patch`` output, the proof checked independently (every changed
   module's AST without docstrings equals the original's), and what a second backfill
   of the patched tree still finds;
2. ``--batch`` against the fake Azure server (files and batches routes, on 127.0.0.1):
   requests in the JSONL, files, bytes, the estimate at batch prices next to the
   standard one, what the answers cost at each price, and three answers the fake makes
   wrong, repaired as ordinary requests;
3. a ``--batch`` run killed with SIGKILL while it polls its job, then run again: jobs
   submitted and files uploaded in all (the goal: 1 and 1).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

from bot.pricing import DEFAULT_PRICES, batch_price, cost_usd
from tests.fakes.azure import KEY, FakeAzure

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / ".bench" / "backfill"
SOURCE = "django"
_NOTE = re.compile(r"at most \$([\d.]+) at batch prices \(\$([\d.]+) at standard prices\)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--package", default="django==5.0.6", help="NAME==VERSION of an sdist")
    parser.add_argument("--source", default=SOURCE, help="the folder of the sdist to document")
    args = parser.parse_args(argv)
    tree = unpack(download(args.package))
    print(f"tree: {args.package}, {args.source}/: {count_py(tree / args.source)} Python files")
    ok = template(tree, args.source)
    git(tree, "checkout", "--quiet", "--", ".")
    ok = batch(tree, args.source) and ok
    ok = killed_and_resumed(tree, args.source) and ok
    return 0 if ok else 1


# -- the material ----------------------------------------------------------------------------


def download(spec: str) -> Path:
    folder = BENCH / "sdists"
    folder.mkdir(parents=True, exist_ok=True)
    name, _, version = spec.partition("==")
    found = [p for p in folder.iterdir() if p.name.lower().startswith(f"{name}-{version}.")]
    if not found:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        command += ["--no-binary", ":all:", "-d", str(folder), spec]
        subprocess.run(command, check=True)
        found = [p for p in folder.iterdir() if p.name.lower().startswith(f"{name}-{version}.")]
    return found[0]


def unpack(sdist: Path) -> Path:
    tree = BENCH / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(tree, filter="data")
    [top] = list(tree.iterdir())
    git(top, "init", "--quiet")
    git(top, "add", "-A")
    git(top, "-c", "user.name=bench", "-c", "user.email=bench@127.0.0.1", "commit", "-qm", "sdist")
    return top


def count_py(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.py"))


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "safe.directory=*", *args], cwd=cwd, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"git {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def docbot(
    tree: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backfill", *args],
        cwd=tree,
        env=env or os.environ.copy(),
        capture_output=True,
        text=True,
    )
    return done, time.perf_counter() - start


# -- 1. the template provider ------------------------------------------------------------------


def template(tree: Path, source: str) -> bool:
    flags = ("--provider", "template", "--no-cache")
    done, seconds = docbot(tree, source, *flags, "--format", "json")
    stats = json.loads(done.stdout)["stats"]
    patch, patch_s = docbot(tree, source, *flags, "--format", "patch")
    (BENCH / "template.patch").write_text(patch.stdout, encoding="utf-8")
    check = subprocess.run(["git", "apply", "--check", str(BENCH / "template.patch")], cwd=tree)
    subprocess.run(["git", "apply", str(BENCH / "template.patch")], cwd=tree, check=True)
    changed = git(tree, "diff", "--name-only").split()
    broken = [path for path in changed if not same_code(tree, path)]
    again, _ = docbot(tree, source, *flags, "--format", "json")
    left = json.loads(again.stdout)["stats"]["targets"]
    print("\n1. template provider (python -m bot backfill django --provider template)")
    print(
        f"   targets {stats['targets']}, suggested {stats['suggested']}, failed {stats['failed']}"
    )
    print(f"   wall: --format json {seconds:.2f} s, --format patch {patch_s:.2f} s")
    print(f"   patch: {len(patch.stdout.splitlines())} lines, {len(changed)} files; "
          f"git apply --check: {'ok' if check.returncode == 0 else 'FAILED'}")  # fmt: skip
    print(f"   proof: {len(changed) - len(broken)} of {len(changed)} files change only docstrings")
    print(f"   a second backfill of the patched tree finds {left} targets")
    return (
        stats["targets"] >= 2000
        and stats["suggested"] == stats["targets"]
        and check.returncode == 0
        and not broken
        and left == 0
    )


def same_code(tree: Path, path: str) -> bool:
    old = git(tree, "show", f"HEAD:{path}")
    new = (tree / path).read_text(encoding="utf-8")
    return without_docstrings(old) == without_docstrings(new)


def without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


# -- 2. --batch against the fake -------------------------------------------------------------


def batch_env(fake: FakeAzure, cache: Path) -> dict[str, str]:
    shutil.rmtree(cache, ignore_errors=True)
    return {
        **os.environ,
        "AZURE_OPENAI_ENDPOINT": fake.endpoint,
        "AZURE_OPENAI_API_KEY": KEY,
        "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
        "DOCBOT_CACHE_DIR": str(cache),
        "DOCBOT_BATCH_POLL_S": "0.05",
        "DOCBOT_CONCURRENCY": "16",
    }


def batch(tree: Path, source: str) -> bool:
    with FakeAzure() as fake:
        fake.script("wrong", "wrong", "wrong")  # three answers fail the checks: repaired
        done, seconds = docbot(
            tree, source, "--batch", "--format", "json", env=batch_env(fake, BENCH / "cache")
        )
        if done.returncode:
            print(done.stderr)
            return False
        stats = json.loads(done.stdout)["stats"]
        uploads = fake.batches.uploads
        lines = [json.loads(line) for upload in uploads for line in upload.splitlines()]
        usage = [r.usage for r in fake.batch_lines if r.usage is not None]
        chat = [r for r in fake.requests if r.path.endswith("/chat/completions")]
    found = _NOTE.search(done.stderr)
    at_batch, at_standard = (float(x) for x in found.groups()) if found else (0.0, 0.0)
    price = DEFAULT_PRICES["gpt-4o"]
    billed = {name: sum(bill(p, u) for u in usage) for name, p in
              (("standard", price), ("batch", batch_price(price)))}  # fmt: skip
    print("\n2. --batch against the fake Azure server (gpt-4o list prices)")
    print(f"   targets {stats['targets']}, suggested {stats['suggested']}, wall {seconds:.1f} s")
    print(f"   JSONL: {len(lines)} requests in {len(uploads)} file(s), "
          f"{sum(map(len, uploads)) / 1e6:.1f} MB, byte-order mark: "
          f"{'yes' if any(u.startswith(bytes.fromhex('efbbbf')) for u in uploads) else 'none'}, "
          f"deployments {sorted({line['body']['model'] for line in lines})}")  # fmt: skip
    print(f"   estimate (upper bound): ${at_batch:.2f} at batch prices, "
          f"${at_standard:.2f} at standard prices")  # fmt: skip
    print(f"   billed by the fake: ${stats['cost_usd']:.2f} reported; the same tokens "
          f"${billed['batch']:.2f} at batch, ${billed['standard']:.2f} at standard prices")  # fmt: skip
    print(f"   answers failing the checks (3 made wrong by the fake) repaired as ordinary "
          f"requests at the standard price: {len(chat)}")  # fmt: skip
    return (
        stats["suggested"] == stats["targets"]
        and len(lines) == len(usage)
        and len(chat) == 3
        and abs(stats["cost_usd"] - billed["batch"] - repairs_cost(chat, price)) < 1e-3
    )


def bill(price: Any, usage: dict[str, Any]) -> float:
    return cost_usd(
        price,
        prompt_tokens=usage["prompt_tokens"],
        cached_prompt_tokens=usage["prompt_tokens_details"]["cached_tokens"],
        completion_tokens=usage["completion_tokens"],
    )


def repairs_cost(chat: list[Any], price: Any) -> float:
    return sum(bill(price, r.usage) for r in chat if r.usage is not None)


# -- 3. killed mid-poll, resumed -------------------------------------------------------------


def killed_and_resumed(tree: Path, source: str) -> bool:
    with FakeAzure() as fake:
        env = batch_env(fake, BENCH / "cache-killed")
        fake.batches.hold()
        argv = [sys.executable, "-m", "bot", "backfill", source, "--batch", "--format", "json"]
        first = subprocess.Popen(
            argv, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while len(fake.batches.looks) < 3 and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        looks = len(fake.batches.looks)
        status = [job.status for job in fake.batches.jobs.values()]
        fake.batches.release()
        again, seconds = docbot(tree, source, "--batch", "--format", "json", env=env)
        stats = json.loads(again.stdout)["stats"] if again.returncode == 0 else {}
        uploads, jobs = len(fake.batches.uploads), len(fake.batches.jobs)
    print("\n3. --batch killed with SIGKILL mid-poll, then run again")
    print(f"   killed after {looks} looks at its job; jobs then: {status}")
    print(f"   rerun: exit {again.returncode}, {stats.get('suggested')} of "
          f"{stats.get('targets')} suggested in {seconds:.1f} s")  # fmt: skip
    print(f"   in all: {uploads} file(s) uploaded, {jobs} job(s) submitted (goal: 1 and 1)")
    return again.returncode == 0 and uploads == jobs == 1


if __name__ == "__main__":
    sys.exit(main())
