"""Sentence alignment and the carrying of Spanish mention spans to English lines."""

from service.codesystems import CodeSystem
from training.alignment import (
    SentenceAlignment,
    SourceMention,
    align,
    carry_mentions,
    line_spans,
    split_sentences,
)
from training.prepare import AlignmentQuality

SPANISH = (
    "Varón de 63 años con fiebre de tres días y tos productiva. "
    "El Dr. Pérez pautó amoxicilina 500 mg cada 8 horas durante una semana.\n"
    "La radiografía de tórax mostró una condensación en el lóbulo inferior derecho. "
    "Evolucionó favorablemente y fue dado de alta."
)
ENGLISH = (
    "63-year-old man with a three-day fever and productive cough.\n"
    "Dr. Perez prescribed amoxicillin 500 mg every 8 hours for a week.\n"
    "1.\n"
    "  Chest X-ray showed consolidation in the right lower lobe.  \n"
    "He progressed favourably and was discharged.\n"
)


def _mention(code: str, *words: str) -> SourceMention:
    spans = tuple((SPANISH.index(w), SPANISH.index(w) + len(w)) for w in words)
    return SourceMention(CodeSystem.ICD10CM, code, spans)


def _texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_split_sentences_keeps_abbreviations_and_breaks_paragraphs() -> None:
    assert _texts(split_sentences(SPANISH), SPANISH) == [
        "Varón de 63 años con fiebre de tres días y tos productiva.",
        "El Dr. Pérez pautó amoxicilina 500 mg cada 8 horas durante una semana.",
        "La radiografía de tórax mostró una condensación en el lóbulo inferior derecho.",
        "Evolucionó favorablemente y fue dado de alta.",
    ]
    vitals = "Tª 40,2 C; T.A: 109/68 mmHg. Peso 70 kg. Talla aprox. 170 cm. (Ver figura 1)."
    assert _texts(split_sentences(vitals), vitals) == [
        "Tª 40,2 C; T.A: 109/68 mmHg.",
        "Peso 70 kg.",
        "Talla aprox. 170 cm.",
        "(Ver figura 1).",
    ]


def test_line_spans_are_stripped_and_skip_blank_lines() -> None:
    spans = line_spans(ENGLISH + "\n   \n")
    assert len(spans) == 5
    assert _texts(spans, ENGLISH)[3] == "Chest X-ray showed consolidation in the right lower lobe."


def test_align_finds_splits_and_merges() -> None:
    # Source 1 was split in two lines by the translation; sources 3 and 4 were joined in one.
    groups = align([100, 160, 80, 30, 90], [100, 82, 78, 80, 120])
    assert [(list(s), list(t)) for s, t in groups] == [
        ([0], [0]),
        ([1], [1, 2]),
        ([2], [3]),
        ([3, 4], [4]),
    ]
    assert align([], [10]) == [(range(0, 0), range(0, 1))]


def test_align_leaves_out_sentences_only_on_strong_length_evidence() -> None:
    dropped = align([200, 400, 50, 20, 20], [400, 50])
    assert [(list(s), list(t)) for s, t in dropped] == [([0, 1], [0]), ([2, 3], [1]), ([4], [])]
    added = align([400, 20], [20, 50, 100, 5])
    assert [(list(s), list(t)) for s, t in added] == [([], [0]), ([0], [1, 2]), ([1], [3])]
    # Every index of both sides is in exactly one group, in order.
    assert [i for s, _ in dropped for i in s] == [0, 1, 2, 3, 4]
    assert [j for _, t in added for j in t] == [0, 1, 2, 3]


def test_nothing_is_carried_without_a_translation() -> None:
    mention = SourceMention(CodeSystem.ICD10CM, "R07.9", ((0, 14),))
    assert carry_mentions("Dolor torácico.", "\n", [mention]) == []


def test_carried_spans_slice_the_english_lines_exactly() -> None:
    mentions = [
        _mention("J18.9", "condensación en el lóbulo inferior derecho"),
        _mention("R50.9", "fiebre"),
        # A discontinuous mention over non-adjacent sentences gives one span per line run.
        _mention("R05.9", "tos productiva", "dado de alta"),
    ]
    carried = carry_mentions(SPANISH, ENGLISH, mentions)
    found = {(span.code, ENGLISH[span.start : span.end]) for span in carried}
    assert found == {
        ("R50.9", "63-year-old man with a three-day fever and productive cough."),
        ("R05.9", "63-year-old man with a three-day fever and productive cough."),
        ("J18.9", "Chest X-ray showed consolidation in the right lower lobe."),
        ("R05.9", "He progressed favourably and was discharged."),
    }
    assert [span.start for span in carried] == sorted(span.start for span in carried)


def test_stray_number_lines_are_not_evidence() -> None:
    alignment = SentenceAlignment(SPANISH, ENGLISH)
    [span] = alignment.carry(_mention("Z79.2", "amoxicilina 500 mg"))
    # The stray "1." line is aligned with this sentence (1-2) but left out of the span.
    assert ENGLISH[span.start : span.end] == (
        "Dr. Perez prescribed amoxicillin 500 mg every 8 hours for a week."
    )


def test_quality_checks_numbers_and_shared_words() -> None:
    alignment = SentenceAlignment(SPANISH, ENGLISH)
    quality = AlignmentQuality()
    quality.add_case(alignment)
    for mention in (_mention("Z79.2", "amoxicilina 500 mg"), _mention("J18.9", "lóbulo inferior")):
        quality.add_mention(alignment, mention, alignment.carry(mention))
    summary = quality.summary()
    assert summary["cases"] == 1
    assert summary["sentence_counts_equal"] == 0.0  # 4 sentences, 5 lines
    assert summary["sentence_counts_within_two"] == 1.0
    assert (summary["mentions"], summary["carried"]) == (2, 2)
    assert (summary["mentions_with_number"], summary["number_in_span"]) == (1, 1.0)
    # No Spanish word of 5+ letters of these mentions occurs in the English text.
    assert summary["mentions_with_shared_word"] == 0
