"""Alembic environment: migrate on the caller's connection, or open one from the URL."""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from service.feedback.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Workers starting together must not race to create the same tables; the lock is
        # released when the migration transaction ends.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(74657301)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run every pending migration on a live connection."""
    given: Connection | None = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("set sqlalchemy.url to the database to migrate")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; migrate a live database")
run_migrations_online()
