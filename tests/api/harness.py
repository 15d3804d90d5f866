"""Building the real app around fakes, for tests that drive it through an HTTP client."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.loading import FailureHandler, SuggesterLoader
from service.catalogue import Catalogue
from service.config import Settings
from service.suggestions import Suggester
from tests.api.fakes import FakeSuggester, empty_catalogue

LIMITS: dict[str, Any] = {
    "environment": "test",
    "max_text_chars": 2_000,
    "max_body_bytes": 10_000,
    "max_batch_documents": 3,
    "request_timeout_seconds": 5.0,
}


def make_settings(**overrides: Any) -> Settings:
    """Test settings: small limits so tests can cross them cheaply."""
    return Settings(**{**LIMITS, **overrides})


def make_app(
    settings: Settings | None = None,
    suggester: Suggester | None = None,
    *,
    load_suggester: SuggesterLoader | None = None,
    catalogue: Catalogue | None = None,
    on_load_failure: FailureHandler | None = None,
) -> FastAPI:
    """The real app around a fake suggester (or the given loader) and an empty catalogue."""
    fake = suggester or FakeSuggester()
    return create_app(
        settings or make_settings(),
        load_catalogue_fn=lambda _settings: catalogue or empty_catalogue(),
        load_suggester=load_suggester or (lambda _settings, _catalogue: fake),
        on_load_failure=on_load_failure,
    )


@contextmanager
def serving(app: FastAPI, *, wait_ready: bool = True) -> Iterator[TestClient]:
    """A client for ``app`` with its lifespan running; by default once the model is loaded."""
    with TestClient(app, raise_server_exceptions=False) as client:
        if wait_ready:
            assert app.state.loader.wait(5), "the fake model did not load"
        yield client


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
