"""``POST /v1/suggest`` and ``POST /v1/suggest/batch``: ranked codes for notes."""

from functools import partial
from typing import Any

import anyio
import orjson
from fastapi import APIRouter
from fastapi.responses import Response

from service.api.deps import SuggestContextDep
from service.api.errors import InternalError, InvalidRequestError, problem_body
from service.api.schemas import (
    BatchSuggestRequest,
    BatchSuggestResponse,
    SuggestOptions,
    SuggestRequest,
    SuggestResponse,
    problem_responses,
)
from service.api.suggestion_json import (
    SuggestParams,
    enforce_contract,
    model_json,
    suggestions_json,
    unsupported_warnings,
)
from service.codesystems import CodeSystem
from service.config import Settings
from service.suggestions import Suggester, SuggestionResult

router = APIRouter(prefix="/v1", tags=["suggest"])
ERRORS = problem_responses(400, 401, 413, 422, 500, 503)


def text_errors(text: str, settings: Settings, loc: list[str]) -> list[dict[str, Any]]:
    """Field errors for a note that is empty or longer than ``max_text_chars``."""
    if not text:
        return [{"loc": loc, "msg": "Text must not be empty", "type": "string_too_short"}]
    if len(text) > settings.max_text_chars:
        msg = f"Text must have at most {settings.max_text_chars} characters"
        return [{"loc": loc, "msg": msg, "type": "string_too_long"}]
    return []


def resolve_params(
    options: SuggestOptions, suggester: Suggester
) -> tuple[SuggestParams, list[str]]:
    """The systems to rank (requested, or all the model supports) and warnings about them."""
    supported = suggester.systems
    if options.code_systems is None:
        requested = frozenset(supported)
    else:
        requested = frozenset(CodeSystem(system.value) for system in options.code_systems)
    params = SuggestParams(
        systems=requested & supported,
        top_k=options.top_k,
        min_score=options.min_score,
        include_evidence=options.include_evidence,
    )
    return params, unsupported_warnings(requested, supported)


def _suggest(suggester: Suggester, text: str, params: SuggestParams) -> SuggestionResult:
    if not params.systems:
        return SuggestionResult(suggestions=[])
    result = suggester.suggest(
        text,
        systems=params.systems,
        top_k=params.top_k,
        min_score=params.min_score,
        include_evidence=params.include_evidence,
    )
    return enforce_contract(text, result, params)


def _json(content: dict[str, Any]) -> Response:
    return Response(orjson.dumps(content), media_type="application/json")


@router.post("/suggest", response_model=SuggestResponse, responses=ERRORS)
async def suggest(body: SuggestRequest, context: SuggestContextDep) -> Response:
    """Suggest ranked ICD-10-CM, ICD-10-PCS and CPT codes for one note, with evidence."""
    suggester, settings, runner, metrics, record = context
    errors = text_errors(body.text, settings, ["body", "text"])
    if errors:
        raise InvalidRequestError("One or more fields are invalid.", errors=errors)
    record.documents, record.characters = 1, len(body.text)
    metrics.observe_documents(1, len(body.text))
    params, warnings = resolve_params(body, suggester)
    with runner.time_limit():
        result = await runner.call(partial(_suggest, suggester, body.text, params))
    metrics.observe_result(result)
    return _json(
        {
            "model": model_json(suggester.info),
            "suggestions": suggestions_json(result),
            "warnings": warnings + result.warnings,
        }
    )


@router.post("/suggest/batch", response_model=BatchSuggestResponse, responses=ERRORS)
async def suggest_batch(body: BatchSuggestRequest, context: SuggestContextDep) -> Response:
    """Suggest codes for up to max_batch_documents notes; a bad note fails alone.

    Notes go to the model side by side, as many at once as the worker has model threads
    (``suggest_threads``); the results keep the order of the documents.
    """
    suggester, settings, runner, metrics, record = context
    if len(body.documents) > settings.max_batch_documents:
        msg = f"At most {settings.max_batch_documents} documents per batch"
        errors = [{"loc": ["body", "documents"], "msg": msg, "type": "too_long"}]
        raise InvalidRequestError("One or more fields are invalid.", errors=errors)
    params, warnings = resolve_params(body, suggester)
    results: list[dict[str, Any]] = [{"id": document.id} for document in body.documents]

    async def suggest_one(result: dict[str, Any], text: str) -> None:
        try:
            suggested = await runner.call(partial(_suggest, suggester, text, params))
        except InternalError as exc:
            result["error"] = problem_body(exc)
            return
        metrics.observe_result(suggested)
        result["suggestions"] = suggestions_json(suggested)
        result["warnings"] = warnings + suggested.warnings

    with runner.time_limit():
        async with anyio.create_task_group() as tasks:
            for index, (document, result) in enumerate(zip(body.documents, results, strict=True)):
                loc = ["body", "documents", str(index), "text"]
                errors = text_errors(document.text, settings, loc)
                if errors:
                    problem = InvalidRequestError("This document is invalid.", errors=errors)
                    result["error"] = problem_body(problem)
                    continue
                record.documents += 1
                record.characters += len(document.text)
                metrics.observe_documents(1, len(document.text))
                tasks.start_soon(suggest_one, result, document.text)
    return _json({"model": model_json(suggester.info), "results": results})
