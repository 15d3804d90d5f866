"""``evaluate`` end to end with a fake suggester on three tiny notes; figures worked by hand.

The fake ranks, per note (score in brackets):

- n1, gold CM {E11.9, I10}, PCS {0DTJ4ZZ}: CM I10 (.9), Z99.89 (.6), E11.9 (.4); PCS 0DTJ4ZZ (.7)
- n2, gold CM {J45.909}, PCS {BN20}: CM J45.909 (.8); PCS BN20ZZZ (.6), not the prefix BN20
- n3, gold CM {R10.9}, no PCS: CM K21.9 (.3); PCS 0DTJ4ZZ (.2)

ICD-10-CM, 4 gold codes in 3 cases:
- AP: n1 hits at ranks 1 and 3: (1/1 + 2/3) / 2 = 5/6; n2 1; n3 0. MAP (5/6 + 1 + 0) / 3 = 11/18.
- P@5: (2 + 1 + 0) / 15 = 1/5; P@10 3/30 = 1/10; R@10 = R@20 = (2/2 + 1/1 + 0) / 3 = 2/3.
- At the card's threshold 0.35: predicted I10, Z99.89, E11.9, J45.909: TP 3, FP 1 (Z99.89),
  FN 1 (R10.9): micro P 3/4, R 3/4, F1 3/4. Macro: P over the 4 predicted codes (1+0+1+1)/4,
  R over the 4 gold codes (1+1+1+0)/4, F1 over the 5 codes of either side 3/5.
- At 0.5: TP 2, FP 1, FN 2: micro F1 2*2 / (4 + 1 + 2) = 4/7.
- Best threshold, F1 = 2 TP / (predicted + 4): .9 -> 2/5, .8 -> 4/6, .6 -> 4/7, .4 -> 6/8,
  .3 -> 6/9: 0.4 (P 3/4, R 3/4).
- ECE: one prediction per bin, gaps .9->.1, .8->.2, .6->.6, .4->.6, .3->.3: 1.8 / 5 = 0.36.

ICD-10-PCS, 2 gold cases (n3 has no PCS gold and is ignored by MAP):
- MAP (1 + 0) / 2 = 1/2: BN20ZZZ does not match the gold prefix BN20.
- At 0.35: 0DTJ4ZZ in n1 TP, BN20ZZZ FP, BN20 FN (n3's .2 is below): P = R = F1 = 1/2.
- ECE: gaps .7 -> .3 (right), .6 -> .6, .2 -> .2 (wrong): 1.1 / 3.
"""

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from service.codesystems import CodeSystem
from service.suggestions import ModelInfo, Suggestion, SuggestionResult
from training import evaluate as evaluate_module
from training.evaluate import evaluate, main, ranking_filename, recommended_threshold
from training.jsonl import read_jsonl

CM, PCS = CodeSystem.ICD10CM, CodeSystem.ICD10PCS

NOTES = [
    {
        "id": "n1",
        "text": "note one",
        "codes": [
            {"system": "ICD-10-CM", "code": "e119"},
            {"system": "ICD-10-CM", "code": "I10"},
            {"system": "ICD-10-PCS", "code": "0DTJ4ZZ"},
        ],
    },
    {
        "id": "n2",
        "text": "note two",
        "codes": [
            {"system": "ICD-10-CM", "code": "j45.909"},
            {"system": "ICD-10-PCS", "code": "bn20"},
        ],
    },
    {"id": "n3", "text": "note three", "codes": [{"system": "ICD-10-CM", "code": "R10.9"}]},
]

# Per note text, in the fake's rank order; E119 and lower case test normalisation.
OUTPUT = {
    "note one": [(CM, "I10", 0.9), (PCS, "0DTJ4ZZ", 0.7), (CM, "Z99.89", 0.6), (CM, "e119", 0.4)],
    "note two": [(CM, "J45.909", 0.8), (PCS, "BN20ZZZ", 0.6)],
    "note three": [(CM, "K21.9", 0.3), (PCS, "0DTJ4ZZ", 0.2)],
}


