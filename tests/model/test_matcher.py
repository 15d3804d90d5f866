"""The catalogue-term matcher: every content word of a term within one sentence."""

from service.model.matcher import TermMatcher, content_words, not_present_shares
from service.text import TextPipeline

PIPELINE = TextPipeline()


def test_content_words_drop_boilerplate() -> None:
    assert content_words("Type 2 diabetes mellitus, unspecified, without complications") == (
        "diabetes",
        "mellitus",
        "without",
        "complications",
    )


def test_terms_match_in_any_order_within_one_sentence_only() -> None:
    matcher = TermMatcher([(0, ("diabetes", "mellitus")), (1, ("chest", "pain")), (2, ("fever",))])
    text = "Mellitus diabetes since 2001.\nChest x-ray normal.\nNo pain today."
    found = matcher.match(PIPELINE.analyze(text))
    assert set(found) == {0}
    match = found[0][0]
    assert text[match.start : match.end] == "Mellitus diabetes"
    assert match.n_words == 2


def test_longer_terms_come_first_and_negation_is_shared() -> None:
    matcher = TermMatcher([(5, ("pain",)), (5, ("chest", "pain"))])
    analyzed = PIPELINE.analyze("She denies chest pain.")
    found = matcher.match(analyzed)
    assert [m.n_words for m in found[5]] == [2, 1]
    assert not_present_shares(found) == {5: 1.0}
