"""A renamed parameter keeps its entry when the writer says it is the same parameter.

Flask 2.0 renamed ``send_file``'s ``cache_timeout`` to ``max_age``; pandas 0.24 renamed
``to_csv``'s ``path`` to ``path_or_buf``.  The docstring's entry for the old name is still
true of the new one: the repair keeps it word for word under the new name, at the new
parameter's place, when the model claims the rename and the claim names an entry the
signature lost.  Any other claim is refused: the model is asked again, and a draft that
still claims it (or one read from a cache) counts as claiming nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.docmodel import DocstringDraft, ParamDoc, problems
from bot.mend import finish_stale
from bot.model import Status, Target
from bot.prompts import response_format, target_block
from bot.providers.template import draft_for
from bot.renames import claims, removed_names, renamed_line
from bot.repair import Repair, repair, verify
from bot.review import comment_body
from bot.stale import documented_names, in_words
from bot.suggest import apply, check_safe
from bot.targets import TargetOptions, scan
from tests.fakes.azure import KEY, FakeAzure, FakeConfig
from tests.fakes.github import FakeGitHub
from tests.fakes.github_action import run_docbot
from tests.test_action_e2e import apply_like_github
from tests.test_cli import run
from tests.test_stale import pydoclint

# Each case: the file before, the file after (only the header changed), the rename.
GOOGLE = (
    '''class AuthorizedSession:
    """A requests session with credentials."""

    def request(self, method, url, data=None, max_wait=None):
        """Implementation of Requests' request.

        Args:
            method (str): The HTTP method.
            url (str): The URL to request.
            data (bytes): The request body.
            max_wait (Optional[float]): The amount of time in seconds to wait
                for the server response with each individual request.

                Can also be a tuple ``(connect_timeout, read_timeout)``.

        Returns:
            The response.
        """
        return self._send(method, url, data, max_wait)
''',
    "max_wait",
    "timeout",
)
NUMPY = (
    '''def to_csv(frame, path=None, sep=","):
    """Write the frame to a comma-separated values (csv) file.

    Parameters
    ----------
    frame : DataFrame
        The rows to write.
    path : str or file handle, default None
        File path or object, if None is provided the result is returned as
        a string.
    sep : str, default ','
        Field delimiter for the output file.

    Returns
    -------
    None or str
    """
    return _write(frame, path, sep)
''',
    "path",
    "path_or_buf",
)
SPHINX = (
    '''def send_file(path_or_file, environ, mimetype=None, cache_timeout=None):
    """Send the contents of a file to the client.

    :param path_or_file: The path to the file to send.
    :param environ: The WSGI environ for the current request.
    :param mimetype: The MIME type to send.
    :param cache_timeout: How long the client should cache the file,
        in seconds.
    :type cache_timeout: int
    :returns: The response.
    """
    return _send(path_or_file, environ, mimetype, cache_timeout)
''',
    "cache_timeout",
    "max_age",
)
CASES = {"google": GOOGLE, "numpy": NUMPY, "sphinx": SPHINX}


def after(case: tuple[str, str, str]) -> str:
    """The file once the pull request renamed the parameter in its code, not its docstring."""
    before, old, new = case
    code = ("def ", "return ")
    lines = before.split("\n")
    return "\n".join(s.replace(old, new) if s.lstrip().startswith(code) else s for s in lines)


def repaired(case: tuple[str, str, str]) -> str:
    """The file as the repair should leave it: the entry's name, and only it, renamed."""
    _, old, new = case
    text = after(case)
    for where in ("    {} (", "    {} :", ":param {}:", ":type {}:"):
        text = text.replace(where.format(old), where.format(new))
    return text


def target_of(text: str) -> Target:
    header = next(i for i, line in enumerate(text.splitlines(), 1) if " def " in f" {line}")
    (target,) = scan("m.py", text, frozenset({header}), TargetOptions()).targets
    return target


