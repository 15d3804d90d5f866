"""The contract with the trained default model (slow: loads the real model and catalogue)."""

import signal
import subprocess
import sys
import time

import httpx
import pytest

from service.api.app import create_app
from service.config import DEFAULT_MODEL_DIR, REPO_ROOT, Settings
from tests.api.harness import free_port, serving

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


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_cli_answers_as_the_app_does_and_exits_cleanly_on_sigterm(workers: str) -> None:
    if not (DEFAULT_MODEL_DIR / "manifest.json").is_file():
        pytest.skip(f"no trained default model in {DEFAULT_MODEL_DIR} (run `make model`)")
    request = {"text": NOTE, "top_k": 20}
    app = create_app(Settings(environment="test"))
    with serving(app, wait_ready=False) as client:
        assert app.state.loader.wait(30), app.state.loader.failure
        in_process = client.post("/v1/suggest", json=request).json()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "service", "--port", str(port), "--workers", workers]
    env = {"PATH": "/usr/bin:/bin", "CODESUGGEST_LOG_LEVEL": "WARNING"}
    with subprocess.Popen(command, cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE) as server:
        try:
            ready_in_a_row = 0
            deadline = time.monotonic() + 60
            # New connections go to any worker: 10 answers of 200 in a row mean all are ready.
            while ready_in_a_row < 10 and time.monotonic() < deadline and server.poll() is None:
                try:
                    ready = httpx.get(f"{base}/readyz").status_code == 200
                except httpx.TransportError:
                    ready = False
                ready_in_a_row = ready_in_a_row + 1 if ready else 0
                time.sleep(0 if ready else 0.1)
            responses = [httpx.post(f"{base}/v1/suggest", json=request) for _ in range(4)]
        finally:
            server.send_signal(signal.SIGTERM)
            _, stderr = server.communicate(timeout=30)
    assert [r.status_code for r in responses] == [200] * 4
    assert all(r.json() == in_process for r in responses)
    assert server.returncode == 0
    assert b"Traceback" not in stderr
