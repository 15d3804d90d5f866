"""Metrics on hand-worked examples; each expected value is worked out in the comment above it."""

from collections.abc import Callable

import pytest

from training.metrics import (
    PRF,
    Gold,
    Rankings,
    average_precision,
    best_threshold,
    expected_calibration_error,
    macro_prf,
    mean_average_precision,
    micro_prf,
    per_code_table,
    precision_at_k,
    recall_at_k,
    reliability_table,
    scored_outcomes,
)

# Ranking example used by MAP, P@k and R@k.
RANKINGS = {
    "c1": ["A", "X", "B", "Y", "C"],
    "c2": ["X", "A"],
    # c3 has gold codes but no output at all.
    "c4": ["A", "B"],  # no gold codes: ignored
    "c5": ["Z"],  # absent from gold: ignored
}
GOLD = {"c1": {"A", "B", "C", "D"}, "c2": {"A"}, "c3": {"A", "B"}, "c4": set()}

# Thresholded example used by micro/macro P/R/F1 and best_threshold.
SCORED = {
    "n1": [("A", 0.9), ("B", 0.6), ("C", 0.3)],
    "n2": [("A", 0.8), ("D", 0.7)],
    "n3": [("E", 0.55)],
}
SCORED_GOLD = {"n1": {"A", "C"}, "n2": {"B"}, "n3": set()}


def test_average_precision_sums_precision_at_each_gold_rank_over_gold_count() -> None:
    # Gold codes at ranks 1, 3, 5: (1/1 + 2/3 + 3/5) / 4 gold codes (D never found) = 17/30.
    assert average_precision(RANKINGS["c1"], GOLD["c1"]) == pytest.approx(17 / 30)


def test_average_precision_depends_on_order_not_alphabet() -> None:
    # trectools >= 0.0.45 re-sorts alphabetically; here B first must cost: 1/2 vs 1/1.
    assert average_precision(["B", "A"], {"A"}) == pytest.approx(0.5)
    assert average_precision(["A", "B"], {"A"}) == pytest.approx(1.0)


def test_duplicates_count_once_and_do_not_take_a_rank() -> None:
    # [A, A, B] is read as [A, B]: (1/1 + 2/2) / 2 = 1.0 (keeping the copy would give 0.833).
    assert average_precision(["A", "A", "B"], {"A", "B"}) == pytest.approx(1.0)


def test_average_precision_of_a_case_without_output_or_gold_is_zero() -> None:
    assert average_precision([], {"A"}) == 0.0
    assert average_precision(["A"], set()) == 0.0


def test_mean_average_precision_over_gold_cases_only() -> None:
    # c1 17/30, c2 hit at rank 2: 1/2, c3 no output: 0; c4 (no gold) and c5 (not in gold) ignored.
    # (17/30 + 15/30 + 0) / 3 = 32/90.
    assert mean_average_precision(RANKINGS, GOLD) == pytest.approx(32 / 90)


def test_mean_average_precision_without_gold_cases_is_zero() -> None:
    assert mean_average_precision({"c": ["A"]}, {"c": set()}) == 0.0


def test_precision_at_k_divides_by_k_even_for_short_lists() -> None:
    # Top 2: c1 [A, X] 1 hit, c2 [X, A] 1 hit, c3 none: (1 + 1 + 0) / (2 * 3) = 1/3.
    assert precision_at_k(RANKINGS, GOLD, 2) == pytest.approx(1 / 3)
    # Top 5: c1 3 hits, c2 1 hit (of 2 returned), c3 0: 4 / (5 * 3) = 4/15.
    assert precision_at_k(RANKINGS, GOLD, 5) == pytest.approx(4 / 15)


def test_recall_at_k_is_the_mean_share_of_each_case_gold_found() -> None:
    # Top 2: c1 1/4, c2 1/1, c3 0/2: (0.25 + 1 + 0) / 3 = 5/12.
    assert recall_at_k(RANKINGS, GOLD, 2) == pytest.approx(5 / 12)
    # Top 5: c1 3/4, c2 1, c3 0: 1.75 / 3 = 7/12.
    assert recall_at_k(RANKINGS, GOLD, 5) == pytest.approx(7 / 12)


@pytest.mark.parametrize("metric", [precision_at_k, recall_at_k])
def test_k_must_be_positive(metric: Callable[[Rankings, Gold, int], float]) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        metric(RANKINGS, GOLD, 0)


def test_micro_prf_counts_predictions_for_cases_without_gold_as_false_positives() -> None:
    # At 0.5: n1 predicts {A, B} (A TP, B FP, C FN); n2 {A, D} (both FP, B FN); n3 {E} FP.
    # TP 1, FP 4, FN 2: P 1/5, R 1/3, F1 2*1 / (2*1 + 4 + 2) = 0.25.
    result = micro_prf(SCORED, SCORED_GOLD, 0.5)
    assert result.precision == pytest.approx(1 / 5)
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(0.25)


def test_macro_prf_averages_each_figure_over_the_codes_where_it_is_defined() -> None:
    # Per code at 0.5: A tp1 fp1 (P 1/2, R 1, F1 2/3); B fp1 fn1 (P 0, R 0, F1 0);
    # C fn1 (R 0, F1 0); D fp1 (P 0, F1 0); E fp1 (P 0, F1 0).
    # P over predicted {A, B, D, E}: 0.5/4; R over gold {A, B, C}: 1/3; F1 over all five: (2/3)/5.
    result = macro_prf(SCORED, SCORED_GOLD, 0.5)
    assert result.precision == pytest.approx(0.125)
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(2 / 15)


