"""Fixtures of the catalogue tests: the committed artifact and small fixture files."""

from pathlib import Path

import pytest

from service.catalogue import Catalogue, load_catalogue
from service.config import DEFAULT_CATALOGUE_DIR

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The committed catalogue in models/catalogue (built once, never rebuilt by tests)."""
    return load_catalogue(DEFAULT_CATALOGUE_DIR)


@pytest.fixture
def fixtures() -> Path:
    """The directory of the catalogue's small fixture files."""
    return FIXTURES
