"""Request and response bodies of the public API, as pydantic models (they make the OpenAPI).

Limits that come from settings (text length, batch size) are checked by the routes, so a bad
batch document can fail alone; the descriptions name the defaults.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.codesystems import CodeSystem
from service.text.types import Assertion


class SuggestSystem(StrEnum):
    """A code system the suggest endpoints can rank."""

    ICD10CM = "ICD-10-CM"
    ICD10PCS = "ICD-10-PCS"
    CPT = "CPT"


class SuggestOptions(BaseModel):
    """Options shared by the single and the batch suggest requests."""

    model_config = ConfigDict(extra="forbid")

    code_systems: list[SuggestSystem] | None = Field(
        default=None,
        description="Systems to rank; default: every system the model supports.",
    )
    top_k: int = Field(default=10, ge=1, le=100, description="Suggestions per code system.")
    min_score: float = Field(default=0.0, ge=0.0, le=1.0, description="Drop lower scores.")
    include_evidence: bool = Field(default=True, description="Return evidence spans.")


class SuggestRequest(SuggestOptions):
    """One note to code."""

    text: str = Field(
        min_length=1, description="The note: 1 to max_text_chars characters (100,000 by default)."
    )


class BatchDocument(BaseModel):
    """One note of a batch, with the caller's id for it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=256, description="Echoed in the result.")
    text: str = Field(
        description="The note: 1 to max_text_chars characters; a bad one fails alone."
    )


class BatchSuggestRequest(SuggestOptions):
    """Several notes coded with the same options."""

    documents: list[BatchDocument] = Field(
        min_length=1, description="1 to max_batch_documents notes (64 by default)."
    )


class EvidenceOut(BaseModel):
    """A span of the note supporting a suggestion: ``text == note[start:end]``."""

    start: int = Field(description="Offset of the first character, in characters.")
    end: int = Field(description="Offset after the last character.")
    text: str
    section: str = Field(description="Section of the note the span is in, or 'unknown'.")
    assertion: Assertion


class SuggestionOut(BaseModel):
    """A ranked code."""

    system: CodeSystem
    code: str = Field(description="Conventional form: N45.3, 0DTJ4ZZ, 99213.")
    display: str
    score: float = Field(ge=0.0, le=1.0, description="Calibrated probability.")
    billable: bool
    evidence: list[EvidenceOut]


class ModelRef(BaseModel):
    """The model that produced a response."""

    name: str
    version: str


class SuggestResponse(BaseModel):
    """Suggestions for one note, highest score first."""

    model: ModelRef
    suggestions: list[SuggestionOut]
    warnings: list[str]


class FieldError(BaseModel):
    """One invalid field: where it is and what is wrong (never its value)."""

    loc: list[str]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem; ``type`` is a stable URI under https://codesuggest.dev/problems/."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class BatchResult(BaseModel):
    """Suggestions for one batch document."""

    id: str
    suggestions: list[SuggestionOut]
    warnings: list[str]


class BatchError(BaseModel):
    """A batch document that could not be coded, in its place in the results."""

    id: str
    error: Problem


class BatchSuggestResponse(BaseModel):
    """One result or error per document, in request order."""

    model: ModelRef
    results: list[BatchResult | BatchError]


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    model: ModelRef | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem+json bodies for ``statuses``."""
    return {
        status: {"model": Problem, "content": {"application/problem+json": {}}}
        for status in statuses
    }