def test_thresholded_metrics_use_the_first_score_of_a_duplicate() -> None:
    # A first scored 0.2 (below 0.5), so it is not predicted: TP 0, FN 1.
    assert micro_prf({"c": [("A", 0.2), ("A", 0.9)]}, {"c": {"A"}}, 0.5) == PRF(0.0, 0.0, 0.0)


def test_best_threshold_maximises_micro_f1_over_the_predicted_scores() -> None:
    # 3 gold codes. By score: .9 hit, .8 miss, .7 miss, .6 miss, .55 miss, .3 hit.
    # F1 = 2 TP / (predicted + gold): .9 -> 2/4; .8 -> 2/5; .7 -> 2/6; .6 -> 2/7; .55 -> 2/8;
    # .3 -> 4/9. Best is 0.9 with P 1, R 1/3, F1 1/2.
    threshold, prf = best_threshold(SCORED, SCORED_GOLD)
    assert threshold == 0.9
    assert (prf.precision, prf.recall, prf.f1) == pytest.approx((1.0, 1 / 3, 0.5))


def test_best_threshold_over_given_candidates() -> None:
    # 0.5 gives the micro F1 above, 0.25; 0.0 keeps all six predictions: 4/9.
    threshold, prf = best_threshold(SCORED, SCORED_GOLD, candidates=[0.5, 0.0])
    assert threshold == 0.0
    assert prf.f1 == pytest.approx(4 / 9)


def test_best_threshold_breaks_ties_towards_fewer_suggestions() -> None:
    # 0.4 and 0.5 both keep only A (scored .9): F1 1 either way; the higher threshold wins.
    threshold, prf = best_threshold({"c": [("A", 0.9)]}, {"c": {"A"}}, candidates=[0.4, 0.5])
    assert (threshold, prf.f1) == (0.5, 1.0)


# Calibration example. Bins: .05 -> 0; .15, .15 -> 1; .85 -> 8; .95 and 1.0 -> 9 (1.0 is clipped).
CAL_SCORES = [0.05, 0.15, 0.15, 0.85, 0.95, 1.0]
CAL_OUTCOMES = [False, False, True, True, True, False]


def test_expected_calibration_error_weights_each_bin_gap_by_its_count() -> None:
    # Gaps |accuracy - mean score|: bin0 |0 - .05| = .05 (n 1); bin1 |.5 - .15| = .35 (n 2);
    # bin8 |1 - .85| = .15 (n 1); bin9 |.5 - .975| = .475 (n 2).
    # ECE = (.05 + 2*.35 + .15 + 2*.475) / 6 = 1.85 / 6.
    assert expected_calibration_error(CAL_SCORES, CAL_OUTCOMES) == pytest.approx(1.85 / 6)


def test_expected_calibration_error_is_zero_when_scores_match_accuracy() -> None:
    # Four predictions at 0.25, one right: accuracy 0.25 = mean score.
    assert expected_calibration_error([0.25] * 4, [True, False, False, False]) == pytest.approx(0)


def test_reliability_table_has_every_bin_with_its_count_mean_and_accuracy() -> None:
    table = reliability_table(CAL_SCORES, CAL_OUTCOMES)
    assert [row.count for row in table] == [1, 2, 0, 0, 0, 0, 0, 0, 1, 2]
    last = table[9]
    assert (last.lower, last.upper) == pytest.approx((0.9, 1.0))
    assert (last.mean_score, last.accuracy) == pytest.approx((0.975, 0.5))
    assert (table[2].mean_score, table[2].accuracy) == (0.0, 0.0)


def test_reliability_table_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="2 scores but 1 outcomes"):
        reliability_table([0.1, 0.2], [True])
    with pytest.raises(ValueError, match=r"scores must lie in \[0, 1\]"):
        reliability_table([1.5], [True])


def test_scored_outcomes_keeps_the_first_of_duplicates() -> None:
    scores, outcomes = scored_outcomes({"c": [("A", 0.9), ("A", 0.2), ("B", 0.5)]}, {"c": {"A"}})
    assert (scores, outcomes) == ([0.9, 0.5], [True, False])


def test_per_code_table_lists_the_most_frequent_gold_codes() -> None:
    # Support: C 2 (n1, n2), A 1, B 1; the A/B tie goes to A by code.
    # C: n1 predicted (TP), n2 missed (FN): P 1, R 1/2, F1 2/3. A: n2 FP, n1 FN: all 0.
    gold = {"n1": {"A", "C"}, "n2": {"C"}, "n3": {"B"}}
    scored = {"n1": [("C", 0.9)], "n2": [("A", 0.8)], "n3": []}
    rows = per_code_table(scored, gold, 0.5, top_n=2)
    assert [(r.code, r.support, r.tp, r.fp, r.fn) for r in rows] == [
        ("C", 2, 1, 0, 1),
        ("A", 1, 0, 1, 1),
    ]
    assert (rows[0].precision, rows[0].recall, rows[0].f1) == pytest.approx((1.0, 0.5, 2 / 3))
    assert (rows[1].precision, rows[1].recall, rows[1].f1) == (0.0, 0.0, 0.0)
