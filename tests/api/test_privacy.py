"""No response body and no log line ever contains note text, whatever path a request takes."""

import json
import logging
import threading

import pytest
from fastapi.testclient import TestClient

from service.api.logs import JsonFormatter
from tests.api.fakes import MARKER, FakeSuggester
from tests.api.harness import make_app, make_settings, serving

NOTE = f"Patient {MARKER} reports chest pain and cough."


def requests_on_every_path(client: TestClient) -> list[str]:
    """Send the marker note down the success and error paths; return the response bodies."""
    responses = [
        client.post("/v1/suggest", json={"text": NOTE}),
        client.post("/v1/suggest", json={"text": NOTE, "top_k": 0}),
        client.post("/v1/suggest", json={"text": NOTE * 100}),
        client.post("/v1/suggest", json={"text": NOTE, MARKER: MARKER}),
        client.post("/v1/suggest", json={"text": [NOTE]}),
        client.post("/v1/suggest", json={"text": NOTE * 400}),
        client.post(
            "/v1/suggest",
            content=f'{{"text": "{NOTE}'.encode(),
            headers={"content-type": "application/json"},
        ),
        client.post(
            "/v1/suggest/batch",
            json={"documents": [{"id": "1", "text": NOTE}, {"id": "2", "text": NOTE * 100}]},
        ),
    ]
    return [response.text for response in responses]


def assert_no_marker(caplog: pytest.LogCaptureFixture, bodies: list[str]) -> None:
    for body in bodies:
        assert MARKER not in body
    formatter = JsonFormatter()
    assert caplog.records, "the requests were logged"
    for record in caplog.records:
        line = formatter.format(record)
        assert MARKER not in line
        assert "Traceback" not in line
        json.loads(line)


def test_success_and_client_errors_never_echo_the_note(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bodies = requests_on_every_path(client)
    assert_no_marker(caplog, bodies)
    statuses = [r.levelname for r in caplog.records if r.name == "service.api.access"]
    assert len(statuses) == 8


def test_server_errors_never_echo_the_note(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with serving(make_app(suggester=FakeSuggester(fail=True))) as client:
        bodies = requests_on_every_path(client)
    # The fake's exception message quotes the note: only its type may reach the log.
    failures = [r for r in caplog.records if r.exc_info]
    assert failures
    assert_no_marker(caplog, bodies)


def test_timeouts_never_echo_the_note(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    release = threading.Event()
    settings = make_settings(request_timeout_seconds=0.1)
    with serving(make_app(settings, FakeSuggester(release=release))) as client:
        response = client.post("/v1/suggest", json={"text": NOTE})
        release.set()
    assert response.status_code == 503
    assert_no_marker(caplog, [response.text])


def test_request_log_line_has_the_request_fields(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="service.api.access")
    client.post("/v1/suggest", json={"text": NOTE}, headers={"X-Request-ID": "req-1"})
    (record,) = [r for r in caplog.records if r.name == "service.api.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-1"
    assert line["method"] == "POST"
    assert line["route"] == "/v1/suggest"
    assert line["status"] == 200
    assert line["documents"] == 1
    assert line["characters"] == len(NOTE)
    assert line["duration_ms"] > 0
