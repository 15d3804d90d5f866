"""The model manifest: what a model directory holds, how it was made, and how well it did.

The service refuses a model whose manifest does not validate or whose files do not match the
checksums recorded here.
"""

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.checksums import sha256_of
from service.codesystems import CodeSystem

MANIFEST_NAME = "manifest.json"

#: The files every model directory holds, besides the manifest.
MODEL_FILES = (
    "vocabulary.json",
    "labels.json",
    "line_scorer.onnx",
    "doc_scorer.onnx",
    "ranker.onnx",
    "calibration.json",
    "terms.json",
    "evidence_words.json",
)


class FileRecord(BaseModel):
    """A file of the model directory and its SHA-256."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)


class DataSource(BaseModel):
    """A labelled file the model was trained on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    notes: int = Field(ge=0)
    codes: int = Field(ge=0)


class ModelManifest(BaseModel):
    """Validated metadata of a model directory (the model card's source)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    created: datetime
    description: str
    systems: tuple[CodeSystem, ...]
    code_set_releases: dict[str, str]
    training_data: tuple[DataSource, ...]
    hyperparameters: dict[str, float | int | str]
    recommended_threshold: float = Field(ge=0.0, le=1.0)
    metrics: dict[str, object]
    library_versions: dict[str, str]
    files: dict[str, FileRecord]


def file_record(path: Path) -> FileRecord:
    """The checksum record of one file."""
    return FileRecord(sha256=sha256_of(path), bytes=path.stat().st_size)
