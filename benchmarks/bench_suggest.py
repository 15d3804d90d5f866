"""In-process speed of the default model: suggest() on a 3,000-character note.

Every code system, evidence on: the most expensive request the contract allows per note.
Target (issue 4): p50 <= 20 ms. Run: ``python -m benchmarks bench_suggest``.
"""

import statistics
import time

from service.codesystems import CodeSystem
from service.config import Settings

NOTE_PARAGRAPHS = (
    "HISTORY OF PRESENT ILLNESS: A 67-year-old woman with type 2 diabetes mellitus, essential "
    "hypertension and chronic kidney disease stage 3 presents with three days of fever, "
    "productive cough and shortness of breath. She denies chest pain or hemoptysis. ",
    "PAST MEDICAL HISTORY: Atrial fibrillation on anticoagulation, hyperlipidemia, "
    "osteoarthritis of both knees, laparoscopic cholecystectomy ten years ago. ",
    "FAMILY HISTORY: Father had colon cancer; mother had breast cancer. ",
    "EXAMINATION: Temperature 38.6 C, oxygen saturation 89% on room air, crackles at the right "
    "lung base, mild bilateral ankle edema. ",
    "RESULTS: Chest X-ray shows right lower lobe consolidation consistent with pneumonia. "
    "Creatinine 1.9 mg/dL, glucose 245 mg/dL, white cell count 15,200. ",
    "ASSESSMENT AND PLAN: Community-acquired pneumonia with acute hypoxic respiratory failure. "
    "Admit to the medical floor, intravenous ceftriaxone and azithromycin, supplemental "
    "oxygen, insulin sliding scale; possible urinary tract infection, urinalysis pending. ",
)


def clinical_note(length: int = 3_000) -> str:
    """A realistic English note of exactly ``length`` characters."""
    text = ""
    while len(text) < length:
        text += "".join(NOTE_PARAGRAPHS) + "\n"
    return text[:length]


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(repeats: int = 200) -> None:
    """Print p50/p95 of suggest() with the default model, or why it was skipped."""
    settings = Settings()
    if not (settings.model_dir / "manifest.json").is_file():
        print(f"skipped: no trained model in {settings.model_dir} (run `make model`)")
        return
    from service.api.app import default_catalogue_loader, default_suggester_loader

    started = time.perf_counter()
    catalogue = default_catalogue_loader(settings)
    suggester = default_suggester_loader(settings, catalogue)
    print(f"load catalogue + model: {time.perf_counter() - started:.2f} s")
    note = clinical_note()
    systems = frozenset({CodeSystem.ICD10CM, CodeSystem.ICD10PCS, CodeSystem.CPT})
    systems &= suggester.systems
    timings = []
    for index in range(repeats + 10):
        started = time.perf_counter()
        suggester.suggest(note, systems=systems, top_k=10, min_score=0.0, include_evidence=True)
        if index >= 10:  # the first calls warm caches
            timings.append((time.perf_counter() - started) * 1000)
    print(
        f"suggest, {len(note)} chars, {', '.join(sorted(systems))}, evidence: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
        f"({repeats} runs)"
    )
