"""Word tokens: exact offsets on messy text, and the normalised form features use."""

from itertools import pairwise

import pytest

from service.text import normalize_word, tokenize


@pytest.mark.parametrize(
    ("word", "norm"),
    [
        ("Diabetes", "diabetes"),
        ("Crohn's", "crohn"),
        ("Crohn\u2019s", "crohn"),
        ("don't", "dont"),
        ("Hématome", "hematome"),
        ("cafe\u0301", "cafe"),  # decomposed accent
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("\ufb01brosis", "fibrosis"),  # the fi ligature
        ("HbA1c", "hba1c"),
        ("---", ""),
    ],
)
def test_normalize_word(word: str, norm: str) -> None:
    assert normalize_word(word) == norm


def test_offsets_are_exact_on_messy_text() -> None:
    text = (
        "Pt\u00e9 w/ Crohn's dz.\r\n\tBP 109/68 mmHg;\u00a0T\u00aa 40.2\u00b0C\r\n"
        "\u201cNo\u201d fiebre \u2014 x_y TNF-\u03b1 \U0001f600 cafe\u0301\n"
    )
    tokens = tokenize(text)
    words = [text[t.start : t.end] for t in tokens]
    assert words == [
        "Pt\u00e9", "w", "Crohn's", "dz", "BP", "109", "68", "mmHg", "T\u00aa", "40", "2", "C",
        "No", "fiebre", "x", "y", "TNF", "\u03b1", "cafe\u0301",
    ]  # fmt: skip
    assert [t.norm for t in tokens][:4] == ["pte", "w", "crohn", "dz"]
    assert tokens[8].norm == "ta"  # the feminine ordinal folds to a plain "a"
    assert all(a.end <= b.start for a, b in pairwise(tokens))


def test_every_norm_is_alphanumeric_and_lower_case() -> None:
    text = "Ångström's ΔT ½ Ⅳ Øresund naïve DIABETES"
    for token in tokenize(text):
        assert token.norm.isalnum()
        assert token.norm == token.norm.casefold()
