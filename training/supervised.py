"""Fit the two supervised scorers (sentence-level and note-level) and score notes with them.

Scoring here is the reference implementation in scipy; the exported ONNX graphs must agree with
it (tests/training/test_onnx_agreement.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from service.model.features import Vocabulary
from training.corpus import AnalysedNote, label_matrices
from training.linear import PrunedWeights, fit_dual_ridge, prune_per_feature, to_csr

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Hyperparameters:
    """The recipe's knobs; the defaults are the ones tuned on CodiEsp train (docs/model.md)."""

    min_df: int = 3
    whole_words: bool = True
    line_alpha: float = 0.3
    doc_alpha: float = 0.03
    line_top_m: int = 16
    doc_top_m: int = 64
    doc_weight: float = 0.5
    per_system: int = 100
    folds: int = 4
    seed: int = 0


@dataclass
class SupervisedFit:
    """A vocabulary and the pruned weights of both scorers."""

    vocabulary: Vocabulary
    line: PrunedWeights
    doc: PrunedWeights

    def score(self, item: AnalysedNote) -> tuple[FloatArray, FloatArray]:
        """Sentence x label scores and note-level label scores, computed with scipy."""
        n_features = len(self.vocabulary)
        units = to_csr(self.vocabulary.transform(item.unit_words), n_features)
        doc = to_csr(self.vocabulary.transform([item.words]), n_features)
        line_scores = np.asarray(units @ self.line_dense, dtype=np.float32) + self.line.bias
        doc_scores = np.asarray(doc @ self.doc_dense, dtype=np.float32)[0] + self.doc.bias
        return line_scores, doc_scores

    # Dense copies for fast reference scoring, built on first use.
    @cached_property
    def line_dense(self) -> FloatArray:
        return self.line.dense()

    @cached_property
    def doc_dense(self) -> FloatArray:
        return self.doc.dense()


def fit_supervised(
    notes: Sequence[AnalysedNote],
    index: dict[tuple[str, str], int],
    params: Hyperparameters,
) -> SupervisedFit:
    """Fit the vocabulary and both ridge scorers on ``notes``."""
    units, unit_labels, doc_labels = label_matrices(notes, index)
    vocabulary = Vocabulary.fit(units, min_df=params.min_df, whole_words=params.whole_words)
    n_features = len(vocabulary)
    x_units = to_csr(vocabulary.transform(units), n_features)
    line = fit_dual_ridge(x_units, unit_labels, alpha=params.line_alpha)
    x_docs = to_csr(vocabulary.transform([item.words for item in notes]), n_features)
    doc = fit_dual_ridge(x_docs, doc_labels, alpha=params.doc_alpha)
    return SupervisedFit(
        vocabulary=vocabulary,
        line=prune_per_feature(line, top_m=params.line_top_m),
        doc=prune_per_feature(doc, top_m=params.doc_top_m),
    )