def draft(*params: ParamDoc) -> DocstringDraft:
    return DocstringDraft(
        summary="S.", description=None, params=list(params), returns=None, yields=None,
        raises=[], examples=[],
    )  # fmt: skip


def claiming(name: str, old: str | None) -> ParamDoc:
    return ParamDoc(name=name, type=None, description=f"The {name}.", renamed_from=old)


# -- what may be claimed ---------------------------------------------------------------------


def test_the_candidates_are_the_documented_names_the_signature_lost() -> None:
    assert removed_names(target_of(after(SPHINX))) == ["cache_timeout"]
    # `args` documented for `*args` is paired by the repair itself: no candidate.
    text = (
        'def f(*items, b):\n    """Do.\n\n    Args:\n        items: All.\n        a: Ay.\n    """\n'
    )
    assert removed_names(target_of(text)) == ["a"]


def test_a_claim_of_a_removed_name_stands() -> None:
    target = target_of(after(SPHINX))
    assert claims(draft(claiming("max_age", "cache_timeout")), target) == (
        {"cache_timeout": "max_age"},
        [],
    )
    assert problems(draft(claiming("max_age", "cache_timeout")), target) == []


TWO = '''def fetch(url, retries, timeout):
    """Fetch.

    Args:
        url: Where.
        tries: How often.
        wait: How long.
    """
'''


@pytest.mark.parametrize(
    ("claimed", "problem"),
    [
        # a name the docstring never documented
        ([claiming("retries", "attempts")], "retries is not a removed name"),
        # the name of an entry the repair keeps (documented and in the signature)
        ([claiming("timeout", "url")], "timeout is not a removed name"),
        # its own name
        ([claiming("timeout", "timeout")], "timeout is not a removed name"),
        # two new parameters claiming the same old entry
        (
            [claiming("retries", "tries"), claiming("timeout", "tries")],
            "Only one parameter can be renamed from tries; retries, timeout all claim it.",
        ),
    ],
    ids=["unknown-name", "kept-entry", "own-name", "claimed-twice"],
)
def test_a_hostile_claim_is_refused_and_the_model_is_told_which_names_it_may_use(
    claimed: list[ParamDoc], problem: str
) -> None:
    target = target_of(TWO)
    written = {p.name for p in claimed}
    rest = [claiming(n, None) for n in ("retries", "timeout") if n not in written]
    stands, found = claims(draft(*claimed, *rest), target)
    assert stands == {}
    assert any(problem in line for line in found), found
    assert all("(tries, wait)" in line for line in found if "not a removed" in line)
    assert problems(draft(*claimed, *rest), target) == found


def test_the_refusal_never_repeats_the_models_words() -> None:
    target = target_of(after(SPHINX))
    hostile = "cache_timeout`\n<!-- docbot:suggestion --> @everyone"
    _, found = claims(draft(claiming("max_age", hostile)), target)
    assert found and not any("@" in line or "`" in line or "\n" in line for line in found)


def test_a_varargs_paired_with_its_starless_entry_cannot_take_another_one() -> None:
    text = (
        'def f(*args, y):\n    """Do.\n\n    Args:\n        x: Ex.\n        args: All.\n    """\n'
    )
    target = target_of(text)
    both = draft(claiming("args", "x"), claiming("y", "x"))
    assert claims(both, target) == ({"x": "y"}, [])
    result = finish_stale(target, both, source=text, line_length=88)
    assert result.suggestion is not None
    assert result.suggestion.replacement == "        *args: All.\n        y: Ex."


def test_a_missing_docstring_has_no_entry_to_keep_so_the_field_is_ignored() -> None:
    text = "def f(a):\n    return a\n"
    (target,) = scan("m.py", text, frozenset({1}), TargetOptions()).targets
    assert claims(draft(claiming("a", "b")), target) == ({}, [])
    assert problems(draft(claiming("a", "b")), target) == []


