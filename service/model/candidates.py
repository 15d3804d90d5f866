"""Candidate codes for a note and the features the ranker scores them on.

Training computes these on held-out folds to fit the ranker and its calibration; serving computes
them per request. One function for both, so the ranker never sees features built differently.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

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

    def supervised_indices_of(self, system: str) -> npt.NDArray[np.int64]:
        """The label indices of one code system that have trained weights."""
        return np.flatnonzero(np.asarray(self.systems[: self.n_supervised]) == system)

    @cached_property
    def index(self) -> dict[tuple[str, str], int]:
        """``(system, code)`` -> label index."""
        return {key: i for i, key in enumerate(zip(self.systems, self.codes, strict=True))}

    @cached_property
    def supervised_index(self) -> dict[tuple[str, str], int]:
        """The same, for the labels with trained weights only."""
        return {key: i for key, i in self.index.items() if i < self.n_supervised}


@dataclass(frozen=True)
class NoteScores:
    """What the scorers and the matcher said about one note."""

    line: FloatArray  # units x supervised labels
    doc: FloatArray  # supervised labels
    matches: Mapping[int, Sequence[TermMatch]]
    not_present: Mapping[int, float]  # label -> share of its matches not asserted present
    unit_tokens: Sequence[Sequence[tuple[str, bool]]]  # per sentence: (word, asserted present)

    # Per label, over the note's sentences; computed once per note, shared by every system.
    @cached_property
    def best_line(self) -> FloatArray:
        """Each supervised label's best sentence score (zeros for a note without sentences)."""
        if not self.line.shape[0]:
            return np.zeros(self.doc.shape[0], dtype=np.float32)
        best: FloatArray = self.line.max(axis=0)
        return best

    @cached_property
    def unit_word_counts(self) -> list[dict[str, tuple[int, int]]]:
        """Per sentence: each word's occurrences and how many of them are not asserted present.

        Every candidate asks about its best sentence: counting each sentence's words once lets
        a candidate visit only the words it shares with the sentence.
        """
        return [word_counts(words) for words in self.unit_tokens]


def unit_tokens(
    analyzed: AnalyzedText, spans: Sequence[tuple[int, int]]
) -> list[list[tuple[str, bool]]]:
    """Each sentence's words with whether each is asserted present."""
    present = Assertion.PRESENT
    tokens, assertions = analyzed.tokens, analyzed.token_assertions
    out: list[list[tuple[str, bool]]] = []
    i = 0
    # Sentences and tokens are both in text order: one merge pass, no per-token search.
    for start, end in spans:
        while i < len(tokens) and tokens[i].end <= start:
            i += 1
        unit: list[tuple[str, bool]] = []
        while i < len(tokens) and tokens[i].start < end:
            unit.append((tokens[i].norm, assertions[i] is present))
            i += 1
        out.append(unit)
    return out


def word_counts(words: Sequence[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    """Each word's occurrences in ``words`` and how many of them are not asserted present."""
    counts: dict[str, tuple[int, int]] = {}
    for word, present in words:
        seen, absent = counts.get(word, (0, 0))
        counts[word] = (seen + 1, absent + (not present))
    return counts


def not_present_share_of_counts(
    counts: Mapping[str, tuple[int, int]], known: Collection[str]
) -> float:
    """Among a sentence's words that name the code, the share not asserted present.

    The sentence is given as its :func:`word_counts`, so only the words it shares with
    ``known`` are visited.
    """
    hits = absent = 0
    for word in counts.keys() & known:
        seen, not_present = counts[word]
        hits += seen
        absent += not_present
    return absent / hits if hits else 0.0


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
    """The candidate labels of ``system`` for a note and one feature row per candidate.

    Candidates: the ``per_system`` best supervised labels, then every matched label.
    ``system_labels`` are the system's labels; its supervised ones
    (:meth:`LabelSpace.supervised_indices_of`) are enough and spare filtering all of them.
    """
    n_sup = labels.n_supervised
    best_line = scores.best_line
    combined = best_line + doc_weight * scores.doc
    supervised = system_labels[system_labels < n_sup]
    rank_of = np.zeros(n_sup, dtype=np.float32)
    chosen: list[int] = []
    if supervised.size:
        order = supervised[np.argsort(-combined[supervised], kind="stable")]
        rank_of[order] = np.arange(1, len(order) + 1, dtype=np.float32)
        chosen = order[:per_system].tolist()
    seen = set(chosen)
    for label in sorted(scores.matches):
        if labels.systems[label] == system and label not in seen:
            chosen.append(label)
            seen.add(label)
    candidates = np.asarray(chosen, dtype=np.int64)
    rows = np.zeros((len(chosen), len(FEATURE_NAMES)), dtype=np.float32)
    is_sup = candidates < n_sup
    sup = candidates[is_sup]
    rows[is_sup, 0] = best_line[sup]
    rows[is_sup, 1] = scores.doc[sup]
    rows[is_sup, 2] = combined[sup]
    rows[is_sup, 3] = 1.0 / rank_of[sup]
    counts = labels.train_counts[candidates]
    rows[:, 4] = np.log1p(counts)
    rows[:, 5] = counts > 0
    rows[:, 10] = 1.0 if system == "ICD-10-PCS" else 0.0
    rows[:, 11] = 1.0 if system == "CPT" else 0.0
    if scores.line.shape[0]:
        # The best sentences of the candidates only: an argmax down every label's column
        # would cost more than the rest of this function.
        best_unit = scores.line[:, sup].argmax(axis=0)
        unit_counts = scores.unit_word_counts
        rows[is_sup, 9] = [
            not_present_share_of_counts(unit_counts[unit], evidence_words.get(label, ()))
            for label, unit in zip(sup.tolist(), best_unit.tolist(), strict=True)
        ]
    for i, label in enumerate(chosen):
        found = scores.matches.get(label, ())
        if found:
            rows[i, 6] = max(m.n_words for m in found)
            rows[i, 7] = 1.0
            rows[i, 8] = scores.not_present.get(label, 0.0)
    return candidates, rows
