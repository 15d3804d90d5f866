"""The one settings object. Every setting is an environment variable prefixed ``CODESUGGEST_``.

``DATABASE_URL`` is also read without the prefix, as hosting platforms set it that way.
Settings are served through :func:`get_settings` (cached) so tests can override them.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "default"
DEFAULT_CATALOGUE_DIR = REPO_ROOT / "models" / "catalogue"


class Settings(BaseSettings):
    """Service configuration; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="CODESUGGEST_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    model_dir: Path = DEFAULT_MODEL_DIR
    catalogue_dir: Path = DEFAULT_CATALOGUE_DIR
    cpt_file: Path | None = None
    hcpcs_file: Path | None = None

    api_key_hashes: list[str] = Field(default_factory=list)

    max_body_bytes: int = Field(default=2_000_000, ge=1_000)
    max_text_chars: int = Field(default=100_000, ge=1)
    max_batch_documents: int = Field(default=64, ge=1)
    request_timeout_seconds: float = Field(default=30.0, gt=0)

    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'data' / 'feedback.sqlite3'}",
        validation_alias=AliasChoices("CODESUGGEST_DATABASE_URL", "DATABASE_URL"),
    )
    feedback_store_text: bool = False
    # Worker threads per process that may run the suggester at once (CPU-bound work).
    # One model thread per worker: the model is mostly Python, so a second thread only fights
    # the first for the GIL (measured: p99 doubled at the same load, docs/benchmarks.md).
    suggest_threads: int = Field(default=1, ge=1, le=64)


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
