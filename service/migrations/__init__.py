"""Alembic migrations of the feedback database, run programmatically at start-up.

There is no ``alembic.ini``: :func:`upgrade_to_head` builds the configuration in code, so the
service, the tests and ``python -m training export-feedback`` all migrate the same way.
Developers can still run Alembic by hand through :func:`alembic_config`.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(url: str) -> "Config":
    """An Alembic configuration pointing at these migrations and the database at ``url``."""
    # Imported here, not at start-up: the store migrates in the background after the app serves.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # `%` would be read as interpolation by configparser (e.g. in URL-escaped passwords).
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database behind ``engine`` to the latest revision (a no-op when it is)."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        # env.py uses this connection instead of opening its own.
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
