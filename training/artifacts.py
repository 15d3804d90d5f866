"""Write a model directory: ONNX graphs, plain data files and the manifest with checksums."""

import json
import platform
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from service.checksums import sha256_of
from service.codesystems import CodeSystem
from service.model.candidates import LabelSpace
from service.model.manifest import (
    MANIFEST_NAME,
    MODEL_FILES,
    DataSource,
    ModelManifest,
    file_record,
)
from service.model.matcher import TermMatcher
from training.jsonl import LabelledNote
from training.onnx_export import export_logistic, export_sparse_scorer
from training.ranker_fit import RankerFit
from training.supervised import Hyperparameters, SupervisedFit

LIBRARIES = ("numpy", "scipy", "scikit-learn", "onnx", "onnxruntime", "pydantic")


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries that shaped the model."""
    versions = {"python": platform.python_version()}
    versions.update({name: metadata.version(name) for name in LIBRARIES})
    return versions


def write_model(
    out: Path,
    *,
    fit: SupervisedFit,
    ranker: RankerFit,
    labels: LabelSpace,
    term_rows: Sequence[tuple[int, Sequence[str]]],
    evidence: Mapping[int, Sequence[str]],
    params: Hyperparameters,
    systems: tuple[CodeSystem, ...],
    data_files: Sequence[Path],
    notes: Sequence[LabelledNote],
    releases: Mapping[str, str],
    name: str,
    version: str,
    description: str,
    metrics: dict[str, object],
) -> ModelManifest:
    """Write every model file and a manifest that records their checksums."""
    out.mkdir(parents=True, exist_ok=True)
    fit.vocabulary.save(out / "vocabulary.json")
    export_sparse_scorer(fit.line, out / "line_scorer.onnx", name="line_scorer")
    export_sparse_scorer(fit.doc, out / "doc_scorer.onnx", name="doc_scorer")
    export_logistic(ranker.coef, ranker.intercept, out / "ranker.onnx", name="ranker")
    ranker.calibration.save(out / "calibration.json")
    TermMatcher(term_rows).save(out / "terms.json")
    rows = [
        [s, c, int(n)]
        for s, c, n in zip(labels.systems, labels.codes, labels.train_counts, strict=True)
    ]
    settings = {"doc_weight": params.doc_weight, "per_system": params.per_system}
    (out / "labels.json").write_text(
        json.dumps({"n_supervised": labels.n_supervised, "settings": settings, "labels": rows}),
        encoding="utf-8",
    )
    (out / "evidence_words.json").write_text(
        json.dumps({str(k): list(v) for k, v in evidence.items()}, ensure_ascii=False),
        encoding="utf-8",
    )
    sources = tuple(
        DataSource(
            name=path.name,
            sha256=sha256_of(path),
            notes=len(notes),
            codes=sum(len(n.codes) for n in notes),
        )
        for path in data_files
    )
    manifest = ModelManifest(
        name=name,
        version=version,
        created=datetime.now(UTC).replace(microsecond=0),
        description=description,
        systems=systems,
        code_set_releases=dict(releases),
        training_data=sources,
        hyperparameters=asdict(params),
        recommended_threshold=round(ranker.threshold, 4),
        metrics=metrics,
        library_versions=library_versions(),
        files={name_: file_record(out / name_) for name_ in MODEL_FILES},
    )
    (out / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return manifest