FAKE_INFO = ModelInfo("fake", "1.2.3")


@dataclass
class FakeSuggester:
    """Answers the fixed ranking above and records how it was asked."""

    card_data: dict[str, object] = field(default_factory=lambda: {"recommended_threshold": 0.35})
    calls: list[dict[str, Any]] = field(default_factory=list)
    info: ModelInfo = FAKE_INFO
    systems: frozenset[CodeSystem] = frozenset({CM, PCS})

    def suggest(
        self,
        text: str,
        *,
        systems: Collection[CodeSystem],
        top_k: int,
        min_score: float,
        include_evidence: bool,
    ) -> SuggestionResult:
        call = {"systems": set(systems), "top_k": top_k, "min_score": min_score}
        self.calls.append(call | {"include_evidence": include_evidence})
        return SuggestionResult(
            [
                Suggestion(system, code, display=code, score=score, billable=True)
                for system, code, score in OUTPUT[text]
                if system in systems
            ]
        )

    def card(self) -> Mapping[str, object]:
        return self.card_data


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps(note) + "\n" for note in NOTES), "utf-8")
    return path


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSuggester:
    suggester = FakeSuggester()
    monkeypatch.setattr(evaluate_module, "load_catalogue", lambda directory: object())
    monkeypatch.setattr(evaluate_module, "load_model", lambda directory, catalogue: suggester)
    return suggester


def _run(data: Path, out: Path, *extra: str) -> dict[str, Any]:
    code = main(["--data", str(data), "--out", str(out), "--model", str(out / "model"), *extra])
    assert code == 0
    metrics: dict[str, Any] = json.loads((out / "metrics.json").read_text("utf-8"))
    return metrics


def test_main_writes_metrics_report_and_one_ranking_per_system(
    data: Path, tmp_path: Path, fake: FakeSuggester
) -> None:
    out = tmp_path / "eval"
    _run(data, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "metrics.json",
        "ranking-icd10cm.tsv",
        "ranking-icd10pcs.tsv",
        "report.md",
    ]
    # Rank order of the fake, lower case, CM with its dot (e119 came back as E11.9).
    assert (out / "ranking-icd10cm.tsv").read_text("utf-8") == (
        "n1\ti10\nn1\tz99.89\nn1\te11.9\nn2\tj45.909\nn3\tk21.9\n"
    )
    assert (out / "ranking-icd10pcs.tsv").read_text("utf-8") == (
        "n1\t0dtj4zz\nn2\tbn20zzz\nn3\t0dtj4zz\n"
    )
    report = (out / "report.md").read_text("utf-8")
    assert "## ICD-10-CM" in report
    assert "## ICD-10-PCS" in report
    assert "| ICD-10-CM | 3 | 0.611 |" in report  # 11/18 rounded
    # CM reliability: I10 alone in the last bin, which is closed; empty bins show no figures.
    assert "| [0.9, 1.0] | 1 | 0.900 | 1.000 |" in report
    assert "| [0.0, 0.1) | 0 | - | - |" in report
    # Every note asked once, for both systems, the full list without a score floor or evidence.
    assert (
        fake.calls
        == [{"systems": {CM, PCS}, "top_k": 100, "min_score": 0.0, "include_evidence": False}] * 3
    )


