"""Section headers at line starts, canonical names, and sections that tile the text."""

from itertools import pairwise

from service.text import SECTION_HEADERS
from service.text.sections import find_sections

NOTE = (
    "Seen in clinic today.\r\n"
    "HPI: 58 yo man with chest pain.\r\n"
    "Past Medical History:\r\n"
    "Hypertension.\n"
    "  2. Family history - mother with diabetes\n"
    "MEDICATIONS: aspirin\n"
    "Physical Examination\n"
    "Abdomen soft.\n"
    "Assessment and Plan: angina; stress test.\n"
    "Surgery-induced adhesions are not a header.\n"
    "Discharge diagnosis: angina"
)


def test_headers_are_found_and_named() -> None:
    sections = find_sections(NOTE)
    assert [s.name for s in sections] == [
        "unknown",
        "history_of_present_illness",
        "past_medical_history",
        "family_history",
        "medications",
        "physical_exam",
        "assessment_and_plan",
        "discharge_diagnosis",
    ]
    assert NOTE[sections[1].start :].startswith("HPI:")
    assert NOTE[sections[3].start :].startswith("  2. Family history")
    assert "Surgery-induced" in NOTE[sections[6].start : sections[6].end]


def test_sections_tile_the_text() -> None:
    sections = find_sections(NOTE)
    assert sections[0].start == 0
    assert sections[-1].end == len(NOTE)
    assert all(a.end == b.start for a, b in pairwise(sections))


def test_a_header_must_start_its_line() -> None:
    text = "The history of present illness: cough\nPlan to discharge home"
    assert [s.name for s in find_sections(text)] == ["unknown"]


def test_text_without_headers_is_one_unknown_section() -> None:
    assert [(s.start, s.end, s.name) for s in find_sections("Extremities without edemas.")] == [
        (0, 27, "unknown")
    ]
    assert [(s.start, s.end, s.name) for s in find_sections("")] == [(0, 0, "unknown")]


def test_every_documented_header_is_recognised() -> None:
    for name, phrases in SECTION_HEADERS.items():
        for phrase in phrases:
            sections = find_sections(f"Intro\n{phrase.upper()}: text")
            assert sections[-1].name == name, phrase
