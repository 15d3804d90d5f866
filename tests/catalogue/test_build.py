"""The build step end to end on injected tiny sources: build -> manifest -> load -> query."""

from pathlib import Path

from service.catalogue import CodeEntry, load_catalogue
from service.catalogue.cpt import read_builtin_cpt
from service.catalogue.loading import read_manifest
from service.checksums import sha256_of
from service.codesystems import CodeSystem
from training.catalogue_build import CatalogueSources, build_catalogue

CM = CodeSystem.ICD10CM


def _tiny_sources(fixtures: Path) -> CatalogueSources:
    chapter = CodeEntry(CM, "4", "Endocrine diseases (E00-E89)", False)
    block = CodeEntry(CM, "E08-E13", "Diabetes mellitus (E08-E13)", False, parents=("4",))
    category = CodeEntry(
        CM,
        "E11",
        "Type 2 diabetes mellitus",
        False,
        parents=("4", "E08-E13"),
        excludes1=("type 1 diabetes mellitus (E10.-)",),
    )
    leaf = CodeEntry(
        CM,
        "E11.9",
        "Type 2 diabetes mellitus without complications",
        True,
        parents=("4", "E08-E13", "E11"),
        inclusion_terms=("Type 2 diabetes NOS",),
        section="Endocrine diseases (E00-E89)",
    )
    return CatalogueSources(
        codes=[category, leaf, *read_builtin_cpt([fixtures / "tiny_cpt.tsv"])],
        groups=[chapter, block],
        releases={CM: "test release", CodeSystem.CPT: "tiny fixture"},
        package_versions={"example": "1.0"},
    )


def test_build_writes_a_loadable_artifact_with_a_valid_manifest(
    fixtures: Path, tmp_path: Path
) -> None:
    built = build_catalogue(tmp_path, _tiny_sources(fixtures))
    manifest = read_manifest(tmp_path)
    assert manifest == built
    assert manifest.counts[CM].codes == 2
    assert manifest.counts[CM].billable == 1
    assert manifest.counts[CodeSystem.CPT].codes == 5
    assert CodeSystem.ICD10PCS not in manifest.counts
    assert manifest.files == {"catalogue.sqlite3": sha256_of(tmp_path / "catalogue.sqlite3")}

    catalogue = load_catalogue(tmp_path)
    assert catalogue.releases == {CM: "test release", CodeSystem.CPT: "tiny fixture"}
    leaf = catalogue.lookup(CM, "e119")
    assert leaf is not None
    assert leaf.section == "Endocrine diseases (E00-E89)"
    assert [a.code for a in catalogue.ancestors(CM, "E11.9")] == ["4", "E08-E13", "E11"]
    assert catalogue.search(CM, "type 2 diab NOS")[0].code == "E11.9"  # via inclusion term
    assert [e.code for e in catalogue.search(CodeSystem.CPT, "lap chole")] == ["47562"]
    assert [e.code for e in catalogue.search(None, "TKA")] == ["27447"]
    assert catalogue.search(CodeSystem.CPT, "egd")[0].code == "43239"


def test_rebuild_replaces_the_previous_artifact(fixtures: Path, tmp_path: Path) -> None:
    build_catalogue(tmp_path, _tiny_sources(fixtures))
    sources = _tiny_sources(fixtures)
    smaller = CatalogueSources(
        codes=sources.codes[:2], groups=sources.groups, releases={CM: "second"}
    )
    build_catalogue(tmp_path, smaller)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.count(CodeSystem.CPT) == 0
    assert catalogue.releases == {CM: "second"}
    assert not list(tmp_path.glob(".*partial"))
