"""The tiny model end to end: trained, exported, loaded with onnxruntime, asked for codes."""

import json
from pathlib import Path

import pytest

from service.catalogue import Catalogue
from service.codesystems import CodeSystem
from service.model import ModelLoadError, TrainedModel, load_model
from service.text import Assertion

ALL = [CodeSystem.ICD10CM, CodeSystem.ICD10PCS, CodeSystem.CPT]
NOTE = (
    "The patient has type 2 diabetes mellitus.\n"
    "She denies chest pain.\n"
    "A plain chest x-ray was taken and showed pneumonia."
)


def test_suggests_the_codes_the_note_supports(tiny_model: TrainedModel) -> None:
    result = tiny_model.suggest(NOTE, systems=ALL, top_k=5, min_score=0.0, include_evidence=True)
    top_cm = [s.code for s in result.suggestions if s.system is CodeSystem.ICD10CM][:3]
    top_pcs = [s.code for s in result.suggestions if s.system is CodeSystem.ICD10PCS][:1]
    assert "E11.9" in top_cm
    assert "J18.9" in top_cm
    assert top_pcs == ["BW03ZZZ"]


def test_suggestions_are_sorted_limited_and_described(tiny_model: TrainedModel) -> None:
    result = tiny_model.suggest(NOTE, systems=ALL, top_k=3, min_score=0.0, include_evidence=False)
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    for system in ALL:
        assert sum(s.system is system for s in result.suggestions) <= 3
    assert all(0.0 <= s.score <= 1.0 for s in result.suggestions)
    assert all(s.evidence == () for s in result.suggestions)
    diabetes = next(s for s in result.suggestions if s.code == "E11.9")
    assert diabetes.billable
    assert "diabetes" in diabetes.display.lower()


def test_evidence_offsets_slice_the_text_exactly(tiny_model: TrainedModel) -> None:
    text = (
        "Note:\r\n\tThe patient has type 2 diabetes mellitus (é).\n\nA plain chest x-ray was taken."
    )
    result = tiny_model.suggest(text, systems=ALL, top_k=10, min_score=0.0, include_evidence=True)
    spans = [e for s in result.suggestions for e in s.evidence]
    assert spans
    for evidence in spans:
        assert text[evidence.start : evidence.end] == evidence.text
    diabetes = next(s for s in result.suggestions if s.code == "E11.9")
    assert any("diabetes" in e.text for e in diabetes.evidence)


def test_a_denied_finding_is_never_present_evidence(tiny_model: TrainedModel) -> None:
    text = "She denies chest pain.\nNo fever.\nThe patient has type 2 diabetes mellitus."
    result = tiny_model.suggest(text, systems=ALL, top_k=20, min_score=0.0, include_evidence=True)
    denied = [
        evidence
        for suggestion in result.suggestions
        for evidence in suggestion.evidence
        if "chest pain" in evidence.text or "fever" in evidence.text.lower()
    ]
    assert denied, "the matcher should find the denied findings as evidence"
    assert all(evidence.assertion is Assertion.NEGATED for evidence in denied)


def test_min_score_and_systems_filter(tiny_model: TrainedModel) -> None:
    result = tiny_model.suggest(
        NOTE, systems=[CodeSystem.ICD10PCS], top_k=10, min_score=0.2, include_evidence=False
    )
    assert result.suggestions
    assert {s.system for s in result.suggestions} == {CodeSystem.ICD10PCS}
    assert all(s.score >= 0.2 for s in result.suggestions)


def test_a_text_without_words_gets_a_warning(tiny_model: TrainedModel) -> None:
    result = tiny_model.suggest("  ...  ", systems=ALL, top_k=5, min_score=0, include_evidence=True)
    assert result.suggestions == []
    assert result.warnings


def test_card_is_the_manifest(tiny_model: TrainedModel) -> None:
    card = tiny_model.card()
    assert card["name"] == "tiny"
    assert set(card["systems"]) == {"ICD-10-CM", "ICD-10-PCS", "CPT"}  # type: ignore[arg-type]
    assert "line_scorer.onnx" in card["files"]  # type: ignore[operator]


def _copy(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_a_tampered_file_stops_loading(
    tiny_model_dir: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    copy = _copy(tiny_model_dir, tmp_path / "m")
    (copy / "calibration.json").write_text('{"x": [0, 1], "y": [1, 1]}', encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"calibration\.json does not match"):
        load_model(copy, catalogue)


def test_an_invalid_manifest_stops_loading(
    tiny_model_dir: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    copy = _copy(tiny_model_dir, tmp_path / "m")
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    del manifest["version"]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="version"):
        load_model(copy, catalogue)


def test_a_missing_directory_stops_loading(tmp_path: Path, catalogue: Catalogue) -> None:
    with pytest.raises(ModelLoadError, match=r"no manifest\.json"):
        load_model(tmp_path / "nowhere", catalogue)
