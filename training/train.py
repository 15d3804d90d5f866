"""``python -m training train``: labelled JSONL -> a model directory the service loads.

Steps: analyse the notes with the service's text pipeline; fit the sentence and note scorers;
score out-of-fold candidates to fit the ranker and its calibration; refit the scorers on all
the data; export ONNX graphs, plain data files and a manifest with checksums.
"""

import argparse
import json
import logging
import resource
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from service.catalogue import load_catalogue
from service.codesystems import CodeSystem
from service.model.candidates import LabelSpace
from service.model.matcher import TermMatcher
from service.text import TextPipeline
from training.artifacts import write_model
from training.corpus import analyse
from training.jsonl import LabelledNote, read_jsonl
from training.ranker_fit import fit_ranker, out_of_fold_candidates
from training.supervised import Hyperparameters, fit_supervised
from training.terms import MATCHED_SYSTEMS, catalogue_terms, evidence_words

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training train", description=__doc__)
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        required=True,
        help="labelled JSONL file (repeat to train on several)",
    )
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--catalogue", type=Path, default=Path("models/catalogue"))
    parser.add_argument("--name", default="codesuggest-codiesp-en")
    parser.add_argument("--version", default="0.1.0")
    parser.add_argument("--description", default="Ranked ICD-10-CM, ICD-10-PCS and CPT codes.")
    parser.add_argument("--metrics", type=Path, help="evaluation JSON to embed in the card")
    defaults = Hyperparameters()
    for field, value in asdict(defaults).items():
        flag = f"--{field.replace('_', '-')}"
        if isinstance(value, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=value)
        else:
            parser.add_argument(flag, type=type(value), default=value)
    return parser


def train(
    notes: Sequence[LabelledNote],
    data_files: Sequence[Path],
    out: Path,
    *,
    catalogue_dir: Path,
    params: Hyperparameters,
    name: str,
    version: str,
    description: str,
    metrics: dict[str, object],
) -> Path:
    """Train on ``notes`` and write the model directory ``out``."""
    started = time.perf_counter()
    catalogue = load_catalogue(catalogue_dir)
    analysed = analyse(notes, TextPipeline())
    counts = Counter(key for item in analysed for key in item.label_keys())
    supervised = sorted(counts)
    terms = catalogue_terms(catalogue, MATCHED_SYSTEMS)
    keys = supervised + sorted(set(terms) - set(supervised))
    labels = LabelSpace(
        systems=tuple(s for s, _ in keys),
        codes=tuple(c for _, c in keys),
        train_counts=np.asarray([counts.get(k, 0) for k in keys], dtype=np.float32),
        n_supervised=len(supervised),
    )
    index = labels.index
    term_rows = [(index[key], words) for key, found in terms.items() for words in found]
    matcher = TermMatcher(term_rows)
    matches = [matcher.match(item.analyzed) for item in analysed]
    systems = sorted({s for s, _ in supervised} | {s.value for s in MATCHED_SYSTEMS})
    logger.info(
        "%d notes, %d supervised labels, %d terms", len(notes), len(supervised), matcher.n_terms
    )
    supervised_index = labels.supervised_index
    words = evidence_words(analysed, supervised_index, terms)
    known = {label: frozenset(found) for label, found in words.items()}
    table = out_of_fold_candidates(analysed, labels, matches, systems, known, params)
    ranker = fit_ranker(table, seed=params.seed)
    fit = fit_supervised(analysed, supervised_index, params)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write_model(
        out,
        fit=fit,
        ranker=ranker,
        labels=labels,
        term_rows=term_rows,
        evidence=words,
        params=params,
        systems=tuple(CodeSystem(s) for s in systems),
        data_files=data_files,
        notes=notes,
        releases={s.value: r for s, r in catalogue.releases.items()},
        name=name,
        version=version,
        description=description,
        metrics={
            **metrics,
            "training": {
                "seconds": round(seconds, 1),
                "peak_memory_mb": round(peak_mb),
                **ranker.out_of_fold,
            },
        },
    )
    catalogue.close()
    return out


def main(argv: list[str]) -> int:
    """Run the train step."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    params = Hyperparameters(
        **{f: getattr(args, f) for f in asdict(Hyperparameters()) if hasattr(args, f)}
    )
    notes: list[LabelledNote] = []
    for path in args.data:
        notes.extend(read_jsonl(path))
    metrics = json.loads(args.metrics.read_text(encoding="utf-8")) if args.metrics else {}
    out = train(
        notes,
        args.data,
        args.out,
        catalogue_dir=args.catalogue,
        params=params,
        name=args.name,
        version=args.version,
        description=args.description,
        metrics=metrics,
    )
    print(f"wrote model to {out}")
    return 0
