"""The panel's page and assets: served by the app itself, strict CSP, no other host."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.api_keys import hash_key
from service.panel import CONTENT_SECURITY_POLICY
from service.panel.routes import ASSETS
from tests.api.harness import make_app, make_settings, serving

# Anything that would make the browser fetch from elsewhere: absolute or protocol-relative URLs.
EXTERNAL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)
REFERENCE = re.compile(r"""(?:src|href)="([^"]+)"|from "([^"]+)"|import "([^"]+)\"""")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with serving(make_app()) as client:
        yield client


def test_the_page_is_served_with_a_strict_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in csp
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp


def test_every_asset_is_local_and_served_with_the_csp(client: TestClient) -> None:
    page = client.get("/").text
    assert "<script>" not in page, "no inline script"
    assert " style=" not in page, "no inline style"
    for name in ASSETS:
        body = client.get(f"/static/{name}")
        assert body.status_code == 200, name
        assert body.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert not EXTERNAL.search(body.text), f"{name} names another host"
    assert not EXTERNAL.search(page)
    for found in REFERENCE.findall(page):
        reference = next(filter(None, found))
        if reference.startswith("data:") or reference.startswith("#"):
            continue
        assert client.get(reference).status_code == 200, reference
    # Modules import each other relatively; each must resolve to a served asset.
    for name in ASSETS:
        if name.endswith(".js"):
            for found in REFERENCE.findall(client.get(f"/static/{name}").text):
                module = next(filter(None, found)).removeprefix("./")
                assert f"js/{module}" in ASSETS, module


@pytest.mark.parametrize(
    "path", ["/static/../routes.py", "/static/%2e%2e/routes.py", "/static/js/nope.js", "/static/"]
)
def test_only_listed_assets_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_panel_is_open_without_a_key_but_the_api_is_not() -> None:
    with serving(make_app(make_settings(api_key_hashes=[hash_key("k")]))) as client:
        assert client.get("/").status_code == 200
        assert client.get("/static/js/main.js").status_code == 200
        assert client.get("/v1/feedback/stats").status_code == 401
