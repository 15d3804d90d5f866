"""The CodiEsp converter and ``prepare`` on the tiny fixture corpus (real cases, CodiEsp layout)."""

import json
import shutil
from pathlib import Path

import pytest

from service.codesystems import CodeSystem
from training import prepare
from training.codiesp import load_split, read_code_table, report_codes
from training.jsonl import LabelledCode, LabelledNote, read_jsonl

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "codiesp"
TRAIN_CASE = "S1130-01082008000200009-3"


def _codes(note: LabelledNote) -> set[tuple[CodeSystem, str]]:
    return {(code.system, code.code) for code in note.codes}


def test_codes_are_normalised_per_system() -> None:
    table = read_code_table(FIXTURE / "dev" / "devP.tsv", CodeSystem.ICD10PCS)
    # Raw rows: bt10, 0tbb8zz, bt4jzzz, 0tjb8zz, bt20 (4-character prefixes are kept as such).
    assert table["S0004-06142007000600011-1"] == ["BT10", "0TBB8ZZ", "BT4JZZZ", "0TJB8ZZ", "BT20"]
    cases = {case.id: case for case in load_split(FIXTURE, "dev")}
    assert _codes(cases["S1130-05582008000400008-3"].to_note()) == {
        (CodeSystem.ICD10CM, "K08.9"),
        (CodeSystem.ICD10CM, "S09.93X"),
        (CodeSystem.ICD10CM, "K04.8"),
    }


def test_load_split_reads_texts_codes_and_evidence() -> None:
    cases = load_split(FIXTURE, "train")
    assert [case.id for case in cases] == sorted(case.id for case in cases)
    case = next(case for case in cases if case.id == TRAIN_CASE)
    english = (FIXTURE / "train" / "text_files_en" / f"{TRAIN_CASE}.txt").read_text("utf-8")
    assert case.text == english
    assert case.spanish is not None
    assert len(case.codes) == 6
    assert (CodeSystem.ICD10PCS, "3E01") in _codes(case.to_note())
    # Every evidence row is kept, each span pointing at its Spanish words.
    assert len(case.evidence) == 8
    celiac = [m for m in case.evidence if m.code == "K90.0"]
    assert {case.spanish[s:e] for m in celiac for s, e in m.spans} == {"enfermedad celiaca"}


def test_background_has_text_and_no_codes() -> None:
    cases = load_split(FIXTURE, "background")
    assert len(cases) == 2
    assert all(case.codes == () and case.spanish is None and case.text for case in cases)


def test_unknown_codes_are_kept_and_counted() -> None:
    notes = [case.to_note() for case in load_split(FIXTURE, "train")]
    known = {"R69", "K90.0", "G45.9", "F10.10", "F17.200", "J03.90", "J03.91", "R74.0"}

    def is_known(system: CodeSystem, code: str) -> bool:
        return system is CodeSystem.ICD10CM and code in known

    report = report_codes(notes, is_known=is_known)
    assert report.unknown is not None
    # O03.9 and the PCS codes are unknown to this catalogue: counted, and still in the notes.
    assert report.unknown["ICD-10-CM"].codes == ["O03.9"]
    assert report.unknown["ICD-10-PCS"].codes == ["0DB9", "3E01"]
    assert report.unknown["ICD-10-PCS"].occurrences == 3
    assert (CodeSystem.ICD10CM, "O03.9") in set().union(*(_codes(n) for n in notes))
    assert report.occurrences == {"ICD-10-CM": 9, "ICD-10-PCS": 3}
    assert report.pcs_prefixes.codes == ["0DB9", "3E01"]
    assert report_codes(notes).unknown is None


def test_report_flags_header_codes_and_missing_seventh_characters() -> None:
    notes = [
        LabelledNote(
            id="1",
            text="",
            codes=tuple(
                LabelledCode(system=CodeSystem.ICD10CM, code=code)
                for code in ("t81.4xx", "M89.8X9", "S06.9X9", "R10", "E11.9")
            ),
        )
    ]
    leaves = {"M89.8X9", "S06.9X9A", "E11.9"}
    headers = {"S06.9X9", "R10"}

    def is_known(system: CodeSystem, code: str) -> bool:
        return code in leaves | headers

    def is_billable(system: CodeSystem, code: str) -> bool | None:
        return (code in leaves) if is_known(system, code) else None

    without_catalogue = report_codes(notes)
    assert without_catalogue.missing_seventh_character.codes == ["T81.4XX"]
    assert without_catalogue.non_billable_icd10cm is None
    report = report_codes(notes, is_known, is_billable)
    assert report.missing_seventh_character.codes == ["S06.9X9", "T81.4XX"]
    assert report.non_billable_icd10cm is not None
    assert report.non_billable_icd10cm.codes == ["R10", "S06.9X9"]


def test_prepare_end_to_end_is_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--source", str(FIXTURE), "--catalogue", str(tmp_path / "none")]
    assert prepare.main([*args, "--out", str(tmp_path / "a")]) == 0
    summary = capsys.readouterr().out
    assert "catalogue not available" in summary
    assert "train: 2 cases" in summary

    train = read_jsonl(tmp_path / "a" / "train.jsonl")
    dev = read_jsonl(tmp_path / "a" / "dev.jsonl")
    background = read_jsonl(tmp_path / "a" / "background.jsonl")
    assert [n.id for n in train] == sorted(n.id for n in train)
    assert (len(train), len(dev), len(background)) == (2, 2, 2)
    assert all(note.codes == () for note in background)
    for note in train + dev:
        assert note.mentions, note.id
        assert {(m.system, m.code) for m in note.mentions} <= _codes(note)
        for mention in note.mentions:
            evidence = note.text[mention.start : mention.end]
            assert evidence
            assert evidence == evidence.strip()

    report = json.loads((tmp_path / "a" / "report.json").read_text())
    assert report["splits"]["train"]["codes"]["occurrences"] == {"ICD-10-CM": 9, "ICD-10-PCS": 3}
    assert report["splits"]["dev"]["alignment"]["carried"] == 9
    assert report["splits"]["background"]["alignment"] is None

    assert prepare.main([*args, "--out", str(tmp_path / "b")]) == 0
    for name in ("train.jsonl", "dev.jsonl", "background.jsonl", "report.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_prepare_refuses_a_source_without_splits(tmp_path: Path) -> None:
    assert prepare.main(["--source", str(tmp_path), "--out", str(tmp_path / "out")]) == 2


def test_prepare_skips_missing_splits(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "dev", tmp_path / "src" / "dev")
    args = ["--source", str(tmp_path / "src"), "--out", str(tmp_path / "out")]
    assert prepare.main([*args, "--catalogue", str(tmp_path / "none")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["dev.jsonl", "report.json"]


def test_prepare_reports_an_unusable_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "catalogue" / "manifest.json").write_text("{}")
    args = ["--source", str(FIXTURE), "--out", str(tmp_path / "out")]
    assert prepare.main([*args, "--catalogue", str(tmp_path / "catalogue")]) == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["catalogue"].startswith("catalogue not available (invalid catalogue manifest")
    assert report["splits"]["train"]["codes"]["unknown"] is None
    assert "catalogue not available" in capsys.readouterr().out
