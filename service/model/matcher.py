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
        assertions = analyzed.token_assertions
        anchored = self._anchored
        for sentence in analyzed.sentences:
            offset, last_token = analyzed.token_span(sentence.start, sentence.end)
            tokens = analyzed.tokens[offset:last_token]
            where: dict[str, list[int]] = defaultdict(list)
            for i, token in enumerate(tokens):
                where[token.norm].append(i)
            present = where.keys()
            for word in where:
                by_second = anchored.get(word)
                if by_second is None:
                    continue
                # A term is filed under one word only, so it is checked once per sentence.
                seconds = (
                    [""] + [w for w in by_second if w and w in present]
                    if len(by_second) <= len(present)
                    else [""] + [w for w in present if w in by_second]
                )
                for second in seconds:
                    for label, words in by_second.get(second, ()):
                        if not all(w in present for w in words):
                            continue
                        positions = [where[w][0] for w in words]
                        lo, hi = min(positions), max(positions)
                        # As assertion_of(start, end) would: the strongest over the span.
                        assertion = strongest(assertions[offset + lo : offset + hi + 1])
                        found[label].append(
                            TermMatch(
                                label, len(words), tokens[lo].start, tokens[hi].end, assertion
                            )
                        )
        for matches in found.values():
            matches.sort(key=lambda m: (-m.n_words, m.end - m.start, m.start))
        return dict(found)

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
