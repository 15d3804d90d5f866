"""The OpenAPI schema documents every route and field; /metrics exposes the service's figures."""

from fastapi.testclient import TestClient

from tests.api.fakes import NOTE

ROUTES = {
    ("/v1/suggest", "post"),
    ("/v1/suggest/batch", "post"),
    ("/v1/model", "get"),
    ("/healthz", "get"),
    ("/readyz", "get"),
    ("/metrics", "get"),
}


def test_openapi_documents_every_route_with_a_description(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    documented = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert documented >= ROUTES
    for path, method in documented:
        operation = schema["paths"][path][method]
        assert operation.get("description"), f"{method} {path} has no description"


def test_openapi_documents_the_suggest_fields(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    expected = {
        "SuggestRequest": {"text", "code_systems", "top_k", "min_score", "include_evidence"},
        "BatchSuggestRequest": {"documents", "code_systems", "top_k", "min_score"},
        "BatchDocument": {"id", "text"},
        "SuggestResponse": {"model", "suggestions", "warnings"},
        "SuggestionOut": {"system", "code", "display", "score", "billable", "evidence"},
        "EvidenceOut": {"start", "end", "text", "section", "assertion"},
        "BatchSuggestResponse": {"model", "results"},
        "BatchError": {"id", "error"},
        "Problem": {"type", "title", "status", "detail", "instance", "errors"},
    }
    for name, fields in expected.items():
        assert fields <= set(components[name]["properties"]), name
    suggest = schema["paths"]["/v1/suggest"]["post"]
    assert suggest["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SuggestResponse"
    }
    assert {"400", "401", "413", "422", "500", "503"} <= set(suggest["responses"])
    assert set(components["SuggestSystem"]["enum"]) == {"ICD-10-CM", "ICD-10-PCS", "CPT"}


def test_model_card_is_served(client: TestClient) -> None:
    response = client.get("/v1/model")
    assert response.status_code == 200
    assert response.json() == {"name": "fake-model", "version": "0.0.1", "metrics": {"map": 0.5}}


def test_metrics_count_requests_documents_and_suggestions(client: TestClient) -> None:
    client.post("/v1/suggest", json={"text": NOTE, "code_systems": ["CPT"]})
    client.post("/v1/suggest", json={"text": ""})
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = set(response.text.splitlines())
    assert (
        'codesuggest_http_requests_total{method="POST",route="/v1/suggest",status="200"} 1.0'
        in lines
    )
    assert (
        'codesuggest_http_requests_total{method="POST",route="/v1/suggest",status="422"} 1.0'
        in lines
    )
    count = "codesuggest_http_request_duration_seconds_count"
    assert f'{count}{{method="POST",route="/v1/suggest",status="200"}} 1.0' in lines
    assert "codesuggest_documents_total 1.0" in lines
    assert f"codesuggest_characters_total {float(len(NOTE))}" in lines
    assert 'codesuggest_suggestions_total{system="CPT"} 2.0' in lines
    assert 'codesuggest_model_info{name="fake-model",version="0.0.1"} 1.0' in lines
