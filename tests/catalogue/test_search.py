"""Typeahead search ranking on the committed catalogue."""

import pytest

from service.catalogue import Catalogue
from service.codesystems import CodeSystem

CM = CodeSystem.ICD10CM


def test_exact_code_then_code_prefix_children(catalogue: Catalogue) -> None:
    results = catalogue.search(CM, "e11", limit=5)
    assert [e.code for e in results] == ["E11", "E11.0", "E11.00", "E11.01", "E11.1"]


@pytest.mark.parametrize("query", ["E11.9", "e119"])
def test_exact_code_is_first_with_or_without_dot(catalogue: Catalogue, query: str) -> None:
    assert catalogue.search(CM, query, limit=3)[0].code == "E11.9"


def test_word_prefixes_find_diabetes_mellitus(catalogue: Catalogue) -> None:
    results = catalogue.search(CM, "diab mell", limit=20)
    assert len(results) == 20
    assert all("diabetes mellitus" in e.display.lower() for e in results)
    # Billable first, shorter (more general) descriptions first among them.
    assert all(e.billable for e in results)
    lengths = [len(e.display) for e in results]
    assert lengths == sorted(lengths)


def test_inclusion_terms_are_searched_after_descriptions(catalogue: Catalogue) -> None:
    assert [e.code for e in catalogue.search(CM, "persistent fever")] == ["R50.9"]
    results = catalogue.search(CM, "pyrexia", limit=10)
    in_display = ["pyrexia" in e.display.lower() for e in results]
    assert in_display[:2] == [True, True]
    assert "R50.9" in {e.code for e in results}  # "Pyrexia NOS" is an inclusion term
    assert in_display == sorted(in_display, reverse=True)


def test_system_filter_and_all_systems(catalogue: Catalogue) -> None:
    pcs = catalogue.search(CodeSystem.ICD10PCS, "resection appendix", limit=5)
    assert pcs
    assert {e.system for e in pcs} == {CodeSystem.ICD10PCS}
    assert all(e.code.startswith("0DTJ") for e in pcs)
    everywhere = catalogue.search(None, "99213", limit=3)
    assert everywhere[0].system is CodeSystem.CPT
    assert everywhere[0].code == "99213"


def test_keywords_find_cpt_abbreviations(catalogue: Catalogue) -> None:
    cpt_with_keywords = [e for e in catalogue.iter_codes(CodeSystem.CPT) if e.keywords]
    assert cpt_with_keywords
    sample = cpt_with_keywords[0]
    found = catalogue.search(CodeSystem.CPT, sample.keywords[0], limit=50)
    assert sample.code in {e.code for e in found}


def test_empty_and_unmatched_queries(catalogue: Catalogue) -> None:
    assert catalogue.search(None, "   ") == []
    assert catalogue.search(None, "zzqxv") == []
    assert catalogue.search(CM, "E11", limit=0) == []
    assert len(catalogue.search(None, "fracture", limit=7)) == 7
