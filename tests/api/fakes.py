"""A fake suggester and catalogue so API tests run without a trained model (Annif style).

The fake finds a few phrases and returns them worst score first, ignoring ``top_k`` and
``min_score``: the API must sort, cut and filter itself.
"""

import re
import sqlite3
import threading
from collections.abc import Collection, Mapping

from service.catalogue import Catalogue
from service.catalogue.schema import DDL
from service.codesystems import CodeSystem
from service.suggestions import Evidence, ModelInfo, Suggestion, SuggestionResult
from service.text.types import Assertion

MARKER = "ZZMARKER-PATIENT-TEXT"

# phrase -> (system, code, display, score)
PHRASES: dict[str, tuple[CodeSystem, str, str, float]] = {
    "chest pain": (CodeSystem.ICD10CM, "R07.9", "Chest pain, unspecified", 0.91),
    "type 2 diabetes": (CodeSystem.ICD10CM, "E11.9", "Type 2 diabetes mellitus", 0.83),
    "hypertension": (CodeSystem.ICD10CM, "I10", "Essential (primary) hypertension", 0.77),
    "cough": (CodeSystem.ICD10CM, "R05.9", "Cough, unspecified", 0.35),
    "appendectomy": (CodeSystem.ICD10PCS, "0DTJ4ZZ", "Resection of appendix, endoscopic", 0.66),
    "office visit": (CodeSystem.CPT, "99213", "Office visit, established patient", 0.58),
    "chest x-ray": (CodeSystem.CPT, "71046", "Chest X-ray, two views", 0.52),
}

NOTE = (
    "HISTORY: Type 2 diabetes and hypertension.\n"
    "Seen at an office visit for chest pain and cough; chest x-ray normal.\n"
    "Prior appendectomy. Patient denies chest pain today."
)


class FakeSuggester:
    """Finds :data:`PHRASES` in the note; can block on an event or fail on demand."""

    def __init__(
        self,
        *,
        systems: frozenset[CodeSystem] = frozenset(
            {CodeSystem.ICD10CM, CodeSystem.ICD10PCS, CodeSystem.CPT}
        ),
        release: threading.Event | None = None,
        fail: bool = False,
    ) -> None:
        self._systems = systems
        self.release = release
        self.fail = fail
        self.started = threading.Event()
        self.calls = 0

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(name="fake-model", version="0.0.1")

    @property
    def systems(self) -> frozenset[CodeSystem]:
        return self._systems

    def suggest(
        self,
        text: str,
        *,
        systems: Collection[CodeSystem],
        top_k: int,
        min_score: float,
        include_evidence: bool,
    ) -> SuggestionResult:
        self.calls += 1
        self.started.set()
        if self.release is not None:
            self.release.wait(10)
        if self.fail:
            raise RuntimeError(f"model exploded on {text!r}")
        found = []
        lowered = text.lower()
        for phrase, (system, code, display, score) in PHRASES.items():
            spans = [m.span() for m in re.finditer(re.escape(phrase), lowered)]
            if not spans or system not in systems:
                continue
            evidence = tuple(
                Evidence(
                    start=start,
                    end=end,
                    text=text[start:end],
                    section="unknown",
                    assertion=_assertion(lowered, start),
                )
                for start, end in spans
            )
            found.append(Suggestion(system, code, display, score, True, evidence))
        found.sort(key=lambda s: s.score)  # worst first, on purpose
        return SuggestionResult(suggestions=found, warnings=[])

    def card(self) -> Mapping[str, object]:
        return {"name": "fake-model", "version": "0.0.1", "metrics": {"map": 0.5}}


def _assertion(lowered: str, start: int) -> Assertion:
    sentence_start = max(lowered.rfind(".", 0, start), lowered.rfind("\n", 0, start)) + 1
    negated = "denies" in lowered[sentence_start:start]
    return Assertion.NEGATED if negated else Assertion.PRESENT


def empty_catalogue() -> Catalogue:
    """A catalogue with the real schema and no codes."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.executescript(DDL)
    return Catalogue(conn, {})
