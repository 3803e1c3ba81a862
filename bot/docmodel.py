"""The structured docstring every provider returns, and its checks against a signature.

Providers (the LLM or the offline template writer) fill a ``DocstringDraft``; only
``render.py`` turns it into text.  The model doubles as the strict JSON schema sent
to the LLM, so every field is required (nullable where optional) and documented.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamDoc(_Strict):
    """One documented parameter."""

    name: str = Field(description="The parameter's name exactly as in the signature, without * or **.")
    type: str | None = Field(description="Type as a reader would write it, or null to omit.")
    description: str = Field(description="What the parameter means, one or two sentences.")


class ReturnDoc(_Strict):
    """What a function returns or yields."""

    type: str | None = Field(description="Type of the value, or null to omit.")
    description: str = Field(description="What the value is.")


class RaiseDoc(_Strict):
    """One exception the body raises on purpose."""

    exception: str = Field(description="The exception's name as raised in the body.")
    description: str = Field(description="When it is raised.")


class DocstringDraft(_Strict):
    """A docstring as data; rendered into the repository's style by code, not by the model."""

    summary: str = Field(description="One line in the imperative mood, ending with a period.")
    description: str | None = Field(description="Further paragraphs, or null.")
    params: list[ParamDoc] = Field(description="Every parameter of the signature except self/cls.")
    returns: ReturnDoc | None = Field(description="Null when the function returns nothing.")
    yields: ReturnDoc | None = Field(description="Only for generators, else null.")
    raises: list[RaiseDoc] = Field(description="Only exceptions the body raises explicitly.")
    examples: list[str] = Field(description="Doctest-style examples, usually empty.")
