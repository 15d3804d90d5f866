"""The SQLite layout of the catalogue artifact, shared by the build and the runtime overlays.

``codes.id`` is the search order: the build numbers rows billable first, then by ascending
description length, so an FTS5 match read in rowid order (cheap, stops at ``LIMIT``) already
lists billable, shorter, more general codes first. ``codes_fts`` is contentless (rowid =
``codes.id``) to keep the artifact small; deleting from it needs the indexed values, which
:func:`fts_values` recomputes from the entry. ICD-10-CM chapters and blocks live in ``groups``:
they are parents, not codes. Section and subsection titles repeat across thousands of rows,
so rows store ids into ``labels``.
"""

import json
import sqlite3
from collections.abc import Iterable, Mapping

from service.catalogue.entries import CodeEntry
from service.codesystems import CodeSystem

DDL = """
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    system TEXT NOT NULL,
    code TEXT NOT NULL,
    compact TEXT NOT NULL,
    display TEXT NOT NULL,
    billable INTEGER NOT NULL,
    section INTEGER REFERENCES labels(id),
    subsection INTEGER REFERENCES labels(id),
    notes TEXT NOT NULL
);
CREATE UNIQUE INDEX codes_by_compact ON codes(compact, system);
CREATE TABLE labels (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE groups (
    system TEXT NOT NULL,
    code TEXT NOT NULL,
    display TEXT NOT NULL,
    notes TEXT NOT NULL,
    PRIMARY KEY (system, code)
);
CREATE VIRTUAL TABLE codes_fts USING fts5(
    display, terms, sys, content='', columnsize=0, detail=column, prefix='2 3',
    tokenize='unicode61 remove_diacritics 2'
);
"""

# Tuple fields of CodeEntry stored as one JSON object (only the non-empty ones).
NOTE_FIELDS = (
    "parents",
    "inclusion_terms",
    "includes",
    "excludes1",
    "excludes2",
    "code_first",
    "use_additional",
    "keywords",
)

# One token per system in the ``sys`` column lets FTS5 filter by system inside the index.
SYSTEM_TOKENS: dict[CodeSystem, str] = {
    CodeSystem.ICD10CM: "sysicd10cm",
    CodeSystem.ICD10PCS: "sysicd10pcs",
    CodeSystem.CPT: "syscpt",
    CodeSystem.HCPCS: "syshcpcs",
}

SELECT_COLUMNS = "id, system, code, display, billable, section, subsection, notes"


def compact_code(code: str) -> str:
    """The code without dot or case, the form lookups and prefix search compare."""
    return code.strip().upper().replace(".", "")


def search_order(entry: CodeEntry) -> tuple[int, int, str, str]:
    """The sort key that becomes ``codes.id``: billable first, then shorter descriptions."""
    return (0 if entry.billable else 1, len(entry.display), entry.system.value, entry.code)


def encode_notes(entry: CodeEntry) -> str:
    """The JSON text of an entry's non-empty tuple fields."""
    notes = {name: list(getattr(entry, name)) for name in NOTE_FIELDS if getattr(entry, name)}
    return json.dumps(notes, ensure_ascii=False, separators=(",", ":"))


def entry_from(
    system: CodeSystem,
    code: str,
    display: str,
    billable: bool,
    notes: str,
    section: str | None = None,
    subsection: str | None = None,
) -> CodeEntry:
    """Rebuild a :class:`CodeEntry` from its stored columns and notes JSON."""
    fields: dict[str, list[str]] = json.loads(notes)

    def notes_of(name: str) -> tuple[str, ...]:
        return tuple(fields.get(name, ()))

    return CodeEntry(
        system=system,
        code=code,
        display=display,
        billable=billable,
        parents=notes_of("parents"),
        inclusion_terms=notes_of("inclusion_terms"),
        includes=notes_of("includes"),
        excludes1=notes_of("excludes1"),
        excludes2=notes_of("excludes2"),
        code_first=notes_of("code_first"),
        use_additional=notes_of("use_additional"),
        keywords=notes_of("keywords"),
        section=section,
        subsection=subsection,
    )


def read_labels(conn: sqlite3.Connection) -> dict[int, str]:
    """The section and subsection titles by id."""
    return {int(i): str(text) for i, text in conn.execute("SELECT id, text FROM labels")}


def decode_row(row: tuple[object, ...], labels: Mapping[int, str]) -> CodeEntry:
    """Rebuild a :class:`CodeEntry` from a row selected with :data:`SELECT_COLUMNS`."""
    _, system, code, display, billable, section, subsection, notes = row
    return entry_from(
        CodeSystem(str(system)),
        str(code),
        str(display),
        bool(billable),
        str(notes),
        section=None if section is None else labels[int(str(section))],
        subsection=None if subsection is None else labels[int(str(subsection))],
    )


def _label_id(conn: sqlite3.Connection, text: str | None) -> int | None:
    if text is None:
        return None
    conn.execute("INSERT OR IGNORE INTO labels(text) VALUES (?)", (text,))
    return int(conn.execute("SELECT id FROM labels WHERE text = ?", (text,)).fetchone()[0])


def fts_values(entry: CodeEntry) -> tuple[str, str, str]:
    """The (display, terms, sys) text indexed for an entry."""
    terms = " | ".join((*entry.inclusion_terms, *entry.keywords))
    return entry.display, terms, SYSTEM_TOKENS[entry.system]


def insert_entries(conn: sqlite3.Connection, entries: Iterable[CodeEntry], *, first_id: int) -> int:
    """Insert entries with consecutive ids from ``first_id``; return the next free id."""
    next_id = first_id
    for entry in entries:
        conn.execute(
            "INSERT INTO codes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                next_id,
                entry.system.value,
                entry.code,
                compact_code(entry.code),
                entry.display,
                int(entry.billable),
                _label_id(conn, entry.section),
                _label_id(conn, entry.subsection),
                encode_notes(entry),
            ),
        )
        conn.execute(
            "INSERT INTO codes_fts(rowid, display, terms, sys) VALUES (?, ?, ?, ?)",
            (next_id, *fts_values(entry)),
        )
        next_id += 1
    return next_id


def replace_entry(conn: sqlite3.Connection, row_id: int, old: CodeEntry, new: CodeEntry) -> None:
    """Replace the entry stored under ``row_id`` (same system and code), keeping its rank."""
    conn.execute(
        "INSERT INTO codes_fts(codes_fts, rowid, display, terms, sys) "
        "VALUES ('delete', ?, ?, ?, ?)",
        (row_id, *fts_values(old)),
    )
    conn.execute(
        "UPDATE codes SET display = ?, billable = ?, section = ?, subsection = ?, notes = ? "
        "WHERE id = ?",
        (
            new.display,
            int(new.billable),
            _label_id(conn, new.section),
            _label_id(conn, new.subsection),
            encode_notes(new),
            row_id,
        ),
    )
    conn.execute(
        "INSERT INTO codes_fts(rowid, display, terms, sys) VALUES (?, ?, ?, ?)",
        (row_id, *fts_values(new)),
    )


def insert_group(conn: sqlite3.Connection, entry: CodeEntry) -> None:
    """Store a chapter or block (a parent that is not itself a code)."""
    conn.execute(
        "INSERT INTO groups VALUES (?, ?, ?, ?)",
        (entry.system.value, entry.code, entry.display, encode_notes(entry)),
    )
