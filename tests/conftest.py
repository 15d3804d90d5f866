"""Fixtures every test package may use: an environment free of the developer's settings."""

import os
from collections.abc import Iterator

import pytest

from service.config import get_settings


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No CODESUGGEST_* variable of the shell leaks into a test; the settings cache is fresh."""
    for name in list(os.environ):
        if name.startswith("CODESUGGEST_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