def test_the_template_writer_never_claims_a_rename() -> None:
    # networkx 3.3 turned `s_metric(G, normalized=True)` into `s_metric(G, **kwargs)`: a
    # one-for-one swap at the same place that is no rename.  Names alone cannot tell.
    for case in CASES.values():
        assert all(p.renamed_from is None for p in draft_for(target_of(after(case))).params)


def test_a_draft_cached_before_the_field_existed_claims_nothing() -> None:
    old = '{"name": "max_age", "type": null, "description": "Seconds."}'
    assert ParamDoc.model_validate_json(old).renamed_from is None


# -- the repair keeps the entry ----------------------------------------------------------------


@pytest.mark.parametrize("style", CASES)
def test_a_claimed_rename_keeps_the_old_entry_word_for_word_under_the_new_name(
    style: str,
) -> None:
    _, old, new = CASES[style]
    text = after(CASES[style])
    result = finish_stale(target_of(text), draft(claiming(new, old)), source=text, line_length=88)
    assert result.status is Status.SUGGESTED, result.reason
    assert result.renamed == ((old, new),)
    assert result.suggestion is not None
    assert apply(text, [result.suggestion]) == repaired(CASES[style])


def test_the_entry_moves_to_the_new_parameters_place_in_the_signature() -> None:
    text = (
        'def f(limit, a):\n    """Do.\n\n    Args:\n        a: Ay.\n        count: How many,\n'
        '            at most.\n    """\n'
    )
    target = target_of(text)
    result = finish_stale(target, draft(claiming("limit", "count")), source=text, line_length=88)
    assert result.suggestion is not None
    assert result.suggestion.replacement == (
        "        limit: How many,\n            at most.\n        a: Ay."
    )


def test_without_a_claim_the_old_entry_goes_and_the_new_one_is_written() -> None:
    text = after(GOOGLE)
    target = target_of(text)
    result = finish_stale(target, draft(claiming("timeout", None)), source=text, line_length=88)
    assert result.suggestion is not None and result.renamed == ()
    assert "amount of time" not in result.suggestion.replacement
    assert "timeout: The timeout." in result.suggestion.replacement


@pytest.mark.parametrize(
    "old", ["method", "address", "timeout", "max_wait\n"], ids=["kept", "unknown", "self", "nl"]
)
def test_a_draft_whose_claim_does_not_stand_is_repaired_as_claiming_nothing(old: str) -> None:
    # A draft from a cache entry is as hostile as a model: the claim is checked again.
    text = after(GOOGLE)
    target = target_of(text)
    result = finish_stale(target, draft(claiming("timeout", old)), source=text, line_length=88)
    assert result.status is Status.SUGGESTED and result.renamed == ()
    assert result.suggestion is not None
    assert "timeout: The timeout." in result.suggestion.replacement


def test_a_parameter_called_like_the_field_keyword_is_renamed_in_its_name_only() -> None:
    line = "    :param str param: The param, a str."
    assert (
        renamed_line(line, "param", "value", "sphinx") == "    :param str value: The param, a str."
    )
    assert renamed_line("    str : str", "str", "text", "numpy") == "    text : str"


def test_sphinx_type_fields_of_a_renamed_entry_follow_it_wherever_they_are() -> None:
    doc = [
        "Send.", "", "    :param a: Ay.", "    :param old: Old words.", "    :returns: It.",
        "    :type old: int", "    ",
    ]  # fmt: skip
    sig = target_of("def f(a, new):\n    pass\n").params
    fixed = repair(doc, sig, {}, renames={"old": "new"})
    verify(doc, fixed, sig)
    assert fixed.lines == (
        "Send.", "", "    :param a: Ay.", "    :param new: Old words.", "    :returns: It.",
        "    :type new: int", "    ",
    )  # fmt: skip


