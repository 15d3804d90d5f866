"""ICD-10-CM FY2026 in the committed catalogue: counts, known codes, notes and hierarchy."""

import pytest

from service.catalogue import Catalogue
from service.codesystems import CodeSystem

CM = CodeSystem.ICD10CM


def test_fy2026_counts_are_exact(catalogue: Catalogue) -> None:
    assert catalogue.count(CM, billable_only=True) == 74_719
    # 98,466 distinct tree items minus 22 chapters and 297 blocks, plus the 39 categories
    # that share their name with their block ("B20").
    assert catalogue.count(CM) == 98_186
    assert catalogue.releases[CM] == "FY2026 (April 2026 update)"


@pytest.mark.parametrize("spelling", ["E11.9", "e11.9", "E119", " e119 "])
def test_lookup_accepts_any_case_with_or_without_dot(catalogue: Catalogue, spelling: str) -> None:
    entry = catalogue.lookup(CM, spelling)
    assert entry is not None
    assert entry.code == "E11.9"
    assert entry.display == "Type 2 diabetes mellitus without complications"
    assert entry.billable
    assert catalogue.is_billable(CM, spelling)


def test_category_is_a_header_with_chapter_and_block_parents(catalogue: Catalogue) -> None:
    entry = catalogue.lookup(CM, "E11")
    assert entry is not None
    assert not entry.billable
    assert not catalogue.is_billable(CM, "E11")
    assert entry.parents == ("4", "E08-E13")
    assert entry.section == "Endocrine, nutritional and metabolic diseases (E00-E89)"
    assert entry.subsection == "Diabetes mellitus (E08-E13)"
    assert "type 1 diabetes mellitus (E10.-)" in entry.excludes1
    assert "diabetes NOS" in entry.includes
    assert "insulin (Z79.4)" in entry.use_additional


def test_ancestors_resolve_chapter_block_and_categories(catalogue: Catalogue) -> None:
    chain = catalogue.ancestors(CM, "e11.65")
    assert [a.code for a in chain] == ["4", "E08-E13", "E11", "E11.6"]
    assert chain[0].display.startswith("Endocrine, nutritional and metabolic diseases")
    assert not any(a.billable for a in chain)


def test_category_named_like_its_block_is_a_billable_code(catalogue: Catalogue) -> None:
    entry = catalogue.lookup(CM, "B20")
    assert entry is not None
    assert entry.billable
    assert entry.display == "Human immunodeficiency virus [HIV] disease"
    assert [a.display for a in catalogue.ancestors(CM, "B20")] == [
        "Certain infectious and parasitic diseases (A00-B99)",
        "Human immunodeficiency virus [HIV] disease (B20)",
    ]


def test_inclusion_terms_and_seventh_character_codes(catalogue: Catalogue) -> None:
    entry = catalogue.lookup(CM, "I21.9")
    assert entry is not None
    assert "Myocardial infarction (acute) NOS" in entry.inclusion_terms
    fracture = catalogue.lookup(CM, "s72001a")
    assert fracture is not None
    assert fracture.code == "S72.001A"
    assert fracture.billable
    assert fracture.parents[-1] == "S72.001"


def test_unknown_and_truncated_codes_are_not_found(catalogue: Catalogue) -> None:
    assert catalogue.lookup(CM, "E11.999") is None
    assert catalogue.lookup(CM, "T81.4XX") is None  # CodiEsp's codes missing the 7th character
    assert catalogue.lookup(CM, "A00-A09") is None  # blocks are parents, not codes
    assert not catalogue.is_billable(CM, "E11.999")
    assert catalogue.ancestors(CM, "E11.999") == []


def test_iter_codes_lists_every_code_in_code_order(catalogue: Catalogue) -> None:
    codes = [entry.code for entry in catalogue.iter_codes(CM)]
    assert len(codes) == catalogue.count(CM)
    assert codes[:3] == ["A00", "A00.0", "A00.1"]
    assert len(set(codes)) == len(codes)
