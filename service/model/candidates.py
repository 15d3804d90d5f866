"""Candidate codes for a note and the features the ranker scores them on.

Training computes these on held-out folds to fit the ranker and its calibration; serving computes
them per request. One function for both, so the ranker never sees features built differently.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from service.model.matcher import TermMatch
from service.text import AnalyzedText, Assertion

FEATURE_NAMES = (
    "line",
    "doc",
    "combined",
    "inverse_rank",
    "log_train_count",
    "seen_in_training",
    "match_words",
    "matched",
    "match_not_present",
    "evidence_not_present",
    "is_icd10pcs",
    "is_cpt",
)

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class LabelSpace:
    """Every code the model can suggest; the first ``n_supervised`` have trained weights."""

    systems: tuple[str, ...]
    codes: tuple[str, ...]
    train_counts: npt.NDArray[np.float32]
    n_supervised: int

    def __len__(self) -> int:
        return len(self.codes)

    def indices_of(self, system: str) -> npt.NDArray[np.int64]:
        """The label indices of one code system."""
        return np.flatnonzero(np.asarray(self.systems) == system)


@dataclass(frozen=True)
class NoteScores:
    """What the scorers and the matcher said about one note."""

    line: FloatArray  # units x supervised labels
    doc: FloatArray  # supervised labels
    matches: Mapping[int, Sequence[TermMatch]]
    not_present: Mapping[int, float]  # label -> share of its matches not asserted present
    unit_tokens: Sequence[Sequence[tuple[str, bool]]]  # per sentence: (word, asserted present)


def unit_tokens(
    analyzed: AnalyzedText, spans: Sequence[tuple[int, int]]
) -> list[list[tuple[str, bool]]]:
    """Each sentence's words with whether each is asserted present."""
    present = Assertion.PRESENT
    out: list[list[tuple[str, bool]]] = []
    for start, end in spans:
        out.append(
            [
                (t.norm, analyzed.assertion_of(t.start, t.end) is present)
                for t in analyzed.tokens_in(start, end)
            ]
        )
    return out


def not_present_share(words: Sequence[tuple[str, bool]], known: Collection[str]) -> float:
    """Among a sentence's words that name the code, the share not asserted present."""
    hits = [present for word, present in words if word in known]
    return hits.count(False) / len(hits) if hits else 0.0


def combined_scores(line: FloatArray, doc: FloatArray, doc_weight: float) -> FloatArray:
    """The supervised score: the best sentence's score plus a share of the whole note's."""
    best_line = line.max(axis=0) if line.shape[0] else np.zeros_like(doc)
    result: FloatArray = best_line + doc_weight * doc
    return result


def candidate_features(
    scores: NoteScores,
    labels: LabelSpace,
    system: str,
    system_labels: npt.NDArray[np.int64],
    *,
    evidence_words: Mapping[int, Collection[str]],
    doc_weight: float,
    per_system: int,
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """The candidate labels of ``system`` for a note and one feature row per candidate."""
    n_sup = labels.n_supervised
    best_line = scores.line.max(axis=0) if scores.line.shape[0] else np.zeros(n_sup, np.float32)
    combined = best_line + doc_weight * scores.doc
    supervised = system_labels[system_labels < n_sup]
    chosen: list[int] = []
    rank: dict[int, int] = {}
    if supervised.size:
        order = supervised[np.argsort(-combined[supervised], kind="stable")]
        for position, label in enumerate(order.tolist()):
            rank[label] = position + 1
        chosen.extend(order[:per_system].tolist())
    matched = [lab for lab in scores.matches if labels.systems[lab] == system]
    chosen.extend(lab for lab in sorted(matched) if lab not in set(chosen))
    candidates = np.asarray(chosen, dtype=np.int64)
    rows = np.zeros((len(chosen), len(FEATURE_NAMES)), dtype=np.float32)
    for i, label in enumerate(chosen):
        if label < n_sup:
            rows[i, 0] = best_line[label]
            rows[i, 1] = scores.doc[label]
            rows[i, 2] = combined[label]
            rows[i, 3] = 1.0 / rank[label]
            if scores.line.shape[0]:
                unit = int(np.argmax(scores.line[:, label]))
                known = evidence_words.get(label, ())
                rows[i, 9] = not_present_share(scores.unit_tokens[unit], known)
        count = float(labels.train_counts[label])
        rows[i, 4] = np.log1p(count)
        rows[i, 5] = 1.0 if count > 0 else 0.0
        found = scores.matches.get(label, ())
        if found:
            rows[i, 6] = max(m.n_words for m in found)
            rows[i, 7] = 1.0
            rows[i, 8] = scores.not_present.get(label, 0.0)
        rows[i, 10] = 1.0 if system == "ICD-10-PCS" else 0.0
        rows[i, 11] = 1.0 if system == "CPT" else 0.0
    return candidates, rows
