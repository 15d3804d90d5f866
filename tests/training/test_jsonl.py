"""The labelled-notes JSONL format: round trip, normalisation, errors that locate the problem."""

import json
from pathlib import Path
from typing import Any

import pytest

from service.codesystems import CodeSystem
from training.jsonl import (
    JsonlFormatError,
    LabelledCode,
    LabelledNote,
    Mention,
    iter_jsonl,
    read_jsonl,
    write_jsonl,
)

SECRET = "Patient Jane Roe has type 2 diabetes"


def _note(**overrides: Any) -> dict[str, Any]:
    note: dict[str, Any] = {
        "id": "n1",
        "text": SECRET,
        "codes": [{"system": "ICD-10-CM", "code": "e119"}],
        "mentions": [{"system": "ICD-10-CM", "code": "E11.9", "start": 21, "end": 36}],
    }
    note.update(overrides)
    return note


def _write_lines(path: Path, *objects: object) -> Path:
    path.write_text("".join(json.dumps(obj) + "\n" for obj in objects), encoding="utf-8")
    return path


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    notes = [
        LabelledNote(
            id="b",
            text="Laparoscopic cholecystectomy.\nNo fever.",
            codes=(
                LabelledCode(system=CodeSystem.CPT, code="47562"),
                LabelledCode(system=CodeSystem.ICD10PCS, code="0FT44ZZ"),
            ),
            mentions=(Mention(system=CodeSystem.CPT, code="47562", start=0, end=28),),
        ),
        LabelledNote(id="a", text="Unlabelled text, with ünïcode."),
    ]
    path = tmp_path / "notes.jsonl"
    write_jsonl(path, notes)
    assert read_jsonl(path) == notes
    # One note per line, in the order given.
    assert [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()] == [
        "b",
        "a",
    ]


def test_codes_are_normalised_and_deduplicated_on_read(tmp_path: Path) -> None:
    codes = [
        {"system": "ICD-10-CM", "code": "e119"},
        {"system": "ICD-10-CM", "code": "E11.9"},
        {"system": "ICD-10-PCS", "code": "bn20"},
        {"system": "ICD-10-CM", "code": " r10 "},
    ]
    [note] = read_jsonl(_write_lines(tmp_path / "n.jsonl", _note(codes=codes)))
    assert [(c.system, c.code) for c in note.codes] == [
        (CodeSystem.ICD10CM, "E11.9"),
        (CodeSystem.ICD10PCS, "BN20"),
        (CodeSystem.ICD10CM, "R10"),
    ]
    assert note.mentions[0].code == "E11.9"
    assert note.text[note.mentions[0].start : note.mentions[0].end] == "type 2 diabetes"


def test_mentions_are_optional_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text("\n" + json.dumps({"id": "x", "text": "t", "codes": []}) + "\n\n")
    [note] = list(iter_jsonl(path))
    assert note.mentions == ()
    assert note.codes == ()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (_note(codes=[{"system": "ICD-9", "code": "250.00"}]), "codes.0.system"),
        (_note(codes=[{"system": "ICD-10-CM", "code": "E11 9!"}]), "codes.0.code"),
        (_note(codes=[{"system": "CPT"}]), "codes.0.code"),
        (_note(text=12), "text"),
        (_note(id=""), "id"),
        (_note(note=SECRET), "note"),
        (
            _note(mentions=[{"system": "ICD-10-CM", "code": "E11.9", "start": 5, "end": 99}]),
            "(note)",
        ),
        (_note(mentions=[{"system": "CPT", "code": "99213", "start": 0, "end": 3}]), "(note)"),
        (
            _note(mentions=[{"system": "ICD-10-CM", "code": "E11.9", "start": 9, "end": 3}]),
            "mentions.0",
        ),
    ],
)
def test_an_invalid_line_names_line_and_field_but_not_the_text(
    tmp_path: Path, bad: dict[str, Any], field: str
) -> None:
    path = _write_lines(tmp_path / "n.jsonl", _note(id="ok"), bad)
    with pytest.raises(JsonlFormatError) as caught:
        read_jsonl(path)
    assert caught.value.line == 2
    assert caught.value.field == field
    assert f"n.jsonl:2: {field}:" in str(caught.value)
    assert "Jane" not in str(caught.value)
    assert "250.00" not in str(caught.value)


def test_broken_json_and_repeated_ids_are_located(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps(_note()) + "\n" + '{"id": "n2", "text": "Jane Roe\n')
    with pytest.raises(JsonlFormatError, match=r"n\.jsonl:2: \(line\): invalid JSON") as caught:
        read_jsonl(path)
    assert "Jane" not in str(caught.value)

    _write_lines(path, _note(), [1, 2], _note())
    with pytest.raises(JsonlFormatError, match="expected a JSON object"):
        read_jsonl(path)
    _write_lines(path, _note(), _note(id="n2"), _note())
    with pytest.raises(JsonlFormatError, match=r":3: id: repeats the id"):
        read_jsonl(path)


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "out" / "n.jsonl"
    write_jsonl(path, [LabelledNote(id="1", text="a"), LabelledNote(id="2", text="b")])
    write_jsonl(path, [LabelledNote(id="3", text="c")])
    assert [note.id for note in read_jsonl(path)] == ["3"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["n.jsonl"]
