"""Carry mention spans from a source text to its translation, written one sentence a line.

CodiEsp's evidence spans point into the Spanish original, but the product reads English. The
English file is a sentence-by-sentence machine translation, one sentence per line, so:

1. split the Spanish text into sentences (:func:`split_sentences`);
2. align them monotonically to the English lines by sentence length, with the dynamic programme of
   Gale and Church (1993) allowing 1-1, 1-2, 2-1, 1-0 and 0-1 matches (:func:`align`);
3. give each mention the span of the English line(s) aligned to the sentence(s) it lies in
   (:func:`carry_mentions`): exact offsets into the English text, approximate evidence (a whole
   line rather than the words).
"""

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.codesystems import CodeSystem

__all__ = [
    "SentenceAlignment",
    "SourceMention",
    "TargetSpan",
    "align",
    "carry_mentions",
    "line_spans",
    "split_sentences",
]

Span = tuple[int, int]

# A sentence ends at . ! ? (plus closing quotes or brackets) followed by white space and a
# capital, digit or opening punctuation; paragraph breaks always end one.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'»)\]]*\s+(?=[A-ZÁÉÍÓÚÑÜ0-9¿¡\"'«(\[])|\n+")
# Abbreviations after which a capital does not start a new sentence ("Dr. Pérez").
_ABBREVIATIONS = frozenset({"dr", "dra", "sr", "sra", "srta", "prof", "fig", "núm", "aprox", "vs"})

# Match priors from Gale and Church (1993): most sentences translate one-to-one.
_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
}
# Variance of the target length per source character (Gale and Church's estimate).
_VARIANCE = 6.8


@dataclass(frozen=True, slots=True)
class SourceMention:
    """A code's evidence in the source text: one or more (possibly discontinuous) spans."""

    system: CodeSystem
    code: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class TargetSpan:
    """A carried mention: the span in the translation of the line(s) aligned to its sentence(s)."""

    system: CodeSystem
    code: str
    start: int
    end: int


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str) -> list[Span]:
    """Split paragraph text into sentence spans, stripped of surrounding white space."""
    spans: list[Span] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        before = text[start : boundary.start()].rsplit(maxsplit=1)
        last_word = before[-1].rstrip(".").lower() if before else ""
        if last_word in _ABBREVIATIONS and "\n" not in boundary.group():
            continue
        if (span := _strip(text, start, boundary.start())) is not None:
            spans.append(span)
        start = boundary.end()
    if (span := _strip(text, start, len(text))) is not None:
        spans.append(span)
    return spans


def line_spans(text: str) -> list[Span]:
    """The spans of the non-blank lines of ``text``, stripped of surrounding white space."""
    spans: list[Span] = []
    start = 0
    for line in text.splitlines(keepends=True):
        if (span := _strip(text, start, start + len(line))) is not None:
            spans.append(span)
        start += len(line)
    return spans


def _match_cost(source_length: int, target_length: int, ratio: float) -> float:
    """-log P(lengths | match): how unlikely these two lengths are as translations."""
    mean = (source_length + target_length / ratio) / 2
    if mean == 0:
        return 0.0
    delta = (target_length - source_length * ratio) / math.sqrt(mean * _VARIANCE)
    # Two-tailed probability of a deviation at least this large under a standard normal.
    tail = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(tail, 1e-300))


