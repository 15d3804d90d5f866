"""``GET /v1/model``: the model card of the loaded model."""

from typing import Any

from fastapi import APIRouter

from service.api.deps import SuggesterDep
from service.api.schemas import problem_responses

router = APIRouter(prefix="/v1", tags=["model"])


@router.get("/model", response_model=dict[str, Any], responses=problem_responses(401, 503))
async def model_card(suggester: SuggesterDep) -> dict[str, Any]:
    """The model card: name, version, code-set releases, metrics and training data."""
    return dict(suggester.card())
