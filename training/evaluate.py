"""``python -m training evaluate``: model + labelled JSONL -> metrics, report, ranked TSV.

Outputs, in ``--out``:

- ``metrics.json``: every figure, per code system (see :func:`training.report.to_json`);
- ``report.md``: the same as readable tables;
- ``ranking-<system>.tsv`` (``ranking-icd10cm.tsv``, ``ranking-icd10pcs.tsv``, ``ranking-cpt.tsv``):
  ``case-id<TAB>code`` in rank order per case, lower case, ICD-10-CM with its dot: the CodiEsp
  submission format.

Codes are compared exactly in canonical form, as CodiEsp does: a 4-character ICD-10-PCS gold
prefix such as ``BN20`` matches only an identical predicted code, never its 7-character children.
"""

import argparse
import json
import logging
import sys
import time
from collections.abc import Collection, Sequence
from pathlib import Path

from tqdm import tqdm

from service.catalogue import CatalogueLoadError, load_catalogue
from service.codesystems import CodeSystem, normalize_code
from service.config import DEFAULT_CATALOGUE_DIR, DEFAULT_MODEL_DIR
from service.model import ModelLoadError, load_model
from service.suggestions import Suggester
from training import metrics
from training.jsonl import JsonlFormatError, LabelledNote, read_jsonl
from training.report import EvaluationResult, SystemEvaluation, to_json, to_markdown

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
MAX_TOP_K = 100  # the API's limit per system, so offline figures describe what users can get
PER_CODE_ROWS = 50
CALIBRATION_BINS = 10


def ranking_filename(system: CodeSystem) -> str:
    """``ranking-icd10cm.tsv`` for ICD-10-CM, ``ranking-cpt.tsv`` for CPT, and so on."""
    return f"ranking-{system.value.lower().replace('-', '')}.tsv"


def _evaluate_system(
    system: CodeSystem,
    scored: dict[str, list[tuple[str, float]]],
    gold: dict[str, set[str]],
    threshold: float,
) -> SystemEvaluation:
    rankings = {case: [code for code, _ in pairs] for case, pairs in scored.items()}
    scores, outcomes = metrics.scored_outcomes(scored, gold)
    best, best_prf = metrics.best_threshold(scored, gold)
    return SystemEvaluation(
        system=system,
        n_cases=len(gold),
        n_gold_cases=sum(1 for codes in gold.values() if codes),
        n_gold_codes=sum(len(codes) for codes in gold.values()),
        map=metrics.mean_average_precision(rankings, gold),
        p_at_5=metrics.precision_at_k(rankings, gold, 5),
        p_at_10=metrics.precision_at_k(rankings, gold, 10),
        r_at_10=metrics.recall_at_k(rankings, gold, 10),
        r_at_20=metrics.recall_at_k(rankings, gold, 20),
        threshold=threshold,
        micro=metrics.micro_prf(scored, gold, threshold),
        macro=metrics.macro_prf(scored, gold, threshold),
        best_threshold=best,
        best_micro=best_prf,
        ece=metrics.expected_calibration_error(scores, outcomes, CALIBRATION_BINS),
        reliability=metrics.reliability_table(scores, outcomes, CALIBRATION_BINS),
        per_code=metrics.per_code_table(scored, gold, threshold, PER_CODE_ROWS),
        rankings=rankings,
    )


