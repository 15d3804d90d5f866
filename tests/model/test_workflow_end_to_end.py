"""prepare -> train -> export -> load with onnxruntime -> predict, on tiny data, and determinism."""

import json
from pathlib import Path

import pytest

from service.catalogue import Catalogue
from service.codesystems import CodeSystem
from service.model import load_model
from service.model.manifest import MODEL_FILES
from tests.model.conftest import TINY_CORPUS, train_tiny
from training import prepare, train
from training.jsonl import LabelledNote

CODIESP_FIXTURE = Path(__file__).parents[1] / "fixtures" / "codiesp"


@pytest.mark.slow
def test_prepare_train_load_predict(tmp_path: Path, catalogue: Catalogue) -> None:
    data = tmp_path / "data"
    assert prepare.main(["--source", str(CODIESP_FIXTURE), "--out", str(data)]) == 0
    model_dir = tmp_path / "model"
    argv = ["--data", str(data / "train.jsonl"), "--data", str(data / "dev.jsonl")]
    argv += ["--data", str(TINY_CORPUS), "--out", str(model_dir), "--min-df", "1", "--folds", "3"]
    assert train.main(argv) == 0
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in manifest["training_data"]] == [
        "train.jsonl",
        "dev.jsonl",
        "tiny_corpus.jsonl",
    ]
    assert set(manifest["files"]) == set(MODEL_FILES)
    model = load_model(model_dir, catalogue)
    note = (CODIESP_FIXTURE / "dev" / "text_files_en").glob("*.txt").__next__().read_text()
    result = model.suggest(
        note, systems=list(model.systems), top_k=10, min_score=0.0, include_evidence=True
    )
    assert result.suggestions
    assert {s.system for s in result.suggestions} <= {
        CodeSystem.ICD10CM,
        CodeSystem.ICD10PCS,
        CodeSystem.CPT,
    }
    for suggestion in result.suggestions:
        for evidence in suggestion.evidence:
            assert note[evidence.start : evidence.end] == evidence.text


@pytest.mark.slow
def test_training_is_deterministic(tmp_path: Path, tiny_notes: list[LabelledNote]) -> None:
    first = train_tiny(tmp_path / "a", tiny_notes)
    second = train_tiny(tmp_path / "b", tiny_notes)
    for name in MODEL_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
