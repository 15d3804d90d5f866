"""Every error is problem+json with a stable type, the right status and headers."""

import threading
from collections.abc import Iterator

from fastapi.testclient import TestClient

from tests.api.fakes import NOTE, FakeSuggester
from tests.api.harness import make_app, make_settings, serving

PROBLEMS = "https://codesuggest.dev/problems/"


def assert_problem(response_status: int, body: dict[str, object], slug: str) -> None:
    assert body["type"] == PROBLEMS + slug
    assert body["status"] == response_status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/v1/suggest", content=b'{"text": "chest pain', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(400, response.json(), "malformed-json")
    assert "chest pain" not in response.text


def test_body_over_the_limit_by_content_length_is_413(client: TestClient) -> None:
    response = client.post("/v1/suggest", json={"text": "x" * 20_000})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(413, response.json(), "payload-too-large")


def test_body_over_the_limit_while_streaming_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"y" * 1_000
        yield b'"}'

    response = client.post(
        "/v1/suggest", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert_problem(413, response.json(), "payload-too-large")


def test_unknown_path_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert_problem(404, response.json(), "not-found")


def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.get("/v1/suggest")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["type"] == "about:blank"


def test_a_failing_suggester_is_a_bare_500() -> None:
    with serving(make_app(suggester=FakeSuggester(fail=True))) as client:
        response = client.post("/v1/suggest", json={"text": NOTE})
    assert response.status_code == 500
    body = response.json()
    assert_problem(500, body, "internal-error")
    assert "exploded" not in response.text
    assert "Traceback" not in response.text


def test_a_request_over_the_time_limit_is_503_timeout() -> None:
    release = threading.Event()
    settings = make_settings(request_timeout_seconds=0.2)
    with serving(make_app(settings, FakeSuggester(release=release))) as client:
        response = client.post("/v1/suggest", json={"text": NOTE})
        release.set()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert_problem(503, response.json(), "timeout")


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(generated.headers["x-request-id"]) == 32
