"""``python -m training prepare``: the CodiEsp copy -> labelled JSONL splits and a report.

Writes, under ``--out``:

- ``train.jsonl`` and ``dev.jsonl``: notes with codes, and mentions carried from the Spanish
  evidence to English lines (:mod:`training.alignment`);
- ``background.jsonl``: unlabelled notes (no codes);
- ``report.json``: per split, the code counts against the catalogue and the alignment checks.

Output is sorted by note id and does not depend on the machine, so a rerun gives the same bytes.
"""

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.catalogue import CatalogueLoadError, load_catalogue
from service.codesystems import CodeSystem
from service.config import DEFAULT_CATALOGUE_DIR, REPO_ROOT
from training.alignment import SentenceAlignment, SourceMention, TargetSpan
from training.codiesp import (
    CodiEspCase,
    IsBillable,
    IsKnown,
    SplitReport,
    load_split,
    report_codes,
)
from training.jsonl import LabelledNote, Mention, write_jsonl

SPLITS = ("train", "dev", "background")
DEFAULT_SOURCE = REPO_ROOT / "training" / "data" / "codiesp"
DEFAULT_OUT = REPO_ROOT / "build" / "data"


_NUMBER = re.compile(r"\d+")
_LONG_WORD = re.compile(r"[^\W\d_]{5,}")


@dataclass
class AlignmentQuality:
    """Sanity checks of carried mentions, with no gold English spans to compare against.

    Numbers and long words (drug names, eponyms, cognates such as "brucella") usually survive
    translation verbatim, so a well-placed span contains them. The same check on the line at
    the mention's relative position in the source is the baseline an alignment must beat.
    """

    cases: int = 0
    sentence_counts_equal: int = 0
    sentence_counts_within_two: int = 0
    mentions: int = 0
    carried: int = 0
    with_number: int = 0
    number_found: int = 0
    number_found_by_position: int = 0
    with_shared_word: int = 0
    shared_word_found: int = 0
    shared_word_found_by_position: int = 0
    # The words of the last case's translation, computed once per case rather than per mention.
    _last_alignment: SentenceAlignment | None = field(default=None, repr=False, compare=False)
    _target_words: set[str] = field(default_factory=set, repr=False, compare=False)

    def add_case(self, alignment: SentenceAlignment) -> None:
        """Count how the sentence split of one case compares with its line count."""
        difference = abs(len(alignment.sentences) - len(alignment.lines))
        self.cases += 1
        self.sentence_counts_equal += difference == 0
        self.sentence_counts_within_two += difference <= 2

    def add_mention(
        self, alignment: SentenceAlignment, mention: SourceMention, carried: Sequence[TargetSpan]
    ) -> None:
        """Check one mention's carried spans against its source words."""
        self.mentions += 1
        if not carried or not alignment.lines:
            return
        self.carried += 1
        source, target = alignment.source_text, alignment.target_text
        words = " ".join(source[start:end] for start, end in mention.spans)
        found = " ".join(target[span.start : span.end] for span in carried)
        relative = mention.spans[0][0] / max(len(source), 1)
        line = alignment.lines[min(int(relative * len(alignment.lines)), len(alignment.lines) - 1)]
        by_position = target[line[0] : line[1]]
        if numbers := set(_NUMBER.findall(words)):
            self.with_number += 1
            self.number_found += numbers <= set(_NUMBER.findall(found))
            self.number_found_by_position += numbers <= set(_NUMBER.findall(by_position))
        if alignment is not self._last_alignment:
            self._last_alignment, self._target_words = alignment, _lower_words(target)
        if shared := _lower_words(words) & self._target_words:
            self.with_shared_word += 1
            self.shared_word_found += bool(shared & _lower_words(found))
            self.shared_word_found_by_position += bool(shared & _lower_words(by_position))

    def summary(self) -> dict[str, float | int]:
        """Counts and shares, rounded for a report."""
        share = _share
        return {
            "cases": self.cases,
            "sentence_counts_equal": share(self.sentence_counts_equal, self.cases),
            "sentence_counts_within_two": share(self.sentence_counts_within_two, self.cases),
            "mentions": self.mentions,
            "carried": self.carried,
            "mentions_with_number": self.with_number,
            "number_in_span": share(self.number_found, self.with_number),
            "number_in_span_by_position": share(self.number_found_by_position, self.with_number),
            "mentions_with_shared_word": self.with_shared_word,
            "shared_word_in_span": share(self.shared_word_found, self.with_shared_word),
            "shared_word_in_span_by_position": share(
                self.shared_word_found_by_position, self.with_shared_word
            ),
        }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _lower_words(text: str) -> set[str]:
    return {word.lower() for word in _LONG_WORD.findall(text)}


