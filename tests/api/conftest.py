"""Fixtures of the API tests: the real app around a fake suggester."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.fakes import FakeSuggester
from tests.api.harness import make_app, serving


@pytest.fixture
def suggester() -> FakeSuggester:
    """The fake model the ``client`` serves."""
    return FakeSuggester()


@pytest.fixture
def client(suggester: FakeSuggester) -> Iterator[TestClient]:
    """A client of the ready app (no API keys, small limits)."""
    with serving(make_app(suggester=suggester)) as client:
        yield client
