"""Lookups by offset and the sentence splitter's last word agree with their plain definitions."""

import random
import re

from service.text import AnalyzedText, Sentence, TextPipeline
from service.text.assertion import strongest
from service.text.sentences import _last_word

PIECES = ["No fever", "denies chest pain", "FAMILY HISTORY:", "Dr. J. Smith", "vs.", "2.5 mg",
          "mother had cancer", ";", ",", "\n", "\n\n", " ", "Hématome", "Crohn\u2019s"]  # fmt: skip


def _texts() -> list[str]:
    rng = random.Random(17)
    texts = ["", " ", "\n\n", "Plan: rest."]
    for _ in range(60):
        texts.append(" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25))))
    return texts


def _check_lookups(analyzed: AnalyzedText, rng: random.Random) -> None:
    text, tokens = analyzed.text, analyzed.tokens
    for _ in range(40):
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        section = [s for s in analyzed.sections if s.start <= start]
        assert analyzed.section_at(start) == (section[-1] if section else analyzed.sections[0]).name
        before = [s for s in analyzed.sentences if s.start <= start]
        first_sentence = analyzed.sentences[0] if analyzed.sentences else Sentence(0, 0)
        assert analyzed.sentence_at(start) == (before[-1] if before else first_sentence)
        overlapping = [i for i, t in enumerate(tokens) if t.end > start and t.start < end]
        first, last = analyzed.token_span(start, end)
        if overlapping:
            assert (first, last) == (overlapping[0], overlapping[-1] + 1)
            assert analyzed.assertion_of(start, end) == strongest(
                analyzed.token_assertions[i] for i in overlapping
            )
        else:
            assert first == last
        assert analyzed.tokens_in(start, end) == tuple(tokens[i] for i in overlapping)


def test_lookups_by_offset_follow_their_definitions() -> None:
    pipeline, rng = TextPipeline(), random.Random(19)
    for text in _texts():
        _check_lookups(pipeline.analyze(text), rng)


def test_last_word_is_what_a_forward_regex_search_finds() -> None:
    pattern = re.compile(r"(\w+)\W*$")
    rng = random.Random(23)
    alphabet = "ab Z9_.,;:!?'\"()-\t\u00e9\u0301\u00b2\u2019\u00a0\u4e2d\u0661"
    for _ in range(5000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 15)))
        start = rng.randint(0, len(line))
        end = rng.randint(start, len(line))
        found = pattern.search(line, start, end)
        assert _last_word(line, start, end) == (found.group(1) if found else "")
