"""Checks on the built-in CPT data files and the labelled CPT note snippets.

Every ``service/catalogue/data/cpt/*.tsv`` file is validated: exact header, five columns,
well-formed codes unique across all files, a known section whose numeric range holds each
Category I code, unique non-empty descriptions and clean, non-repeating keywords.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

CPT_DIR = Path("service/catalogue/data/cpt")
NOTES_DIR = Path("tests/fixtures/cpt_notes")
HEADER = "code\tsection\tsubsection\tdescription\tkeywords"
CODE_PATTERN = re.compile(r"^(?:\d{5}|\d{4}[FTU])$")
MIN_TOTAL_CODES = 1500

# Category I numeric ranges allowed for each section (inclusive).
SECTION_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "Evaluation and Management": ((99091, 99499), (98000, 98016)),
    "Anesthesia": ((100, 1999), (99100, 99140)),
    "Surgery": ((10004, 69990),),
    "Radiology": ((70010, 79999),),
    "Pathology and Laboratory": ((80047, 89398),),
    "Medicine": ((90281, 99199), (99500, 99607)),
}


@dataclass(frozen=True)
class Row:
    where: str
    code: str
    section: str
    subsection: str
    description: str
    keywords: str


def tsv_files() -> list[Path]:
    return sorted(CPT_DIR.glob("*.tsv"))


def read_rows(path: Path) -> list[Row]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines, f"{path} is empty"
    assert lines[0] == HEADER, f"{path}: bad header {lines[0]!r}"
    rows: list[Row] = []
    for line_no, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        assert len(fields) == 5, f"{path.name}:{line_no}: {len(fields)} columns, expected 5"
        rows.append(Row(f"{path.name}:{line_no}", *fields))
    return rows


def all_rows() -> list[Row]:
    return [row for path in tsv_files() for row in read_rows(path)]


def in_section_range(code: str, section: str) -> bool:
    if code.endswith(("F", "T")):
        return True  # Category II and III codes are not bound to a section range
    if code.endswith("U"):
        return section == "Pathology and Laboratory"
    number = int(code)
    return any(low <= number <= high for low, high in SECTION_RANGES[section])


def test_files_exist_and_have_rows() -> None:
    files = tsv_files()
    assert files, f"no TSV files in {CPT_DIR}"
    for path in files:
        assert read_rows(path), f"{path} has a header but no rows"


@pytest.mark.parametrize("path", tsv_files(), ids=lambda p: p.name)
def test_file_is_clean_utf8_text(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert not text.startswith("\ufeff"), "byte-order mark"
    assert "\r" not in text, "carriage return"
    assert all(line.strip() for line in text.splitlines()), "blank line"


def test_codes_are_well_formed() -> None:
    bad = [(r.where, r.code) for r in all_rows() if not CODE_PATTERN.match(r.code)]
    assert not bad


def test_codes_unique_across_files() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for row in all_rows():
        if row.code in seen:
            duplicates.append((row.code, seen[row.code], row.where))
        seen.setdefault(row.code, row.where)
    assert not duplicates


def test_sections_are_known() -> None:
    bad = [(r.where, r.section) for r in all_rows() if r.section not in SECTION_RANGES]
    assert not bad


def test_codes_fall_in_their_section_range() -> None:
    bad = [
        (r.where, r.code, r.section)
        for r in all_rows()
        if r.section in SECTION_RANGES and not in_section_range(r.code, r.section)
    ]
    assert not bad


def test_subsections_present() -> None:
    bad = [r.where for r in all_rows() if not r.subsection.strip()]
    assert not bad


def test_descriptions_non_empty_and_unique() -> None:
    seen: dict[str, str] = {}
    problems = []
    for row in all_rows():
        text = row.description
        if not text.strip() or text != text.strip():
            problems.append((row.where, "empty or padded description"))
            continue
        key = text.casefold()
        if key in seen:
            problems.append((row.where, f"same description as {seen[key]}"))
        seen.setdefault(key, row.where)
    assert not problems


def test_keywords_clean_and_not_repeated_within_a_row() -> None:
    problems = []
    for row in all_rows():
        if not row.keywords:
            continue
        keywords = row.keywords.split("|")
        if any(not k.strip() or k != k.strip() for k in keywords):
            problems.append((row.where, "empty or padded keyword"))
        folded = [k.strip().casefold() for k in keywords]
        if len(folded) != len(set(folded)):
            problems.append((row.where, "keyword repeated"))
    assert not problems


def test_section_helpers_reject_out_of_range_codes() -> None:
    assert in_section_range("99213", "Evaluation and Management")
    assert in_section_range("98005", "Evaluation and Management")
    assert not in_section_range("99213", "Medicine")
    assert in_section_range("99140", "Anesthesia")
    assert not in_section_range("02000", "Anesthesia")
    assert not in_section_range("0001U", "Medicine")
    assert in_section_range("0001U", "Pathology and Laboratory")
    assert not CODE_PATTERN.match("9921")
    assert not CODE_PATTERN.match("0001X")


def test_at_least_minimum_total_codes() -> None:
    total = len(all_rows())
    assert total >= MIN_TOTAL_CODES, f"only {total} CPT codes, need {MIN_TOTAL_CODES}"


def note_snippets() -> list[tuple[str, dict[str, object]]]:
    snippets = []
    for path in sorted(NOTES_DIR.glob("*.jsonl")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            snippets.append((f"{path.name}:{line_no}", json.loads(line)))
    return snippets


def test_note_snippets_are_well_formed_and_use_catalogued_codes() -> None:
    snippets = note_snippets()
    assert snippets, f"no snippets in {NOTES_DIR}"
    catalogued = {row.code for row in all_rows()}
    ids: set[str] = set()
    for where, snippet in snippets:
        assert set(snippet) == {"id", "text", "codes"}, where
        snippet_id, text, codes = snippet["id"], snippet["text"], snippet["codes"]
        assert isinstance(snippet_id, str), where
        assert snippet_id, f"{where}: empty id"
        assert snippet_id not in ids, f"{where}: repeated id"
        ids.add(snippet_id)
        assert isinstance(text, str), where
        assert len(text.split()) >= 10, f"{where}: text too short"
        assert isinstance(codes, list), where
        assert codes, f"{where}: no codes"
        for code in codes:
            assert isinstance(code, dict), where
            assert code.get("system") == "CPT", where
            assert code.get("code") in catalogued, f"{where}: {code} not in the CPT files"
