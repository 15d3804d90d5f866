"""The trained model as a :class:`~service.suggestions.Suggester`."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from service.catalogue import Catalogue
from service.codesystems import CodeSystem
from service.model.calibration import Calibration
from service.model.candidates import LabelSpace, NoteScores, candidate_features, unit_tokens
from service.model.evidence import evidence_for
from service.model.features import Vocabulary, sentence_units
from service.model.manifest import ModelManifest
from service.model.matcher import TermMatcher, not_present_shares
from service.model.onnx_runtime import LogisticRanker, SparseScorer
from service.suggestions import Evidence, ModelInfo, Suggestion, SuggestionResult
from service.text import AnalyzedText, TextPipeline

NO_CPT_LABELS_WARNING = (
    "CPT suggestions come from catalogue terms only; their scores are not calibrated on "
    "labelled CPT notes"
)


@dataclass(frozen=True)
class ModelParts:
    """Everything loaded from a model directory."""

    vocabulary: Vocabulary
    labels: LabelSpace
    line_scorer: SparseScorer
    doc_scorer: SparseScorer
    ranker: LogisticRanker
    calibration: Calibration
    matcher: TermMatcher
    evidence_words: Mapping[int, frozenset[str]]
    doc_weight: float
    per_system: int


class TrainedModel:
    """Ranks codes for a note with the supervised scorers, the term matcher and the ranker."""

    def __init__(
        self,
        manifest: ModelManifest,
        parts: ModelParts,
        catalogue: Catalogue,
        pipeline: TextPipeline | None = None,
    ) -> None:
        self.manifest = manifest
        self._parts = parts
        self._catalogue = catalogue
        self._pipeline = pipeline or TextPipeline()
        # Suggestions repeat the same few thousand codes: keep their catalogue facts at hand.
        self._describe = lru_cache(maxsize=32_768)(self._lookup)
        # Only supervised labels are ranked by score (matched ones come from the matcher).
        self._system_labels = {
            system: parts.labels.supervised_indices_of(system.value) for system in manifest.systems
        }

    def _lookup(self, system: CodeSystem, code: str) -> tuple[str, bool]:
        entry = self._catalogue.lookup(system, code)
        return (entry.display, entry.billable) if entry else ("", False)

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(name=self.manifest.name, version=self.manifest.version)

    @property
    def systems(self) -> frozenset[CodeSystem]:
        return frozenset(self.manifest.systems)

    def card(self) -> Mapping[str, object]:
        """The manifest as JSON-ready data."""
        card: dict[str, object] = self.manifest.model_dump(mode="json")
        return card

    def score(self, analyzed: AnalyzedText) -> tuple[NoteScores, list[tuple[int, int]]]:
        """Run the scorers and the matcher over an analysed note."""
        parts = self._parts
        spans, words = sentence_units(analyzed)
        # Every word is in one sentence, so the note's row is its sentences' rows together.
        unit_rows, note_row = parts.vocabulary.transform_with_whole(words)
        line = parts.line_scorer.scores(unit_rows)
        doc = parts.doc_scorer.scores(note_row)[0]
        matches = parts.matcher.match(analyzed)
        scores = NoteScores(
            line, doc, matches, not_present_shares(matches), unit_tokens(analyzed, spans)
        )
        return scores, spans

    def suggest(
        self,
        text: str,
        *,
        systems: Collection[CodeSystem],
        top_k: int,
        min_score: float,
        include_evidence: bool,
    ) -> SuggestionResult:
        """Rank codes of ``systems`` for ``text``; at most ``top_k`` per system."""
        parts = self._parts
        analyzed = self._pipeline.analyze(text)
        warnings: list[str] = []
        if not analyzed.tokens:
            return SuggestionResult([], ["the text has no words to code"])
        scores, spans = self.score(analyzed)
        requested = sorted(set(systems) & self.systems)
        if CodeSystem.CPT in requested:
            warnings.append(NO_CPT_LABELS_WARNING)
        per_system = [
            candidate_features(
                scores,
                parts.labels,
                system.value,
                self._system_labels[system],
                evidence_words=parts.evidence_words,
                doc_weight=parts.doc_weight,
                per_system=parts.per_system,
            )
            for system in requested
        ]
        # One ranker run for every system's candidates: a session call costs more than its rows.
        all_rows = np.vstack([rows for _, rows in per_system]) if per_system else np.zeros((0, 0))
        raw = parts.ranker.probabilities(all_rows.astype(np.float32))
        probabilities = parts.calibration(raw)
        suggestions: list[Suggestion] = []
        offset = 0
        for system, (labels, rows) in zip(requested, per_system, strict=True):
            probability = probabilities[offset : offset + len(rows)]
            # Rank by the raw ranker output: calibration is monotone, so this is the calibrated
            # order with the ties of its flat steps broken by the ranker instead of by chance.
            order = np.argsort(-raw[offset : offset + len(rows)], kind="stable")[:top_k]
            offset += len(rows)
            for i in order.tolist():
                if probability[i] < min_score:
                    break
                suggestions.append(
                    self._suggestion(
                        analyzed,
                        scores,
                        spans,
                        system,
                        int(labels[i]),
                        float(probability[i]),
                        include_evidence,
                    )
                )
        suggestions.sort(key=lambda s: -s.score)
        return SuggestionResult(suggestions, warnings)

    def _suggestion(
        self,
        analyzed: AnalyzedText,
        scores: NoteScores,
        spans: list[tuple[int, int]],
        system: CodeSystem,
        label: int,
        probability: float,
        include_evidence: bool,
    ) -> Suggestion:
        code = self._parts.labels.codes[label]
        display, billable = self._describe(system, code)
        evidence: tuple[Evidence, ...] = ()
        if include_evidence:
            unit_scores = scores.line[:, label] if label < self._parts.labels.n_supervised else None
            evidence = evidence_for(
                analyzed,
                spans,
                unit_scores,
                scores.matches.get(label, ()),
                self._parts.evidence_words.get(label, frozenset()),
            )
        return Suggestion(
            system=system,
            code=code,
            display=display,
            score=round(probability, 4),
            billable=billable,
            evidence=evidence,
        )
