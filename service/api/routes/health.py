"""Probes and metrics, never behind an API key: ``/healthz``, ``/readyz``, ``/metrics``."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.api.deps import LoaderDep, MetricsDep
from service.api.schemas import Health, ModelRef, problem_responses

router = APIRouter(tags=["operations"])
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@router.get("/healthz", response_model=Health, response_model_exclude_none=True)
async def healthz() -> Health:
    """Liveness: 200 while the process serves requests, loaded or not."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problem_responses(503))
async def readyz(loader: LoaderDep) -> Health:
    """Readiness: 200 once the catalogue and the model are loaded, 503 before."""
    info = loader.require_suggester().info
    return Health(status="ready", model=ModelRef(name=info.name, version=info.version))


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {PROMETHEUS_TEXT: {}}, "description": "Prometheus metrics"}},
)
async def metrics(metrics: MetricsDep) -> Response:
    """Prometheus metrics of this worker process."""
    return Response(metrics.exposition(), media_type=PROMETHEUS_TEXT)