def test_the_proof_refuses_a_renamed_entry_whose_words_changed() -> None:
    doc = ["Do.", "", "    Args:", "        old: Seconds to wait.", "            More.", "    "]
    sig = target_of("def f(new):\n    pass\n").params
    fixed = repair(doc, sig, {}, renames={"old": "new"})
    verify(doc, fixed, sig)
    for tampered in ("        new: Minutes to wait.", "        new: Seconds to wait. "):
        lines = (*fixed.lines[:3], tampered, *fixed.lines[4:])
        forged = Repair(lines, fixed.start, fixed.stop, fixed.kept, fixed.renamed)
        with pytest.raises(Exception, match="lost text of the entry it renamed"):
            verify(doc, forged, sig)


# -- what the reviewer reads, what the model is asked ----------------------------------------


def test_the_review_line_says_the_rename_and_that_the_description_is_kept() -> None:
    text = after(SPHINX)
    result = finish_stale(
        target_of(text), draft(claiming("max_age", "cache_timeout")), source=text, line_length=88
    )
    first = comment_body(result).partition("\n")[0]
    assert first == (
        "**docbot**: `send_file`'s docstring went stale: `cache_timeout` was renamed to"
        " `max_age`; its description is kept. One click fixes it:"
    )


def test_two_renames_in_one_line_and_nothing_said_of_a_name_that_is_no_identifier() -> None:
    target = target_of(TWO)
    expected = documented_names(target.params)
    renamed = [("tries", "retries"), ("wait", "timeout"), ("x`y", "z")]
    assert in_words(target.findings, expected, renamed) == (
        "`tries` was renamed to `retries`, `wait` to `timeout`; their descriptions are kept"
    )


def test_the_request_lists_the_removed_names_and_the_schema_asks_for_a_claim() -> None:
    text = after(NUMPY)
    block = target_block("T1", target_of(text), text)
    assert "write parameters: path_or_buf\nmay be renamed from: path\n" in block
    param = response_format()["json_schema"]["schema"]["$defs"]["ParamDoc"]
    assert "renamed_from" in param["required"]
    assert param["properties"]["renamed_from"]["anyOf"] == [{"type": "string"}, {"type": "null"}]


def test_a_request_without_removed_names_does_not_mention_renaming() -> None:
    text = 'def f(a, b):\n    """Do.\n\n    Args:\n        a: Ay.\n    """\n'
    assert "renamed" not in target_block("T1", target_of(text), text)


# -- end to end: the real SDK against the fake Azure OpenAI ------------------------------------


def _project(tmp_path: Path, name: str, before: str, text: str) -> tuple[str, ...]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    old, new = before.splitlines(), text.splitlines()
    body = []
    for a, b in zip(old, new, strict=True):
        body += [f" {a}"] if a == b else [f"-{a}", f"+{b}"]
    head = f"--- a/{name}\n+++ b/{name}\n@@ -1,{len(old)} +1,{len(new)} @@\n"
    (tmp_path / "change.diff").write_text(head + "\n".join(body) + "\n", encoding="utf-8")
    return ("dry-run", "--diff", str(tmp_path / "change.diff"), "--root", str(tmp_path))


def _azure(fake: FakeAzure) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": fake.endpoint,
        "AZURE_OPENAI_API_KEY": KEY,
        "AZURE_OPENAI_DEPLOYMENT": "docs-4o",
        "DOCBOT_CACHE": "false",
    }


def _claims(*pairs: tuple[str, str]) -> FakeConfig:
    """A model that says each (new, old) pair is one parameter renamed."""
    said = dict(pairs)

    def rewrite(answer: DocstringDraft) -> DocstringDraft:
        params = [p.model_copy(update={"renamed_from": said.get(p.name)}) for p in answer.params]
        return answer.model_copy(update={"params": params})

    return FakeConfig(rewrite=rewrite)