def _catalogue_checks(directory: Path) -> tuple[IsKnown, IsBillable] | str:
    """Lookups backed by the built catalogue, or why it is not available."""
    if not (directory / "manifest.json").exists():
        return (
            "catalogue not available (no manifest.json; run `python -m training build-catalogue`)"
        )
    try:
        catalogue = load_catalogue(directory)
    except CatalogueLoadError as error:
        return f"catalogue not available ({error})"

    def is_known(system: CodeSystem, code: str) -> bool:
        return catalogue.lookup(system, code) is not None

    def is_billable(system: CodeSystem, code: str) -> bool | None:
        entry = catalogue.lookup(system, code)
        return None if entry is None else entry.billable

    return is_known, is_billable


def _with_mentions(case: CodiEspCase, quality: AlignmentQuality) -> tuple[LabelledNote, int]:
    """The case as a note with its evidence carried to English, and how many mentions were lost."""
    if case.spanish is None or not case.evidence:
        return case.to_note(), len(case.evidence)
    alignment = SentenceAlignment(case.spanish, case.text)
    quality.add_case(alignment)
    codes = {(code.system, code.code) for code in case.codes}
    mentions: set[Mention] = set()
    lost = 0
    for source in case.evidence:
        carried = alignment.carry(source)
        quality.add_mention(alignment, source, carried)
        # Evidence for a code the tables do not list has no code to support in the note.
        if not carried or (source.system, source.code) not in codes:
            lost += 1
            continue
        mentions.update(
            Mention(system=span.system, code=span.code, start=span.start, end=span.end)
            for span in carried
        )
    ordered = sorted(mentions, key=lambda m: (m.start, m.end, m.system, m.code))
    note = LabelledNote(id=case.id, text=case.text, codes=case.codes, mentions=tuple(ordered))
    return note, lost


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training prepare",
        description="Convert the CodiEsp copy to labelled JSONL splits (train, dev, background).",
    )
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="CodiEsp layout root")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument(
        "--catalogue",
        type=Path,
        default=DEFAULT_CATALOGUE_DIR,
        help="built catalogue used to count unknown and non-billable codes, if present",
    )
    return parser


def main(argv: list[str]) -> int:
    """Write the JSONL splits and ``report.json``; print a short summary."""
    args = _parser().parse_args(argv)
    splits = [split for split in SPLITS if (args.source / split / "text_files_en").is_dir()]
    if not splits:
        print(f"error: no split with a text_files_en directory under {args.source}")
        return 2
    checks = _catalogue_checks(args.catalogue)
    is_known, is_billable = (None, None) if isinstance(checks, str) else checks
    catalogue = checks if isinstance(checks, str) else "available"
    reports: dict[str, dict[str, object]] = {}
    lines = [f"catalogue: {catalogue}"]
    for split in splits:
        quality = AlignmentQuality()
        notes: list[LabelledNote] = []
        lost = 0
        for case in sorted(load_split(args.source, split), key=lambda c: c.id):
            note, case_lost = _with_mentions(case, quality)
            notes.append(note)
            lost += case_lost
        write_jsonl(args.out / f"{split}.jsonl", notes)
        codes = report_codes(notes, is_known, is_billable)
        alignment = quality.summary() | {"mentions_not_carried": lost} if quality.cases else None
        reports[split] = {
            "codes": codes.model_dump(mode="json"),
            "mentions_in_notes": sum(len(note.mentions) for note in notes),
            "alignment": alignment,
        }
        lines.append(_summary_line(split, codes, alignment))
    report = {"catalogue": catalogue, "splits": reports}
    (args.out / "report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print("\n".join([*lines, f"wrote {', '.join(s + '.jsonl' for s in splits)}, report.json"]))
    return 0


def _summary_line(split: str, codes: SplitReport, alignment: dict[str, float | int] | None) -> str:
    text = f"{split}: {codes.cases} cases, codes {codes.occurrences}, distinct {codes.distinct}"
    if codes.unknown is not None:
        counts = {system: counts.occurrences for system, counts in codes.unknown.items()}
        text += f", unknown {counts}"
    if alignment is not None:
        text += (
            f"; alignment: {alignment['carried']}/{alignment['mentions']} mentions carried,"
            f" sentence counts equal {alignment['sentence_counts_equal']:.0%},"
            f" number in span {alignment['number_in_span']:.0%}"
            f" (by position {alignment['number_in_span_by_position']:.0%})"
        )
    return text
