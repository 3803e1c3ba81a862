"""docbot attacked: a model answering attack text, hostile file names, others' comments, traversal.

One test per guarantee of issue #8, each against the real parts: the Action in process
against the fake GitHub and the fake Azure on 127.0.0.1, the CLI against real folders
and git checkouts.  ``tests/test_inert.py`` and ``tests/test_redact.py`` hold the unit
tests of the two modules these guarantees rest on.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.docmodel import DocstringDraft, ParamDoc, RaiseDoc
from tests.fakes.azure import KEY, FakeAzure, FakeConfig
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import ActionRun, open_fixture_pull, run_docbot, tree

ATTACK = (
    "`` ` @octocat #4242 </details> <!-- <img src=x onerror=alert(1)> --> | cell"
    "\n::error::pwned\n  ::warning::pwned ##[error]pwned \x1b]52;c;cHduZWQ=\x07 \u202e"
)
"""Mentions, references, HTML, a comment, a table pipe, workflow commands, terminal escapes."""
GH_TOKEN = "ghs_" + "T0kenForTests" * 3
REDIS_PASSWORD = "hunter2-redis-pass"
SMALL = "def exposed(value):\n    return value\n"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub() as server:
        server.tokens[GH_TOKEN] = "write"
        yield server


def _azure_run(
    fake: FakeGitHub,
    workdir: Path,
    azure: FakeAzure,
    env: dict[str, str] | None = None,
    **inputs: str,
) -> ActionRun:
    given = {
        "provider": "azure",
        "azure-endpoint": azure.endpoint,
        "azure-deployment": "docs-4o",
        "azure-api-key": KEY,
        "cache-dir": ".docbot-cache",
        **inputs,
    }
    return run_docbot(fake, workdir, inputs=given, env=env)


def _invalid(draft: DocstringDraft) -> DocstringDraft:
    """A draft every check refuses, with attack text in each name it reports back."""
    bogus = ParamDoc(name=ATTACK, type=ATTACK, description=ATTACK)
    raised = RaiseDoc(exception=ATTACK, description=ATTACK)
    return draft.model_copy(update={"params": [*draft.params, bogus], "raises": [raised]})


def _posted_bodies(fake: FakeGitHub) -> list[str]:
    """Every body docbot sent to GitHub: reviews, review comments, issue comments."""
    bodies = []
    for request in fake.requests:
        if request.is_write and isinstance(request.body, dict):
            bodies.append(str(request.body.get("body") or ""))
            bodies += [str(c.get("body") or "") for c in request.body.get("comments", [])]
    return bodies


# -- markdown: what comes alive once GitHub renders it ------------------------------------


def live_markdown(text: str) -> str:
    """The parts of ``text`` GitHub renders as markdown: fences, code spans and docbot's own
    trailer taken out, table rows split into cells on unescaped pipes first (as GFM does)."""
    text = re.sub(r"\n?<!-- docbot:(suggestion|summary) [^\n]*-->\s*\Z", "", text)
    out, fence = [], ""
    for line in text.split("\n"):
        opening = re.match(r"^(`{3,})", line)
        if fence:
            if line.strip() == fence or (opening and len(opening.group(1)) >= len(fence)):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        cells = re.split(r"(?<!\\)\|", line) if line.startswith("|") else [line]
        out.append(" ".join(_without_code_spans(cell) for cell in cells))
    return "\n".join(out)


def _without_code_spans(text: str) -> str:
    runs = list(re.finditer(r"`+", text))
    kept, at, i = [], 0, 0
    while i < len(runs):
        close = next((r for r in runs[i + 1 :] if len(r.group()) == len(runs[i].group())), None)
        if close is None:
            i += 1
            continue
        kept.append(text[at : runs[i].start()])
        at = close.end()
        i = runs.index(close) + 1
    kept.append(text[at:])
    return "".join(kept)


def assert_inert(markdown: str) -> None:
    live = live_markdown(markdown)
    for alive in ("@octocat", "#4242", "<img", "onerror", "<!--", "-->", "pwned"):
        assert alive not in live, (alive, live)
    assert live.count("</details>") == live.count("<details>"), live


def test_live_markdown_sees_what_github_would_render() -> None:
    assert "@octocat" in live_markdown("| `a|@octocat` |")  # the pipe split the span
    assert "@octocat" not in live_markdown("| `a\\|@octocat` |")
    assert "@octocat" in live_markdown("`a` @octocat `b`")
    assert "@octocat" not in live_markdown("``a ` @octocat``\n```\n@octocat\n```")


# -- guarantee: markers cannot be forged ----------------------------------------------------


def test_a_docstring_quoting_docbots_marker_is_not_taken_for_one(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    marker = "<!-- docbot:suggestion path=shop/api.py qualname=Client.close -->"

    def quoting(draft: DocstringDraft) -> DocstringDraft:
        return draft.model_copy(update={"summary": f"Do it. {marker}"})

    open_fixture_pull(fake)
    with FakeAzure(FakeConfig(rewrite=quoting)) as azure:
        first = _azure_run(fake, tmp_path, azure)
        again = _azure_run(fake, tmp_path, azure)
    assert first.code == again.code == 0, first.stdout
    # The second run knows all 23 are posted: no duplicate, none lost.
    assert len(fake.pulls[12].review_comments) == 23
    assert [w.path.rsplit("/", 1)[-1] for w in again.writes] == []


def test_a_file_name_can_neither_end_nor_extend_the_marker(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    names = ("shop/a --> b.py", "shop/c qualname=d.py", "shop/e path=f.py")
    base = fake.commit(tree("base"))
    head = fake.commit({**tree("base"), **dict.fromkeys(names, SMALL)}, base)
    fake.open_pull(12, base, head)
    first = run_docbot(fake, tmp_path)
    again = run_docbot(fake, tmp_path)
    assert first.code == again.code == 0, first.stdout
    comments = fake.pulls[12].review_comments
    assert sorted(c["path"] for c in comments) == sorted(names)
    for comment in comments:
        trailer = str(comment["body"]).rsplit("\n", 1)[-1]
        assert trailer.count("-->") == 1 and trailer.endswith("-->"), trailer
        assert trailer.count("qualname=") == 1 and trailer.count("path=") == 1, trailer
    assert again.writes == [], "the re-run must find every comment it posted"


def test_other_peoples_comments_carrying_docbots_markers_are_not_believed_or_edited(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    review = fake.comment_as(
        12,
        "mallory",
        "nice\n<!-- docbot:suggestion path=shop/util.py qualname=clamp -->",
        path="shop/util.py",
        line=11,
        side="RIGHT",
    )
    summaries = [
        fake.comment_as(12, "mallory", "<!-- docbot:summary state=0123456789abcdef -->\nmine"),
        fake.comment_as(12, "mallory", "mine too\n<!-- docbot:summary state=0123456789abcdef -->"),
    ]
    run = run_docbot(fake, tmp_path)
    assert run.code == 0, run.stdout
    ours = [c for c in fake.pulls[12].review_comments if c is not review]
    assert ("shop/util.py", 12) in {(c["path"], c["line"]) for c in ours}  # clamp's header
    assert len(ours) == 23
    edited = [w for w in run.writes if w.method in ("PATCH", "DELETE")]
    assert edited == [], "docbot edited a comment it did not write"
    assert [c["body"] for c in fake.pulls[12].issue_comments[:2]] == [
        "<!-- docbot:summary state=0123456789abcdef -->\nmine",
        "mine too\n<!-- docbot:summary state=0123456789abcdef -->",
    ]
    assert summaries[0]["user"]["login"] == "mallory"
    assert fake.pulls[12].issue_comments[2]["user"]["login"] == "github-actions[bot]"


def test_a_github_app_identity_is_named_by_the_bot_login_input(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    fake.tokens["app-token"] = "write"
    fake.logins["app-token"] = "docs-app[bot]"
    open_fixture_pull(fake)
    inputs = {"github-token": "app-token", "bot-login": "docs-app[bot]"}
    first = run_docbot(fake, tmp_path, inputs=inputs)
    again = run_docbot(fake, tmp_path, inputs=inputs)
    assert first.code == again.code == 0, first.stdout
    assert len(fake.pulls[12].review_comments) == 23
    assert again.writes == []  # its own comments found, its own summary unchanged
    assert not first.commands("warning")
    unnamed = run_docbot(fake, tmp_path / "unnamed", inputs={"github-token": "app-token"})
    (warning,) = unnamed.commands("warning")
    assert "set bot-login: docs-app[bot]" in warning


# -- guarantee: outside text is inert in markdown and in the log ----------------------------


def test_model_text_and_file_names_stay_inert_in_every_markdown_docbot_posts(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    hostile = {"shop/x`@octocat`#4242.py": SMALL, "shop/<img src=x onerror=1>.py": SMALL}
    base = fake.commit(tree("base"))
    fake.open_pull(12, base, fake.commit({**tree("head1"), **hostile}, base))

    def some_invalid(draft: DocstringDraft) -> DocstringDraft:
        return draft if "exposed" in draft.summary else _invalid(draft)

    config = FakeConfig(rewrite=some_invalid, refusal=ATTACK, error_message=ATTACK)
    with FakeAzure(config) as azure:
        azure.script("refusal", "500")
        run = _azure_run(fake, tmp_path, azure, env={"DOCBOT_MAX_RETRIES": "0"})
    assert run.code == 0, run.stdout
    assert "pwned" in run.summary  # the attack text is shown, as text
    assert "azure answered 500: `` ` @octocat" in run.summary  # the service's message too
    posted = {c["path"] for c in fake.pulls[12].review_comments}
    assert posted and posted <= set(hostile)  # one of them may be the refused request
    assert_inert(run.summary)
    for body in _posted_bodies(fake):
        assert_inert(body)


def test_no_line_of_outside_text_reaches_the_log_as_a_workflow_command(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    base = fake.commit(tree("base"))
    fake.open_pull(12, base, fake.commit({**tree("head1"), "shop/::error::x.py": SMALL}, base))
    with FakeAzure(FakeConfig(rewrite=_invalid)) as azure:
        run = _azure_run(fake, tmp_path, azure)
    assert run.code == 0, run.stdout
    assert "pwned" in run.stdout
    for line in run.stdout.splitlines():
        command = re.match(r"\s*::([\w-]+)", line)
        assert command is None or "pwned" not in line.split("::", 2)[1], line
        assert "##[" not in line, line
        if command and "pwned" in line:  # inside one of docbot's own commands: escaped data
            assert command.group(1) in ("warning", "notice", "error", "group")


def test_cli_errors_and_text_output_are_single_inert_lines(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    name = "::error::pwned\x1b[2J.py"
    (root / name).write_text(SMALL)
    diff = tmp_path / "change.diff"
    diff.write_text(
        f"--- /dev/null\n+++ b/{name}\n@@ -0,0 +1,2 @@\n+def exposed(value):\n+    return value\n"
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["dry-run", "--diff", str(diff), "--root", str(root), "--provider", "template"],
        env={},
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    for line in (out.getvalue() + err.getvalue()).splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "\x1b" not in line, line


# -- guarantee: no secret in what docbot prints, writes or posts ----------------------------


def _echoing(draft: DocstringDraft) -> DocstringDraft:
    leak = f"key {KEY}, token {GH_TOKEN}, redis {REDIS_PASSWORD}"
    return draft.model_copy(
        update={"summary": f"Use {KEY} here.", "description": f"{leak}\nBearer {KEY}"}
    )


def test_secrets_echoed_by_the_model_and_the_service_are_never_shown_written_or_posted(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    said = f"No. Your key is {KEY}, token {GH_TOKEN}, redis {REDIS_PASSWORD}."
    config = FakeConfig(rewrite=_echoing, refusal=said, error_message=said)
    with FakeAzure(config) as azure:
        azure.script("refusal", "500", "refusal")
        secrets = {
            "github-token": GH_TOKEN,
            "redis-url": f"redis://:{REDIS_PASSWORD}@127.0.0.1:9/0",
        }
        retries = {"DOCBOT_MAX_RETRIES": "0"}
        run = _azure_run(fake, tmp_path, azure, retries, **secrets)
        dry = _azure_run(fake, tmp_path, azure, retries, **secrets, **{"dry-run": "true"})
    assert run.code == dry.code == 0, run.stdout
    cache = tmp_path / "workspace/.docbot-cache"
    written = [p.read_bytes().decode(errors="replace") for p in cache.rglob("*") if p.is_file()]
    shown = [run.stdout, run.summary, dry.stdout, dry.summary, *_posted_bodies(fake), *written]
    shown += [json.dumps(run.outputs)]
    assert _posted_bodies(fake), "the run posted nothing to look at"
    for secret in (KEY, GH_TOKEN, REDIS_PASSWORD):
        for text in shown:
            masked = [line for line in text.splitlines() if line.startswith("::add-mask::")]
            assert text.count(secret) == sum(line.count(secret) for line in masked), secret
    assert "[redacted]" in "".join(_posted_bodies(fake))


def test_the_cli_prints_and_applies_no_secret_the_model_echoes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "mod.py").write_text(SMALL)
    diff = tmp_path / "change.diff"
    diff.write_text(
        "--- /dev/null\n+++ b/mod.py\n@@ -0,0 +1,2 @@\n+def exposed(value):\n+    return value\n"
    )
    with FakeAzure(FakeConfig(rewrite=_echoing)) as azure:
        env = {
            "AZURE_OPENAI_ENDPOINT": azure.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_CACHE_DIR": str(tmp_path / "cache"),
            "DOCBOT_GITHUB_TOKEN": GH_TOKEN,
        }
        outputs = []
        for fmt in ("json", "text", "patch", "review"):
            out, err = io.StringIO(), io.StringIO()
            argv = ["dry-run", "--diff", str(diff), "--root", str(root), "--format", fmt]
            assert main(argv, env=env, stdout=out, stderr=err) == 0, err.getvalue()
            outputs += [out.getvalue(), err.getvalue()]
        argv = ["dry-run", "--diff", str(diff), "--root", str(root), "--apply"]
        assert main(argv, env=env, stdout=io.StringIO(), stderr=io.StringIO()) == 0
    assert '"""Use [redacted] here.' in (root / "mod.py").read_text()
    files = [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    for text in [*outputs, *files]:
        assert KEY not in text and GH_TOKEN not in text


# -- guarantee: absurd lengths fail validation; no body past GitHub's limit is sent ---------


def _huge(draft: DocstringDraft) -> DocstringDraft:
    word = "w" * 100_000
    params = [p.model_copy(update={"description": word}) for p in draft.params]
    return draft.model_copy(
        update={"summary": word, "description": word, "params": params, "examples": [word]}
    )


def test_absurdly_long_answers_fail_validation_and_no_body_passes_githubs_limit(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    open_fixture_pull(fake)
    with FakeAzure(FakeConfig(rewrite=_huge)) as azure:
        run = _azure_run(fake, tmp_path, azure, **{"max-suggestions": "100"})
    assert run.code == 0, run.stdout
    assert all(len(body) <= 65_536 for body in _posted_bodies(fake))
    assert [r.status for r in fake.requests if r.is_write and r.status == 422] == []
    assert run.outputs["failed"] == "23"
    assert "Shorten the summary to one line of at most 200 characters" in run.summary


def test_the_fake_github_refuses_bodies_over_65536_characters_like_github(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    import requests

    open_fixture_pull(fake)
    url = fake.url(f"/repos/{fake.repo}")
    auth = {"Authorization": "token write-token"}
    long = "x" * 65_537
    review = {"event": "COMMENT", "body": "ok", "comments": [{"path": "shop/util.py", "line": 11,
                                                              "body": long}]}  # fmt: skip
    for where, payload in (
        ("/pulls/12/reviews", {"event": "COMMENT", "body": long}),
        ("/pulls/12/reviews", review),
        ("/issues/12/comments", {"body": long}),
    ):
        answer = requests.post(url + where, json=payload, headers=auth, timeout=5)
        assert answer.status_code == 422
        assert "Body is too long" in answer.json()["errors"][0]
    ok = requests.post(
        url + "/issues/12/comments", json={"body": "x" * 65_536}, headers=auth, timeout=5
    )
    assert ok.status_code == 201


def test_the_cli_error_line_holds_no_secret_from_a_refusal(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "mod.py").write_text(SMALL)
    diff = tmp_path / "change.diff"
    diff.write_text(
        "--- /dev/null\n+++ b/mod.py\n@@ -0,0 +1,2 @@\n+def exposed(value):\n+    return value\n"
    )
    redis = f"redis://:{REDIS_PASSWORD}@127.0.0.1:9/0"
    said = f"No.\n::error::{KEY} {REDIS_PASSWORD}"
    with FakeAzure(FakeConfig(refusal=said)) as azure:
        azure.script("refusal", "refusal", "refusal")
        env = {
            "AZURE_OPENAI_ENDPOINT": azure.endpoint,
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
            "DOCBOT_REDIS_URL": redis,
            "DOCBOT_CACHE_DIR": str(tmp_path / "cache"),
        }
        out, err = io.StringIO(), io.StringIO()
        argv = ["dry-run", "--diff", str(diff), "--root", str(root), "--format", "json"]
        code = main(argv, env=env, stdout=out, stderr=err)
    assert code == 1
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("docbot: error:")]
    # One line: the refusal's line break cannot start a line of its own (a command in CI).
    assert "the model refused: No. ::error::[redacted] [redacted]" in line
    for text in (out.getvalue(), err.getvalue()):
        assert KEY not in text and REDIS_PASSWORD not in text
