"""HTTP routes of the feedback loop: ``POST /v1/feedback`` and ``GET /v1/feedback/stats``.

Both are plain ``def`` routes on purpose: FastAPI runs them in its thread pool, so database
work never blocks the event loop that ``/v1/suggest`` and the health checks share.
"""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response, status

from service.api.errors import PROBLEM_MEDIA_TYPE, ProblemType
from service.feedback.schemas import FeedbackCreated, FeedbackIn, FeedbackStats
from service.feedback.store import FeedbackStore, FeedbackUnavailableError

FEEDBACK_UNAVAILABLE = ProblemType(503, "feedback-unavailable", "Feedback storage unavailable")


def get_feedback_store(request: Request) -> FeedbackStore | None:
    """The store the lifespan created (None when the app was built without one)."""
    store: FeedbackStore | None = getattr(request.app.state, "feedback_store", None)
    return store


FeedbackStoreDep = Annotated[FeedbackStore | None, Depends(get_feedback_store)]


def unavailable_response(retry_after: int) -> Response:
    """503 problem+json telling the client its submission was not stored and when to retry."""
    body = {
        "type": FEEDBACK_UNAVAILABLE.uri,
        "title": FEEDBACK_UNAVAILABLE.title,
        "status": FEEDBACK_UNAVAILABLE.status,
        "detail": "Feedback storage is unavailable; nothing was stored. Retry later.",
    }
    return Response(
        orjson.dumps(body),
        status_code=FEEDBACK_UNAVAILABLE.status,
        headers={"Retry-After": str(retry_after)},
        media_type=PROBLEM_MEDIA_TYPE,
    )


_UNAVAILABLE_DOC: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "Storage unavailable; nothing was stored (see Retry-After)",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    }
}

# The app includes this router with its API-key dependency, like every /v1 router.
router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackCreated,
    responses=_UNAVAILABLE_DOC,
)
def submit_feedback(submission: FeedbackIn, store: FeedbackStoreDep) -> FeedbackCreated | Response:
    """Store a coder's accepted, rejected and added codes for one note."""
    if store is None:
        return unavailable_response(5)
    try:
        record_id, text_stored = store.add(submission)
    except FeedbackUnavailableError as error:
        return unavailable_response(error.retry_after)
    return FeedbackCreated(id=record_id, text_stored=text_stored)


@router.get("/stats", response_model=FeedbackStats, responses=_UNAVAILABLE_DOC)
def feedback_stats(
    store: FeedbackStoreDep,
    model_version: Annotated[str | None, Query(max_length=100)] = None,
    code_limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> FeedbackStats | Response:
    """Acceptance rates per code system, per code and per model version."""
    if store is None:
        return unavailable_response(5)
    try:
        return store.stats(model_version, code_limit=code_limit)
    except FeedbackUnavailableError as error:
        return unavailable_response(error.retry_after)
