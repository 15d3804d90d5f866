"""The loaded catalogue: lookups, typeahead search and hierarchy over the SQLite artifact."""

import re
import sqlite3
from collections.abc import Iterator, Mapping
from threading import Lock
from types import MappingProxyType

from service.catalogue.entries import CodeEntry
from service.catalogue.schema import (
    SELECT_COLUMNS,
    SYSTEM_TOKENS,
    compact_code,
    decode_row,
    entry_from,
    read_labels,
)
from service.codesystems import CodeSystem

_WORD = re.compile(r"[^\W_]+")
# A query is treated as a code (or code prefix) when it is one token with at least one digit:
# every ICD-10-CM, PCS, CPT and HCPCS code has one, and no ordinary word does.
_CODE_LIKE = re.compile(r"^(?=[A-Z0-9.]*[0-9])[A-Z0-9.]{1,8}$")
_MAX_QUERY_WORDS = 12


class Catalogue:
    """Every code the product can suggest, read from one SQLite connection.

    Safe to share between threads: the connection is opened with ``check_same_thread=False``
    and every query runs under a lock (SQLite serialises them anyway).
    """

    def __init__(self, conn: sqlite3.Connection, releases: Mapping[CodeSystem, str]) -> None:
        self._conn = conn
        self._lock = Lock()
        self._labels = read_labels(conn)
        self.releases: Mapping[CodeSystem, str] = MappingProxyType(dict(releases))

    def close(self) -> None:
        """Close the underlying connection."""
        with self._lock:
            self._conn.close()

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _decode(self, row: tuple[object, ...]) -> CodeEntry:
        return decode_row(row, self._labels)

    def lookup(self, system: CodeSystem, code: str) -> CodeEntry | None:
        """The entry for ``code`` (any case, with or without the dot), or None if unknown."""
        rows = self._rows(
            f"SELECT {SELECT_COLUMNS} FROM codes WHERE system = ? AND compact = ?",  # noqa: S608 - constant SQL
            (system.value, compact_code(code)),
        )
        return self._decode(rows[0]) if rows else None

    def is_billable(self, system: CodeSystem, code: str) -> bool:
        """Whether ``code`` is known and may be reported as it stands."""
        entry = self.lookup(system, code)
        return entry is not None and entry.billable

    def ancestors(self, system: CodeSystem, code: str) -> list[CodeEntry]:
        """The entries of the code's ancestors, root first (chapters and blocks included)."""
        entry = self.lookup(system, code)
        if entry is None:
            return []
        found: list[CodeEntry] = []
        chain = (*entry.parents, entry.code)
        for index, parent in enumerate(entry.parents):
            # A chapter ("4"), a block ("E08-E13"), or a block named like its only category
            # ("B20", followed in the chain by the category "B20") is a group, not a code.
            is_group = "-" in parent or parent.isdigit() or chain[index + 1] == parent
            resolved = self._group(system, parent) if is_group else self.lookup(system, parent)
            if resolved is not None:
                found.append(resolved)
        return found

    def _group(self, system: CodeSystem, code: str) -> CodeEntry | None:
        rows = self._rows(
            "SELECT code, display, notes FROM groups WHERE system = ? AND code = ?",
            (system.value, code),
        )
        if not rows:
            return None
        group_code, display, notes = rows[0]
        return entry_from(system, str(group_code), str(display), False, str(notes))

    def iter_codes(self, system: CodeSystem) -> Iterator[CodeEntry]:
        """Every code of ``system`` (headers and billable codes), in code order."""
        rows = self._rows(
            f"SELECT {SELECT_COLUMNS} FROM codes WHERE system = ? ORDER BY compact",  # noqa: S608 - constant SQL
            (system.value,),
        )
        return (self._decode(row) for row in rows)

    def count(self, system: CodeSystem, *, billable_only: bool = False) -> int:
        """How many codes of ``system`` the catalogue holds."""
        sql = "SELECT count(*) FROM codes WHERE system = ? AND billable >= ?"
        return int(str(self._rows(sql, (system.value, int(billable_only)))[0][0]))

    def search(self, system: CodeSystem | None, query: str, limit: int = 20) -> list[CodeEntry]:
        """Codes for a typeahead ``query``, best first.

        Order: exact code, then codes starting with the query, then codes whose description
        contains every query word as a word prefix ("diab mell"), then codes whose inclusion
        terms or keywords do ("lap chole"). Within a tier, billable and shorter descriptions
        come first.
        """
        if limit <= 0 or not query.strip():
            return []
        found: dict[int, tuple[object, ...]] = {}
        compact = compact_code(query)
        if _CODE_LIKE.match(compact):
            self._add_code_matches(found, system, compact, limit)
        words = [w.lower() for w in _WORD.findall(query)][:_MAX_QUERY_WORDS]
        if words and len(found) < limit:
            match = " ".join(f'"{word}"*' for word in words)
            for columns in ("display", "display terms"):
                if len(found) >= limit:
                    break
                self._add_word_matches(found, system, f"{{{columns}}} : ({match})", limit)
        return [self._decode(row) for row in found.values()][:limit]

    def _add_code_matches(
        self,
        found: dict[int, tuple[object, ...]],
        system: CodeSystem | None,
        compact: str,
        limit: int,
    ) -> None:
        system_clause = "" if system is None else " AND system = ?"
        system_param: tuple[object, ...] = () if system is None else (system.value,)
        exact = self._rows(
            f"SELECT {SELECT_COLUMNS} FROM codes WHERE compact = ?{system_clause} ORDER BY id",  # noqa: S608 - constant SQL
            (compact, *system_param),
        )
        # Index order on ``compact`` puts a parent before its children (E11 < E110 < E1100).
        prefixed = self._rows(
            f"SELECT {SELECT_COLUMNS} FROM codes WHERE compact > ? AND compact < ?"  # noqa: S608 - constant SQL
            f"{system_clause} ORDER BY compact, id LIMIT ?",
            (compact, compact + "\uffff", *system_param, limit),
        )
        for row in (*exact, *prefixed):
            found.setdefault(int(str(row[0])), row)

    def _add_word_matches(
        self,
        found: dict[int, tuple[object, ...]],
        system: CodeSystem | None,
        match: str,
        limit: int,
    ) -> None:
        if system is not None:
            match = f"{{sys}} : {SYSTEM_TOKENS[system]} AND {match}"
        # Over-fetch by the rows already found so that skipping them still fills the limit.
        rows = self._rows(
            f"SELECT {SELECT_COLUMNS} FROM codes WHERE id IN ("  # noqa: S608 - constant SQL
            "SELECT rowid FROM codes_fts WHERE codes_fts MATCH ? ORDER BY rowid LIMIT ?"
            ") ORDER BY id",
            (match, limit + len(found)),
        )
        for row in rows:
            if len(found) >= limit:
                break
            found.setdefault(int(str(row[0])), row)
