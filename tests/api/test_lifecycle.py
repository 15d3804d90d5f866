"""Start-up and readiness: health at once, ready after the model loads, stop on load failure."""

import logging
import subprocess
import sys
import threading
import time

import httpx
import pytest
import uvicorn

from service.catalogue import Catalogue
from service.config import REPO_ROOT, Settings
from service.model import ModelLoadError
from service.suggestions import Suggester
from tests.api.fakes import NOTE, FakeSuggester
from tests.api.harness import free_port, make_app, serving

NOT_READY = "https://codesuggest.dev/problems/not-ready"


def test_not_ready_until_the_model_is_loaded() -> None:
    loaded = threading.Event()
    fake = FakeSuggester()

    def slow_loader(_settings: Settings, _catalogue: Catalogue) -> Suggester:
        loaded.wait(10)
        return fake

    app = make_app(load_suggester=slow_loader)
    with serving(app, wait_ready=False) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        for response in (client.get("/readyz"), client.post("/v1/suggest", json={"text": NOTE})):
            assert response.status_code == 503
            assert response.headers["retry-after"] == "1"
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == NOT_READY
            assert response.json()["detail"] == "The model is loading; retry shortly."
        loaded.set()
        assert app.state.loader.wait(5)
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ready",
            "model": {"name": "fake-model", "version": "0.0.1"},
        }
        assert client.post("/v1/suggest", json={"text": NOTE}).status_code == 200


def test_health_answers_while_a_slow_suggestion_runs() -> None:
    release = threading.Event()
    fake = FakeSuggester(release=release)
    with serving(make_app(suggester=fake)) as client:
        statuses: list[int] = []
        worker = threading.Thread(
            target=lambda: statuses.append(
                client.post("/v1/suggest", json={"text": NOTE}).status_code
            )
        )
        worker.start()
        assert fake.started.wait(5)
        started = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert time.perf_counter() - started < 1.0
        assert statuses == []  # the suggestion is still running
        release.set()
        worker.join(5)
    assert statuses == [200]


def test_a_model_load_failure_is_reported_and_handed_to_the_failure_hook(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures: list[BaseException] = []

    def broken_loader(_settings: Settings, _catalogue: Catalogue) -> Suggester:
        raise ModelLoadError("checksum mismatch for models/default/weights.onnx")

    app = make_app(load_suggester=broken_loader, on_load_failure=failures.append)
    with serving(app, wait_ready=False) as client:
        assert not app.state.loader.wait(5)
        assert [type(f) for f in failures] == [ModelLoadError]
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["detail"] == "The model failed to load; see the service log."
        assert client.get("/healthz").status_code == 200
    (record,) = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert "checksum mismatch for models/default/weights.onnx" in record.getMessage()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("workers", "setting", "missing"),
    [
        ("1", "CODESUGGEST_CATALOGUE_DIR", "/nonexistent-catalogue"),
        ("2", "CODESUGGEST_CATALOGUE_DIR", "/nonexistent-catalogue"),
        ("1", "CODESUGGEST_MODEL_DIR", "/nonexistent-model"),
        # Loaded in the model processes, which report the failure to the HTTP process.
        ("2", "CODESUGGEST_MODEL_DIR", "/nonexistent-model"),
    ],
)
def test_the_cli_exits_non_zero_when_loading_fails(
    workers: str, setting: str, missing: str
) -> None:
    port = str(free_port())
    completed = subprocess.run(
        [sys.executable, "-m", "service", "--port", port, "--workers", workers],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", setting: missing},
    )
    assert completed.returncode == 3
    assert "start-up failed, the service cannot serve" in completed.stderr
    assert missing in completed.stderr


@pytest.mark.slow
def test_stopping_the_server_lets_an_in_flight_request_finish() -> None:
    release = threading.Event()
    fake = FakeSuggester(release=release)
    port = free_port()
    config = uvicorn.Config(make_app(suggester=fake), host="127.0.0.1", port=port, lifespan="on")
    server = uvicorn.Server(config)
    serving_thread = threading.Thread(target=server.run)
    serving_thread.start()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        responses: list[httpx.Response] = []
        client = threading.Thread(
            target=lambda: responses.append(httpx.post(f"{base}/v1/suggest", json={"text": NOTE}))
        )
        client.start()
        assert fake.started.wait(5)
        server.should_exit = True  # what uvicorn's SIGTERM handler does
        time.sleep(0.3)
        assert serving_thread.is_alive(), "the server waits for the request"
        release.set()
        client.join(5)
        serving_thread.join(5)
        assert [r.status_code for r in responses] == [200]
        assert not serving_thread.is_alive()
    finally:
        release.set()
        server.should_exit = True
        serving_thread.join(5)
