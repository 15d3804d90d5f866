"""The public pipeline API: offsets, lookups by offset, determinism and concurrent use."""

from concurrent.futures import ThreadPoolExecutor

import pytest

import service.text
from service.text import Assertion, Sentence, TextPipeline

MESSY = (
    "HPI:\tNo fièvre, denies chest pain.\r\n"
    "Crohn\u2019s disease since 2010; mother had breast cancer.\r\n"
    "\r\n"
    "Assessment: possible pneumonia \U0001f637 vs. bronchitis."
)


def test_public_names_are_pinned() -> None:
    assert sorted(service.text.__all__) == sorted(
        [
            "SECTION_HEADERS", "UNKNOWN", "AnalyzedText", "Assertion", "Section", "Sentence",
            "TextPipeline", "Token", "normalize_word", "tokenize",
        ]
    )  # fmt: skip


def test_offsets_slice_the_original_text(pipeline: TextPipeline) -> None:
    analyzed = pipeline.analyze(MESSY)
    assert analyzed.text is MESSY
    words = [MESSY[t.start : t.end] for t in analyzed.tokens]
    assert words[:6] == ["HPI", "No", "fièvre", "denies", "chest", "pain"]
    assert "Crohn\u2019s" in words
    assert [t.norm for t in analyzed.tokens][:3] == ["hpi", "no", "fievre"]
    assert [MESSY[s.start : s.end] for s in analyzed.sentences] == [
        "HPI:\tNo fièvre, denies chest pain.",
        "Crohn\u2019s disease since 2010; mother had breast cancer.",
        "Assessment: possible pneumonia \U0001f637 vs. bronchitis.",
    ]


def test_lookups_by_offset(pipeline: TextPipeline) -> None:
    analyzed = pipeline.analyze(MESSY)
    crohn = MESSY.index("Crohn")
    pneumonia = MESSY.index("pneumonia")
    assert analyzed.section_at(0) == "history_of_present_illness"
    assert analyzed.section_at(crohn) == "history_of_present_illness"
    assert analyzed.section_at(pneumonia) == "assessment"
    assert analyzed.section_at(len(MESSY)) == "assessment"
    assert analyzed.sentence_at(crohn) == analyzed.sentences[1]
    # An offset on the blank line belongs to the sentence before it.
    assert analyzed.sentence_at(MESSY.index("\r\n\r\n") + 2) == analyzed.sentences[1]

    assert [MESSY[t.start : t.end] for t in analyzed.tokens_in(crohn, crohn + 15)] == [
        "Crohn\u2019s",
        "disease",
    ]
    # A span that only touches part of a word still finds the word; an empty one finds none.
    assert [t.norm for t in analyzed.tokens_in(crohn + 2, crohn + 3)] == ["crohn"]
    assert analyzed.tokens_in(crohn, crohn) == ()

    def assertion(phrase: str) -> Assertion:
        start = MESSY.index(phrase)
        return analyzed.assertion_of(start, start + len(phrase))

    assert assertion("fièvre") is Assertion.NEGATED
    assert assertion("chest pain") is Assertion.NEGATED
    assert assertion("Crohn\u2019s disease") is Assertion.PRESENT
    assert assertion("breast cancer") is Assertion.FAMILY
    assert assertion("pneumonia") is Assertion.POSSIBLE
    # A mention containing a negated word is negated.
    assert assertion("denies chest") is Assertion.NEGATED


def test_spans_outside_the_text_are_refused(pipeline: TextPipeline) -> None:
    analyzed = pipeline.analyze("No fever.")
    with pytest.raises(ValueError, match="outside"):
        analyzed.section_at(10)
    with pytest.raises(ValueError, match="outside"):
        analyzed.tokens_in(5, 3)
    with pytest.raises(ValueError, match="outside"):
        analyzed.assertion_of(-1, 2)


def test_empty_text(pipeline: TextPipeline) -> None:
    analyzed = pipeline.analyze("")
    assert analyzed.tokens == ()
    assert analyzed.sentences == ()
    assert analyzed.section_at(0) == "unknown"
    assert analyzed.sentence_at(0) == Sentence(0, 0)
    assert analyzed.assertion_of(0, 0) is Assertion.PRESENT


def test_deterministic_across_pipelines(pipeline: TextPipeline) -> None:
    assert TextPipeline().analyze(MESSY) == pipeline.analyze(MESSY)


def test_concurrent_analyze_gives_the_same_results(pipeline: TextPipeline) -> None:
    texts = [MESSY, "Extremities without varices or edemas.", "Family history:\nasthma"] * 20
    expected = [pipeline.analyze(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(pipeline.analyze, texts)) == expected
