"""The faster computations of the model agree exactly with their plain definitions.

Serving and training share these functions, so "exactly" matters: a feature that drifted by one
ulp would already give the ranker different inputs than it was fitted on.
"""

import random
from collections import Counter
from collections.abc import Collection

import numpy as np
import pytest

from service.model.candidates import (
    LabelSpace,
    NoteScores,
    candidate_features,
    not_present_share_of_counts,
    unit_tokens,
    word_counts,
)
from service.model.evidence import _asserted, narrow
from service.model.features import Vocabulary, _distinct_counts, sentence_units
from service.model.matcher import TermMatcher
from service.text import Assertion, TextPipeline
from service.text.assertion import most_common, strongest

PIPELINE = TextPipeline()


def not_present_share(words: list[tuple[str, bool]], known: Collection[str]) -> float:
    """The plain definition: among a sentence's words that name the code, the share not
    asserted present."""
    hits = [present for word, present in words if word in known]
    return hits.count(False) / len(hits) if hits else 0.0


WORDS = ["fever", "cough", "chest", "pain", "denies", "no", "diabetes", "history", "mother", "of"]


def _random_note(rng: random.Random, sentences: int = 8) -> str:
    lines = []
    for _ in range(sentences):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12))) + ".")
    return "\n".join(lines)


@pytest.mark.parametrize("size", [0, 1, 2, 7, 500, 5000])
def test_distinct_counts_are_numpys_unique_with_counts(size: int) -> None:
    values = np.random.default_rng(size).integers(0, max(size // 3, 1), size, dtype=np.int64)
    distinct, counts = _distinct_counts(values)
    expected, expected_counts = np.unique(values, return_counts=True)
    assert distinct.dtype == expected.dtype
    assert counts.dtype == expected_counts.dtype
    assert np.array_equal(distinct, expected)
    assert np.array_equal(counts, expected_counts)


def test_the_whole_row_is_bit_for_bit_the_row_of_all_words() -> None:
    rng = random.Random(3)
    vocabulary = Vocabulary.fit([[w] for w in WORDS] * 2, min_df=1, whole_words=True)
    for _ in range(50):
        units = [
            [rng.choice([*WORDS, "unseen"]) for _ in range(rng.randint(0, 9))] for _ in range(5)
        ]
        rows, whole = vocabulary.transform_with_whole(units)
        expected_whole = vocabulary.transform([[w for unit in units for w in unit]])
        for got, expected in ((rows, vocabulary.transform(units)), (whole, expected_whole)):
            assert got.n_rows == expected.n_rows
            for field in ("rows", "cols", "vals"):
                assert getattr(got, field).dtype == getattr(expected, field).dtype
                assert getattr(got, field).tobytes() == getattr(expected, field).tobytes()


def test_not_present_share_from_word_counts_is_the_share_from_words() -> None:
    rng = random.Random(5)
    for _ in range(500):
        words = [(rng.choice(WORDS), rng.random() < 0.6) for _ in range(rng.randint(0, 12))]
        known = set(rng.sample(WORDS, rng.randint(0, 4)))
        share = not_present_share_of_counts(word_counts(words), known)
        assert share == not_present_share(words, known)


def test_supervised_indices_are_the_supervised_part_of_the_indices() -> None:
    systems = ("ICD-10-CM", "CPT", "ICD-10-CM", "ICD-10-PCS", "ICD-10-CM", "CPT")
    labels = LabelSpace(systems, tuple("abcdef"), np.ones(6, np.float32), n_supervised=4)
    for system in set(systems):
        every = labels.indices_of(system)
        assert np.array_equal(labels.supervised_indices_of(system), every[every < 4])


def test_the_sentence_feature_uses_each_candidates_best_sentence() -> None:
    rng = random.Random(11)
    n_labels, n_sup = 12, 8
    labels = LabelSpace(("ICD-10-CM",) * n_labels, tuple(map(str, range(n_labels))),
                        np.arange(n_labels, dtype=np.float32), n_supervised=n_sup)  # fmt: skip
    matcher = TermMatcher([(8, ["chest", "pain"]), (9, ["fever"]), (2, ["cough"])])
    known = {label: frozenset(rng.sample(WORDS, 3)) for label in range(n_sup)}
    for _ in range(30):
        analyzed = PIPELINE.analyze(_random_note(rng))
        spans, _ = sentence_units(analyzed)
        line = np.random.default_rng(rng.randrange(99)).random((len(spans), n_sup), np.float32)
        matches = matcher.match(analyzed)
        scores = NoteScores(line, line.sum(axis=0), matches, {}, unit_tokens(analyzed, spans))
        candidates, rows = candidate_features(
            scores, labels, "ICD-10-CM", labels.supervised_indices_of("ICD-10-CM"),
            evidence_words=known, doc_weight=0.5, per_system=5,
        )  # fmt: skip
        # Each label's best sentence, over every label's column (None without sentences).
        best_unit = line.argmax(axis=0) if len(spans) else None
        for label, row in zip(candidates.tolist(), rows, strict=True):
            if label < n_sup and best_unit is not None:
                unit = scores.unit_tokens[int(best_unit[label])]
                assert row[9] == np.float32(not_present_share(unit, known[label]))


def test_most_common_is_the_top_count_with_ties_to_the_strongest() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        hits = [rng.choice(list(Assertion)) for _ in range(rng.randint(1, 7))]
        counts = Counter(hits)
        top = max(counts.values())
        assert most_common(hits) == strongest(a for a, n in counts.items() if n == top)
    assert most_common([]) is Assertion.PRESENT


def test_a_narrowed_sentence_is_asserted_like_any_span() -> None:
    rng = random.Random(13)
    for _ in range(200):
        analyzed = PIPELINE.analyze(_random_note(rng, sentences=3))
        words = frozenset(rng.sample(WORDS, rng.randint(0, 3)))
        for sentence in analyzed.sentences:
            start, end, assertion = narrow(analyzed, sentence.start, sentence.end, words)
            assert _asserted(analyzed, start, end, words) == (start, end, assertion)
