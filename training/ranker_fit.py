"""Fit the ranker and its calibration on out-of-fold candidates.

Each fold's scorers are fitted without the fold's notes, so the candidate features the ranker
learns from look like those of a note the model has never seen, unseen codes included.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from tqdm import tqdm

from service.model.calibration import Calibration
from service.model.candidates import LabelSpace, NoteScores, candidate_features, unit_tokens
from service.model.matcher import TermMatch, not_present_shares
from training.corpus import AnalysedNote
from training.supervised import Hyperparameters, fit_supervised

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class CandidateTable:
    """Out-of-fold candidate rows, whether each is a gold code, and the gold count per system."""

    rows: FloatArray
    gold: npt.NDArray[np.bool_]
    gold_total: int


@dataclass(frozen=True)
class RankerFit:
    """A logistic ranker on raw features, its calibration and the recommended threshold."""

    coef: FloatArray
    intercept: float
    calibration: Calibration
    threshold: float
    out_of_fold: dict[str, float]


def fold_label_space(base: LabelSpace, notes: Sequence[AnalysedNote]) -> LabelSpace:
    """``base`` with training counts taken from ``notes`` only."""
    counts = np.zeros(len(base), dtype=np.float32)
    for item in notes:
        for key in item.label_keys():
            if key in base.index:
                counts[base.index[key]] += 1
    return LabelSpace(base.systems, base.codes, counts, base.n_supervised)


def out_of_fold_candidates(
    notes: Sequence[AnalysedNote],
    labels: LabelSpace,
    matches: Sequence[Mapping[int, list[TermMatch]]],
    systems: Sequence[str],
    evidence_words: Mapping[int, Collection[str]],
    params: Hyperparameters,
) -> CandidateTable:
    """Candidate feature rows for every note, each scored by models that never saw it."""
    supervised_index = labels.supervised_index
    by_system = {s: labels.indices_of(s) for s in systems}
    rows: list[FloatArray] = []
    gold: list[npt.NDArray[np.bool_]] = []
    gold_total = 0
    folds = KFold(n_splits=params.folds, shuffle=True, random_state=params.seed)
    for train_idx, test_idx in tqdm(
        list(folds.split(np.arange(len(notes)))), desc="folds", leave=False
    ):
        fit = fit_supervised([notes[i] for i in train_idx], supervised_index, params)
        fold_labels = fold_label_space(labels, [notes[i] for i in train_idx])
        for i in test_idx.tolist():
            item = notes[i]
            line, doc = fit.score(item)
            scores = NoteScores(
                line,
                doc,
                matches[i],
                not_present_shares(matches[i]),
                unit_tokens(item.analyzed, item.unit_spans),
            )
            truth = set(item.label_keys())
            gold_total += sum(1 for key in truth if key[0] in by_system)
            for system in systems:
                cands, feats = candidate_features(
                    scores,
                    fold_labels,
                    system,
                    by_system[system],
                    evidence_words=evidence_words,
                    doc_weight=params.doc_weight,
                    per_system=params.per_system,
                )
                keys = [(labels.systems[c], labels.codes[c]) for c in cands.tolist()]
                rows.append(feats)
                gold.append(np.array([k in truth for k in keys], dtype=bool))
    return CandidateTable(np.vstack(rows), np.concatenate(gold), gold_total)


def _best_threshold(
    scores: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_], total: int
) -> float:
    """The score threshold with the best micro F1 (gold codes never proposed count as misses)."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(gold[order])
    predicted = np.arange(1, len(order) + 1)
    f1 = 2 * tp / (predicted + total)
    return float(scores[order][int(np.argmax(f1))])


def fit_ranker(table: CandidateTable, *, seed: int) -> RankerFit:
    """Logistic regression on standardised features, folded back to raw-feature weights."""
    mean = table.rows.mean(axis=0)
    std = table.rows.std(axis=0)
    std[std == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
    model.fit((table.rows - mean) / std, table.gold)
    coef = (model.coef_[0] / std).astype(np.float32)
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / std))
    raw = 1.0 / (1.0 + np.exp(-(table.rows.astype(np.float64) @ coef + intercept)))
    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    calibrated = isotonic.fit_transform(raw, table.gold.astype(np.float64))
    calibration = Calibration(isotonic.X_thresholds_.tolist(), isotonic.y_thresholds_.tolist())
    threshold = _best_threshold(calibrated, table.gold, table.gold_total)
    return RankerFit(
        coef=coef,
        intercept=intercept,
        calibration=calibration,
        threshold=threshold,
        out_of_fold={
            "candidates": float(len(table.gold)),
            "candidate_recall": float(table.gold.sum()) / max(table.gold_total, 1),
        },
    )
