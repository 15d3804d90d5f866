"""Read the CodiEsp layout and convert it to labelled notes, with a report on its codes.

Layout of a split directory (see ``training/data/codiesp/README.md``)::

    <split>/text_files_en/<id>.txt   English text, one sentence a line
    <split>/text_files/<id>.txt      Spanish original (source of the mention spans)
    <split>/<split>D.tsv             id <TAB> ICD-10-CM code, lower case with dot
    <split>/<split>P.tsv             id <TAB> ICD-10-PCS code (some are 4-character prefixes)
    <split>/<split>X.tsv             id, label, code, Spanish mention, "start end[;start end...]"

Codes are normalised to the catalogue's form (``n44.8`` -> ``N44.8``, ``bw03zzz`` -> ``BW03ZZZ``).
A code the catalogue does not know is kept and counted, never dropped: the labels are the
coders', and the report says how far they are from the current code sets.
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from service.codesystems import CodeSystem, normalize_code
from training.alignment import SourceMention
from training.jsonl import LabelledCode, LabelledNote

__all__ = [
    "CodeCounts",
    "CodiEspCase",
    "IsBillable",
    "IsKnown",
    "SplitReport",
    "load_split",
    "read_code_table",
    "read_evidence",
    "report_codes",
]

IsKnown = Callable[[CodeSystem, str], bool]
"""Whether the catalogue has a code (given in canonical form)."""
IsBillable = Callable[[CodeSystem, str], bool | None]
"""Whether a code is billable, ``None`` when the catalogue does not know it."""

_TABLE_SYSTEMS = {"D": CodeSystem.ICD10CM, "P": CodeSystem.ICD10PCS}
_EVIDENCE_SYSTEMS = {"DIAGNOSTICO": CodeSystem.ICD10CM, "PROCEDIMIENTO": CodeSystem.ICD10PCS}


@dataclass(frozen=True, slots=True)
class CodiEspCase:
    """One clinical case: its English text, Spanish original (if present), codes and evidence."""

    id: str
    text: str
    spanish: str | None
    codes: tuple[LabelledCode, ...]
    evidence: tuple[SourceMention, ...]

    def to_note(self) -> LabelledNote:
        """The case as a labelled note without mentions (see :mod:`training.alignment`)."""
        return LabelledNote(id=self.id, text=self.text, codes=self.codes)


def _tsv_rows(path: Path, columns: int) -> Iterator[list[str]]:
    # QUOTE_NONE: mentions contain bare quotes ("joroba") that csv would otherwise swallow.
    with path.open(encoding="utf-8", newline="") as rows:
        for number, row in enumerate(csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row:
                continue
            if len(row) != columns:
                raise ValueError(f"{path}:{number}: expected {columns} columns, found {len(row)}")
            yield row


def read_code_table(path: Path, system: CodeSystem) -> dict[str, list[str]]:
    """Read a ``<split>D.tsv`` / ``<split>P.tsv`` table: case id -> normalised codes, file order."""
    codes: dict[str, list[str]] = {}
    for case_id, code in _tsv_rows(path, 2):
        codes.setdefault(case_id, []).append(normalize_code(system, code))
    return codes


def read_evidence(path: Path) -> dict[str, list[SourceMention]]:
    """Read a ``<split>X.tsv`` table: case id -> mentions with their Spanish character spans."""
    evidence: dict[str, list[SourceMention]] = {}
    for case_id, label, code, _mention, spans in _tsv_rows(path, 5):
        system = _EVIDENCE_SYSTEMS[label]
        pairs = tuple(_span(part) for part in spans.split(";"))
        evidence.setdefault(case_id, []).append(
            SourceMention(system, normalize_code(system, code), pairs)
        )
    return evidence


def _span(text: str) -> tuple[int, int]:
    start, end = text.split()
    return int(start), int(end)


def load_split(root: Path, split: str) -> list[CodiEspCase]:
    """Load every case of ``root/split`` that has an English text, sorted by id.

    Tables and the Spanish side are optional (``background`` has neither). Codes of a case
    without an English text are ignored: there is no note to attach them to.
    """
    directory = root / split
    codes: dict[str, list[LabelledCode]] = {}
    for letter, system in _TABLE_SYSTEMS.items():
        table = directory / f"{split}{letter}.tsv"
        if table.exists():
            for case_id, case_codes in read_code_table(table, system).items():
                codes.setdefault(case_id, []).extend(
                    LabelledCode(system=system, code=code) for code in case_codes
                )
    evidence_table = directory / f"{split}X.tsv"
    evidence = read_evidence(evidence_table) if evidence_table.exists() else {}
    cases: list[CodiEspCase] = []
    for english in sorted((directory / "text_files_en").glob("*.txt")):
        spanish = directory / "text_files" / english.name
        cases.append(
            CodiEspCase(
                id=english.stem,
                text=english.read_text(encoding="utf-8"),
                spanish=spanish.read_text(encoding="utf-8") if spanish.exists() else None,
                codes=tuple(dict.fromkeys(codes.get(english.stem, []))),
                evidence=tuple(evidence.get(english.stem, [])),
            )
        )
    return cases


class CodeCounts(BaseModel):
    """How often a kind of code occurs: occurrences, and the distinct codes themselves."""

    occurrences: int = 0
    codes: list[str] = []


class SplitReport(BaseModel):
    """What a split's labels look like against the code sets.

    Fields that need the catalogue are ``None`` when it was not available.
    """

    cases: int
    cases_without_codes: int
    occurrences: dict[str, int]
    distinct: dict[str, int]
    unknown: dict[str, CodeCounts] | None
    non_billable_icd10cm: CodeCounts | None
    missing_seventh_character: CodeCounts
    pcs_prefixes: CodeCounts


def _lacks_seventh(code: str, is_known: IsKnown | None, is_billable: IsBillable | None) -> bool:
    """Whether an ICD-10-CM code was written without the 7th character it requires.

    A trailing placeholder ``X`` only pads a code towards its 7th character, so a shorter code
    ending in one is incomplete (``T81.4XX``, ``X58.XXX``; but ``M89.8X9`` is complete). With a
    catalogue, a code that is not billable but whose "initial encounter" extension exists is
    incomplete too (``S06.9X9`` -> ``S06.9X9A``, ``S52.501`` -> ``S52.501A``).
    """
    compact = code.replace(".", "")
    if len(compact) >= 7:
        return False
    if compact.endswith("X"):
        return True
    if is_known is None or (is_billable is not None and is_billable(CodeSystem.ICD10CM, code)):
        return False
    extended = normalize_code(CodeSystem.ICD10CM, compact.ljust(6, "X") + "A")
    return is_known(CodeSystem.ICD10CM, extended)


def _counts(occurrences: Counter[str]) -> CodeCounts:
    return CodeCounts(occurrences=sum(occurrences.values()), codes=sorted(occurrences))


def report_codes(
    notes: Iterable[LabelledNote],
    is_known: IsKnown | None = None,
    is_billable: IsBillable | None = None,
) -> SplitReport:
    """Count the codes of ``notes``: per system, unknown to the catalogue, non-billable, quirks."""
    cases = without_codes = 0
    per_system: Counter[str] = Counter()
    distinct: dict[str, set[str]] = {}
    unknown: dict[str, Counter[str]] = {}
    non_billable: Counter[str] = Counter()
    lacking: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()
    for note in notes:
        cases += 1
        without_codes += not note.codes
        for labelled in note.codes:
            system, code = labelled.system, labelled.code
            per_system[system] += 1
            distinct.setdefault(system, set()).add(code)
            if is_known is not None and not is_known(system, code):
                unknown.setdefault(system, Counter())[code] += 1
            if system is CodeSystem.ICD10CM:
                if is_billable is not None and is_billable(system, code) is False:
                    non_billable[code] += 1
                if _lacks_seventh(code, is_known, is_billable):
                    lacking[code] += 1
            elif system is CodeSystem.ICD10PCS and len(code) < 7:
                prefixes[code] += 1
    return SplitReport(
        cases=cases,
        cases_without_codes=without_codes,
        occurrences=dict(sorted(per_system.items())),
        distinct={system: len(codes) for system, codes in sorted(distinct.items())},
        unknown=None
        if is_known is None
        else {system: _counts(unknown.get(system, Counter())) for system in sorted(distinct)},
        non_billable_icd10cm=None if is_billable is None else _counts(non_billable),
        missing_seventh_character=_counts(lacking),
        pcs_prefixes=_counts(prefixes),
    )
