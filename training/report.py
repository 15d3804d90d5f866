"""What an evaluation measured, as data, and its two renderings: JSON and a Markdown report."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from service.codesystems import CodeSystem
from training.metrics import PRF, CodeRow, ReliabilityBin


@dataclass(frozen=True, slots=True)
class SystemEvaluation:
    """The metrics of one code system over the evaluated notes."""

    system: CodeSystem
    n_cases: int
    n_gold_cases: int
    n_gold_codes: int
    map: float
    p_at_5: float
    p_at_10: float
    r_at_10: float
    r_at_20: float
    threshold: float
    micro: PRF
    macro: PRF
    best_threshold: float
    best_micro: PRF
    ece: float
    reliability: list[ReliabilityBin]
    per_code: list[CodeRow]
    # Codes per case in rank order, canonical form: what the ranking TSV is written from.
    rankings: dict[str, list[str]] = field(repr=False)


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Everything one run of ``evaluate`` measured."""

    model_name: str
    model_version: str
    n_notes: int
    ms_per_note: float
    threshold: float
    top_k: int
    systems: list[SystemEvaluation]


def to_json(result: EvaluationResult, *, data: str | None = None) -> dict[str, object]:
    """The JSON-ready form written to ``metrics.json`` (rankings go to the TSV files instead)."""
    systems: dict[str, object] = {}
    for evaluation in result.systems:
        entry = asdict(evaluation)
        del entry["rankings"], entry["system"]
        systems[evaluation.system.value] = entry
    return {
        "model": {"name": result.model_name, "version": result.model_version},
        "data": data,
        "n_notes": result.n_notes,
        "ms_per_note": result.ms_per_note,
        "threshold": result.threshold,
        "top_k": result.top_k,
        "systems": systems,
    }


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    def cell(value: object) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def _system_section(e: SystemEvaluation) -> list[str]:
    return [
        f"## {e.system.value}",
        "",
        f"{e.n_gold_cases} of {e.n_cases} cases have gold codes ({e.n_gold_codes} in all); "
        "ranking metrics average over those cases.",
        "",
        *_table(
            ["MAP", "P@5", "P@10", "R@10", "R@20", "ECE (10 bins)"],
            [[e.map, e.p_at_5, e.p_at_10, e.r_at_10, e.r_at_20, e.ece]],
        ),
        "",
        *_table(
            ["threshold", "averaging", "precision", "recall", "F1"],
            [
                [f"{e.threshold:.3f}", "micro", *_prf(e.micro)],
                [f"{e.threshold:.3f}", "macro", *_prf(e.macro)],
                [f"{e.best_threshold:.3f} (best micro F1)", "micro", *_prf(e.best_micro)],
            ],
        ),
        "",
        "### Reliability (all returned suggestions)",
        "",
        *_table(
            ["score bin", "count", "mean score", "accuracy"],
            [
                _reliability_row(r, last=i == len(e.reliability) - 1)
                for i, r in enumerate(e.reliability)
            ],
        ),
        "",
        f"### The {len(e.per_code)} most frequent gold codes (at threshold {e.threshold:.3f})",
        "",
        *_table(
            ["code", "support", "TP", "FP", "FN", "precision", "recall", "F1"],
            [
                [r.code, r.support, r.tp, r.fp, r.fn, r.precision, r.recall, r.f1]
                for r in e.per_code
            ],
        ),
        "",
    ]


def _headline(e: SystemEvaluation) -> list[object]:
    return [
        e.system.value,
        e.n_gold_cases,
        e.map,
        e.p_at_5,
        e.r_at_10,
        e.r_at_20,
        e.micro.f1,
        e.ece,
    ]


def _reliability_row(row: ReliabilityBin, *, last: bool) -> list[object]:
    # The last bin holds scores of exactly 1.0 too; an empty bin has no mean or accuracy to show.
    bounds = f"[{row.lower:.1f}, {row.upper:.1f}{']' if last else ')'}"
    if not row.count:
        return [bounds, 0, "-", "-"]
    return [bounds, row.count, row.mean_score, row.accuracy]


def _prf(prf: PRF) -> list[float]:
    return [prf.precision, prf.recall, prf.f1]


def to_markdown(result: EvaluationResult, *, data: str | None = None) -> str:
    """A readable report of ``result``: headline figures, then one section per code system."""
    lines = [
        f"# Evaluation of {result.model_name} {result.model_version}",
        "",
        *([f"Data: `{data}`", ""] if data else []),
        f"{result.n_notes} notes, {result.ms_per_note:.2f} ms per note; top {result.top_k} "
        f"suggestions per system; threshold {result.threshold:.3f}.",
        "Codes are compared exactly in canonical form: a 4-character ICD-10-PCS gold prefix "
        "matches only an identical predicted code.",
        "",
        *_table(
            ["system", "gold cases", "MAP", "P@5", "R@10", "R@20", "micro F1", "ECE"],
            [_headline(e) for e in result.systems],
        ),
        "",
    ]
    for evaluation in result.systems:
        lines += _system_section(evaluation)
    return "\n".join(lines)
