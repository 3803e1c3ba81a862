"""The GitHub Action entrypoint: event -> settings -> pipeline -> one review and a summary.

The runner hands a Docker action its inputs as ``INPUT_<NAME>`` with the name
upper-cased and hyphens kept (``INPUT_GITHUB-TOKEN``); the underscore spelling is
read too, for ``docker run -e`` users.  docbot reads the pull request's files
through the API and never executes them, so ``pull_request_target`` is safe.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.action_delivery import deliver
from bot.errors import ConfigError, DocbotError
from bot.github import DEFAULT_API_URL, GitHubPR, PullRequestInfo, WriteRefused
from bot.inert import code_span
from bot.model import Result, Status
from bot.redact import SECRET_ENV, Redactor
from bot.review import ReviewPlan, plan_review, refuse, unpost
from bot.settings import Settings, load
from bot.summary import job_summary, summary_comment
from bot.workflow import ANNOTATIONS_PER_KIND, Workflow

if TYPE_CHECKING:
    from bot.changes import Change
    from bot.runner import RunReport

# action.yml input -> Settings field; every input is one of these.
INPUTS: Mapping[str, str] = {
    "github-token": "github_token",
    "provider": "provider",
    "style": "style",
    "scope": "scope",
    "pr-number": "pr_number",
    "dry-run": "dry_run",
    "fail-on": "fail_on",
    "max-suggestions": "max_suggestions",
    "max-cost-usd": "max_cost_usd",
    "cache-dir": "cache_dir",
    "redis-url": "redis_url",
    "include-drafts": "include_drafts",
    "azure-endpoint": "azure_endpoint",
    "azure-deployment": "azure_deployment",
    "azure-api-key": "azure_api_key",
    "api-version": "api_version",
    "openai-api-key": "openai_api_key",
    "openai-base-url": "openai_base_url",
    "model": "model",
    "bot-login": "bot_login",
    "delivery": "delivery",
    "mode": "mode",
    "paths": "paths",
    "max-files": "max_files",
    "problems": "problems",
}
OUTPUTS = (
    "targets",
    "suggested",
    "skipped",
    "failed",
    "cost-usd",
    "cache-hits",
    "review-url",
    "delivery-url",
)
SECRET_INPUTS = ("github-token", "azure-api-key", "openai-api-key", "redis-url")
PR_EVENTS = ("pull_request", "pull_request_target")
PR_ACTIONS = ("opened", "synchronize", "reopened", "ready_for_review")


@dataclass(frozen=True, slots=True)
class Event:
    """The pull request this run reviews, or why there is nothing to do."""

    number: int | None
    skip: str | None = None


def run_action(env: Mapping[str, str], *, stdout: TextIO) -> int:
    """Run docbot as a GitHub Action; returns the step's exit code."""
    flow = Workflow(env, stdout)
    try:
        inputs = read_inputs(env)
        secrets = _secrets(inputs, env)
        flow.redact = Redactor(secrets)
        for secret in secrets:
            flow.mask(secret)
        return _run(env, inputs, flow)
    except DocbotError as exc:
        flow.error(str(exc), title="docbot")
        return exc.exit_code


def read_inputs(env: Mapping[str, str]) -> dict[str, str]:
    """The inputs that were given (non-empty), by their action.yml name."""
    found: dict[str, str] = {}
    for name in INPUTS:
        upper = name.upper()
        for var in (f"INPUT_{upper}", f"INPUT_{upper.replace('-', '_')}"):
            value = env.get(var, "").strip()
            if value:
                found[name] = value
                break
    return found


def _secrets(inputs: Mapping[str, str], env: Mapping[str, str]) -> list[str]:
    values = [inputs.get(name, "") for name in SECRET_INPUTS]
    values += [env.get(name, "") for name in SECRET_ENV]
    return [v for v in values if v]


def resolve_event(env: Mapping[str, str], inputs: Mapping[str, str]) -> Event:
    """Which pull request the triggering event is about; a ConfigError for other events."""
    name = env.get("GITHUB_EVENT_NAME", "")
    payload = _payload(env)
    if name in PR_EVENTS:
        action = str(payload.get("action", ""))
        if action not in PR_ACTIONS:
            return Event(None, f"nothing to do for pull_request action {code_span(action)}")
        return Event(int(payload["pull_request"]["number"]))
    if name == "workflow_dispatch":
        # The payload's ``inputs`` may be null (a dispatch with no inputs).
        dispatched = payload.get("inputs") or {}
        given = inputs.get("pr-number") or str(dispatched.get("pr-number") or "")
        if not given.strip().isdigit():
            raise ConfigError(
                "workflow_dispatch needs the pr-number input: the pull request to review"
            )
        return Event(int(given))
    raise ConfigError(
        "docbot runs on pull_request, pull_request_target or workflow_dispatch, "
        f"not {name or 'an unknown event'!r}"
    )


def _payload(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"GITHUB_EVENT_PATH {path}: cannot read the event ({exc})") from None
    return data if isinstance(data, dict) else {}


