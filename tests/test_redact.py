"""bot/redact.py: the one redaction point, on secrets as services and models echo them."""

from __future__ import annotations

import io

import pytest

from bot.docmodel import DocstringDraft, ParamDoc
from bot.redact import REDACTED, RedactingStream, Redactor
from bot.settings import validate

KEY = "0123456789abcdef0123456789abcdef"
REDIS = "rediss://:p%40ss-word-9@cache.example.com:6380/0"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"key {KEY} in a refusal", f"key {REDACTED} in a refusal"),
        ("redis said p@ss-word-9 and p%40ss-word-9", f"redis said {REDACTED} and {REDACTED}"),
        (f"url {REDIS}", f"url {REDACTED}"),
        ("Authorization: Bearer abc123def456ghi789", f"Authorization: Bearer {REDACTED}"),
        ("jwt eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJlLXBhcnQ", f"jwt {REDACTED}"),
        ("gh ghp_" + "a" * 36, f"gh {REDACTED}"),
        ("gh github_pat_" + "A1_" * 20, f"gh {REDACTED}"),
        ("oa sk-proj-" + "x1" * 15, f"oa {REDACTED}"),
        ("db postgres://app:hunter22@db:5432/x", f"db postgres://app:{REDACTED}@db:5432/x"),
        ("basic authentication/authorization stays", "basic authentication/authorization stays"),
        ("a token counter stays", "a token counter stays"),
    ],
)
def test_secrets_and_credential_shapes_are_redacted(text: str, shown: str) -> None:
    redact = Redactor([KEY, REDIS, "abc"])  # "abc" is too short to be taken for a secret
    assert redact(text) == shown


def test_the_settings_secrets_are_all_known() -> None:
    settings = validate(
        {
            "azure_api_key": "azure-key-for-tests",
            "openai_api_key": "openai-key-for-tests",
            "github_token": "github-token-for-tests",
            "redis_url": "redis://:redis-pass-for-tests@h:1/0",
        }
    )
    redact = Redactor.for_settings(settings)
    text = "azure-key-for-tests openai-key-for-tests github-token-for-tests redis-pass-for-tests"
    assert redact(text) == " ".join([REDACTED] * 4)


def test_a_draft_is_redacted_field_by_field_and_stays_valid() -> None:
    draft = DocstringDraft(
        summary=f"Use {KEY}.",
        description=None,
        params=[ParamDoc(name="x", type=None, description=f"key {KEY}")],
        returns=None,
        yields=None,
        raises=[],
        examples=[KEY],
    )
    clean = Redactor([KEY]).model(draft)
    assert isinstance(clean, DocstringDraft)
    assert KEY not in clean.model_dump_json()
    assert clean.params[0].name == "x"


def test_a_stream_redacts_secrets_written_in_pieces() -> None:
    target = io.StringIO()
    stream = RedactingStream(target, Redactor([KEY]))
    for piece in ("a ", KEY[:10], KEY[10:], " b\nnext ", KEY[:5]):
        stream.write(piece)
    assert target.getvalue() == f"a {REDACTED} b\n"
    stream.write(KEY[5:] + "\n")
    stream.flush()
    assert target.getvalue() == f"a {REDACTED} b\nnext {REDACTED}\n"
