"""Choose the spans of a note that support a suggested code, for a coder's panel to highlight.

A supervised suggestion's evidence is the sentence that scored the code highest, narrowed to the
words the code is known by (its catalogue terms and the words most associated with it in
training); a matched term's evidence is the matched words. Every span is exact:
``text[start:end]`` is the evidence text.
"""

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

from service.model.matcher import TermMatch
from service.suggestions import Evidence
from service.text import AnalyzedText, Assertion
from service.text.assertion import most_common, strongest

MAX_EVIDENCE = 3
# A second sentence is evidence too when it scores at least this share of the best one.
SECONDARY_SHARE = 0.6


# A span of the note and the assertion its evidence gets.
_Span = tuple[int, int, Assertion]


def _asserted(analyzed: AnalyzedText, start: int, end: int, words: Collection[str]) -> _Span:
    """``[start, end)``, asserted as the words in it that name the code are.

    A narrowed sentence can still hold another finding's negation ("hypertension, no
    diabetes"): the words that name the code decide, the most common assertion among them
    winning and ties going to the stronger one.
    """
    first, last = analyzed.token_span(start, end)
    tokens, assertions = analyzed.tokens[first:last], analyzed.token_assertions[first:last]
    hits = [a for token, a in zip(tokens, assertions, strict=True) if token.norm in words]
    return start, end, most_common(hits) if hits else analyzed.assertion_of(start, end)


def narrow(analyzed: AnalyzedText, start: int, end: int, words: Collection[str]) -> _Span:
    """The part of ``[start, end)`` from the first to the last word in ``words`` (or all of it).

    Asserted as :func:`_asserted` would assert it, from the words found while narrowing: the
    narrowed part holds the same words that name the code.
    """
    first, last = analyzed.token_span(start, end)
    tokens, assertions = analyzed.tokens[first:last], analyzed.token_assertions[first:last]
    hits = [i for i, token in enumerate(tokens) if token.norm in words]
    if hits:
        found = most_common([assertions[i] for i in hits])
        return tokens[hits[0]].start, tokens[hits[-1]].end, found
    if tokens:
        return tokens[0].start, tokens[-1].end, strongest(assertions)
    return start, end, analyzed.assertion_of(start, end)


def evidence_for(
    analyzed: AnalyzedText,
    unit_spans: Sequence[tuple[int, int]],
    unit_scores: npt.NDArray[np.float32] | None,
    matches: Sequence[TermMatch],
    words: Collection[str],
) -> tuple[Evidence, ...]:
    """Up to three evidence spans: matched terms first, then the best-scoring sentences."""
    spans = [_asserted(analyzed, m.start, m.end, words) for m in matches[:MAX_EVIDENCE]]
    if unit_scores is not None and unit_scores.size and len(spans) < MAX_EVIDENCE:
        order = np.argsort(-unit_scores, kind="stable")
        best = float(unit_scores[order[0]])
        for unit in order[:MAX_EVIDENCE].tolist():
            score = float(unit_scores[unit])
            if score <= 0 or (unit != order[0] and score < SECONDARY_SHARE * best):
                break
            start, end = unit_spans[unit]
            span = narrow(analyzed, start, end, words)
            if not any(s < span[1] and span[0] < e for s, e, _ in spans):
                spans.append(span)
            if len(spans) >= MAX_EVIDENCE:
                break
    spans.sort(key=lambda span: span[:2])
    return tuple(
        Evidence(
            start=s, end=e, text=analyzed.text[s:e], section=analyzed.section_at(s), assertion=a
        )
        for s, e, a in spans
        if e > s
    )
