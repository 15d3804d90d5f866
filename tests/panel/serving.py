"""The real app served by uvicorn on a free loopback port, for the browser test."""

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from service.catalogue import Catalogue, CatalogueLoadError, load_catalogue
from service.catalogue.entries import CodeEntry
from service.catalogue.schema import DDL, insert_entries
from service.codesystems import CodeSystem
from service.config import Settings

# Enough of the code sets for the fake model's codes and a search for a missing one.
SMALL_CATALOGUE = [
    CodeEntry(CodeSystem.ICD10CM, "E11.9", "Type 2 diabetes mellitus without complications", True),
    CodeEntry(CodeSystem.ICD10CM, "E78.5", "Hyperlipidemia, unspecified", True),
    CodeEntry(CodeSystem.ICD10CM, "I10", "Essential (primary) hypertension", True),
    CodeEntry(CodeSystem.ICD10CM, "R05.9", "Cough, unspecified", True),
    CodeEntry(CodeSystem.ICD10CM, "R07.9", "Chest pain, unspecified", True),
    CodeEntry(CodeSystem.CPT, "99213", "Office or other outpatient visit, established", True),
]


def small_catalogue() -> Catalogue:
    """An in-memory catalogue with :data:`SMALL_CATALOGUE`."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.executescript(DDL)
    insert_entries(conn, SMALL_CATALOGUE, first_id=1)
    conn.commit()
    return Catalogue(conn, {})


def catalogue_for_tests(settings: Settings) -> Catalogue:
    """The built catalogue under models/catalogue when there is one, else the small one."""
    try:
        return load_catalogue(settings.catalogue_dir)
    except (CatalogueLoadError, OSError):
        return small_catalogue()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def uvicorn_serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` in a background thread; yield its base URL; stop it afterwards."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            thread.join(0.01)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
