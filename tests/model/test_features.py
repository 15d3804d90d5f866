"""Character n-gram features: what training fits and serving transforms."""

import math
from pathlib import Path

import numpy as np

from service.model.features import Vocabulary, word_ngrams


def test_word_ngrams_are_padded_like_char_wb() -> None:
    assert word_ngrams("fever") == (
        " fev",
        "feve",
        "ever",
        "ver ",
        " feve",
        "fever",
        "ever ",
    )
    # A word shorter than the n-gram size counts once, whole and padded.
    assert word_ngrams("ab") == (" ab ",)


def test_fit_keeps_ngrams_in_enough_units_with_smoothed_idf() -> None:
    units = [["fever"], ["fever"], ["cough"]]
    vocabulary = Vocabulary.fit(units, min_df=2)
    assert set(vocabulary.terms) == set(word_ngrams("fever"))
    # idf = ln((1 + n) / (1 + df)) + 1 with n = 3 units and df = 2.
    assert np.allclose(vocabulary.idf, math.log(4 / 3) + 1)


def test_transform_is_sublinear_tfidf_with_unit_norm() -> None:
    vocabulary = Vocabulary([" ab ", "zzzz"], [1.0, 2.0])
    rows = vocabulary.transform([["ab", "ab", "ab"], [], ["ab", "qq"]])
    assert rows.n_rows == 3
    assert rows.rows.tolist() == [0, 2]
    assert rows.cols.tolist() == [0, 0]
    # One known n-gram per row: its normalised weight is 1 whatever its count.
    assert np.allclose(rows.vals, [1.0, 1.0])
    two = Vocabulary([" ab ", " cd "], [1.0, 2.0]).transform([["ab", "ab", "cd"]])
    a, b = (1 + math.log(2)) * 1.0, 1.0 * 2.0
    norm = math.hypot(a, b)
    assert np.allclose(two.vals, [a / norm, b / norm], atol=1e-6)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.json"
    vocabulary = Vocabulary.fit([["fever", "cough"], ["fever"]], min_df=1)
    vocabulary.save(path)
    loaded = Vocabulary.load(path)
    assert loaded.terms == vocabulary.terms
    assert np.array_equal(loaded.idf, vocabulary.idf)


def test_whole_word_features_are_optional_and_saved(tmp_path: Path) -> None:
    chars_only = Vocabulary.fit([["fever"], ["fever"]], min_df=1)
    with_words = Vocabulary.fit([["fever"], ["fever"]], min_df=1, whole_words=True)
    assert "=fever" not in chars_only.index
    assert "=fever" in with_words.index
    assert len(with_words) == len(chars_only) + 1
    with_words.save(tmp_path / "vocabulary.json")
    loaded = Vocabulary.load(tmp_path / "vocabulary.json")
    assert loaded.whole_words
    assert loaded.transform([["fever"]]).cols.size == len(with_words)


def test_the_whole_row_is_the_row_of_all_words() -> None:
    vocabulary = Vocabulary.fit([["fever", "cough"], ["fever"], ["pain"]], min_df=1)
    units = [["fever", "cough", "fever"], [], ["pain", "unknownword"]]
    rows, whole = vocabulary.transform_with_whole(units)
    expected_rows = vocabulary.transform(units)
    expected_whole = vocabulary.transform([[w for unit in units for w in unit]])
    for got, expected in ((rows, expected_rows), (whole, expected_whole)):
        assert got.n_rows == expected.n_rows
        assert np.array_equal(got.rows, expected.rows)
        assert np.array_equal(got.cols, expected.cols)
        assert np.allclose(got.vals, expected.vals)
    assert whole.n_rows == 1
    assert whole.cols.size > 0
