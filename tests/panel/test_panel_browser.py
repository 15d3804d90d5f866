"""The coder panel in headless Chromium against the real app, served by uvicorn.

Needs Debian's ``chromium`` package (``apt-get install -y chromium``); Playwright drives that
binary, so no browser is ever downloaded.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from service.api.app import create_app
from service.api_keys import hash_key
from service.feedback import FeedbackStore
from service.feedback.models import CodeRole
from tests.api.fakes import NOTE, FakeSuggester
from tests.api.harness import make_settings
from tests.panel.serving import catalogue_for_tests, uvicorn_serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "panel-screenshot.png"

if not CHROMIUM.exists():
    pytest.skip(
        "needs Debian's chromium package at /usr/bin/chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )


API_KEY = "panel-test-key"


@pytest.fixture
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The base URL of the app (fake model, catalogue, tmp SQLite) and its database URL.

    Indirect parametrisation with ``"keys"`` configures :data:`API_KEY`.
    """
    database_url = f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    keys = [hash_key(API_KEY)] if getattr(request, "param", None) == "keys" else []
    settings = make_settings(
        database_url=database_url, feedback_store_text=True, api_key_hashes=keys
    )
    app = create_app(
        settings,
        load_catalogue_fn=catalogue_for_tests,
        load_suggester=lambda _settings, _catalogue: FakeSuggester(),
    )
    with uvicorn_serving(app) as base_url:
        assert app.state.loader.wait(10)
        yield base_url, database_url


@pytest.fixture
def page(served: tuple[str, str]) -> Iterator[Page]:
    """A fresh Chromium page that fails the test on any request to another origin."""
    base_url, _ = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 1000})
            page = context.new_page()
            foreign: list[str] = []
            page.on(
                "request",
                lambda request: (
                    None
                    if request.url.startswith((base_url, "data:"))
                    else foreign.append(request.url)
                ),
            )
            console_errors: list[str] = []
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            yield page
            assert foreign == [], "the panel contacted another host"
            # Chromium logs every 401 as a failed load; the key prompt expects those.
            unexpected = [e for e in console_errors if "status of 401" not in e]
            assert unexpected == [], "the panel logged errors (CSP violations among them)"
        finally:
            browser.close()


def test_a_coder_reviews_suggestions_and_the_feedback_is_stored(
    served: tuple[str, str], page: Page
) -> None:
    base_url, database_url = served
    page.goto(base_url + "/")

    page.get_by_label("Clinical note").fill(NOTE)
    page.get_by_role("button", name="Suggest codes").click()
    suggestions = page.locator("li.suggestion")
    expect(suggestions).to_have_count(7)
    expect(page.get_by_role("heading", name="ICD-10-CM (4)")).to_be_visible()

    # Select R07.9: exactly its two "chest pain" mentions are marked, the denied one as negated.
    page.locator("li.suggestion[data-key='ICD-10-CM|R07.9'] button.select").click()
    marks = page.locator("#note-view mark")
    expect(marks).to_have_count(2)
    for index in range(2):
        mark = marks.nth(index)
        start = int(mark.get_attribute("data-start") or -1)
        end = int(mark.get_attribute("data-end") or -1)
        assert mark.inner_text() == NOTE[start:end] == "chest pain"
    assert [marks.nth(i).get_attribute("data-assertion") for i in range(2)] == [
        "present",
        "negated",
    ]
    # Selecting a highlighted span lists the codes it supports.
    marks.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#span-codes")).to_contain_text("R07.9 Chest pain, unspecified")

    accept = page.get_by_role("button", name="Accept E11.9")
    accept.click()
    expect(accept).to_have_attribute("aria-pressed", "true")
    reject = page.get_by_role("button", name="Reject R05.9")
    reject.click()
    expect(reject).to_have_attribute("aria-pressed", "true")

    # Add a missed code with the keyboard: type, move down to it, Enter.
    page.get_by_label("Code system").select_option("ICD-10-CM")
    search = page.get_by_role("combobox", name="Search codes by code or words")
    search.fill("hyperlipidemia")
    options = page.get_by_role("listbox", name="Matching codes").get_by_role("option")
    expect(options.first).to_be_visible()
    for _ in range(10):
        search.press("ArrowDown")
        active = options.and_(page.locator("[aria-selected=true]"))
        if active.inner_text().startswith("E78.5"):
            break
    search.press("Enter")
    expect(page.locator("#added-codes")).to_contain_text("E78.5")

    page.get_by_label("Coder ID").fill("coder-42")
    page.get_by_label(re.compile("Share note text for training")).check()
    page.get_by_role("button", name="Submit feedback").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Feedback stored")
    expect(status).to_contain_text("note text was kept")
    expect(page.locator("#stats table").first).to_be_visible()
    page.locator("li.suggestion[data-key='ICD-10-CM|R07.9'] button.select").focus()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    store = FeedbackStore(database_url, migrate=False)
    try:
        assert store.start()
        [review] = list(store.reviews())
    finally:
        store.close()
    assert review.coder_id == "coder-42"
    assert review.model_version == "0.0.1"
    assert review.text == NOTE
    by_role = {role: {code for r, _, code in review.codes if r is role} for role in CodeRole}
    assert by_role[CodeRole.ACCEPTED] == {"E11.9"}
    assert by_role[CodeRole.REJECTED] == {"R05.9"}
    assert by_role[CodeRole.ADDED] == {"E78.5"}
    assert len(by_role[CodeRole.SUGGESTED]) == 7


@pytest.mark.parametrize("served", ["keys"], indirect=True)
def test_the_panel_asks_for_a_key_and_keeps_it_in_memory_only(
    served: tuple[str, str], page: Page
) -> None:
    base_url, _ = served
    page.goto(base_url + "/")
    page.get_by_label("Clinical note").fill(NOTE)
    page.get_by_role("button", name="Suggest codes").click()
    key_field = page.get_by_role("textbox", name="API key")
    expect(key_field).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("needs an API key")

    key_field.fill(API_KEY)
    key_field.press("Enter")
    # The interrupted request is retried with the key.
    expect(page.locator("li.suggestion")).to_have_count(7)
    stored = page.evaluate(
        "() => JSON.stringify([{...localStorage}, {...sessionStorage}, document.cookie])"
    )
    assert API_KEY not in stored
    assert stored == '[{},{},""]'
