"""HCPCS Level II codes from a CMS HCPCS release file (nothing is bundled).

Two shapes of the CMS annual/quarterly release are read:

- the fixed-width text file (``HCPC2026_JAN_ANWEB_v2.txt`` and its kin), one 320-character
  record per line: columns 1-5 the code, 11 the record identification code (``3`` first line
  of a procedure's long description, ``4`` a continuation line, ``7``/``8`` modifiers, which
  are skipped), 12-91 the long description, 92-119 the short description;
- a delimited export of the same table (the release's spreadsheet saved as CSV or
  tab-separated text) with a header naming at least ``HCPC`` and ``LONG DESCRIPTION``;
  ``RECID``, if present, is used the same way.

Continuation lines are joined to their code's long description. Only Level II codes (a
letter A-V and four digits) are kept. Termination dates are not read: use the release file
of the period you code for.
"""

import csv
import io
import re
from pathlib import Path

from service.catalogue.cpt import read_text_file
from service.catalogue.entries import CodeEntry
from service.catalogue.errors import CatalogueLoadError
from service.codesystems import CodeSystem

HCPCS_CODE = re.compile(r"^[A-V]\d{4}$")
_PROCEDURE_RECORDS = {"3", "4"}

# Level II sections by first letter, as CMS groups them.
HCPCS_SECTIONS: dict[str, str] = {
    "A": "Transportation, medical and surgical supplies, miscellaneous",
    "B": "Enteral and parenteral therapy",
    "C": "Outpatient prospective payment system (temporary)",
    "E": "Durable medical equipment",
    "G": "Procedures and professional services (temporary)",
    "H": "Alcohol and drug abuse treatment services",
    "J": "Drugs administered other than oral method",
    "K": "Durable medical equipment (temporary)",
    "L": "Orthotic and prosthetic procedures and devices",
    "M": "Medical services",
    "P": "Pathology and laboratory services",
    "Q": "Temporary codes",
    "R": "Diagnostic radiology services",
    "S": "Temporary national codes (non-Medicare)",
    "T": "National codes established for state Medicaid agencies",
    "U": "Coronavirus diagnostic panel",
    "V": "Vision, hearing and speech-language pathology services",
}


def read_hcpcs(path: Path) -> list[CodeEntry]:
    """Read a CMS HCPCS release file (fixed-width or delimited) into entries."""
    text = read_text_file(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "HCPC" in first.upper() and ("\t" in first or "," in first):
        pieces = _delimited_records(text, path)
    else:
        pieces = _fixed_width_records(text)
    descriptions: dict[str, list[str]] = {}
    for code, record_id, description in pieces:
        if not HCPCS_CODE.match(code) or record_id not in _PROCEDURE_RECORDS:
            continue
        if record_id == "3" or code not in descriptions:
            descriptions[code] = [description]
        else:
            descriptions[code].append(description)
    entries = [
        CodeEntry(
            system=CodeSystem.HCPCS,
            code=code,
            display=" ".join(" ".join(parts).split()),
            billable=True,
            section=HCPCS_SECTIONS.get(code[0]),
        )
        for code, parts in descriptions.items()
        if " ".join(parts).strip()
    ]
    if not entries:
        raise CatalogueLoadError(f"{path.name}: no HCPCS Level II codes found")
    return entries


def _fixed_width_records(text: str) -> list[tuple[str, str, str]]:
    return [
        (line[0:5].strip().upper(), line[10:11], line[11:91].strip())
        for line in text.splitlines()
        if len(line) >= 12
    ]


def _delimited_records(text: str, path: Path) -> list[tuple[str, str, str]]:
    first = text.splitlines()[0]
    dialect = "excel-tab" if "\t" in first else "excel"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = {name.strip().upper(): name for name in reader.fieldnames or ()}
    code_col = columns.get("HCPC") or columns.get("HCPCS")
    text_col = columns.get("LONG DESCRIPTION")
    if code_col is None or text_col is None:
        raise CatalogueLoadError(f"{path.name}: header needs HCPC and LONG DESCRIPTION columns")
    recid_col = columns.get("RECID")
    return [
        (
            (row.get(code_col) or "").strip().upper(),
            (row.get(recid_col) or "3").strip() if recid_col else "3",
            (row.get(text_col) or "").strip(),
        )
        for row in reader
    ]
