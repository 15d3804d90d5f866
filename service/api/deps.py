"""Typed dependencies for routes: what the lifespan loaded, handed over per request.

The app factory (``service.api.app``) stores its objects on ``app.state``; routes ask for
them through these aliases and never reach into ``app.state`` themselves. They are ``async``
because FastAPI runs a plain ``def`` dependency in a worker thread: a thread hop per
dependency per request, which costs more than the lookups themselves. The catalogue and
the suggester raise :class:`~service.api.errors.NotReadyError` (503) until loaded.
"""

from typing import Annotated, NamedTuple

from fastapi import Depends, Request

from service.api.loading import BackgroundLoader
from service.api.metrics import Metrics
from service.api.middleware import RequestRecord, request_record
from service.api.suggest_runner import SuggestRunner
from service.catalogue import Catalogue
from service.config import Settings
from service.suggestions import Suggester


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_loader(request: Request) -> BackgroundLoader:
    """The loader holding the catalogue and model (and the readiness state)."""
    loader: BackgroundLoader = request.app.state.loader
    return loader


async def get_catalogue(request: Request) -> Catalogue:
    """The code-set catalogue loaded at start-up."""
    loader: BackgroundLoader = request.app.state.loader
    return loader.require_catalogue()


async def get_suggester(request: Request) -> Suggester:
    """The model loaded at start-up."""
    loader: BackgroundLoader = request.app.state.loader
    return loader.require_suggester()


async def get_metrics(request: Request) -> Metrics:
    """The app's Prometheus metrics."""
    metrics: Metrics = request.app.state.metrics
    return metrics


async def get_runner(request: Request) -> SuggestRunner:
    """The bounded, time-limited executor for suggester calls."""
    runner: SuggestRunner = request.app.state.runner
    return runner


async def get_request_record(request: Request) -> RequestRecord:
    """Where a route records document and character counts for the request log."""
    return request_record(request.scope)


class SuggestContext(NamedTuple):
    """Everything a suggest route needs, resolved as one dependency (each costs per request)."""

    suggester: Suggester
    settings: Settings
    runner: SuggestRunner
    metrics: Metrics
    record: RequestRecord


async def get_suggest_context(request: Request) -> SuggestContext:
    """The loaded suggester (or 503) and the app's settings, runner, metrics and request record."""
    state = request.app.state
    loader: BackgroundLoader = state.loader
    return SuggestContext(
        suggester=loader.require_suggester(),
        settings=state.settings,
        runner=state.runner,
        metrics=state.metrics,
        record=request_record(request.scope),
    )


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
LoaderDep = Annotated[BackgroundLoader, Depends(get_loader)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
SuggesterDep = Annotated[Suggester, Depends(get_suggester)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
RunnerDep = Annotated[SuggestRunner, Depends(get_runner)]
RecordDep = Annotated[RequestRecord, Depends(get_request_record)]
SuggestContextDep = Annotated[SuggestContext, Depends(get_suggest_context)]