@pytest.mark.parametrize("style", CASES)
def test_the_models_rename_claim_is_applied_and_pydoclint_finds_nothing_left(
    style: str, tmp_path: Path
) -> None:
    before, old, new = CASES[style]
    args = _project(tmp_path, "m.py", before, after(CASES[style]))
    with FakeAzure(_claims((new, old))) as fake:
        code, _, err = run(*args, "--provider", "azure", "--apply", env=_azure(fake))
        asked = [r.body["messages"] for r in fake.billed()]
    assert code == 0, err
    (user,) = [m["content"] for m in asked[0] if m["role"] == "user"]
    assert len(asked) == 1 and f"may be renamed from: {old}\n" in user
    assert (tmp_path / "m.py").read_text(encoding="utf-8") == repaired(CASES[style])
    assert pydoclint(tmp_path / "m.py", style) == {}
    assert run(*args, "--check")[0] == 0


def test_the_review_comment_says_the_rename_above_the_renamed_line_alone(tmp_path: Path) -> None:
    before, old, new = GOOGLE
    args = _project(tmp_path, "m.py", before, after(GOOGLE))
    with FakeAzure(_claims((new, old))) as fake:
        code, out, err = run(*args, "--provider", "azure", "--format", "review", env=_azure(fake))
    assert code == 0, err
    (comment,) = json.loads(out)["comments"]
    head, _, rest = comment["body"].partition("\n")
    assert head == (
        "**docbot**: `AuthorizedSession.request`'s docstring went stale: `max_wait` was renamed"
        " to `timeout`; its description is kept. One click fixes it:"
    )
    # Only the name changed on the entry's first line: the suggestion is that one line.
    assert rest.startswith(
        "\n```suggestion\n"
        "            timeout (Optional[float]): The amount of time in seconds to wait\n```"
    )


def test_a_hostile_claim_is_asked_again_and_a_corrected_answer_is_used(tmp_path: Path) -> None:
    before, old, _ = NUMPY
    text = after(NUMPY)
    args = _project(tmp_path, "m.py", before, text)
    answers = iter(["frame", old])  # first a kept entry's name, then the removed one

    def rewrite(answer: DocstringDraft) -> DocstringDraft:
        claim = next(answers)
        params = [p.model_copy(update={"renamed_from": claim}) for p in answer.params]
        return answer.model_copy(update={"params": params})

    with FakeAzure(FakeConfig(rewrite=rewrite)) as fake:
        code, out, err = run(*args, "--provider", "azure", "--format", "json", env=_azure(fake))
        asked = [r.body["messages"] for r in fake.billed()]
    assert code == 0, err
    assert len(asked) == 2  # the answer, then the repair round
    assert "renamed_from of path_or_buf is not a removed name" in asked[1][-1]["content"]
    (target,) = json.loads(out)["targets"]
    assert target["status"] == "suggested"
    assert (
        target["suggestion"]["replacement"] == "    path_or_buf : str or file handle, default None"
    )


@pytest.mark.parametrize(
    ("first", "refused"),
    [
        ({"retries": "attempts", "timeout": "wait"}, "renamed_from of retries is not a removed"),
        ({"retries": "url", "timeout": "wait"}, "renamed_from of retries is not a removed"),
        ({"retries": "tries", "timeout": "tries"}, "Only one parameter can be renamed from tries"),
    ],
    ids=["unknown-name", "kept-entry", "claimed-twice"],
)
def test_each_hostile_claim_is_refused_through_the_sdk_and_the_corrected_one_applied(
    first: dict[str, str], refused: str, tmp_path: Path
) -> None:
    before = TWO.replace("def fetch(url, retries, timeout):", "def fetch(url, tries, wait):")
    args = _project(tmp_path, "m.py", before, TWO)
    answers = iter([first, {"retries": "tries", "timeout": "wait"}])

    def rewrite(answer: DocstringDraft) -> DocstringDraft:
        said = next(answers)
        params = [p.model_copy(update={"renamed_from": said.get(p.name)}) for p in answer.params]
        return answer.model_copy(update={"params": params})

    with FakeAzure(FakeConfig(rewrite=rewrite)) as fake:
        code, _, err = run(*args, "--provider", "azure", "--apply", env=_azure(fake))
        asked = [r.body["messages"] for r in fake.billed()]
    assert code == 0, err
    assert len(asked) == 2 and refused in asked[1][-1]["content"]
    fixed = (tmp_path / "m.py").read_text(encoding="utf-8")
    assert fixed == TWO.replace("tries: How", "retries: How").replace("wait: How", "timeout: How")
    assert pydoclint(tmp_path / "m.py", "google") == {}


