"""docbot's own exceptions: each message is one line a user can act on."""

from __future__ import annotations


class DocbotError(Exception):
    """Base of every error docbot reports to the user; ``exit_code`` is the CLI's."""

    exit_code = 1


class ConfigError(DocbotError):
    """A setting, flag or input is missing or invalid."""

    exit_code = 2


class ChangeError(DocbotError):
    """The change to look at cannot be read: not a diff, not a git checkout, a missing file."""

    exit_code = 2


class UnparsableFile(DocbotError):
    """A Python file in the change does not parse; the file is skipped, never fatal."""


class UnsafeSuggestion(DocbotError):
    """An edit would change more than a docstring; the suggestion is dropped."""


class ProviderError(DocbotError):
    """The LLM could not be used at all (bad key, unknown deployment, unreachable)."""


class GitHubError(DocbotError):
    """GitHub refused or failed a request the run cannot do without."""
