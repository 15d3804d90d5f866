"""``python -m training all``: the whole workflow behind the committed default model.

1. prepare   CodiEsp (training/data/codiesp) -> build/data/{train,dev,background}.jsonl
2. train     train.jsonl -> build/models/dev                  (the recipe, on train only)
3. evaluate  build/models/dev on dev.jsonl -> build/eval/dev   (the model card's figures)
4. evaluate  build/models/dev on the self-written CPT snippets -> build/eval/cpt
5. train     train.jsonl + dev.jsonl -> models/default, with the figures of steps 3-4 embedded
6. card      models/default/MODEL_CARD.md from the manifest and the dev report
"""

import argparse
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from training import evaluate, prepare, train
from training.model_card import write_model_card

CPT_SNIPPETS = Path("tests/fixtures/cpt_notes")
SUMMARY_KEYS = (
    "map",
    "p_at_5",
    "p_at_10",
    "r_at_10",
    "r_at_20",
    "threshold",
    "micro",
    "macro",
    "best_threshold",
    "best_micro",
    "ece",
    "n_cases",
    "n_gold_codes",
)


def summarise(metrics_path: Path, *, evaluated_on: str) -> dict[str, object]:
    """The headline figures of an evaluation, for the manifest (tables stay in the report)."""
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    systems = {
        system: {k: v for k, v in entry.items() if k in SUMMARY_KEYS}
        for system, entry in metrics["systems"].items()
    }
    return {"evaluated_on": evaluated_on, "ms_per_note": metrics["ms_per_note"], **systems}


def _concatenate(sources: list[Path], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as out:
        for source in sources:
            out.write(source.read_text(encoding="utf-8").rstrip("\n") + "\n")
    return target


def main(argv: list[str]) -> int:
    """Run every step; ``--build`` holds intermediate files, ``--out`` the final model."""
    parser = argparse.ArgumentParser(prog="python -m training all", description=__doc__)
    parser.add_argument("--source", type=Path, default=Path("training/data/codiesp"))
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument("--out", type=Path, default=Path("models/default"))
    parser.add_argument("--version", default="0.1.0")
    args = parser.parse_args(argv)
    data, build = args.build / "data", args.build
    steps: list[Callable[[], int]] = [
        lambda: prepare.main(["--source", str(args.source), "--out", str(data)]),
        lambda: train.main(
            [
                "--data",
                str(data / "train.jsonl"),
                "--out",
                str(build / "models/dev"),
                "--version",
                args.version,
            ]
        ),
        lambda: evaluate.main(
            [
                "--model",
                str(build / "models/dev"),
                "--data",
                str(data / "dev.jsonl"),
                "--out",
                str(build / "eval/dev"),
            ]
        ),
    ]
    for step in steps:
        if step() != 0:
            return 1
    snippets = _concatenate(sorted(CPT_SNIPPETS.glob("*.jsonl")), data / "cpt_snippets.jsonl")
    if (
        evaluate.main(
            [
                "--model",
                str(build / "models/dev"),
                "--data",
                str(snippets),
                "--out",
                str(build / "eval/cpt"),
                "--top-k",
                "5",
            ]
        )
        != 0
    ):
        return 1
    card_metrics = {
        "dev": summarise(
            build / "eval/dev/metrics.json",
            evaluated_on="CodiEsp dev (250 notes), same recipe trained on train only",
        ),
        "cpt_snippets": summarise(
            build / "eval/cpt/metrics.json",
            evaluated_on="self-written CPT procedure snippets, top 5",
        ),
    }
    (build / "card_metrics.json").write_text(json.dumps(card_metrics, indent=2), encoding="utf-8")
    if args.out.exists():
        shutil.rmtree(args.out)
    if (
        train.main(
            [
                "--data",
                str(data / "train.jsonl"),
                "--data",
                str(data / "dev.jsonl"),
                "--out",
                str(args.out),
                "--version",
                args.version,
                "--metrics",
                str(build / "card_metrics.json"),
            ]
        )
        != 0
    ):
        return 1
    write_model_card(
        args.out, dev_report=build / "eval/dev/report.md", cpt_report=build / "eval/cpt/report.md"
    )
    print(f"default model written to {args.out}")
    return 0
