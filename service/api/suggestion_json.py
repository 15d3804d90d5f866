"""From a suggester's result to the JSON the contract promises, whatever the suggester did.

The API guarantees ordering, per-system ``top_k``, ``min_score``, the requested systems and
evidence that slices the note exactly; enforcing it here keeps that true for every suggester.
"""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from service.codesystems import CodeSystem
from service.suggestions import Evidence, ModelInfo, Suggestion, SuggestionResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SuggestParams:
    """The options of a suggest request, resolved against the model."""

    systems: frozenset[CodeSystem]
    top_k: int
    min_score: float
    include_evidence: bool


def model_json(info: ModelInfo) -> dict[str, str]:
    """The ``model`` member of a response."""
    return {"name": info.name, "version": info.version}


def enforce_contract(
    text: str, result: SuggestionResult, params: SuggestParams
) -> SuggestionResult:
    """Keep the requested systems and scores, highest first, ``top_k`` per system."""
    kept: list[Suggestion] = []
    per_system: dict[CodeSystem, int] = {}
    dropped_evidence = 0
    ranked = sorted(result.suggestions, key=lambda s: s.score, reverse=True)
    for suggestion in ranked:
        if suggestion.system not in params.systems or suggestion.score < params.min_score:
            continue
        count = per_system.get(suggestion.system, 0)
        if count >= params.top_k:
            continue
        per_system[suggestion.system] = count + 1
        evidence: tuple[Evidence, ...] = ()
        if params.include_evidence:
            evidence = tuple(e for e in suggestion.evidence if _slices(text, e))
            dropped_evidence += len(suggestion.evidence) - len(evidence)
        kept.append(_with_evidence(suggestion, evidence))
    if dropped_evidence:
        # A suggester bug, not the caller's: count it without quoting anything.
        logger.warning("dropped %d evidence spans whose offsets miss their text", dropped_evidence)
    return SuggestionResult(suggestions=kept, warnings=list(result.warnings))


def _slices(text: str, evidence: Evidence) -> bool:
    return 0 <= evidence.start <= evidence.end <= len(text) and (
        text[evidence.start : evidence.end] == evidence.text
    )


def _with_evidence(suggestion: Suggestion, evidence: tuple[Evidence, ...]) -> Suggestion:
    if evidence == suggestion.evidence:
        return suggestion
    return Suggestion(
        system=suggestion.system,
        code=suggestion.code,
        display=suggestion.display,
        score=suggestion.score,
        billable=suggestion.billable,
        evidence=evidence,
    )


def suggestions_json(result: SuggestionResult) -> list[dict[str, Any]]:
    """The ``suggestions`` member of a response."""
    return [
        {
            "system": s.system.value,
            "code": s.code,
            "display": s.display,
            "score": float(s.score),
            "billable": s.billable,
            "evidence": [
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "section": e.section,
                    "assertion": e.assertion.value,
                }
                for e in s.evidence
            ],
        }
        for s in result.suggestions
    ]


def unsupported_warnings(
    requested: Collection[CodeSystem], supported: Collection[CodeSystem]
) -> list[str]:
    """Warnings for requested systems the model cannot rank."""
    return [
        f"the model does not rank {system.value} codes"
        for system in sorted(requested)
        if system not in supported
    ]
