"""Where feedback is kept: an SQLAlchemy engine on SQLite (default) or PostgreSQL.

The store never acknowledges what it has not committed: each submission is one transaction,
and any database error surfaces as :class:`FeedbackUnavailableError` (HTTP 503 with Retry-After), so
the client keeps its copy and retries. A database that is down at start-up does not stop the
service: the store stays unavailable and tries again, at most once per ``retry_seconds``, when
the next request needs it.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from service.feedback.models import CodeRole, FeedbackCode, FeedbackRecord
from service.feedback.schemas import FeedbackIn, FeedbackStats
from service.feedback.stats import acceptance_stats
from service.migrations import upgrade_to_head

logger = logging.getLogger(__name__)

# Long enough to ride out a burst of concurrent SQLite writers, short of a client's timeout.
SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 5
POSTGRES_POOL_SIZE = 10


class FeedbackUnavailableError(Exception):
    """The feedback database cannot take or serve requests right now; retry later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("the feedback database is unavailable")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class StoredReview:
    """A stored submission as plain data, detached from any database session."""

    id: str
    created_at: datetime
    document_id: str | None
    model_version: str
    coder_id: str
    text: str | None
    codes: tuple[tuple[CodeRole, str, str], ...]

    def gold(self) -> list[tuple[str, str]]:
        """The codes the coder says the note has: the accepted ones and the added ones."""
        return [(s, c) for role, s, c in self.codes if role in {CodeRole.ACCEPTED, CodeRole.ADDED}]


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (stats) run while a submission is written; the busy timeout makes
    # concurrent writers queue instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def build_engine(url: str) -> Engine:
    """An engine for ``url`` tuned for this store; creates an SQLite file's directory."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    # No overflow: under a burst, overflow connections are opened and closed per request,
    # which costs more than waiting for a pooled one.
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=0,
        connect_args=connect_args,
    )


class FeedbackStore:
    """Stores coder feedback and computes acceptance statistics; safe to share between threads.

    Call :meth:`start` once (it migrates the database to the latest revision) and :meth:`close`
    at shutdown. Every method may raise :class:`FeedbackUnavailableError`.
    """

    def __init__(
        self,
        url: str,
        *,
        store_text: bool = False,
        migrate: bool = True,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._store_text = store_text
        self._migrate = migrate
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._engine: Engine | None = None
        self._last_attempt: float | None = None
        self._lock = threading.Lock()
        self._write_lock: AbstractContextManager[object] = nullcontext()
        # Set by close(): a background start still waiting on ``after`` then gives up.
        self._closed = threading.Event()

    @property
    def available(self) -> bool:
        """Whether the last attempt to connect and migrate succeeded."""
        return self._engine is not None

    @property
    def retry_after(self) -> int:
        """Seconds a client should wait before retrying after :class:`FeedbackUnavailableError`."""
        return max(1, round(self._retry_seconds))

    def start(self) -> bool:
        """Connect and migrate; on failure log why (never the password) and return False."""
        with self._lock:
            return self._connect()

    def _connect(self) -> bool:
        self._last_attempt = self._clock()
        if self._engine is not None:
            return True
        where = make_url(self._url).render_as_string(hide_password=True)
        engine: Engine | None = None
        try:
            engine = build_engine(self._url)
            if self._migrate:
                upgrade_to_head(engine)
            else:
                with engine.connect():
                    pass
        except (SQLAlchemyError, OSError) as error:
            if engine is not None:
                engine.dispose()
            # The class name only: driver messages can quote statements and their parameters.
            logger.warning("feedback database %s unavailable (%s)", where, type(error).__name__)
            return False
        self._engine = engine
        # SQLite has one writer at a time; queueing this process's writers on a lock avoids
        # the busy handler's sleeps (which stretch tail latency to seconds under a burst).
        # Other processes (workers) still wait through the busy timeout.
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        logger.info("feedback database %s ready", where)
        return True

    def start_in_background(self, after: Callable[[], object] | None = None) -> threading.Thread:
        """Start on a daemon thread, so a slow or absent database never delays start-up.

        ``after`` runs first on that thread: the service passes the model loader's wait, so
        the two do not share one core while the model loads (``/readyz`` waits for the model
        only). A request that arrives before the store started connects it itself; one that
        arrives while it starts waits for that attempt (they share its lock).
        """
        self._closed.clear()

        def run() -> None:
            if after is not None:
                after()
            if not self._closed.is_set():
                self.start()

        thread = threading.Thread(target=run, name="feedback-store-start", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Release every connection; the store can be started again afterwards."""
        self._closed.set()
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def _ready_engine(self) -> Engine:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is not None:  # a start() in another thread finished meanwhile
                return self._engine
            due = self._last_attempt is None or (
                self._clock() - self._last_attempt >= self._retry_seconds
            )
            if due and self._connect() and self._engine is not None:
                return self._engine
        raise FeedbackUnavailableError(self.retry_after)

    def add(self, submission: FeedbackIn) -> tuple[str, bool]:
        """Store one submission in one transaction; return its id and whether text was kept."""
        engine = self._ready_engine()
        keep_text = self._store_text and submission.text is not None
        record_id = uuid.uuid4()
        record = FeedbackRecord(
            id=record_id,
            created_at=datetime.now(UTC),
            document_id=submission.document_id,
            text_sha256=submission.text_sha256,
            text=submission.text if keep_text else None,
            model_version=submission.model_version,
            coder_id=submission.coder_id,
        )
        record.codes = [
            FeedbackCode(role=CodeRole.SUGGESTED, system=s.system.value, code=s.code, score=s.score)
            for s in submission.suggested
        ]
        for role, refs in (
            (CodeRole.ACCEPTED, submission.accepted),
            (CodeRole.REJECTED, submission.rejected),
            (CodeRole.ADDED, submission.added),
        ):
            record.codes += [
                FeedbackCode(role=role, system=r.system.value, code=r.code) for r in refs
            ]
        try:
            with self._write_lock, Session(engine) as session, session.begin():
                session.add(record)
        except SQLAlchemyError as error:
            logger.error("feedback write failed, not acknowledged (%s)", type(error).__name__)
            raise FeedbackUnavailableError(self.retry_after) from None
        return str(record_id), keep_text

    def stats(self, model_version: str | None = None, *, code_limit: int = 100) -> FeedbackStats:
        """Acceptance rates per code system, code and model version."""
        engine = self._ready_engine()
        try:
            with Session(engine) as session:
                return acceptance_stats(session, model_version, code_limit=code_limit)
        except SQLAlchemyError as error:
            logger.error("feedback stats failed (%s)", type(error).__name__)
            raise FeedbackUnavailableError(self.retry_after) from None

    def reviews(self, *, with_text_only: bool = False) -> Iterator[StoredReview]:
        """Every stored submission, oldest first (for export; not used by the HTTP API)."""
        engine = self._ready_engine()
        query = select(FeedbackRecord).options(selectinload(FeedbackRecord.codes))
        if with_text_only:
            query = query.where(FeedbackRecord.text.is_not(None))
        query = query.order_by(FeedbackRecord.created_at, FeedbackRecord.id)
        try:
            with Session(engine) as session:
                for record in session.scalars(query.execution_options(yield_per=500)):
                    yield StoredReview(
                        id=str(record.id),
                        created_at=record.created_at,
                        document_id=record.document_id,
                        model_version=record.model_version,
                        coder_id=record.coder_id,
                        text=record.text,
                        codes=tuple((c.role, c.system, c.code) for c in record.codes),
                    )
        except SQLAlchemyError as error:
            logger.error("reading feedback failed (%s)", type(error).__name__)
            raise FeedbackUnavailableError(self.retry_after) from None