def settings_for(env: Mapping[str, str], inputs: Mapping[str, str], workspace: Path) -> Settings:
    """Settings from pyproject, environment and inputs; a relative cache-dir is the workspace's."""
    overrides = {INPUTS[name]: value for name, value in inputs.items()}
    settings = load(root=workspace, env=env, overrides=overrides)
    if not settings.cache_dir.is_absolute():
        settings = settings.model_copy(update={"cache_dir": workspace / settings.cache_dir})
    return settings


def _run(env: Mapping[str, str], inputs: Mapping[str, str], flow: Workflow) -> int:
    workspace = Path(env.get("GITHUB_WORKSPACE") or ".")
    settings = settings_for(env, inputs, workspace)
    flow.redact = Redactor.for_settings(settings, *_secrets(inputs, env))
    # A backfill documents a branch, not a pull request: no event to resolve.  Number 0:
    # no pull request; the client's plumbing and git data serve the branch.
    backfill = settings.mode == "backfill"
    event = Event(0) if backfill else resolve_event(env, inputs)
    if event.number is None:
        return _skip(flow, str(event.skip))
    token = (
        settings.github_token.get_secret_value()
        if settings.github_token
        else env.get("GITHUB_TOKEN")
    )
    repo = env.get("GITHUB_REPOSITORY", "")
    if not token:
        raise ConfigError(
            "github-token is empty: pass ${{ github.token }} or a token that can read the repo"
        )
    if "/" not in repo:
        raise ConfigError(
            "GITHUB_REPOSITORY is not set to owner/name: run docbot inside a workflow"
        )
    github = GitHubPR(
        token=token,
        repo=repo,
        number=event.number,
        base_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
        login=settings.bot_login,
        redact=flow.redact,
    )
    if backfill:
        return _backfill(env, github, settings, flow, workspace)
    return review_pull_request(github, settings, flow, workspace=workspace, repo=repo)


def _backfill(
    env: Mapping[str, str], github: GitHubPR, settings: Settings, flow: Workflow, workspace: Path
) -> int:
    from bot.action_backfill import backfill_branch

    done = backfill_branch(env, settings, flow, workspace=workspace, github=github)
    report = done.report
    flow.add_summary(job_summary(report, done.plan))
    url = next((d.url for d in done.parts if d.state != "closed"), "")
    parts = ", ".join(f"#{d.number} {d.state}" for d in done.parts) or "nothing to deliver"
    flow.info(f"docbot: backfill: {parts}")
    counts = report.counts()
    outputs = _outputs(counts, report.usage.cost_usd, report.usage.cache_hits, "")
    flow.set_outputs({**outputs, "delivery-url": url})
    return _exit_code(settings, counts)


def review_pull_request(
    github: GitHubPR, settings: Settings, flow: Workflow, *, workspace: Path, repo: str
) -> int:
    """Read the pull request, run the pipeline, publish; returns the exit code."""
    # Imported here: the pipeline loads the LLM clients, which input and event errors
    # (and the tests of action.yml) should not wait for.
    from bot.report import summary_line
    from bot.runner import run

    info = github.info()
    if info.draft and not settings.include_drafts:
        return _skip(flow, f"#{info.number} is a draft; set include-drafts: true to review drafts")
    with flow.group(f"Reading pull request #{info.number} at {info.head_sha[:12]}"):
        change = github.change(info, workspace=workspace)
        posted = github.posted_suggestions()
        flow.info(
            f"{len(change.files)} Python files changed; {len(posted)} suggestions already posted"
        )
    # A commit or pull request delivers every target: no comment cap, nothing held back.
    delivering = settings.delivery != "review" and not settings.dry_run
    with flow.group("Writing docstrings"):
        report = run(
            settings,
            change,
            repo=repo,
            warn=flow.warning,
            posted=frozenset() if delivering else posted,
            limit=None if delivering else settings.max_suggestions,
        )
        flow.info(summary_line(report))
    plan = plan_review(
        report.results, change.diffs, posted=posted, max_suggestions=settings.max_suggestions
    )
    with flow.group(f"Targets ({len(report.results)})"):
        for result in report.results:
            flow.info(_target_line(result, plan))
    if delivering:
        report, plan, urls, note = _deliver(github, settings, flow, info, report, change, plan)
    else:
        plan, url, note = _publish(github, settings, flow, info, report, plan)
        urls = (url, "")
    if github.login != settings.bot_login:
        # Only comments by bot-login are read as docbot's: the next run would post these again.
        flow.warning(
            f"docbot posts as {github.login}, not as bot-login {settings.bot_login}: "
            f"set bot-login: {github.login} so later runs recognise its comments"
        )
    flow.add_summary(job_summary(report, plan, note=note))
    counts = report.counts()
    outputs = _outputs(counts, report.usage.cost_usd, report.usage.cache_hits, urls[0])
    flow.set_outputs({**outputs, "delivery-url": urls[1]})
    flow.info(f"docbot: {summary_line(report)}; {note}")
    return _exit_code(settings, counts)


