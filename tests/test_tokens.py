"""Token counting: exact only from an encoding file already on disk, never a download."""

from __future__ import annotations

import hashlib
import math
import socket
from pathlib import Path

import pytest

from bot.tokens import (
    REPLY_PRIMING,
    TOKENS_PER_MESSAGE,
    cache_dir,
    cached_encoding_file,
    encoding_name,
    estimating_counter,
    make_counter,
)

SNIPPET = 'def área(r: float) -> float:\n    """π r²."""\n    return 3.14159 * r ** 2\n'


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini-2024-07-18", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("o4-mini", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-35-turbo", "cl100k_base"),
        ("my-selfhosted-llama", "o200k_base"),
    ],
)
def test_encoding_follows_the_model_family(model: str, encoding: str) -> None:
    assert encoding_name(model) == encoding


def test_estimate_is_one_token_per_three_utf8_bytes() -> None:
    counter = estimating_counter()
    assert not counter.exact
    assert counter.count(SNIPPET) == math.ceil(len(SNIPPET.encode("utf-8")) / 3)
    assert counter.count("") == 0


def test_a_chat_request_counts_framing_per_message_and_reply_priming() -> None:
    counter = estimating_counter()
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": SNIPPET}]
    content = sum(counter.count(m["role"]) + counter.count(m["content"]) for m in messages)
    assert counter.count_messages(messages) == content + 2 * TOKENS_PER_MESSAGE + REPLY_PRIMING


def test_cache_dir_follows_tiktokens_own_rule(tmp_path: Path) -> None:
    assert cache_dir({"TIKTOKEN_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({"DATA_GYM_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({}).name == "data-gym-cache"


def test_a_corrupt_encoding_file_is_not_handed_to_tiktoken(tmp_path: Path) -> None:
    # tiktoken would delete a file failing its hash check and download it again.
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(b"not an encoding")
    assert cached_encoding_file("o200k_base", tmp_path) is None


def test_without_the_encoding_file_it_estimates_warns_once_and_never_connects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("token counting tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    warnings: list[str] = []
    counter = make_counter("gpt-4o", warn=warnings.append)
    assert not counter.exact
    assert counter.count(SNIPPET) == estimating_counter().count(SNIPPET)
    assert len(warnings) == 1
    assert "TIKTOKEN_CACHE_DIR" in warnings[0] and "estimate" in warnings[0]
    assert list(tmp_path.iterdir()) == []
