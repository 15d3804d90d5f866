"""Write MODEL_CARD.md for a model directory: what it is for, how it was made, how well it does."""

from pathlib import Path

from service.model.loading import read_model_manifest

INTENDED_USE = """\
## Intended use

Suggestions for a professional coder to review, accept or reject: not autonomous coding. Scores
are calibrated probabilities that a suggested code is among the codes a coder assigned; the
recommended threshold is the one that maximised micro F1 on held-out folds of the training data.

## Limitations

- Trained on CodiEsp: Spanish clinical case reports, machine-translated to English, coded with
  ICD-10-CM and ICD-10-PCS (CIE-10-ES 2018). Real EHR notes read differently; retrain on your own
  labelled notes (`python -m training train --data your.jsonl ...`) before relying on it.
- CodiEsp coders sometimes coded findings the text denies; the ranker learned how much a negated
  or hypothetical mention counts from those labels. Evidence carries the assertion, so the panel
  shows when a suggestion rests on a denied finding.
- Some CodiEsp ICD-10-PCS labels are 4-character prefixes (`BN20`); the model suggests them as
  labelled (non-billable headers in the catalogue).
- CPT has no labelled notes here: CPT codes come from the catalogue-term matcher only, and their
  scores are not calibrated on CPT data. The CPT figures below come from self-written procedure
  snippets in `tests/fixtures/cpt_notes/` (written for this project, no patient data), a smoke
  test rather than a benchmark.
"""


def write_model_card(model_dir: Path, *, dev_report: Path, cpt_report: Path | None) -> Path:
    """Render the card from the manifest and the evaluation reports."""
    manifest = read_model_manifest(model_dir)
    lines = [
        f"# Model card: {manifest.name} {manifest.version}",
        "",
        manifest.description,
        "",
        f"Created {manifest.created.isoformat()}; systems: "
        + ", ".join(s.value for s in manifest.systems)
        + f"; recommended threshold {manifest.recommended_threshold}.",
        "",
        "## Training data",
        "",
    ]
    lines += [
        f"- `{d.name}`: {d.notes} notes in all, {d.codes} codes, sha256 `{d.sha256}`"
        for d in manifest.training_data
    ]
    lines += ["", "## Code-set releases", ""]
    lines += [f"- {system}: {release}" for system, release in manifest.code_set_releases.items()]
    lines += ["", INTENDED_USE, "## Evaluation", ""]
    lines += [
        "The committed model is trained on CodiEsp train+dev. The figures below come from the "
        "same recipe trained on train only and evaluated on dev (`make eval` reproduces them).",
        "",
    ]
    body = dev_report.read_text(encoding="utf-8")
    lines += ["#" + line if line.startswith("#") else line for line in body.splitlines()]
    if cpt_report is not None and cpt_report.exists():
        lines += ["", "## CPT smoke test (self-written snippets)", ""]
        cpt = cpt_report.read_text(encoding="utf-8").splitlines()
        lines += ["#" + line if line.startswith("#") else line for line in cpt]
    lines += ["", "## Library versions", ""]
    lines += [f"- {name} {version}" for name, version in manifest.library_versions.items()]
    path = model_dir / "MODEL_CARD.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
