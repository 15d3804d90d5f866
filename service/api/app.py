"""The app factory: settings in, a FastAPI app out; the model is loaded in its lifespan.

Start-up: validate the API key hashes, build metrics and the suggester runner, then (lifespan)
load the catalogue and the model in a background thread, so ``/healthz`` answers at once and
``/readyz`` turns 200 when the model is in. Shutdown: release the catalogue. uvicorn lets
in-flight requests finish first (``timeout_graceful_shutdown``).
"""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

import service
from service.api.auth import require_api_key
from service.api.errors import ServiceError, problem_response
from service.api.loading import BackgroundLoader, CatalogueLoader, FailureHandler, SuggesterLoader
from service.api.metrics import Metrics
from service.api.middleware import BodySizeLimit, RequestObserver
from service.api.routes import health, model, suggest
from service.api.routes.codes import router as codes_router
from service.api.suggest_runner import SuggestRunner
from service.api_keys import parse_key_hashes
from service.catalogue import Catalogue, CodeNotFoundError, load_catalogue
from service.config import Settings, get_settings
from service.exit_codes import STARTUP_FAILURE_EXIT_CODE
from service.feedback import FeedbackStore
from service.feedback import router as feedback_router
from service.panel import router as panel_router
from service.suggestions import Suggester

# Routers that need an API key when keys are configured (every /v1 route).
API_ROUTERS: list[APIRouter] = [suggest.router, model.router, codes_router, feedback_router]
# Routers open to probes and scrapers, and the coder panel's page (its API calls need the key).
OPEN_ROUTERS: list[APIRouter] = [health.router, panel_router]


def default_catalogue_loader(settings: Settings) -> Catalogue:
    """Load the catalogue the settings name."""
    return load_catalogue(
        settings.catalogue_dir, cpt_file=settings.cpt_file, hcpcs_file=settings.hcpcs_file
    )


def default_suggester_loader(settings: Settings, catalogue: Catalogue) -> Suggester:
    """Load and verify the model in ``settings.model_dir``."""
    from service.model import load_model  # deferred: importing the model pulls onnxruntime

    return load_model(settings.model_dir, catalogue)


def create_app(
    settings: Settings | None = None,
    *,
    load_suggester: SuggesterLoader | None = None,
    load_catalogue_fn: CatalogueLoader | None = None,
    on_load_failure: FailureHandler | None = None,
) -> FastAPI:
    """Build the service; tests inject settings, a fake suggester loader and catalogue loader.

    ``on_load_failure`` is called (in the loader thread) when the catalogue or model cannot be
    loaded; ``python -m service`` uses it to stop the process.
    """
    settings = settings or get_settings()
    api_key_hashes = parse_key_hashes(settings.api_key_hashes)  # a bad hash stops start-up
    metrics = Metrics()
    loader = BackgroundLoader(
        settings,
        load_catalogue=load_catalogue_fn or default_catalogue_loader,
        load_suggester=load_suggester or default_suggester_loader,
        on_loaded=lambda suggester: metrics.set_model(suggester.info),
        on_failure=on_load_failure,
    )
    feedback_store = FeedbackStore(settings.database_url, store_text=settings.feedback_store_text)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Start: returns at once; the loader thread makes the app ready.
        loader.start()
        # Then, in the background too: a database that is down must not stop start-up or
        # suggest, and migrating it must not slow the model load, which readiness waits for.
        feedback_store.start_in_background(after=loader.wait)
        try:
            yield
        finally:
            # Stop (after in-flight requests finished): release in reverse order of start.
            feedback_store.close()
            loader.close()

    app = FastAPI(
        title="Clinical code suggestion service",
        version=service.__version__,
        summary="Ranked ICD-10-CM, ICD-10-PCS and CPT codes for a clinical note, with evidence.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.loader = loader
    app.state.metrics = metrics
    app.state.api_key_hashes = api_key_hashes
    app.state.feedback_store = feedback_store
    app.state.runner = SuggestRunner(
        threads=settings.suggest_threads, timeout_seconds=settings.request_timeout_seconds
    )

    for router in API_ROUTERS:
        app.include_router(router, dependencies=[Depends(require_api_key)])
    for router in OPEN_ROUTERS:
        app.include_router(router)

    for exc_class in (ServiceError, CodeNotFoundError, RequestValidationError, HTTPException):
        app.add_exception_handler(exc_class, _problem_handler)
    # add_middleware wraps: the last added runs first, so the observer sees the 413s too.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestObserver, metrics=metrics)
    return app


async def _problem_handler(request: Request, exc: Exception) -> Response:
    return problem_response(exc, instance=request.url.path)


def _exit_after_load_failure(exc: BaseException) -> None:
    # Immediate exit from the loader thread: nothing is in flight but probes and 503s, and
    # uvicorn has no API to stop the server with a failure status.
    logging.shutdown()
    os._exit(STARTUP_FAILURE_EXIT_CODE)


def create_served_app() -> FastAPI:
    """The app ``python -m service`` serves: settings from the environment, exit on load failure."""
    return create_app(get_settings(), on_load_failure=_exit_after_load_failure)


__all__ = ["create_app", "create_served_app"]
