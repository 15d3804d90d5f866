"""The manifest that travels with the built catalogue (``models/catalogue/manifest.json``)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from service.codesystems import CodeSystem

MANIFEST_NAME = "manifest.json"
DATABASE_NAME = "catalogue.sqlite3"
# Bumped whenever the SQLite schema changes, so an old artifact is refused, not misread.
FORMAT_VERSION = 1


class SystemCounts(BaseModel):
    """How many codes of one system the artifact holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    codes: int = Field(ge=0)
    billable: int = Field(ge=0)


class CatalogueManifest(BaseModel):
    """Releases, counts, build inputs and checksums of a built catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "codesuggest-catalogue"
    format_version: int = FORMAT_VERSION
    built_at: datetime
    releases: dict[CodeSystem, str]
    counts: dict[CodeSystem, SystemCounts]
    package_versions: dict[str, str]
    files: dict[str, str] = Field(description="file name -> sha256 hex digest")
