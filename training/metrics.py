"""Ranking, classification and calibration metrics over plain data.

Shapes, all keyed by case id:

- a *ranking* maps a case to its codes in rank order, best first;
- *scored* predictions map a case to ``(code, score)`` pairs in rank order;
- *gold* maps a case to the set of its correct codes.

Conventions, chosen to match trec_eval and the CodiEsp evaluation:

- A code predicted twice for the same case counts once, at its first rank; later copies are
  removed before ranks are counted, so they neither score nor push other codes down.
- Ranking metrics (MAP, P@k, R@k) average over the cases with at least one gold code. A gold case
  with no output scores 0; a case without gold codes is ignored, whatever was predicted for it.
- Thresholded metrics (micro/macro P/R/F1, best threshold, per-code table) count every case in
  ``gold`` or the predictions: a prediction for a case with no gold codes is a false positive.
  A prediction is positive when its score is ``>= threshold``.
- Macro averages: precision over the codes predicted at least once, recall over the codes with
  gold support, F1 over the union of both (a code on one side only has F1 0). So macro F1 equals
  scikit-learn's ``f1_score(average="macro", zero_division=0)`` over that union, while macro
  precision is not dragged down by codes the model never predicts, nor macro recall by codes
  that never occur.
"""

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Rankings = Mapping[str, Sequence[str]]
Scored = Mapping[str, Sequence[tuple[str, float]]]
Gold = Mapping[str, Collection[str]]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """One equal-width score bin: how many predictions fell in it, and how right they were."""

    lower: float
    upper: float
    count: int
    mean_score: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class CodeRow:
    """Thresholded counts and P/R/F1 of one code over all cases."""

    code: str
    support: int
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _unique_scored(pairs: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    seen: dict[str, float] = {}
    for code, score in pairs:
        seen.setdefault(code, score)
    return list(seen.items())


def average_precision(ranked: Sequence[str], gold: Collection[str]) -> float:
    """AP of one case: sum of precision at each rank holding a gold code, over ``len(gold)``."""
    relevant = set(gold)
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for rank, code in enumerate(_unique(ranked), start=1):
        if code in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def _gold_cases(gold: Gold) -> list[str]:
    return [case for case, codes in gold.items() if codes]


def mean_average_precision(rankings: Rankings, gold: Gold) -> float:
    """MAP over the cases with gold codes; a gold case missing from ``rankings`` scores 0."""
    cases = _gold_cases(gold)
    if not cases:
        return 0.0
    return sum(average_precision(rankings.get(case, ()), gold[case]) for case in cases) / len(cases)


def _hits_at_k(ranked: Sequence[str], gold: Collection[str], k: int) -> int:
    relevant = set(gold)
    return sum(code in relevant for code in _unique(ranked)[:k])


def precision_at_k(rankings: Rankings, gold: Gold, k: int) -> float:
    """Mean over gold cases of (gold codes in the top ``k``) / ``k``, as trec_eval's P_k.

    The divisor is ``k`` even when fewer than ``k`` codes were returned.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    cases = _gold_cases(gold)
    if not cases:
        return 0.0
    hits = sum(_hits_at_k(rankings.get(case, ()), gold[case], k) for case in cases)
    return hits / (k * len(cases))


def recall_at_k(rankings: Rankings, gold: Gold, k: int) -> float:
    """Mean over gold cases of (gold codes in the top ``k``) / (gold codes of the case)."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    cases = _gold_cases(gold)
    if not cases:
        return 0.0
    total = sum(
        _hits_at_k(rankings.get(case, ()), gold[case], k) / len(set(gold[case])) for case in cases
    )
    return total / len(cases)


def _code_counts(scored: Scored, gold: Gold, threshold: float) -> dict[str, list[int]]:
    """Per code, ``[tp, fp, fn]`` over every case in ``gold`` or ``scored``."""
    counts: dict[str, list[int]] = {}
    for case in {*gold, *scored}:
        relevant = set(gold.get(case, ()))
        predicted = {c for c, s in _unique_scored(scored.get(case, ())) if s >= threshold}
        for code in predicted | relevant:
            row = counts.setdefault(code, [0, 0, 0])
            if code in predicted and code in relevant:
                row[0] += 1
            elif code in predicted:
                row[1] += 1
            else:
                row[2] += 1
    return counts


def micro_prf(scored: Scored, gold: Gold, threshold: float) -> PRF:
    """Micro-averaged P/R/F1 of the predictions scored at or above ``threshold``."""
    tp = fp = fn = 0
    for row_tp, row_fp, row_fn in _code_counts(scored, gold, threshold).values():
        tp, fp, fn = tp + row_tp, fp + row_fp, fn + row_fn
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return PRF(precision, recall, _f1(precision, recall))


def macro_prf(scored: Scored, gold: Gold, threshold: float) -> PRF:
    """Macro-averaged P/R/F1 at ``threshold``; see the module docstring for which codes count."""
    precisions: list[float] = []
    recalls: list[float] = []
    f1s: list[float] = []
    for tp, fp, fn in _code_counts(scored, gold, threshold).values():
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        if tp + fp:
            precisions.append(precision)
        if tp + fn:
            recalls.append(recall)
        f1s.append(_f1(precision, recall))
    return PRF(
        _ratio(sum(precisions), len(precisions)),
        _ratio(sum(recalls), len(recalls)),
        _ratio(sum(f1s), len(f1s)),
    )


def per_code_table(scored: Scored, gold: Gold, threshold: float, top_n: int = 50) -> list[CodeRow]:
    """Counts and P/R/F1 at ``threshold`` of the ``top_n`` codes most frequent in ``gold``.

    Ties in gold frequency are broken by code, so the table is deterministic.
    """
    support = Counter(code for codes in gold.values() for code in set(codes))
    frequent = sorted(support, key=lambda code: (-support[code], code))[:top_n]
    counts = _code_counts(scored, gold, threshold)
    rows = []
    for code in frequent:
        tp, fp, fn = counts[code]
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        rows.append(
            CodeRow(code, support[code], tp, fp, fn, precision, recall, _f1(precision, recall))
        )
    return rows


def scored_outcomes(scored: Scored, gold: Gold) -> tuple[list[float], list[bool]]:
    """Every (deduplicated) prediction's score, and whether it is a gold code of its case."""
    scores: list[float] = []
    outcomes: list[bool] = []
    for case, pairs in scored.items():
        relevant = set(gold.get(case, ()))
        for code, score in _unique_scored(pairs):
            scores.append(score)
            outcomes.append(code in relevant)
    return scores, outcomes


def best_threshold(
    scored: Scored, gold: Gold, candidates: Iterable[float] | None = None
) -> tuple[float, PRF]:
    """The threshold, among ``candidates``, that maximises micro F1, and the P/R/F1 there.

    Candidates default to every distinct predicted score, which covers every achievable cut.
    Ties go to the highest threshold: the same F1 with fewer suggestions to review.
    """
    scores, outcomes = scored_outcomes(scored, gold)
    n_gold = sum(len(set(codes)) for codes in gold.values())
    order = np.argsort(scores, kind="stable")
    ascending = np.asarray(scores, dtype=np.float64)[order]
    # hits_above[i] = gold hits among the predictions scored >= ascending[i].
    hits = np.asarray(outcomes, dtype=np.int64)[order]
    hits_above = np.concatenate([np.cumsum(hits[::-1])[::-1], [0]])
    pool = sorted(set(scores) if candidates is None else set(candidates), reverse=True)
    best: tuple[float, PRF] = (pool[0] if pool else 0.5, PRF(0.0, 0.0, 0.0))
    for threshold in pool:
        first = int(np.searchsorted(ascending, threshold, side="left"))
        tp = int(hits_above[first])
        n_predicted = len(ascending) - first
        precision, recall = _ratio(tp, n_predicted), _ratio(tp, n_gold)
        prf = PRF(precision, recall, _f1(precision, recall))
        if prf.f1 > best[1].f1:
            best = (threshold, prf)
    return best


def _bin_index(scores: np.ndarray, bins: int) -> np.ndarray:
    # A score of exactly 1.0 belongs to the last bin, not to an eleventh.
    return np.minimum((scores * bins).astype(np.int64), bins - 1)


def reliability_table(
    scores: Sequence[float], outcomes: Sequence[bool], bins: int = 10
) -> list[ReliabilityBin]:
    """Per equal-width score bin on [0, 1]: count, mean score and fraction correct.

    Empty bins are kept (count 0, mean score and accuracy 0) so the table always has ``bins`` rows.
    """
    if len(scores) != len(outcomes):
        raise ValueError(f"{len(scores)} scores but {len(outcomes)} outcomes")
    values = np.asarray(scores, dtype=np.float64)
    if values.size and (values.min() < 0.0 or values.max() > 1.0):
        raise ValueError("scores must lie in [0, 1]")
    correct = np.asarray(outcomes, dtype=np.float64)
    index = _bin_index(values, bins)
    table = []
    for b in range(bins):
        members = index == b
        count = int(members.sum())
        table.append(
            ReliabilityBin(
                lower=b / bins,
                upper=(b + 1) / bins,
                count=count,
                mean_score=float(values[members].mean()) if count else 0.0,
                accuracy=float(correct[members].mean()) if count else 0.0,
            )
        )
    return table


def expected_calibration_error(
    scores: Sequence[float], outcomes: Sequence[bool], bins: int = 10
) -> float:
    """ECE: sum over equal-width bins of (bin share of predictions) * |accuracy - mean score|."""
    table = reliability_table(scores, outcomes, bins)
    total = sum(row.count for row in table)
    return _ratio(
        sum(row.count * abs(row.accuracy - row.mean_score) for row in table),
        total,
    )
