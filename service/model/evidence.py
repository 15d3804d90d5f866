"""Choose the spans of a note that support a suggested code, for a coder's panel to highlight.

A supervised suggestion's evidence is the sentence that scored the code highest, narrowed to the
words the code is known by (its catalogue terms and the words most associated with it in
training); a matched term's evidence is the matched words. Every span is exact:
``text[start:end]`` is the evidence text.
"""

from collections import Counter
from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

from service.model.matcher import TermMatch
from service.suggestions import Evidence
from service.text import AnalyzedText
from service.text.assertion import strongest

MAX_EVIDENCE = 3
# A second sentence is evidence too when it scores at least this share of the best one.
SECONDARY_SHARE = 0.6


def _evidence(analyzed: AnalyzedText, start: int, end: int, words: Collection[str]) -> Evidence:
    """Evidence for ``[start, end)``, asserted as the words in it that name the code are.

    A narrowed sentence can still hold another finding's negation ("hypertension, no
    diabetes"): the words that name the code decide, the most common assertion among them
    winning and ties going to the stronger one.
    """
    first, last = analyzed.token_span(start, end)
    tokens, assertions = analyzed.tokens, analyzed.token_assertions
    hits = [assertions[i] for i in range(first, last) if tokens[i].norm in words]
    if hits:
        counts = Counter(hits)
        top = max(counts.values())
        assertion = strongest(a for a, n in counts.items() if n == top)
    else:
        assertion = analyzed.assertion_of(start, end)
    return Evidence(
        start=start,
        end=end,
        text=analyzed.text[start:end],
        section=analyzed.section_at(start),
        assertion=assertion,
    )


def narrow(analyzed: AnalyzedText, start: int, end: int, words: Collection[str]) -> tuple[int, int]:
    """The part of ``[start, end)`` from the first to the last word in ``words`` (or all of it)."""
    tokens = analyzed.tokens_in(start, end)
    hits = [t for t in tokens if t.norm in words]
    if not hits:
        return (tokens[0].start, tokens[-1].end) if tokens else (start, end)
    return hits[0].start, hits[-1].end


def evidence_for(
    analyzed: AnalyzedText,
    unit_spans: Sequence[tuple[int, int]],
    unit_scores: npt.NDArray[np.float32] | None,
    matches: Sequence[TermMatch],
    words: Collection[str],
) -> tuple[Evidence, ...]:
    """Up to three evidence spans: matched terms first, then the best-scoring sentences."""
    spans: list[tuple[int, int]] = [(m.start, m.end) for m in matches[:MAX_EVIDENCE]]
    if unit_scores is not None and unit_scores.size and len(spans) < MAX_EVIDENCE:
        order = np.argsort(-unit_scores, kind="stable")
        best = float(unit_scores[order[0]])
        for unit in order[:MAX_EVIDENCE].tolist():
            score = float(unit_scores[unit])
            if score <= 0 or (unit != order[0] and score < SECONDARY_SHARE * best):
                break
            start, end = unit_spans[unit]
            span = narrow(analyzed, start, end, words)
            if not any(s < span[1] and span[0] < e for s, e in spans):
                spans.append(span)
            if len(spans) >= MAX_EVIDENCE:
                break
    spans.sort()
    return tuple(_evidence(analyzed, s, e, words) for s, e in spans if e > s)
