"""The contract with the trained default model (slow: loads the real model and catalogue)."""

import pytest

from service.api.app import create_app
from service.config import DEFAULT_MODEL_DIR, Settings
from tests.api.harness import serving

NOTE = (
    "HISTORY OF PRESENT ILLNESS: 62-year-old man with type 2 diabetes mellitus and essential "
    "hypertension, seen in the emergency department. Patient denies chest pain. He reports "
    "shortness of breath and a productive cough for three days. Chest X-ray shows right lower "
    "lobe pneumonia. Family history of colon cancer in his father.\n"
    "PLAN: Admit, intravenous antibiotics, laparoscopic cholecystectomy was performed last year."
)


@pytest.mark.slow
def test_the_default_model_honours_the_contract() -> None:
    if not (DEFAULT_MODEL_DIR / "manifest.json").is_file():
        pytest.skip(f"no trained default model in {DEFAULT_MODEL_DIR} (run `make model`)")
    app = create_app(Settings(environment="test"))
    with serving(app, wait_ready=False) as client:
        assert app.state.loader.wait(30), app.state.loader.failure
        response = client.post("/v1/suggest", json={"text": NOTE, "top_k": 20})
        card = client.get("/v1/model")
    assert response.status_code == 200, response.text
    assert card.status_code == 200
    body = response.json()
    suggestions = body["suggestions"]
    assert suggestions
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    # The denied finding: "chest pain" right after "denies".
    finding_start = NOTE.index("denies chest pain") + len("denies ")
    finding_end = finding_start + len("chest pain")
    overlapping = 0
    for suggestion in suggestions:
        for evidence in suggestion["evidence"]:
            assert NOTE[evidence["start"] : evidence["end"]] == evidence["text"]
            if evidence["start"] < finding_end and evidence["end"] > finding_start:
                overlapping += 1
                assert evidence["assertion"] != "present", suggestion
    assert overlapping, "the model found the denied chest pain"
