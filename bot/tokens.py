"""Token counting for budgets and cost: tiktoken when its encoding is on disk, else an estimate.

tiktoken downloads encoding files on first use; docbot must never touch the network
for that, so the encoding is only loaded when its file is already in the cache
directory (``TIKTOKEN_CACHE_DIR``, baked into the image).  Otherwise counts are a
conservative estimate (one token per three UTF-8 bytes, more than any real encoding
gives for code or English) and the caller is warned once.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

_BLOB = "https://openaipublic.blob.core.windows.net/encodings/"
# name -> (url tiktoken fetches, sha256 it checks); a file failing the check would make
# tiktoken delete it and download again, so it is checked here first.
_ENCODING_FILES: Mapping[str, tuple[str, str]] = {
    "o200k_base": (
        _BLOB + "o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        _BLOB + "cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}
# Model name prefixes, longest first wins; anything unknown counts as the newest family.
_MODEL_ENCODINGS: tuple[tuple[str, str], ...] = (
    ("gpt-35", "cl100k_base"),
    ("gpt-3.5", "cl100k_base"),
    ("gpt-4-", "cl100k_base"),
    ("gpt-4", "cl100k_base"),
    ("gpt-4o", "o200k_base"),
    ("gpt-4.1", "o200k_base"),
    ("gpt-4.5", "o200k_base"),
    ("gpt-5", "o200k_base"),
    ("o1", "o200k_base"),
    ("o3", "o200k_base"),
    ("o4", "o200k_base"),
)

# OpenAI's documented chat accounting: each message costs its content plus a few
# tokens of framing, and every reply is primed with three more.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3
BYTES_PER_TOKEN_ESTIMATE = 3


def encoding_name(model: str) -> str:
    """The tiktoken encoding of ``model`` (o200k_base for names it does not know)."""
    best = ("", "o200k_base")
    for prefix, name in _MODEL_ENCODINGS:
        if model.startswith(prefix) and len(prefix) > len(best[0]):
            best = (prefix, name)
    return best[1]


def cache_dir(env: Mapping[str, str]) -> Path:
    """Where tiktoken keeps encoding files, by tiktoken's own rule."""
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if var in env:
            return Path(env[var])
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def cached_encoding_file(name: str, directory: Path) -> Path | None:
    """The encoding's file where tiktoken will look for it, if present and intact."""
    known = _ENCODING_FILES.get(name)
    if known is None or str(directory) in ("", "."):
        return None
    url, sha256 = known
    path = directory / hashlib.sha1(url.encode()).hexdigest()
    try:
        intact = hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return None
    return path if intact else None


class TokenCounter:
    """Counts tokens of text and of whole chat requests for one model."""

    def __init__(self, encode: Callable[[str], list[int]] | None, *, encoding: str) -> None:
        self._encode = encode
        self.encoding = encoding

    @property
    def exact(self) -> bool:
        """Whether counts come from the model's real encoding rather than an estimate."""
        return self._encode is not None

    def count(self, text: str) -> int:
        """Tokens of ``text``."""
        if self._encode is None:
            return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN_ESTIMATE)
        return len(self._encode(text))

    def count_messages(self, messages: Sequence[Mapping[str, Any]]) -> int:
        """Prompt tokens of a chat request: every message with its framing, plus reply priming."""
        total = REPLY_PRIMING
        for message in messages:
            total += TOKENS_PER_MESSAGE
            for key, value in message.items():
                if isinstance(value, str):
                    total += self.count(value)
                elif value is not None:
                    total += self.count(repr(value))
                if key == "name":
                    total += TOKENS_PER_NAME
        return total

    def __repr__(self) -> str:
        mode = "exact" if self.exact else "estimate"
        return f"TokenCounter({self.encoding}, {mode})"


def estimating_counter(model: str = "gpt-4o") -> TokenCounter:
    """A counter that never loads an encoding: the conservative estimate."""
    return TokenCounter(None, encoding=encoding_name(model))


def make_counter(model: str, *, warn: Callable[[str], None]) -> TokenCounter:
    """A counter for ``model``: exact when the encoding file is on disk, else estimating.

    Never attempts a download: tiktoken is only asked for an encoding whose intact file
    already sits where tiktoken itself looks (``TIKTOKEN_CACHE_DIR`` of this process).
    Falls back, warning once, on anything that goes wrong.
    """
    name = encoding_name(model)
    directory = cache_dir(os.environ)
    if cached_encoding_file(name, directory) is not None:
        try:
            import tiktoken

            encoding = tiktoken.get_encoding(name)
        except Exception:
            encoding = None
        if encoding is not None:

            def encode(text: str) -> list[int]:
                return list(encoding.encode(text, disallowed_special=()))

            return TokenCounter(encode, encoding=name)
    warn(
        f"tiktoken encoding {name} is not in {directory} (set TIKTOKEN_CACHE_DIR to a folder "
        "holding it); token counts are conservative estimates"
    )
    return estimating_counter(model)