def _deliver(
    github: GitHubPR,
    settings: Settings,
    flow: Workflow,
    info: PullRequestInfo,
    report: RunReport,
    change: Change,
    plan: ReviewPlan,
) -> tuple[RunReport, ReviewPlan, tuple[str, str], str]:
    """Commit or open the pull request; when GitHub refuses, post a review instead.

    Returns the report and plan to summarise, the (review, delivery) URLs and a note.
    """
    handed = deliver(github, settings, info, report, change)
    if handed.plan is not None:
        body = summary_comment(handed.report, handed.plan)
        _upsert_summary(github, flow, body, create=bool(handed.report.results))
        return handed.report, handed.plan, ("", handed.url), handed.note
    flow.warning(f"docbot: {handed.note}")
    # The review proves each suggestion alone, as review mode always does.
    plan, url, note = _publish(github, settings, flow, info, report, plan)
    return report, plan, (url, ""), f"{handed.note}; {note}"


def _publish(
    github: GitHubPR,
    settings: Settings,
    flow: Workflow,
    info: PullRequestInfo,
    report: RunReport,
    plan: ReviewPlan,
) -> tuple[ReviewPlan, str, str]:
    """Post the review and the summary; on dry-run or a read-only token, annotate instead."""
    if settings.dry_run:
        _annotate(flow, report.results)
        note = "dry run: nothing was posted; the suggestions are below and in annotations"
        return unpost(plan, report.results), "", note
    try:
        posted = github.post_review(plan.comments, head_sha=info.head_sha)
        plan = refuse(plan, posted.refused, report.results)
        github.upsert_summary(summary_comment(report, plan), create=bool(report.results))
    except WriteRefused as exc:
        flow.warning(
            f"docbot: {exc}; the suggestions are in the job summary and annotations instead"
        )
        _annotate(flow, report.results)
        note = "the token could not write to the pull request: nothing was posted"
        return unpost(plan, report.results), "", note
    if posted.refused:
        flow.warning(
            f"docbot: GitHub refused {len(posted.refused)} comments; they are in the summary"
        )
    count = len(plan.comments)
    note = (
        f"posted a review with {count} suggestions" if posted.url else "no new suggestions to post"
    )
    return plan, posted.url or "", note


def _upsert_summary(github: GitHubPR, flow: Workflow, body: str, *, create: bool) -> None:
    try:
        github.upsert_summary(body, create=create)
    except WriteRefused as exc:
        flow.warning(f"docbot: {exc}; the summary is in the job summary only")


def _skip(flow: Workflow, why: str) -> int:
    flow.notice(f"docbot: {why}")
    flow.add_summary(f"### docbot: missing docstrings\n\nSkipped: {why}.")
    flow.set_outputs(
        {
            **_outputs(dict.fromkeys(("targets", "suggested", "skipped", "failed"), 0), 0.0, 0, ""),
            "delivery-url": "",
        }
    )
    return 0


def _annotate(flow: Workflow, results: tuple[Result, ...]) -> None:
    """Notices for suggestions, warnings for failures, within what GitHub shows of each.

    GitHub shows at most ten annotations of a kind per step: when there are more, the
    last one shown says how many more the job summary holds.
    """
    suggested = [r for r in results if r.status is Status.SUGGESTED and r.docstring is not None]
    failed = [r for r in results if r.status is Status.FAILED]
    for kind, chosen in (("notice", suggested), ("warning", failed)):
        room = ANNOTATIONS_PER_KIND - flow.annotations[kind]
        shown = chosen if len(chosen) <= room else chosen[: max(0, room - 1)]
        for result in shown:
            target = result.target
            if kind == "notice":
                flow.notice(
                    str(result.docstring),
                    file=target.path,
                    line=target.line,
                    endLine=target.header_end,
                    title=f"docbot: docstring for {target.qualname}",
                )
            else:
                message = f"{target.qualname}: {result.reason}"
                flow.warning(message, file=target.path, line=target.line, title="docbot")
        if len(shown) < len(chosen):
            rest = len(chosen) - len(shown)
            what = "suggested docstrings" if kind == "notice" else "failed targets"
            flow.command(kind, f"docbot: {rest} more {what} are in the job summary")


def _target_line(result: Result, plan: ReviewPlan) -> str:
    target = result.target
    already = {(r.target.path, r.target.qualname) for r in plan.already_posted}
    state = result.status.value
    if (target.path, target.qualname) in already:
        state += " (already on the pull request)"
    reason = f": {result.reason}" if result.reason else ""
    return f"{target.path}:{target.line} {target.qualname} [{target.kind.value}] {state}{reason}"


def _outputs(counts: Mapping[str, int], cost: float, cache_hits: int, url: str) -> dict[str, str]:
    values = {key: str(counts[key]) for key in ("targets", "suggested", "skipped", "failed")}
    values.update({"cost-usd": f"{cost:.6f}", "cache-hits": str(cache_hits), "review-url": url})
    return values


def _exit_code(settings: Settings, counts: Mapping[str, int]) -> int:
    if settings.fail_on == "error" and counts["failed"]:
        return 1
    if settings.fail_on == "undocumented" and counts["targets"]:
        return 1
    return 0
