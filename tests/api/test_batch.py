"""POST /v1/suggest/batch: results in request order, a bad document fails alone."""

import threading
from collections.abc import Collection

from fastapi.testclient import TestClient

from service.codesystems import CodeSystem
from service.suggestions import SuggestionResult
from tests.api.fakes import NOTE, FakeSuggester
from tests.api.harness import make_app, make_settings, serving

VALIDATION = "https://codesuggest.dev/problems/validation-error"


def test_batch_returns_one_result_per_document_in_order(client: TestClient) -> None:
    documents = [{"id": "a", "text": NOTE}, {"id": "b", "text": "Chronic cough."}]
    response = client.post("/v1/suggest/batch", json={"documents": documents, "top_k": 2})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"model", "results"}
    assert body["model"] == {"name": "fake-model", "version": "0.0.1"}
    first, second = body["results"]
    assert set(first) == {"id", "suggestions", "warnings"}
    assert first["id"] == "a"
    assert [s["code"] for s in first["suggestions"] if s["system"] == "ICD-10-CM"] == [
        "R07.9",
        "E11.9",
    ]
    assert second == {
        "id": "b",
        "suggestions": [
            {
                "system": "ICD-10-CM",
                "code": "R05.9",
                "display": "Cough, unspecified",
                "score": 0.35,
                "billable": True,
                "evidence": [
                    {
                        "start": 8,
                        "end": 13,
                        "text": "cough",
                        "section": "unknown",
                        "assertion": "present",
                    }
                ],
            }
        ],
        "warnings": [],
    }


def test_a_bad_document_gets_a_problem_in_its_place(client: TestClient) -> None:
    documents = [
        {"id": "ok-1", "text": "Hypertension."},
        {"id": "empty", "text": ""},
        {"id": "long", "text": "cough " * 400},
    ]
    response = client.post("/v1/suggest/batch", json={"documents": documents})
    assert response.status_code == 200
    ok, empty, long = response.json()["results"]
    assert [s["code"] for s in ok["suggestions"]] == ["I10"]
    for result, index in ((empty, 1), (long, 2)):
        assert set(result) == {"id", "error"}
        assert result["error"]["type"] == VALIDATION
        assert result["error"]["status"] == 422
        assert result["error"]["errors"][0]["loc"] == ["body", "documents", str(index), "text"]
    assert empty["id"] == "empty"
    assert long["id"] == "long"
    assert "cough" not in response.text


def test_a_document_the_suggester_fails_on_fails_alone() -> None:
    fake = FakeSuggester(fail=True)
    with serving(make_app(suggester=fake)) as client:
        response = client.post(
            "/v1/suggest/batch", json={"documents": [{"id": "x", "text": "Cough."}]}
        )
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["id"] == "x"
    assert result["error"]["type"] == "https://codesuggest.dev/problems/internal-error"
    assert "Cough" not in response.text


def test_more_documents_than_the_limit_is_422(client: TestClient) -> None:
    documents = [{"id": str(i), "text": "Cough."} for i in range(4)]
    response = client.post("/v1/suggest/batch", json={"documents": documents})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "documents"]


def test_an_empty_batch_or_a_document_without_id_is_422(client: TestClient) -> None:
    assert client.post("/v1/suggest/batch", json={"documents": []}).status_code == 422
    response = client.post("/v1/suggest/batch", json={"documents": [{"text": "Cough."}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "documents", "0", "id"]


class MeetingSuggester(FakeSuggester):
    """Answers only once ``parties`` notes are with the model at the same time."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=5)

    def suggest(
        self,
        text: str,
        *,
        systems: Collection[CodeSystem],
        top_k: int,
        min_score: float,
        include_evidence: bool,
    ) -> SuggestionResult:
        self.barrier.wait()  # BrokenBarrierError (a 500 for the note) if the notes run in turn
        return super().suggest(
            text,
            systems=systems,
            top_k=top_k,
            min_score=min_score,
            include_evidence=include_evidence,
        )


def test_a_batch_runs_as_many_notes_at_once_as_the_model_has_threads() -> None:
    fake = MeetingSuggester(parties=2)
    app = make_app(make_settings(suggest_threads=2), suggester=fake)
    documents = [{"id": "a", "text": NOTE}, {"id": "b", "text": "Chronic cough."}]
    with serving(app) as client:
        response = client.post("/v1/suggest/batch", json={"documents": documents})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["id"] for result in results] == ["a", "b"]
    assert all("suggestions" in result for result in results), results
