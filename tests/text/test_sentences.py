"""Sentence spans: a newline always ends one; a full stop before a capital usually does."""

from itertools import pairwise

from service.text.sentences import split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_each_line_is_a_sentence_whatever_the_line_break() -> None:
    text = "Chest pain\r\nno fever\n\n  \nEdema of legs\rcough\u2028end"
    assert _texts(text) == ["Chest pain", "no fever", "Edema of legs", "cough", "end"]


def test_full_stop_before_a_capital_splits_a_line() -> None:
    text = "Coagulation: TTPA 25.8 sec. Biochemistry: Glucose 117 mg/dl. 3 doses given!"
    assert _texts(text) == [
        "Coagulation: TTPA 25.8 sec.",
        "Biochemistry: Glucose 117 mg/dl.",
        "3 doses given!",
    ]


def test_abbreviations_initials_and_decimals_do_not_split() -> None:
    text = "Seen by Dr. Smith and J. Doe vs. placebo. T.A: 109/68 mmHg; Ta 40.2 C."
    assert _texts(text) == [
        "Seen by Dr. Smith and J. Doe vs. placebo.",
        "T.A: 109/68 mmHg; Ta 40.2 C.",
    ]


def test_sentences_are_trimmed_ordered_and_cover_every_visible_character() -> None:
    text = "\t First line.  Second one.\r\n\n   third\t\n"
    sentences = split_sentences(text)
    covered = {i for s in sentences for i in range(s.start, s.end)}
    visible = {i for i, ch in enumerate(text) if not ch.isspace()}
    assert visible <= covered
    assert all(not text[s.start].isspace() and not text[s.end - 1].isspace() for s in sentences)
    assert all(a.end <= b.start for a, b in pairwise(sentences))


def test_blank_text_has_no_sentence() -> None:
    assert split_sentences("") == ()
    assert split_sentences(" \n\t\r\n") == ()
