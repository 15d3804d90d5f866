"""POST /v1/suggest: the public contract, through the real app and an HTTP client."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.codesystems import CodeSystem
from tests.api.fakes import NOTE, FakeSuggester
from tests.api.harness import make_app, serving

CODE_FORMS = {
    "ICD-10-CM": re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"),
    "ICD-10-PCS": re.compile(r"^[0-9A-HJ-NP-Z]{7}$"),
    "CPT": re.compile(r"^[0-9]{4}[0-9A-Z]$"),
}
ASSERTIONS = {"present", "negated", "possible", "hypothetical", "historical", "family"}


def suggest(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/suggest", json={"text": NOTE, **body})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    result: dict[str, Any] = response.json()
    return result


def test_response_has_the_contract_shape_and_types(client: TestClient) -> None:
    body = suggest(client)
    assert set(body) == {"model", "suggestions", "warnings"}
    assert body["model"] == {"name": "fake-model", "version": "0.0.1"}
    assert body["warnings"] == []
    assert {s["system"] for s in body["suggestions"]} == {"ICD-10-CM", "ICD-10-PCS", "CPT"}
    for item in body["suggestions"]:
        assert set(item) == {"system", "code", "display", "score", "billable", "evidence"}
        assert CODE_FORMS[item["system"]].match(item["code"]), item["code"]
        assert isinstance(item["display"], str)
        assert item["display"]
        assert isinstance(item["score"], float)
        assert 0.0 <= item["score"] <= 1.0
        assert isinstance(item["billable"], bool)
        assert item["evidence"], "every fake suggestion has evidence"
        for evidence in item["evidence"]:
            assert set(evidence) == {"start", "end", "text", "section", "assertion"}
            assert evidence["assertion"] in ASSERTIONS
            assert isinstance(evidence["section"], str)


def test_evidence_offsets_slice_the_request_text_exactly(client: TestClient) -> None:
    spans = [e for s in suggest(client)["suggestions"] for e in s["evidence"]]
    assert len(spans) >= 8
    for evidence in spans:
        assert NOTE[evidence["start"] : evidence["end"]] == evidence["text"]


def test_denied_finding_is_reported_negated(client: TestClient) -> None:
    (chest_pain,) = [s for s in suggest(client)["suggestions"] if s["code"] == "R07.9"]
    denied = [e for e in chest_pain["evidence"] if e["start"] > NOTE.index("denies")]
    assert [e["assertion"] for e in denied] == ["negated"]


def test_suggestions_are_sorted_by_score_highest_first(client: TestClient) -> None:
    scores = [s["score"] for s in suggest(client)["suggestions"]]
    assert len(scores) == 7
    assert scores == sorted(scores, reverse=True)


def test_top_k_applies_per_code_system(client: TestClient) -> None:
    codes = [(s["system"], s["code"]) for s in suggest(client, top_k=1)["suggestions"]]
    # The best of each system survives: four ICD-10-CM and two CPT candidates were found.
    assert codes == [("ICD-10-CM", "R07.9"), ("ICD-10-PCS", "0DTJ4ZZ"), ("CPT", "99213")]


def test_min_score_drops_lower_scores(client: TestClient) -> None:
    suggestions = suggest(client, min_score=0.6)["suggestions"]
    assert [s["code"] for s in suggestions] == ["R07.9", "E11.9", "I10", "0DTJ4ZZ"]


def test_include_evidence_false_returns_empty_evidence(client: TestClient) -> None:
    suggestions = suggest(client, include_evidence=False)["suggestions"]
    assert suggestions
    assert all(s["evidence"] == [] for s in suggestions)


def test_code_systems_restricts_the_systems(client: TestClient) -> None:
    suggestions = suggest(client, code_systems=["CPT"])["suggestions"]
    assert {s["code"] for s in suggestions} == {"99213", "71046"}


def test_a_system_the_model_cannot_rank_is_a_warning() -> None:
    fake = FakeSuggester(systems=frozenset({CodeSystem.ICD10CM}))
    with serving(make_app(suggester=fake)) as client:
        body = suggest(client, code_systems=["ICD-10-CM", "CPT"])
    assert body["warnings"] == ["the model does not rank CPT codes"]
    assert {s["system"] for s in body["suggestions"]} == {"ICD-10-CM"}


@pytest.mark.parametrize(
    ("field", "value", "loc"),
    [
        ("code_systems", ["SNOMED-CT"], ["body", "code_systems", "0"]),
        ("code_systems", ["HCPCS"], ["body", "code_systems", "0"]),
        ("top_k", 0, ["body", "top_k"]),
        ("top_k", 101, ["body", "top_k"]),
        ("min_score", 1.5, ["body", "min_score"]),
        ("include_evidence", "sometimes", ["body", "include_evidence"]),
        ("text", "", ["body", "text"]),
        ("text", "x" * 2_001, ["body", "text"]),
        ("unknown_option", 1, ["body", "unknown_option"]),
    ],
)
def test_invalid_fields_are_422_naming_the_field(
    client: TestClient, field: str, value: object, loc: list[str]
) -> None:
    response = client.post("/v1/suggest", json={"text": NOTE, field: value})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://codesuggest.dev/problems/validation-error"
    assert problem["status"] == 422
    assert [error["loc"] for error in problem["errors"]] == [loc]
    assert all(set(error) == {"loc", "msg", "type"} for error in problem["errors"])


def test_missing_text_is_422(client: TestClient) -> None:
    response = client.post("/v1/suggest", json={"top_k": 3})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "text"]
