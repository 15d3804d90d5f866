"""Labelled notes as the model sees them: analysed text, sentence units and their labels."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from service.model.features import sentence_units
from service.text import AnalyzedText, TextPipeline
from training.jsonl import LabelledNote


@dataclass(frozen=True)
class AnalysedNote:
    """One labelled note after the text pipeline."""

    note: LabelledNote
    analyzed: AnalyzedText
    unit_spans: list[tuple[int, int]]
    unit_words: list[list[str]]

    @property
    def words(self) -> list[str]:
        """The note's words as the service's note scorer sees them: its sentences' words."""
        return [word for unit in self.unit_words for word in unit]

    def label_keys(self) -> list[tuple[str, str]]:
        """The note's gold codes as ``(system, code)`` keys."""
        return [(c.system.value, c.code) for c in self.note.codes]

    def unit_label_keys(self) -> list[set[tuple[str, str]]]:
        """For each sentence unit, the codes whose mentions overlap it."""
        keys: list[set[tuple[str, str]]] = [set() for _ in self.unit_spans]
        for mention in self.note.mentions:
            for i, (start, end) in enumerate(self.unit_spans):
                if mention.start < end and start < mention.end:
                    keys[i].add((mention.system.value, mention.code))
        return keys


def analyse(notes: Sequence[LabelledNote], pipeline: TextPipeline) -> list[AnalysedNote]:
    """Run the service's own text pipeline over every note."""
    out = []
    for note in tqdm(notes, desc="analyse", unit="note", leave=False):
        analyzed = pipeline.analyze(note.text)
        spans, words = sentence_units(analyzed)
        out.append(AnalysedNote(note, analyzed, spans, words))
    return out


def label_matrices(
    notes: Sequence[AnalysedNote], index: dict[tuple[str, str], int]
) -> tuple[list[list[str]], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Sentence units with their label rows, and one label row per note.

    A note without mentions (a user's own labelled file) labels every one of its sentences with
    every code of the note: noisier, but the sentence model still learns from it.
    """
    units: list[list[str]] = []
    unit_rows: list[npt.NDArray[np.float32]] = []
    doc_rows = np.zeros((len(notes), len(index)), dtype=np.float32)
    for n, item in enumerate(notes):
        note_keys = [k for k in item.label_keys() if k in index]
        doc_rows[n, [index[k] for k in note_keys]] = 1.0
        per_unit = item.unit_label_keys() if item.note.mentions else None
        for u, words in enumerate(item.unit_words):
            row = np.zeros(len(index), dtype=np.float32)
            keys = per_unit[u] if per_unit is not None else set(note_keys)
            row[[index[k] for k in keys if k in index]] = 1.0
            units.append(words)
            unit_rows.append(row)
    unit_matrix = np.vstack(unit_rows) if unit_rows else np.zeros((0, len(index)), np.float32)
    return units, unit_matrix, doc_rows
