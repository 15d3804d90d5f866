"""Character n-gram TF-IDF features of text units (sentences or whole notes).

Training fits the :class:`Vocabulary` and serving transforms with the same code, so the two can
never drift apart. Words are the text pipeline's normalised tokens; each word is padded with a
space on both sides and cut into n-grams, like scikit-learn's ``char_wb`` analyser, which was
measured best on CodiEsp (docs/model.md).
"""

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson

from service.text import AnalyzedText

NGRAM_SIZES = (4, 5)
# Distinct words whose feature ids are cached; cleared when full (a long-running service
# sees an open-ended vocabulary).
WORD_CACHE_SIZE = 200_000


@lru_cache(maxsize=65_536)
def word_ngrams(norm: str) -> tuple[str, ...]:
    """The character n-grams of one normalised word, padded with spaces (``char_wb`` style)."""
    padded = f" {norm} "
    grams: list[str] = []
    for n in NGRAM_SIZES:
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(grams)


def word_features(norm: str, whole_words: bool) -> tuple[str, ...]:
    """A word's features: its character n-grams and, if asked, the whole word (``=word``).

    ``=`` never occurs in a normalised word, so whole-word features cannot collide with n-grams.
    """
    grams = word_ngrams(norm)
    return (*grams, f"={norm}") if whole_words else grams


def unit_counts(words: Iterable[str], whole_words: bool = False) -> Counter[str]:
    """How often each feature occurs in a unit made of ``words``."""
    counts: Counter[str] = Counter()
    for word in words:
        counts.update(word_features(word, whole_words))
    return counts


@dataclass(frozen=True)
class SparseRows:
    """Sparse rows in coordinate form: entry ``i`` is ``(rows[i], cols[i]) = vals[i]``."""

    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    vals: npt.NDArray[np.float32]
    n_rows: int


class Vocabulary:
    """The n-grams the model knows, with their inverse document frequencies."""

    def __init__(
        self, terms: Sequence[str], idf: Sequence[float], *, whole_words: bool = False
    ) -> None:
        if len(terms) != len(idf):
            raise ValueError("a vocabulary needs one idf per term")
        self.whole_words = whole_words
        self.terms = tuple(terms)
        self.index = dict(zip(self.terms, range(len(self.terms)), strict=True))
        self.idf = np.asarray(idf, dtype=np.float64)
        self._word_ids: dict[str, npt.NDArray[np.int64]] = {}

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def fit(
        cls, units: Iterable[Sequence[str]], *, min_df: int = 3, whole_words: bool = False
    ) -> "Vocabulary":
        """Learn the features found in at least ``min_df`` units, with smoothed idf (sklearn's)."""
        df: Counter[str] = Counter()
        n_units = 0
        for words in units:
            n_units += 1
            df.update(unit_counts(words, whole_words).keys())
        terms = sorted(term for term, count in df.items() if count >= min_df)
        idf = [math.log((1 + n_units) / (1 + df[term])) + 1.0 for term in terms]
        return cls(terms, idf, whole_words=whole_words)

    def word_ids(self, word: str) -> npt.NDArray[np.int64]:
        """The feature ids of one word's known n-grams (cached: notes repeat their words)."""
        ids = self._word_ids.get(word)
        if ids is None:
            index = self.index
            grams = word_features(word, self.whole_words)
            ids = np.asarray([index[g] for g in grams if g in index], dtype=np.int64)
            if len(self._word_ids) >= WORD_CACHE_SIZE:
                self._word_ids.clear()
            self._word_ids[word] = ids
        return ids

    def transform(self, units: Sequence[Sequence[str]]) -> SparseRows:
        """Sublinear TF-IDF rows, L2-normalised, one per unit (an empty unit is an empty row)."""
        return self._rows([[self.word_ids(word) for word in words] for words in units])

    def transform_with_whole(self, units: Sequence[Sequence[str]]) -> tuple[SparseRows, SparseRows]:
        """The rows of ``units`` and the one row of all of them together, looking words up once.

        The whole-note row equals ``transform([all words of all units])``.
        """
        per_unit = [[self.word_ids(word) for word in words] for words in units]
        ids, sizes = _concatenated(per_unit)
        return self._unit_rows(ids, sizes), self._whole_row(ids)

    def _rows(self, units: Sequence[Sequence[npt.NDArray[np.int64]]]) -> SparseRows:
        return self._unit_rows(*_concatenated(units))

    def _unit_rows(self, ids: npt.NDArray[np.int64], sizes: Sequence[int]) -> SparseRows:
        """The rows of units whose feature ids, unit after unit, are ``ids``."""
        unit_of = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        n_features = len(self.terms)
        keys, counts = _distinct_counts(unit_of * n_features + ids)
        rows, cols = np.divmod(keys, n_features)
        return self._weighted(rows, cols, counts, len(sizes))

    def _whole_row(self, ids: npt.NDArray[np.int64]) -> SparseRows:
        """The one row of all of ``ids``."""
        cols, counts = _distinct_counts(ids)
        return self._weighted(np.zeros(len(cols), dtype=np.int64), cols, counts, 1)

    def _weighted(
        self,
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        counts: npt.NDArray[np.int64],
        n_rows: int,
    ) -> SparseRows:
        """Sublinear TF-IDF values of ``(row, col)`` counts sorted by row then column, L2-normed."""
        weights = (1.0 + np.log(counts)) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_rows))
        return SparseRows(
            rows=rows, cols=cols, vals=(weights / norms[rows]).astype(np.float32), n_rows=n_rows
        )

    def save(self, path: Path) -> None:
        """Write the vocabulary as plain JSON."""
        payload = {
            "ngram_sizes": list(NGRAM_SIZES),
            "whole_words": self.whole_words,
            "terms": self.terms,
            "idf": self.idf.tolist(),
        }
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        """Read a vocabulary written by :meth:`save`; refuse one built with other n-gram sizes."""
        payload = orjson.loads(path.read_bytes())
        if tuple(payload["ngram_sizes"]) != NGRAM_SIZES:
            raise ValueError(f"vocabulary n-gram sizes {payload['ngram_sizes']} != {NGRAM_SIZES}")
        return cls(payload["terms"], payload["idf"], whole_words=payload.get("whole_words", False))


def _distinct_counts(
    values: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.unique(values, return_counts=True)``, sorting with a stable sort.

    Feature ids come in runs (unit after unit, a word's n-grams in order) that the stable merge
    sort exploits: about twice as fast as the quicksort ``np.unique`` uses.
    """
    ordered = np.sort(values, kind="stable")
    is_first = np.ones(len(ordered), dtype=bool)
    is_first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(is_first)
    return ordered[starts], np.diff(starts, append=len(ordered))


def _concatenated(
    units: Sequence[Sequence[npt.NDArray[np.int64]]],
) -> tuple[npt.NDArray[np.int64], list[int]]:
    """The feature ids of every unit, one unit after the other, and how many each unit has."""
    sizes = [sum(len(ids) for ids in unit) for unit in units]
    if not sum(sizes):
        return np.zeros(0, dtype=np.int64), sizes
    return np.concatenate([ids for unit in units for ids in unit]), sizes


def sentence_units(analyzed: AnalyzedText) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The note's sentences that hold words: their spans and their normalised words."""
    spans: list[tuple[int, int]] = []
    words: list[list[str]] = []
    for sentence in analyzed.sentences:
        tokens = analyzed.tokens_in(sentence.start, sentence.end)
        if tokens:
            spans.append((sentence.start, sentence.end))
            words.append([t.norm for t in tokens])
    return spans, words
