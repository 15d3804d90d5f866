"""The text pipeline both training and serving run: tokens, sentences, sections, assertions."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

from service.text.assertion import SECTION_ASSERTIONS, AssertionRules, strongest
from service.text.sections import find_sections
from service.text.sentences import split_sentences
from service.text.tokens import tokenize
from service.text.types import Assertion, Section, Sentence, Token


@dataclass(frozen=True)
class AnalyzedText:
    """A note after analysis; every offset is a character offset into ``text``."""

    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    sections: tuple[Section, ...]
    token_assertions: tuple[Assertion, ...]

    def section_at(self, offset: int) -> str:
        """Name of the section holding the character at ``offset`` (``len(text)`` allowed)."""
        self._check(offset, offset)
        i = bisect_right(self._section_starts, offset) - 1
        return self.sections[max(i, 0)].name

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding ``offset``: the last one starting at or before it.

        An offset in leading whitespace gets the first sentence; a blank text, ``Sentence(0, 0)``.
        """
        self._check(offset, offset)
        if not self.sentences:
            return Sentence(0, 0)
        i = bisect_right(self._sentence_starts, offset) - 1
        return self.sentences[max(i, 0)]

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``(first, last)`` such that ``tokens[first:last]`` overlap ``[start, end)``."""
        return self._token_range(start, end)

    def tokens_in(self, start: int, end: int) -> tuple[Token, ...]:
        """The tokens that overlap ``[start, end)``, in order (a partly covered word counts)."""
        first, last = self._token_range(start, end)
        return self.tokens[first:last]

    def assertion_of(self, start: int, end: int) -> Assertion:
        """The assertion of a mention spanning ``[start, end)``.

        The strongest (see ``service.text.assertion.PRECEDENCE``) of its tokens' assertions, so a
        mention any word of which is in a negation scope is negated; a span without words takes
        its section's default.
        """
        first, last = self._token_range(start, end)
        if first == last:
            return SECTION_ASSERTIONS.get(self.section_at(start), Assertion.PRESENT)
        return strongest(self.token_assertions[first:last])

    def _token_range(self, start: int, end: int) -> tuple[int, int]:
        self._check(start, end)
        first = bisect_right(self._token_ends, start)
        last = bisect_left(self._token_starts, end)
        return first, max(first, last)

    # Offset lookups bisect plain lists of ints: evidence and term matching make hundreds of
    # them per note, and a ``key=`` function would cost a Python call per probe.
    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @cached_property
    def _token_ends(self) -> list[int]:
        """Sorted like the starts: tokens do not overlap."""
        return [t.end for t in self.tokens]

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def _check(self, start: int, end: int) -> None:
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside a text of {len(self.text)} chars")


class TextPipeline:
    """Analyses clinical notes; build once, then call ``analyze`` from any number of threads.

    Thread-safe: after ``__init__`` the pipeline holds only immutable compiled rules and regexes,
    and ``analyze`` keeps all its state in locals (the word-normalisation cache is an
    ``lru_cache``, which is safe to share).
    """

    def __init__(self) -> None:
        self._assertion_rules = AssertionRules()

    def analyze(self, text: str) -> AnalyzedText:
        """Tokenise ``text`` and find its sentences, sections and each token's assertion."""
        tokens = tokenize(text)
        sentences = split_sentences(text)
        sections = find_sections(text)
        assertions = self._assertion_rules.assign(text, tokens, sentences, sections)
        return AnalyzedText(text, tokens, sentences, sections, assertions)
