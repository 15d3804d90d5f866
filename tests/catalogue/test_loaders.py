"""Loading the artifact, and the user-supplied CPT and HCPCS files in their documented formats."""

import json
import shutil
from pathlib import Path

import pytest

from service.catalogue import CatalogueLoadError, load_catalogue
from service.catalogue.cpt import cpt_section_of, read_builtin_cpt, read_licensed_cpt
from service.catalogue.hcpcs import read_hcpcs
from service.codesystems import CodeSystem
from service.config import DEFAULT_CATALOGUE_DIR

CPT = CodeSystem.CPT
HCPCS = CodeSystem.HCPCS


def test_licensed_cpt_file_overrides_and_extends(fixtures: Path) -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE_DIR, cpt_file=fixtures / "licensed_cpt.txt")
    builtin = load_catalogue(DEFAULT_CATALOGUE_DIR).lookup(CPT, "99213")
    overridden = catalogue.lookup(CPT, "99213")
    assert builtin is not None
    assert overridden is not None
    assert overridden.display == "Licensed descriptor text for 99213"
    assert overridden.keywords == builtin.keywords  # our keywords survive the override
    assert overridden.section == builtin.section
    added = catalogue.lookup(CPT, "0042t")
    assert added is not None
    assert added.display == "Licensed category III descriptor"
    assert added.section == "Category III"
    assert catalogue.count(CPT) == load_catalogue(DEFAULT_CATALOGUE_DIR).count(CPT) + 2
    # The search index follows the override.
    assert [e.code for e in catalogue.search(CPT, "licensed descriptor text")] == ["99213"]
    assert "licensed file licensed_cpt.txt" in catalogue.releases[CPT]


def test_licensed_cpt_reader_skips_header_and_refuses_bad_rows(tmp_path: Path) -> None:
    good = tmp_path / "cpt.txt"
    good.write_text("99213\tDescriptor one\textra column\n27447\tDescriptor two\n")
    assert read_licensed_cpt(good) == {"99213": "Descriptor one", "27447": "Descriptor two"}
    bad = tmp_path / "bad.txt"
    bad.write_text("99213\tDescriptor\nnot-a-code\tx\n")
    with pytest.raises(CatalogueLoadError, match=r"bad\.txt:2"):
        read_licensed_cpt(bad)


def test_hcpcs_fixed_width_release_file(fixtures: Path) -> None:
    entries = {e.code: e for e in read_hcpcs(fixtures / "HCPC2026_JAN_ANWEB_sample.txt")}
    assert set(entries) == {"A0425", "E0114", "J1100"}  # the modifier record is skipped
    assert entries["E0114"].display == (
        "Crutches underarm, other than wood, adjustable or fixed, pair, with pad, tip and handgrip"
    )
    assert entries["J1100"].display == "Injection, dexamethasone sodium phosphate, 1 mg"
    assert entries["J1100"].section == "Drugs administered other than oral method"


def test_hcpcs_csv_export_and_catalogue_merge(fixtures: Path) -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE_DIR, hcpcs_file=fixtures / "hcpcs_sample.csv")
    assert catalogue.count(HCPCS) == 2  # 99213 is not a Level II code
    entry = catalogue.lookup(HCPCS, "g0008")
    assert entry is not None
    assert entry.display == "Administration of influenza virus vaccine"
    assert entry.billable
    assert catalogue.search(HCPCS, "influenza vacc")[0].code == "G0008"
    assert catalogue.search(None, "J3490")[0].system is HCPCS
    assert "hcpcs_sample.csv" in catalogue.releases[HCPCS]


def test_hcpcs_file_without_codes_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n")
    with pytest.raises(CatalogueLoadError, match="no HCPCS"):
        load_catalogue(DEFAULT_CATALOGUE_DIR, hcpcs_file=empty)


def test_builtin_cpt_reader(fixtures: Path, tmp_path: Path) -> None:
    entries = {e.code: e for e in read_builtin_cpt([fixtures / "tiny_cpt.tsv"])}
    assert entries["47562"].keywords == ("lap chole", "laparoscopic cholecystectomy")
    assert entries["47562"].subsection == "Digestive System"
    duplicate = tmp_path / "dup.tsv"
    duplicate.write_text((fixtures / "tiny_cpt.tsv").read_text())
    with pytest.raises(CatalogueLoadError, match="listed twice"):
        read_builtin_cpt([fixtures / "tiny_cpt.tsv", duplicate])
    headerless = tmp_path / "headerless.tsv"
    headerless.write_text("99213\tE/M\t\tVisit\t\n")
    with pytest.raises(CatalogueLoadError, match="header"):
        read_builtin_cpt([headerless])


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("00790", "Anesthesia"),
        ("47562", "Surgery"),
        ("71046", "Radiology"),
        ("80053", "Pathology and Laboratory"),
        ("93000", "Medicine"),
        ("99213", "Evaluation and Management"),
        ("98000", "Evaluation and Management"),
        ("99091", "Evaluation and Management"),
        ("99140", "Anesthesia"),
        ("3074F", "Category II"),
        ("0042T", "Category III"),
        ("99999", None),
    ],
)
def test_cpt_section_of_code_ranges(code: str, section: str | None) -> None:
    assert cpt_section_of(code) == section


def test_tampered_or_missing_artifact_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueLoadError, match="no catalogue manifest"):
        load_catalogue(tmp_path)
    copy = tmp_path / "catalogue"
    copy.mkdir()
    shutil.copy(DEFAULT_CATALOGUE_DIR / "manifest.json", copy / "manifest.json")
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "catalogue.sqlite3").write_bytes(b"not the artifact")
    with pytest.raises(CatalogueLoadError, match="does not match its manifest"):
        load_catalogue(copy)
    manifest["format_version"] = 99
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CatalogueLoadError, match="rebuild"):
        load_catalogue(copy)
    (copy / "manifest.json").write_text('{"name": "x"}')
    with pytest.raises(CatalogueLoadError, match="invalid catalogue manifest"):
        load_catalogue(copy)
