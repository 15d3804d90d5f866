"""POST /v1/feedback and GET /v1/feedback/stats through the real app, on both backends."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from service.api_keys import hash_key
from tests.api.fakes import NOTE as SUGGEST_NOTE
from tests.api.harness import make_app, make_settings
from tests.feedback.conftest import NOTE, submission

MARKER = "ZZFEEDBACK-MARKER-TEXT"


@contextmanager
def serving(database_url: str, **settings: Any) -> Iterator[TestClient]:
    """The real app (fake model) storing feedback at ``database_url``, lifespan running."""
    app = make_app(make_settings(database_url=database_url, **settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def count(database_url: str, sql: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_a_submission_is_stored_with_normalised_codes(database_url: str) -> None:
    with serving(database_url) as client:
        response = client.post("/v1/feedback", json=submission())
    assert response.status_code == 201
    assert set(response.json()) == {"id", "text_stored"}
    assert count(database_url, "SELECT count(*) FROM feedback") == 1
    # "e119" was sent; the canonical form is stored.
    stored = "SELECT count(*) FROM feedback_code WHERE code = 'E11.9' AND role = 'accepted'"
    assert count(database_url, stored) == 1


@pytest.mark.parametrize("allowed", [False, True])
def test_text_is_kept_only_when_the_setting_allows(database_url: str, allowed: bool) -> None:
    with serving(database_url, feedback_store_text=allowed) as client:
        response = client.post("/v1/feedback", json=submission(text=NOTE))
    assert response.status_code == 201
    assert response.json()["text_stored"] is allowed
    kept = count(database_url, "SELECT count(*) FROM feedback WHERE text IS NOT NULL")
    assert kept == int(allowed)


@pytest.mark.parametrize(
    "overrides",
    [
        {"text_sha256": "not-a-digest"},
        {"suggested": [{"system": "ICD-9", "code": "250.00", "score": 0.5}], "accepted": []},
        {"accepted": [{"system": "ICD-10-CM", "code": "Z99.89"}]},
        {"added": [{"system": "ICD-10-CM", "code": "E11.9"}]},
        {"rejected": [{"system": "ICD-10-CM", "code": "E11.9"}]},
        {"coder_id": ""},
        {"text": f"{MARKER} differs from the hashed note"},
        {"unexpected": MARKER},
    ],
    ids=["digest", "system", "accepted", "added", "both", "coder", "hash", "extra"],
)
def test_invalid_bodies_are_422_problems_without_text(
    tmp_path: Any, overrides: dict[str, Any]
) -> None:
    with serving(f"sqlite:///{tmp_path / 'f.sqlite3'}") as client:
        response = client.post("/v1/feedback", json=submission(**overrides))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 422
    assert MARKER not in response.text
    assert count(f"sqlite:///{tmp_path / 'f.sqlite3'}", "SELECT count(*) FROM feedback") == 0


def test_both_routes_need_the_key_when_keys_are_configured(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'f.sqlite3'}"
    with serving(url, api_key_hashes=[hash_key("s3cret")]) as client:
        assert client.post("/v1/feedback", json=submission()).status_code == 401
        assert client.get("/v1/feedback/stats").status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        assert client.post("/v1/feedback", json=submission(), headers=auth).status_code == 201
        assert client.get("/v1/feedback/stats", headers=auth).json()["submissions"] == 1


def test_stats_report_rates_filtered_by_model_version(database_url: str) -> None:
    with serving(database_url) as client:
        client.post("/v1/feedback", json=submission())
        client.post("/v1/feedback", json=submission(model_version="2.0.0", accepted=[]))
        everything = client.get("/v1/feedback/stats").json()
        only_v2 = client.get("/v1/feedback/stats", params={"model_version": "2.0.0"}).json()
    assert everything["submissions"] == 2
    assert {t["model_version"] for t in everything["by_model_version"]} == {"1.0.0", "2.0.0"}
    assert only_v2["submissions"] == 1
    cpt = next(t for t in only_v2["by_system"] if t["system"] == "CPT")
    assert (cpt["suggested"], cpt["accepted"], cpt["acceptance_rate"]) == (1, 0, 0.0)


def test_a_failed_write_is_503_with_retry_after_and_not_stored(database_url: str) -> None:
    with serving(database_url) as client:
        assert client.post("/v1/feedback", json=submission()).status_code == 201
        engine = create_engine(database_url)
        try:
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE feedback_code"))
        finally:
            engine.dispose()
        response = client.post("/v1/feedback", json=submission())
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["type"].endswith("/feedback-unavailable")
    # The failed submission's record row was rolled back with its codes.
    assert count(database_url, "SELECT count(*) FROM feedback") == 1


def test_a_database_that_is_down_stops_neither_start_up_nor_suggest() -> None:
    down = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    with serving(down) as client:
        app: FastAPI = client.app  # type: ignore[assignment]
        assert app.state.loader.wait(5)
        assert client.post("/v1/suggest", json={"text": SUGGEST_NOTE}).status_code == 200
        response = client.post("/v1/feedback", json=submission())
        assert response.status_code == 503
        assert "Retry-After" in response.headers
        assert client.get("/v1/feedback/stats").status_code == 503


def test_fifty_concurrent_submissions_all_land(database_url: str) -> None:
    app = make_app(make_settings(database_url=database_url))

    async def submit_all() -> list[int]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                bodies = [
                    submission(document_id=f"doc-{i}", coder_id=f"coder-{i % 5}") for i in range(50)
                ]
                responses = await asyncio.gather(
                    *(client.post("/v1/feedback", json=body) for body in bodies)
                )
        return [r.status_code for r in responses]

    assert asyncio.run(submit_all()) == [201] * 50
    assert count(database_url, "SELECT count(DISTINCT document_id) FROM feedback") == 50
    # Every submission's seven codes landed with it.
    assert count(database_url, "SELECT count(*) FROM feedback_code") == 50 * 7