def test_a_claim_still_hostile_after_the_repair_round_posts_nothing(tmp_path: Path) -> None:
    # A model that insists on a wrong claim is confused about the parameters: its words
    # for the new entry are not trusted either, as for any answer that fails its checks.
    before, _, _ = SPHINX
    text = after(SPHINX)
    args = _project(tmp_path, "m.py", before, text)
    with FakeAzure(_claims(("max_age", "mimetype"))) as fake:
        code, out, err = run(*args, "--provider", "azure", "--format", "json", env=_azure(fake))
    assert code == 1 and "no docstring could be written" in err
    (target,) = json.loads(out)["targets"]
    assert target["status"] == "failed" and target["suggestion"] is None
    assert "renamed_from of max_age is not a removed name" in target["reason"]
    assert (tmp_path / "m.py").read_text(encoding="utf-8") == text


# -- end to end: the Action against the fake GitHub, the model against the fake Azure ---------

ACTION_BASE = '''"""The shop's HTTP client."""


class Client:
    """Talks to the shop's server."""

    def ping(self, max_wait=None):
        """Ask whether the server answers.

        :param max_wait: Seconds to wait for the answer;
            ``None`` waits as long as it takes.
        :returns: True when it answered.
        """
        return self._send("PING", max_wait)

    def _send(self, method, timeout=None):
        return method, timeout
'''
# The entry is within the diff's context lines of the header: GitHub takes the suggestion.
ACTION_HEAD = ACTION_BASE.replace("self, max_wait=None):", "self, timeout=None):").replace(
    '"PING", max_wait)', '"PING", timeout)'
)


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setattr("bot.github.WRITE_GAP_S", 0.0)
    with FakeGitHub() as server:
        yield server


def test_the_action_posts_one_suggestion_that_renames_the_entry_and_a_rerun_posts_nothing(
    github: FakeGitHub, tmp_path: Path
) -> None:
    base = github.commit({"shop/client.py": ACTION_BASE})
    github.open_pull(14, base, github.commit({"shop/client.py": ACTION_HEAD}, base))
    with FakeAzure(_claims(("timeout", "max_wait"))) as azure:
        inputs = {
            "provider": "azure", "azure-endpoint": azure.endpoint,
            "azure-deployment": "docs-4o", "azure-api-key": KEY,
        }  # fmt: skip
        first = run_docbot(github, tmp_path, number=14, action="opened", inputs=inputs)
        again = run_docbot(github, tmp_path, number=14, action="synchronize", inputs=inputs)
    assert first.code == again.code == 0, first.stdout
    (comment,) = github.pulls[14].review_comments
    assert str(comment["body"]).startswith(
        "**docbot**: `Client.ping`'s docstring went stale: `max_wait` was renamed to `timeout`;"
        " its description is kept. One click fixes it:"
    )
    committed = apply_like_github(ACTION_HEAD, [comment])
    check_safe(ACTION_HEAD, committed)
    assert committed == ACTION_HEAD.replace(":param max_wait:", ":param timeout:")
    everything = frozenset(range(1, committed.count("\n") + 2))
    assert scan("shop/client.py", committed, everything, TargetOptions()).targets == ()
    (tmp_path / "client.py").write_text(committed, encoding="utf-8")
    assert pydoclint(tmp_path / "client.py", "sphinx") == {}
    assert again.writes == [] and len(github.pulls[14].review_comments) == 1