def test_main_metrics_match_the_hand_computed_figures(
    data: Path, tmp_path: Path, fake: FakeSuggester
) -> None:
    metrics = _run(data, tmp_path / "eval")
    assert metrics["model"] == {"name": "fake", "version": "1.2.3"}
    assert (metrics["n_notes"], metrics["threshold"], metrics["top_k"]) == (3, 0.35, 100)
    assert metrics["ms_per_note"] >= 0.0
    cm = metrics["systems"]["ICD-10-CM"]
    assert (cm["n_cases"], cm["n_gold_cases"], cm["n_gold_codes"]) == (3, 3, 4)
    assert cm["map"] == pytest.approx(11 / 18)
    assert (cm["p_at_5"], cm["p_at_10"]) == pytest.approx((1 / 5, 1 / 10))
    assert (cm["r_at_10"], cm["r_at_20"]) == pytest.approx((2 / 3, 2 / 3))
    assert cm["micro"] == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.75})
    assert cm["macro"] == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.6})
    assert cm["best_threshold"] == 0.4
    assert cm["best_micro"] == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.75})
    assert cm["ece"] == pytest.approx(0.36)
    assert [row["count"] for row in cm["reliability"]] == [0, 0, 0, 1, 1, 0, 1, 0, 1, 1]
    # All four gold codes have support 1: ordered by code.
    assert [row["code"] for row in cm["per_code"]] == ["E11.9", "I10", "J45.909", "R10.9"]
    assert cm["per_code"][3] == {
        "code": "R10.9",
        "support": 1,
        "tp": 0,
        "fp": 0,
        "fn": 1,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }

    pcs = metrics["systems"]["ICD-10-PCS"]
    assert (pcs["n_cases"], pcs["n_gold_cases"], pcs["n_gold_codes"]) == (3, 2, 2)
    assert pcs["map"] == pytest.approx(0.5)
    assert pcs["micro"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})
    assert pcs["ece"] == pytest.approx(1.1 / 3)


def test_main_threshold_option_overrides_the_model_card(
    data: Path, tmp_path: Path, fake: FakeSuggester
) -> None:
    metrics = _run(data, tmp_path / "eval", "--threshold", "0.5")
    assert metrics["threshold"] == 0.5
    assert metrics["systems"]["ICD-10-CM"]["micro"]["f1"] == pytest.approx(4 / 7)


def test_main_evaluates_only_the_systems_present_in_the_data(
    tmp_path: Path, fake: FakeSuggester
) -> None:
    data = tmp_path / "cm-only.jsonl"
    data.write_text(json.dumps(NOTES[2]) + "\n", "utf-8")
    metrics = _run(data, tmp_path / "eval")
    assert list(metrics["systems"]) == ["ICD-10-CM"]
    assert not (tmp_path / "eval" / "ranking-icd10pcs.tsv").exists()


def test_main_reports_an_unreadable_data_file(tmp_path: Path, fake: FakeSuggester) -> None:
    assert main(["--data", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path)]) == 1


def test_evaluate_keeps_rank_order_per_system(data: Path) -> None:
    result = evaluate(FakeSuggester(), read_jsonl(data), systems={PCS, CM}, threshold=0.5, top_k=5)
    assert [e.system for e in result.systems] == [CM, PCS]
    assert result.systems[0].rankings == {
        "n1": ["I10", "Z99.89", "E11.9"],
        "n2": ["J45.909"],
        "n3": ["K21.9"],
    }


def test_evaluate_refuses_repeated_note_ids(data: Path) -> None:
    notes = read_jsonl(data)
    with pytest.raises(ValueError, match="unique"):
        evaluate(FakeSuggester(), [notes[0], notes[0]], systems={CM}, threshold=0.5, top_k=5)


def test_recommended_threshold_falls_back_to_one_half() -> None:
    assert recommended_threshold(FakeSuggester()) == 0.35
    assert recommended_threshold(FakeSuggester(card_data={})) == 0.5
    assert recommended_threshold(FakeSuggester(card_data={"recommended_threshold": "x"})) == 0.5


def test_ranking_filenames_follow_the_system_names() -> None:
    assert [ranking_filename(s) for s in (CM, PCS, CodeSystem.CPT)] == [
        "ranking-icd10cm.tsv",
        "ranking-icd10pcs.tsv",
        "ranking-cpt.tsv",
    ]