def align(
    source_lengths: Sequence[int], target_lengths: Sequence[int]
) -> list[tuple[range, range]]:
    """Align two sequences of sentence lengths monotonically (Gale-Church).

    Returns the matched groups in order, each a pair (source indices, target indices); every index
    of both sequences is in exactly one group, and a group's range may be empty (1-0, 0-1). The
    expected length ratio is taken from the two texts themselves, so a translation that drops or
    condenses material does not skew every match.
    """
    n, m = len(source_lengths), len(target_lengths)
    total_source, total_target = sum(source_lengths), sum(target_lengths)
    ratio = total_target / total_source if total_source and total_target else 1.0
    # Prefix sums give a group's length in O(1): the programme visits every (i, j) five times.
    source_upto = [0, *itertools.accumulate(source_lengths)]
    target_upto = [0, *itertools.accumulate(target_lengths)]
    moves = [(di, dj, -math.log(prior)) for (di, dj), prior in _PRIORS.items()]
    costs = [[math.inf] * (m + 1) for _ in range(n + 1)]
    steps: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    costs[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            best, best_step = costs[i][j], steps[i][j]
            for di, dj, penalty in moves:
                if i < di or j < dj:
                    continue
                previous = costs[i - di][j - dj]
                if previous == math.inf:
                    continue
                source = source_upto[i] - source_upto[i - di]
                target = target_upto[j] - target_upto[j - dj]
                cost = previous + _match_cost(source, target, ratio) + penalty
                if cost < best:
                    best, best_step = cost, (di, dj)
            costs[i][j], steps[i][j] = best, best_step
    groups: list[tuple[range, range]] = []
    i, j = n, m
    while i or j:
        di, dj = steps[i][j]
        groups.append((range(i - di, i), range(j - dj, j)))
        i, j = i - di, j - dj
    groups.reverse()
    return groups


def _sentence_of(sentences: Sequence[Span], offset: int) -> int:
    """Index of the sentence holding ``offset``, or of the nearest one before it (a gap)."""
    index = 0
    for position, (start, _) in enumerate(sentences):
        if start > offset:
            break
        index = position
    return index


class SentenceAlignment:
    """The sentence alignment of one source text with its line-per-sentence translation."""

    def __init__(self, source_text: str, target_text: str) -> None:
        self.source_text = source_text
        self.target_text = target_text
        self.sentences = split_sentences(source_text)
        self.lines = line_spans(target_text)
        self._lines_of_sentence: dict[int, range] = {}
        if self.sentences and self.lines:
            lengths = ([e - s for s, e in self.sentences], [e - s for s, e in self.lines])
            for source_group, target_group in align(*lengths):
                for index in source_group:
                    self._lines_of_sentence[index] = target_group

    def carry(self, mention: SourceMention) -> list[TargetSpan]:
        """The target span(s) of one mention: one per run of adjacent aligned lines, in order.

        Empty when its sentence was aligned to no line (a 1-0 match: the translation dropped it).
        """
        line_indices: set[int] = set()
        for start, end in mention.spans:
            first = _sentence_of(self.sentences, start)
            last = _sentence_of(self.sentences, max(start, end - 1))
            for sentence in range(first, last + 1):
                line_indices.update(self._lines_of_sentence.get(sentence, ()))
        # The translation has stray lines such as "1." (about one case in two): they absorb
        # 1-2 matches but are no evidence, so a span does not reach out to include them.
        worded = {i for i in line_indices if _has_letter(self.target_text, self.lines[i])}
        return [
            TargetSpan(mention.system, mention.code, self.lines[first][0], self.lines[last][1])
            for first, last in _runs(sorted(worded or line_indices))
        ]


def carry_mentions(
    source_text: str, target_text: str, mentions: Sequence[SourceMention]
) -> list[TargetSpan]:
    """Carry each mention to the span of the target line(s) aligned to its source sentence(s).

    See :meth:`SentenceAlignment.carry`. The result has no duplicates and is sorted by position.
    """
    alignment = SentenceAlignment(source_text, target_text)
    carried = {span for mention in mentions for span in alignment.carry(mention)}
    return sorted(carried, key=lambda span: (span.start, span.end, span.system, span.code))


def _has_letter(text: str, span: Span) -> bool:
    return any(character.isalpha() for character in text[span[0] : span[1]])


def _runs(indices: Sequence[int]) -> list[tuple[int, int]]:
    """Group sorted indices into runs of consecutive values, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for index in indices:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs
