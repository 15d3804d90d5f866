"""Cost of the text pipeline on a 3,000-character note: the whole ``analyze()`` and each stage.

The note is built from the lines of the CodiEsp English training notes the repo carries
(``training/data/codiesp``), so its wording, negations and line lengths are realistic.
"""

import statistics
import time
from collections.abc import Callable

from service.config import REPO_ROOT
from service.text import TextPipeline, tokenize
from service.text.assertion import AssertionRules
from service.text.sections import find_sections
from service.text.sentences import split_sentences

CODIESP_EN = REPO_ROOT / "training" / "data" / "codiesp" / "train" / "text_files_en"
NOTE_CHARS = 3000
REPEATS = 500


def build_note(chars: int = NOTE_CHARS) -> str:
    """Concatenate whole lines of CodiEsp English notes up to ``chars`` characters."""
    lines: list[str] = []
    size = 0
    for path in sorted(CODIESP_EN.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if size + len(line) + 1 > chars:
                return "\n".join(lines).ljust(chars)
            lines.append(line)
            size += len(line) + 1
    raise FileNotFoundError(f"not enough CodiEsp English text under {CODIESP_EN}")


def _time_ms(call: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    for _ in range(20):  # warm caches (word normalisation, regex)
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def run() -> None:
    """Print median and p95 milliseconds of ``analyze()`` and of each stage."""
    note = build_note()
    start = time.perf_counter()
    pipeline = TextPipeline()
    build_ms = (time.perf_counter() - start) * 1000
    rules = AssertionRules()
    tokens = tokenize(note)
    sentences = split_sentences(note)
    sections = find_sections(note)
    print(
        f"note: {len(note)} chars, {len(tokens)} tokens, {len(sentences)} sentences; "
        f"pipeline built in {build_ms:.1f} ms"
    )
    stages: list[tuple[str, Callable[[], object]]] = [
        ("analyze (all stages)", lambda: pipeline.analyze(note)),
        ("tokenise", lambda: tokenize(note)),
        ("sentences", lambda: split_sentences(note)),
        ("sections", lambda: find_sections(note)),
        ("assertion", lambda: rules.assign(note, tokens, sentences, sections)),
    ]
    for name, call in stages:
        median, p95 = _time_ms(call)
        print(f"{name:<22} median {median:6.3f} ms   p95 {p95:6.3f} ms")


if __name__ == "__main__":
    run()