def evaluate(
    suggester: Suggester,
    notes: Sequence[LabelledNote],
    *,
    systems: Collection[CodeSystem],
    threshold: float,
    top_k: int,
) -> EvaluationResult:
    """Run ``suggester`` on every note and measure its suggestions against the notes' codes.

    Every suggestion up to ``top_k`` per system is kept (no score floor), since MAP rewards long
    ranked lists; ``threshold`` applies only to the thresholded metrics.
    """
    ids = [note.id for note in notes]
    if len(set(ids)) != len(ids):
        raise ValueError("note ids must be unique: results are keyed by id")
    ordered = [system for system in CodeSystem if system in systems]
    scored: dict[CodeSystem, dict[str, list[tuple[str, float]]]] = {s: {} for s in ordered}
    gold: dict[CodeSystem, dict[str, set[str]]] = {s: {} for s in ordered}
    elapsed = 0.0
    for note in tqdm(notes, desc="evaluate", unit="note", file=sys.stderr):
        started = time.perf_counter()
        result = suggester.suggest(
            note.text, systems=ordered, top_k=top_k, min_score=0.0, include_evidence=False
        )
        elapsed += time.perf_counter() - started
        for system in ordered:
            scored[system][note.id] = []
            gold[system][note.id] = set()
        for suggestion in result.suggestions:
            if suggestion.system in scored:
                code = normalize_code(suggestion.system, suggestion.code)
                scored[suggestion.system][note.id].append((code, suggestion.score))
        for labelled in note.codes:
            if labelled.system in gold:
                gold[labelled.system][note.id].add(normalize_code(labelled.system, labelled.code))
    info = suggester.info
    return EvaluationResult(
        model_name=info.name,
        model_version=info.version,
        n_notes=len(notes),
        ms_per_note=1000 * elapsed / len(notes) if notes else 0.0,
        threshold=threshold,
        top_k=top_k,
        systems=[_evaluate_system(s, scored[s], gold[s], threshold) for s in ordered],
    )


def write_outputs(result: EvaluationResult, out: Path, *, data: str | None = None) -> list[Path]:
    """Write ``metrics.json``, ``report.md`` and one ranking TSV per system; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "metrics.json", out / "report.md"]
    written[0].write_text(json.dumps(to_json(result, data=data), indent=2) + "\n", "utf-8")
    written[1].write_text(to_markdown(result, data=data), "utf-8")
    for evaluation in result.systems:
        path = out / ranking_filename(evaluation.system)
        lines = [
            f"{case}\t{code.lower()}\n"
            for case, codes in evaluation.rankings.items()
            for code in codes
        ]
        path.write_text("".join(lines), "utf-8")
        written.append(path)
    return written


def recommended_threshold(suggester: Suggester) -> float:
    """The model card's ``recommended_threshold``, or 0.5 when the card has none."""
    value = suggester.card().get("recommended_threshold")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return DEFAULT_THRESHOLD


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training evaluate",
        description="Evaluate a model on labelled JSONL: metrics.json, report.md, ranking TSVs.",
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="model directory")
    parser.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE_DIR, help="catalogue directory"
    )
    parser.add_argument("--data", type=Path, required=True, help="labelled JSONL file")
    parser.add_argument("--out", type=Path, default=Path("build/eval"), help="output directory")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="score threshold of the thresholded metrics (default: the model card's, else 0.5)",
    )
    parser.add_argument(
        "--top-k", type=int, default=MAX_TOP_K, help=f"suggestions per system (1-{MAX_TOP_K})"
    )
    return parser


def main(argv: list[str]) -> int:
    """Evaluate ``--model`` on ``--data`` and write the outputs to ``--out``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not 1 <= args.top_k <= MAX_TOP_K:
        parser.error(f"--top-k must be between 1 and {MAX_TOP_K}")
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        parser.error("--threshold must be between 0 and 1")
    try:
        notes = read_jsonl(args.data)
        suggester = load_model(args.model, load_catalogue(args.catalogue))
    except (OSError, JsonlFormatError, CatalogueLoadError, ModelLoadError) as error:
        logger.error("evaluate: %s", error)
        return 1
    present = {code.system for note in notes for code in note.codes}
    unranked = present - suggester.systems
    if unranked:
        logger.warning(
            "evaluate: the model cannot rank %s; not evaluated", ", ".join(sorted(unranked))
        )
    systems = present & suggester.systems
    if not systems:
        logger.error("evaluate: no code system of %s can be ranked by the model", args.data)
        return 1
    threshold = recommended_threshold(suggester) if args.threshold is None else args.threshold
    result = evaluate(suggester, notes, systems=systems, threshold=threshold, top_k=args.top_k)
    paths = write_outputs(result, args.out, data=str(args.data))
    for evaluation in result.systems:
        print(
            f"{evaluation.system.value}: MAP {evaluation.map:.3f}  R@10 {evaluation.r_at_10:.3f}  "
            f"micro F1@{threshold:.2f} {evaluation.micro.f1:.3f}  ECE {evaluation.ece:.3f}"
        )
    print("wrote " + ", ".join(str(path) for path in paths))
    return 0
