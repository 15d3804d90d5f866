"""The exported ONNX graphs give the training-time scores (max abs difference <= 1e-5)."""

from pathlib import Path

import numpy as np
import pytest

from service.model.onnx_runtime import LogisticRanker, SparseScorer
from service.text import TextPipeline
from training.corpus import analyse
from training.jsonl import LabelledNote
from training.onnx_export import export_logistic, export_sparse_scorer
from training.supervised import Hyperparameters, fit_supervised


@pytest.fixture(scope="module")
def fitted(tiny_notes: list[LabelledNote]) -> tuple[object, list[object]]:
    analysed = analyse(tiny_notes, TextPipeline())
    keys = sorted({key for item in analysed for key in item.label_keys()})
    index = {key: i for i, key in enumerate(keys)}
    return fit_supervised(analysed, index, Hyperparameters(min_df=1)), analysed  # type: ignore[return-value]


def test_sparse_scorers_match_the_reference(fitted: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    fit, analysed = fitted
    export_sparse_scorer(fit.line, tmp_path / "line.onnx", name="line")
    export_sparse_scorer(fit.doc, tmp_path / "doc.onnx", name="doc")
    line, doc = SparseScorer(tmp_path / "line.onnx"), SparseScorer(tmp_path / "doc.onnx")
    worst = 0.0
    for item in analysed:
        ref_line, ref_doc = fit.score(item)
        got_line = line.scores(fit.vocabulary.transform(item.unit_words))
        got_doc = doc.scores(fit.vocabulary.transform([item.words]))[0]
        assert got_line.shape == ref_line.shape
        worst = max(worst, float(np.abs(got_line - ref_line).max()))
        worst = max(worst, float(np.abs(got_doc - ref_doc).max()))
    assert worst <= 1e-5
    assert np.abs(ref_line).max() > 0.1  # the comparison is not between zeros


def test_a_text_with_no_known_features_scores_the_bias(fitted: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    fit, _ = fitted
    export_sparse_scorer(fit.line, tmp_path / "line.onnx", name="line")
    scores = SparseScorer(tmp_path / "line.onnx").scores(fit.vocabulary.transform([["qqqq"], []]))
    assert scores.shape == (2, fit.line.n_labels)
    assert np.array_equal(scores, np.tile(fit.line.bias, (2, 1)))


def test_logistic_ranker_matches_numpy(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    coef = rng.normal(size=5).astype(np.float32)
    features = rng.normal(size=(7, 5)).astype(np.float32)
    export_logistic(coef, -0.25, tmp_path / "ranker.onnx", name="ranker")
    got = LogisticRanker(tmp_path / "ranker.onnx").probabilities(features)
    expected = 1 / (1 + np.exp(-(features.astype(np.float64) @ coef - 0.25)))
    assert np.abs(got - expected).max() <= 1e-6
