"""Fixtures: a feedback database URL on SQLite (always) and PostgreSQL (when configured).

PostgreSQL tests run when ``CODESUGGEST_TEST_POSTGRES_URL`` is set (CI sets it); each test gets
a fresh schema, selected through the connection's ``search_path`` and dropped afterwards.
"""

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.feedback import FeedbackStore

POSTGRES_URL_ENV = "CODESUGGEST_TEST_POSTGRES_URL"
# Read at import: the suite's autouse fixture removes every CODESUGGEST_* variable per test.
POSTGRES_URL = os.environ.get(POSTGRES_URL_ENV)
NOTE = "Patient denies chest pain. Type 2 diabetes mellitus without complications."
NOTE_SHA256 = hashlib.sha256(NOTE.encode()).hexdigest()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file under tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'feedback.sqlite3'}"
        return
    base = POSTGRES_URL
    if not base:
        pytest.skip(f"set {POSTGRES_URL_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)")
    schema = f"feedback_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[FeedbackStore]:
    """A started store that keeps note text."""
    feedback_store = FeedbackStore(database_url, store_text=True)
    assert feedback_store.start()
    yield feedback_store
    feedback_store.close()


def submission(**overrides: Any) -> dict[str, Any]:
    """A valid POST /v1/feedback body; keyword arguments replace its fields."""
    body: dict[str, Any] = {
        "document_id": "doc-1",
        "text_sha256": NOTE_SHA256,
        "model_version": "1.0.0",
        "coder_id": "coder-7",
        "suggested": [
            {"system": "ICD-10-CM", "code": "E11.9", "score": 0.91},
            {"system": "ICD-10-CM", "code": "R07.9", "score": 0.40},
            {"system": "CPT", "code": "99213", "score": 0.70},
        ],
        "accepted": [{"system": "ICD-10-CM", "code": "e119"}, {"system": "CPT", "code": "99213"}],
        "rejected": [{"system": "ICD-10-CM", "code": "R07.9"}],
        "added": [{"system": "ICD-10-CM", "code": "I10"}],
    }
    body.update(overrides)
    return body
