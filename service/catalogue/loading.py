"""Open a built catalogue directory, verify it, and apply a user's CPT and HCPCS files."""

import sqlite3
from pathlib import Path

from pydantic import ValidationError

from service.catalogue.cpt import apply_licensed_cpt, read_licensed_cpt
from service.catalogue.errors import CatalogueLoadError
from service.catalogue.hcpcs import read_hcpcs
from service.catalogue.manifest import (
    DATABASE_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    CatalogueManifest,
)
from service.catalogue.schema import (
    SELECT_COLUMNS,
    decode_row,
    insert_entries,
    read_labels,
    replace_entry,
    search_order,
)
from service.catalogue.store import Catalogue
from service.checksums import sha256_of
from service.codesystems import CodeSystem


def read_manifest(directory: Path) -> CatalogueManifest:
    """The validated manifest of a catalogue directory."""
    path = directory / MANIFEST_NAME
    try:
        manifest = CatalogueManifest.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise CatalogueLoadError(f"no catalogue manifest at {path}: {exc.strerror}") from exc
    except ValidationError as exc:
        raise CatalogueLoadError(f"invalid catalogue manifest {path}: {exc}") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise CatalogueLoadError(
            f"catalogue format {manifest.format_version} in {directory}, this service reads "
            f"{FORMAT_VERSION}: rebuild it with `python -m training build-catalogue`"
        )
    return manifest


def load_catalogue(
    directory: Path, *, cpt_file: Path | None = None, hcpcs_file: Path | None = None
) -> Catalogue:
    """Load the catalogue built in ``directory``, checked against its manifest.

    Without extra files the SQLite artifact is opened read-only. With a licensed CPT file or a
    CMS HCPCS file it is copied into memory and those codes are merged in: licensed CPT
    descriptors replace ours (keywords and sections are kept) and add the codes we lack.
    """
    manifest = read_manifest(directory)
    for name, digest in manifest.files.items():
        path = directory / name
        if not path.is_file():
            raise CatalogueLoadError(f"catalogue file {path} is missing")
        if sha256_of(path) != digest:
            raise CatalogueLoadError(f"catalogue file {path} does not match its manifest")
    database = directory / DATABASE_NAME
    if DATABASE_NAME not in manifest.files:
        raise CatalogueLoadError(f"the manifest in {directory} does not list {DATABASE_NAME}")
    releases = dict(manifest.releases)
    try:
        conn = sqlite3.connect(
            f"{database.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        if cpt_file is not None or hcpcs_file is not None:
            conn = _copy_to_memory(conn)
            if cpt_file is not None:
                count = _merge_licensed_cpt(conn, cpt_file)
                releases[CodeSystem.CPT] = (
                    f"{releases.get(CodeSystem.CPT, 'built-in')}; {count} descriptors from "
                    f"licensed file {cpt_file.name}"
                )
            if hcpcs_file is not None:
                _merge_hcpcs(conn, hcpcs_file)
                releases[CodeSystem.HCPCS] = f"CMS HCPCS Level II file {hcpcs_file.name}"
    except sqlite3.Error as exc:
        raise CatalogueLoadError(f"cannot open the catalogue in {directory}: {exc}") from exc
    return Catalogue(conn, releases)


def _copy_to_memory(source: sqlite3.Connection) -> sqlite3.Connection:
    memory = sqlite3.connect(":memory:", check_same_thread=False)
    source.backup(memory)
    source.close()
    return memory


def _next_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM codes").fetchone()[0])


def _merge_licensed_cpt(conn: sqlite3.Connection, path: Path) -> int:
    descriptors = read_licensed_cpt(path)
    labels = read_labels(conn)
    existing = {
        str(row[2]): (int(str(row[0])), decode_row(row, labels))
        for row in conn.execute(
            f"SELECT {SELECT_COLUMNS} FROM codes WHERE system = 'CPT'"  # noqa: S608 - constant
        )
    }
    merged = apply_licensed_cpt({code: old for code, (_, old) in existing.items()}, descriptors)
    added = []
    with conn:
        for entry in merged:
            if entry.code in existing:
                row_id, old = existing[entry.code]
                replace_entry(conn, row_id, old, entry)
            else:
                added.append(entry)
        # New codes rank after the built artifact's rows (ids are the search order).
        insert_entries(conn, sorted(added, key=search_order), first_id=_next_id(conn))
    return len(descriptors)


def _merge_hcpcs(conn: sqlite3.Connection, path: Path) -> None:
    entries = sorted(read_hcpcs(path), key=search_order)
    with conn:
        # The artifact bundles no HCPCS rows, so these only ever add codes.
        insert_entries(conn, entries, first_id=_next_id(conn))
