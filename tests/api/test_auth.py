"""API keys: Bearer keys checked against configured hashes; loopback only without keys."""

import io
import subprocess
import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.__main__ import bind_refusal, is_loopback, main
from service.api_keys import hash_key
from service.config import REPO_ROOT, Settings
from tests.api.harness import make_app, make_settings, serving

KEY = "s3cret-key-for-tests"
SUGGEST = {"text": "Chest pain."}


@pytest.fixture
def keyed_client() -> Iterator[TestClient]:
    settings = make_settings(api_key_hashes=[hash_key("another-key"), hash_key(KEY).upper()])
    with serving(make_app(settings)) as client:
        yield client


def test_a_configured_key_is_accepted(keyed_client: TestClient) -> None:
    response = keyed_client.post(
        "/v1/suggest", json=SUGGEST, headers={"Authorization": f"Bearer {KEY}"}
    )
    assert response.status_code == 200
    model = keyed_client.get("/v1/model", headers={"Authorization": f"bearer {KEY}"})
    assert model.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": f"Basic {KEY}"},
        {"Authorization": "Bearer "},
        {"Authorization": hash_key(KEY)},
    ],
)
def test_a_missing_or_wrong_key_is_401(keyed_client: TestClient, headers: dict[str, str]) -> None:
    for response in (
        keyed_client.post("/v1/suggest", json=SUGGEST, headers=headers),
        keyed_client.post("/v1/suggest/batch", json={"documents": []}, headers=headers),
        keyed_client.get("/v1/model", headers=headers),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "https://codesuggest.dev/problems/unauthorized"


def test_probes_and_metrics_need_no_key(keyed_client: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert keyed_client.get(path).status_code == 200, path


def test_without_keys_no_key_is_needed(client: TestClient) -> None:
    assert client.post("/v1/suggest", json=SUGGEST).status_code == 200


def test_a_malformed_hash_stops_the_app_factory() -> None:
    with pytest.raises(ValueError, match=r"api_key_hashes\[0\] is not a SHA-256") as caught:
        make_app(make_settings(api_key_hashes=[KEY]))
    assert KEY not in str(caught.value)


def test_hash_key_prints_the_sha256_of_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(KEY + "\n"))
    assert main(["hash-key"]) == 0
    assert capsys.readouterr().out.strip() == hash_key(KEY)
    assert len(hash_key(KEY)) == 64


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"])
def test_loopback_hosts_may_be_bound_without_keys(host: str) -> None:
    assert is_loopback(host)
    assert bind_refusal(Settings(host=host)) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "example.org"])  # noqa: S104
def test_other_hosts_are_refused_without_keys_and_allowed_with(host: str) -> None:
    refusal = bind_refusal(Settings(host=host))
    assert refusal is not None
    assert "no API keys are configured" in refusal
    assert bind_refusal(Settings(host=host, api_key_hashes=[hash_key(KEY)])) is None


@pytest.mark.slow
def test_the_cli_refuses_a_public_address_without_keys() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "service", "--host", "0.0.0.0", "--port", "1"],  # noqa: S104
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 2
    assert "refusing to listen on 0.0.0.0: no API keys are configured" in completed.stderr
