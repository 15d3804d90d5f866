"""The public shapes of the feedback API: what a coder's panel submits and what stats return."""

import hashlib
import re
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from service.codesystems import CodeSystem, normalize_code

# Letters and digits with at most one dot: the shape every supported system's codes share.
_CODE_SHAPE = re.compile(r"[A-Z0-9]{1,8}(\.[A-Z0-9]{1,4})?")
MAX_CODES_PER_LIST = 500
MAX_TEXT_CHARS = 1_000_000

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CodeRef(BaseModel):
    """A code of a code system, normalised to its canonical form (``e119`` -> ``E11.9``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    system: CodeSystem
    code: str = Field(min_length=1, max_length=16, examples=["E11.9"])

    @field_validator("code")
    @classmethod
    def _canonical(cls, code: str, info: ValidationInfo) -> str:
        system = info.data.get("system")
        if not isinstance(system, CodeSystem):
            return code  # the error is reported on `system`
        normal = normalize_code(system, code)
        if not _CODE_SHAPE.fullmatch(normal):
            raise ValueError("not a code: expected letters and digits with an optional dot")
        return normal


class SuggestedCode(CodeRef):
    """A code the model suggested, with the score it was shown with."""

    score: float = Field(ge=0.0, le=1.0)


def _keys(codes: list[CodeRef] | list[SuggestedCode]) -> set[tuple[CodeSystem, str]]:
    return {(c.system, c.code) for c in codes}


class FeedbackIn(BaseModel):
    """A coder's verdict on the suggestions for one note.

    ``accepted`` and ``rejected`` are codes from ``suggested``; ``added`` are codes the coder
    found missing. ``text`` is kept only when the deployment allows it and is otherwise dropped.
    """

    model_config = ConfigDict(extra="forbid")

    document_id: ShortText | None = None
    text_sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the note text")
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS, repr=False)
    model_version: ShortText = Field(max_length=100)
    coder_id: ShortText
    suggested: list[SuggestedCode] = Field(default_factory=list, max_length=MAX_CODES_PER_LIST)
    accepted: list[CodeRef] = Field(default_factory=list, max_length=MAX_CODES_PER_LIST)
    rejected: list[CodeRef] = Field(default_factory=list, max_length=MAX_CODES_PER_LIST)
    added: list[CodeRef] = Field(default_factory=list, max_length=MAX_CODES_PER_LIST)

    @field_validator("text_sha256")
    @classmethod
    def _lower(cls, digest: str) -> str:
        return digest.lower()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        suggested = _keys(self.suggested)
        accepted, rejected, added = _keys(self.accepted), _keys(self.rejected), _keys(self.added)
        if len(suggested) != len(self.suggested):
            raise ValueError("suggested lists a code twice")
        if not accepted <= suggested or not rejected <= suggested:
            raise ValueError("accepted and rejected codes must be among suggested; use added")
        if accepted & rejected:
            raise ValueError("a code is both accepted and rejected")
        if added & suggested:
            raise ValueError("added codes must not be among suggested; accept them instead")
        if self.text is not None:
            digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
            if digest != self.text_sha256:
                raise ValueError("text_sha256 is not the SHA-256 of text (UTF-8)")
        return self


class FeedbackCreated(BaseModel):
    """The receipt of a stored submission."""

    id: str
    text_stored: bool = Field(description="Whether the note text was kept (a server setting)")


class Tally(BaseModel):
    """Counts of one group of codes and the share of suggestions coders accepted."""

    suggested: int
    accepted: int
    rejected: int
    added: int
    acceptance_rate: float | None = Field(description="accepted / suggested; null if none")


class SystemTally(Tally):
    """A tally for one code system."""

    system: CodeSystem


class CodeTally(Tally):
    """A tally for one code."""

    system: CodeSystem
    code: str


class ModelTally(Tally):
    """A tally for one model version."""

    model_version: str
    submissions: int


class FeedbackStats(BaseModel):
    """Acceptance statistics, optionally restricted to one model version."""

    model_version: str | None
    submissions: int
    by_system: list[SystemTally]
    by_code: list[CodeTally]
    by_model_version: list[ModelTally]
