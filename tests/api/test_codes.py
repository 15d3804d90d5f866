"""The codes endpoints on a small app around the committed catalogue."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from service.api.deps import get_catalogue
from service.api.routes.codes import router
from service.catalogue import CodeNotFoundError, load_catalogue
from service.config import DEFAULT_CATALOGUE_DIR


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The codes router alone, with its own 404 handler (the app's error table is elsewhere)."""
    catalogue = load_catalogue(DEFAULT_CATALOGUE_DIR)
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_catalogue] = lambda: catalogue

    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CodeNotFoundError)
        return JSONResponse({"system": exc.system.value, "code": exc.code}, status_code=404)

    app.add_exception_handler(CodeNotFoundError, not_found)
    with TestClient(app) as test_client:
        yield test_client


def test_get_code_returns_the_entry_with_its_dot(client: TestClient) -> None:
    response = client.get("/v1/codes/ICD-10-CM/e119")
    assert response.status_code == 200
    body = response.json()
    assert body["system"] == "ICD-10-CM"
    assert body["code"] == "E11.9"
    assert body["display"] == "Type 2 diabetes mellitus without complications"
    assert body["billable"] is True
    assert body["parents"] == ["4", "E08-E13", "E11"]
    assert set(body) == {
        "system", "code", "display", "billable", "parents", "inclusion_terms", "includes",
        "excludes1", "excludes2", "code_first", "use_additional", "keywords", "section",
        "subsection",
    }  # fmt: skip


def test_get_header_and_pcs_code(client: TestClient) -> None:
    header = client.get("/v1/codes/ICD-10-CM/E11").json()
    assert header["billable"] is False
    assert "type 1 diabetes mellitus (E10.-)" in header["excludes1"]
    pcs = client.get("/v1/codes/ICD-10-PCS/0DTJ4ZZ").json()
    assert pcs["display"] == "Resection of Appendix, Percutaneous Endoscopic Approach"


def test_unknown_code_raises_code_not_found(client: TestClient) -> None:
    response = client.get("/v1/codes/ICD-10-CM/E11.999")
    assert response.status_code == 404
    assert response.json() == {"system": "ICD-10-CM", "code": "E11.999"}


def test_unknown_system_is_rejected(client: TestClient) -> None:
    assert client.get("/v1/codes/ICD10/E11.9").status_code == 422
    assert client.get("/v1/codes", params={"system": "icd-10-cm", "q": "x"}).status_code == 422


def test_search_endpoint(client: TestClient) -> None:
    response = client.get("/v1/codes", params={"system": "ICD-10-CM", "q": "e11", "limit": 3})
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["results"]] == ["E11", "E11.0", "E11.00"]
    everywhere = client.get("/v1/codes", params={"q": "diab mell"}).json()["results"]
    assert len(everywhere) == 10  # the default limit
    assert all("diabetes mellitus" in r["display"].lower() for r in everywhere)


@pytest.mark.parametrize("params", [{"q": "x", "limit": 0}, {"q": "x", "limit": 51}, {"q": ""}, {}])
def test_search_parameters_are_validated(client: TestClient, params: dict[str, str | int]) -> None:
    assert client.get("/v1/codes", params=params).status_code == 422
