"""The store on SQLite and PostgreSQL: migrations, writes, stats, failures and recovery."""

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from service.feedback import FeedbackIn, FeedbackStore, FeedbackUnavailableError
from service.feedback.models import Base
from tests.feedback.conftest import NOTE, submission


def test_start_creates_the_sqlite_file_and_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "feedback.sqlite3"
    store = FeedbackStore(f"sqlite:///{path}")
    try:
        assert store.start()
        assert path.is_file()
    finally:
        store.close()


def test_a_background_start_waits_for_its_predecessor(tmp_path: Path) -> None:
    # The service starts the store after the model has loaded, so they do not share a core.
    path = tmp_path / "feedback.sqlite3"
    model_loaded = threading.Event()
    store = FeedbackStore(f"sqlite:///{path}")
    try:
        thread = store.start_in_background(after=model_loaded.wait)
        thread.join(0.2)
        assert thread.is_alive()
        assert not store.available
        assert not path.exists()
        model_loaded.set()
        thread.join(10)
        assert store.available
        assert path.is_file()
    finally:
        store.close()


def test_a_store_closed_before_its_background_start_stays_closed(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    model_loaded = threading.Event()
    store = FeedbackStore(f"sqlite:///{path}")
    thread = store.start_in_background(after=model_loaded.wait)
    store.close()  # shutdown while the model was still loading
    model_loaded.set()
    thread.join(10)
    assert not thread.is_alive()
    assert not store.available
    assert not path.exists()


def test_migrations_produce_exactly_the_schema_the_models_describe(database_url: str) -> None:
    store = FeedbackStore(database_url)
    assert store.start()
    store.close()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            # Autogenerate's diff: empty when the latest revision matches the ORM models.
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
            assert "alembic_version" in inspect(connection).get_table_names()
    finally:
        engine.dispose()


def test_start_is_idempotent_across_restarts(database_url: str) -> None:
    for _ in range(2):
        store = FeedbackStore(database_url)
        try:
            assert store.start()
            store.add(FeedbackIn.model_validate(submission()))
        finally:
            store.close()
    again = FeedbackStore(database_url)
    try:
        assert again.start()
        assert again.stats().submissions == 2
    finally:
        again.close()


def test_add_round_trips_codes_normalised_and_text_when_allowed(store: FeedbackStore) -> None:
    record_id, text_stored = store.add(FeedbackIn.model_validate(submission(text=NOTE)))
    assert text_stored
    [review] = list(store.reviews())
    assert review.id == record_id
    assert review.text == NOTE
    assert review.coder_id == "coder-7"
    assert sorted(review.gold()) == [("CPT", "99213"), ("ICD-10-CM", "E11.9"), ("ICD-10-CM", "I10")]


def test_text_is_dropped_unless_the_setting_allows_it(database_url: str) -> None:
    store = FeedbackStore(database_url, store_text=False)
    try:
        assert store.start()
        _, text_stored = store.add(FeedbackIn.model_validate(submission(text=NOTE)))
        assert not text_stored
        [review] = list(store.reviews())
        assert review.text is None
        assert list(store.reviews(with_text_only=True)) == []
    finally:
        store.close()


def test_stats_count_acceptance_per_system_code_and_model_version(store: FeedbackStore) -> None:
    store.add(FeedbackIn.model_validate(submission()))
    store.add(
        FeedbackIn.model_validate(
            submission(model_version="2.0.0", accepted=[], rejected=[], added=[])
        )
    )
    stats = store.stats()
    assert stats.submissions == 2
    icd = next(t for t in stats.by_system if t.system == "ICD-10-CM")
    assert (icd.suggested, icd.accepted, icd.rejected, icd.added) == (4, 1, 1, 1)
    assert icd.acceptance_rate == pytest.approx(0.25)
    e119 = next(t for t in stats.by_code if t.code == "E11.9")
    assert (e119.suggested, e119.accepted, e119.acceptance_rate) == (2, 1, 0.5)
    i10 = next(t for t in stats.by_code if t.code == "I10")
    assert (i10.suggested, i10.added, i10.acceptance_rate) == (0, 1, None)
    versions = {t.model_version: t for t in stats.by_model_version}
    assert versions["1.0.0"].submissions == 1
    assert versions["1.0.0"].acceptance_rate == pytest.approx(2 / 3)
    assert versions["2.0.0"].acceptance_rate == 0.0

    only_v2 = store.stats("2.0.0")
    assert only_v2.submissions == 1
    assert [t.model_version for t in only_v2.by_model_version] == ["2.0.0"]
    assert all(t.accepted == 0 for t in only_v2.by_code)


def test_a_failed_write_raises_and_stores_nothing(store: FeedbackStore) -> None:
    engine = create_engine(store._url)
    try:
        # Break the schema under the running store: the next insert fails mid-transaction.
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE feedback_code"))
        with pytest.raises(FeedbackUnavailableError) as raised:
            store.add(FeedbackIn.model_validate(submission()))
        assert raised.value.retry_after >= 1
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM feedback")).scalar_one() == 0
    finally:
        engine.dispose()


def test_an_unreachable_database_is_retried_later(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the database directory should be")
    now = [0.0]
    store = FeedbackStore(
        f"sqlite:///{blocker / 'feedback.sqlite3'}", retry_seconds=10, clock=lambda: now[0]
    )
    try:
        assert not store.start()
        blocker.unlink()
        # Too soon: no new attempt is made, the caller is told when to come back.
        with pytest.raises(FeedbackUnavailableError) as raised:
            store.stats()
        assert raised.value.retry_after == 10
        now[0] = 10.0
        assert store.stats().submissions == 0
        assert store.available
    finally:
        store.close()


def test_a_postgres_server_that_is_down_does_not_raise_on_start() -> None:
    store = FeedbackStore("postgresql+psycopg://nobody@127.0.0.1:1/none", retry_seconds=3600)
    assert not store.start()
    with pytest.raises(FeedbackUnavailableError):
        store.add(FeedbackIn.model_validate(submission()))
    store.close()
