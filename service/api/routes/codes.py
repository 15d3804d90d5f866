"""Code look-up and typeahead search over the catalogue: ``/v1/codes``."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from service.api.deps import CatalogueDep
from service.api.schemas import problem_responses
from service.catalogue import CodeEntry, CodeNotFoundError
from service.codesystems import CodeSystem

router = APIRouter(prefix="/v1/codes", tags=["codes"])


class CodeOut(BaseModel):
    """One catalogue entry; ICD-10-CM codes carry their dot (``E11.9``)."""

    system: CodeSystem
    code: str
    display: str
    billable: bool
    parents: list[str]
    inclusion_terms: list[str]
    includes: list[str]
    excludes1: list[str]
    excludes2: list[str]
    code_first: list[str]
    use_additional: list[str]
    keywords: list[str]
    section: str | None
    subsection: str | None

    @classmethod
    def of(cls, entry: CodeEntry) -> "CodeOut":
        """The response shape of a catalogue entry."""
        return cls(
            system=entry.system,
            code=entry.code,
            display=entry.display,
            billable=entry.billable,
            parents=list(entry.parents),
            inclusion_terms=list(entry.inclusion_terms),
            includes=list(entry.includes),
            excludes1=list(entry.excludes1),
            excludes2=list(entry.excludes2),
            code_first=list(entry.code_first),
            use_additional=list(entry.use_additional),
            keywords=list(entry.keywords),
            section=entry.section,
            subsection=entry.subsection,
        )


class CodeSearchOut(BaseModel):
    """Typeahead results, best first."""

    results: list[CodeOut]


@router.get("", response_model=CodeSearchOut, responses=problem_responses(422))
def search_codes(
    catalogue: CatalogueDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="code or words")],
    system: Annotated[CodeSystem | None, Query(description="restrict to one system")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> CodeSearchOut:
    """Search codes by code prefix or by words of their descriptions, terms and keywords."""
    return CodeSearchOut(results=[CodeOut.of(e) for e in catalogue.search(system, q, limit)])


@router.get("/{system}/{code}", response_model=CodeOut, responses=problem_responses(404, 422))
def get_code(
    catalogue: CatalogueDep,
    system: CodeSystem,
    code: Annotated[str, Path(min_length=1, max_length=16)],
) -> CodeOut:
    """One code with its description, billable flag, hierarchy and coding notes."""
    entry = catalogue.lookup(system, code)
    if entry is None:
        raise CodeNotFoundError(system, code)
    return CodeOut.of(entry)
