"""The knowledge-based path: find catalogue terms (descriptions, inclusion terms, CPT keywords)
in a note, so that codes never seen in training (and CPT, which has no labelled notes here) can
still be suggested.

A term matches a sentence when every one of its content words occurs in that sentence, in any
order (clinical wording reorders: "diabetes mellitus type 2" vs "type 2 diabetes mellitus").
Each term is indexed under its rarest word, so a sentence only checks the few terms anchored at
its own words.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from service.text import AnalyzedText, Assertion, tokenize
from service.text.assertion import strongest

# Words that say nothing about which code is meant (ICD-10-CM and CPT boilerplate included).
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "other",
        "unspecified",
        "specified",
        "elsewhere",
        "classified",
        "nos",
        "nec",
        "not",
        "site",
        "type",
        "part",
        "initial",
        "encounter",
        "subsequent",
        "sequela",
        "each",
        "per",
        "via",
        "using",
        "than",
        "then",
        "this",
        "that",
        "its",
        "has",
        "have",
        "had",
        "was",
        "were",
        "been",
        "being",
        "patient",
        "patients",
        "she",
        "he",
        "her",
        "his",
        "they",
        "their",
        "which",
        "who",
        "also",
        "after",
        "before",
        "during",
    }
)


def content_words(text: str) -> tuple[str, ...]:
    """The distinct normalised words of ``text`` that carry meaning, in order."""
    words = (t.norm for t in tokenize(text))
    return tuple(dict.fromkeys(w for w in words if w not in STOPWORDS and len(w) > 1))


# A filed term: its label and its content words (a JSON-native shape, so loading is a parse).
_Term = tuple[int, list[str]]


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A catalogue term found in one sentence: which label, how long, and where."""

    label: int
    n_words: int
    start: int
    end: int
    assertion: Assertion


def _term_match(analyzed: AnalyzedText, label: int, n_words: int, lo: int, hi: int) -> TermMatch:
    """The match of a term whose words span the tokens ``lo`` to ``hi`` (both included)."""
    tokens = analyzed.tokens
    # As assertion_of(start, end) would: the strongest over the span.
    assertion = strongest(analyzed.token_assertions[lo : hi + 1])
    return TermMatch(label, n_words, tokens[lo].start, tokens[hi].end, assertion)


class TermMatcher:
    """Matches a fixed list of ``(label index, content words)`` terms against analysed notes."""

    def __init__(self, terms: Sequence[tuple[int, Sequence[str]]]) -> None:
        frequency: Counter[str] = Counter(w for _, words in terms for w in words)
        # Terms are filed under their two rarest words, so a sentence only looks at terms
        # whose two rarest words it contains (one-word terms under the word and "").
        anchored: dict[str, dict[str, list[_Term]]] = defaultdict(lambda: defaultdict(list))
        self.n_terms = 0
        for label, words in terms:
            if words:
                ranked = sorted(set(words), key=lambda w: (frequency[w], w))
                second = ranked[1] if len(ranked) > 1 else ""
                anchored[ranked[0]][second].append((label, list(words)))
                self.n_terms += 1
        self._anchored = {word: dict(by_second) for word, by_second in anchored.items()}

    def match(self, analyzed: AnalyzedText) -> dict[int, list[TermMatch]]:
        """Every label with at least one matching term, with its matches (longest first)."""
        found: dict[int, list[TermMatch]] = defaultdict(list)
        for sentence in analyzed.sentences:
            first, last = analyzed.token_span(sentence.start, sentence.end)
            self._match_sentence(analyzed, first, last, found)
        for matches in found.values():
            matches.sort(key=lambda m: (-m.n_words, m.end - m.start, m.start))
        return dict(found)

    def _match_sentence(
        self, analyzed: AnalyzedText, first: int, last: int, found: dict[int, list[TermMatch]]
    ) -> None:
        """Add the matches of the sentence made of ``analyzed.tokens[first:last]`` to ``found``."""
        tokens = analyzed.tokens[first:last]
        # Each word's first position in the sentence, in order of first appearance.
        position: dict[str, int] = {}
        for i, token in enumerate(tokens):
            position.setdefault(token.norm, i)
        present = set(position)
        anchored = self._anchored
        for word in position:
            by_second = anchored.get(word)
            if by_second is None:
                continue
            # A term is filed under one word only, so it is checked once per sentence.
            seconds = (
                [""] + [w for w in by_second if w and w in present]
                if len(by_second) <= len(present)
                else [""] + [w for w in position if w in by_second]
            )
            for second in seconds:
                for label, words in by_second.get(second, ()):
                    if present.issuperset(words):
                        positions = [position[w] for w in words]
                        lo, hi = first + min(positions), first + max(positions)
                        found[label].append(_term_match(analyzed, label, len(words), lo, hi))

    def save(self, path: Path) -> None:
        """Write the terms as filed (plain JSON), so loading need not sort them again."""
        payload = {"format": 2, "n_terms": self.n_terms, "filed": self._anchored}
        path.write_bytes(orjson.dumps(payload))

    @classmethod
    def load(cls, path: Path) -> "TermMatcher":
        """Read the terms file written by :meth:`save`."""
        payload = orjson.loads(path.read_bytes())
        if payload.get("format") != 2:
            raise ValueError(f"unsupported terms file format in {path}")
        matcher = cls([])
        matcher.n_terms = int(payload["n_terms"])
        matcher._anchored = payload["filed"]
        return matcher


def not_present_shares(matches: Mapping[int, Sequence[TermMatch]]) -> dict[int, float]:
    """For each matched label, the share of its matches that are not asserted present."""
    shares: dict[int, float] = {}
    for label, found in matches.items():
        absent = sum(m.assertion is not Assertion.PRESENT for m in found)
        shares[label] = absent / len(found)
    return shares
