"""Load a model directory: validate its manifest, verify every file's checksum, build the model."""

import gc
import json
import logging
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from service.catalogue import Catalogue
from service.checksums import sha256_of
from service.model.calibration import Calibration
from service.model.candidates import LabelSpace
from service.model.features import Vocabulary
from service.model.manifest import MANIFEST_NAME, MODEL_FILES, ModelManifest
from service.model.matcher import TermMatcher
from service.model.onnx_runtime import LogisticRanker, SparseScorer
from service.model.predictor import ModelParts, TrainedModel

logger = logging.getLogger(__name__)


class ModelLoadError(RuntimeError):
    """The model directory is missing, fails its manifest, or fails a checksum."""


def read_model_manifest(directory: Path) -> ModelManifest:
    """The validated manifest of a model directory."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        raise ModelLoadError(f"no {MANIFEST_NAME} in model directory {directory}")
    try:
        return ModelManifest.model_validate_json(path.read_bytes())
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ModelLoadError(f"invalid model manifest {path}: {problems}") from None


def verify_files(directory: Path, manifest: ModelManifest) -> None:
    """Refuse a model whose files are missing, unlisted or differ from their checksums."""
    missing = [name for name in MODEL_FILES if name not in manifest.files]
    if missing:
        raise ModelLoadError(f"model manifest lists no checksum for {', '.join(missing)}")
    for name, record in manifest.files.items():
        path = directory / name
        if not path.is_file():
            raise ModelLoadError(f"model file {name} is missing from {directory}")
        if sha256_of(path) != record.sha256:
            raise ModelLoadError(f"model file {name} does not match its manifest checksum")


def _labels(path: Path) -> tuple[LabelSpace, dict[str, float | int]]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    rows = payload["labels"]
    labels = LabelSpace(
        systems=tuple(r[0] for r in rows),
        codes=tuple(r[1] for r in rows),
        train_counts=np.asarray([r[2] for r in rows], dtype=np.float32),
        n_supervised=int(payload["n_supervised"]),
    )
    return labels, payload["settings"]


def _evidence_words(path: Path) -> dict[int, frozenset[str]]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return {int(label): frozenset(words) for label, words in payload.items()}


def load_model(directory: Path, catalogue: Catalogue) -> TrainedModel:
    """Load the model in ``directory``, verified against its manifest's checksums."""
    manifest = read_model_manifest(directory)
    verify_files(directory, manifest)
    # Loading builds millions of small objects that live as long as the process: collecting
    # garbage while they pile up costs a quarter of the load, and afterwards they are frozen
    # out of every later collection (gc.freeze), which also spares requests those passes.
    collecting = gc.isenabled()
    gc.disable()
    try:
        labels, settings = _labels(directory / "labels.json")
        parts = ModelParts(
            vocabulary=Vocabulary.load(directory / "vocabulary.json"),
            labels=labels,
            line_scorer=SparseScorer(directory / "line_scorer.onnx"),
            doc_scorer=SparseScorer(directory / "doc_scorer.onnx"),
            ranker=LogisticRanker(directory / "ranker.onnx"),
            calibration=Calibration.load(directory / "calibration.json"),
            matcher=TermMatcher.load(directory / "terms.json"),
            evidence_words=_evidence_words(directory / "evidence_words.json"),
            doc_weight=float(settings["doc_weight"]),
            per_system=int(settings["per_system"]),
        )
    except (OSError, ValueError, KeyError) as error:
        raise ModelLoadError(f"model in {directory} could not be read: {error}") from None
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    logger.info("loaded model %s %s", manifest.name, manifest.version)
    return TrainedModel(manifest, parts, catalogue)
