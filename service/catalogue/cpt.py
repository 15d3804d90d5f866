"""CPT rows: the built-in TSV files we write ourselves and a user's licensed CPT file.

Built-in files (``service/catalogue/data/cpt/*.tsv``): UTF-8, tab-separated, header line
``code<TAB>section<TAB>subsection<TAB>description<TAB>keywords``, keywords separated by ``|``.
Descriptions there are the project's own words, never AMA descriptor text.

Licensed file (``cpt_file``): UTF-8 (or Latin-1), one code per line, ``code<TAB>descriptor``;
further tab-separated columns are ignored and a first line whose first field is not a code is
taken as a header and skipped. That is the shape of the AMA data files' long-descriptor
tables (e.g. ``LONGULT.txt``) once the licensee has them.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from service.catalogue.entries import CodeEntry
from service.catalogue.errors import CatalogueLoadError
from service.codesystems import CodeSystem

CPT_HEADER = ("code", "section", "subsection", "description", "keywords")
# Category I (five digits, or four and a letter for vaccine products like 0001A / 90xxx),
# Category II (....F), Category III (....T), proprietary laboratory analyses (....U).
CPT_CODE = re.compile(r"^\d{4}[0-9AFTUM]$")

# Category I numeric ranges and the section each belongs to (AMA section boundaries).
# First match wins: the few E/M and anesthesia codes numbered inside the Medicine range come
# first, filed as the built-in data files them.
_CATEGORY_I_SECTIONS: tuple[tuple[int, int, str], ...] = (
    (98000, 98016, "Evaluation and Management"),
    (99091, 99091, "Evaluation and Management"),
    (99100, 99140, "Anesthesia"),
    (100, 1999, "Anesthesia"),
    (10004, 69990, "Surgery"),
    (70010, 79999, "Radiology"),
    (80047, 89398, "Pathology and Laboratory"),
    (90281, 99199, "Medicine"),
    (99202, 99499, "Evaluation and Management"),
    (99500, 99607, "Medicine"),
)


def cpt_section_of(code: str) -> str | None:
    """The CPT section a code's number falls in, or None when the code fits no known range."""
    suffix = code[-1]
    if suffix == "F":
        return "Category II"
    if suffix == "T":
        return "Category III"
    if suffix == "U":
        return "Proprietary Laboratory Analyses"
    if not code.isdigit():
        return "Medicine"  # 0001A-style immunisation administration and M-suffixed codes
    number = int(code)
    for low, high, section in _CATEGORY_I_SECTIONS:
        if low <= number <= high:
            return section
    return None


def read_builtin_cpt(paths: Iterable[Path]) -> list[CodeEntry]:
    """Read the built-in CPT TSV files, refusing malformed rows and duplicate codes."""
    entries: dict[str, CodeEntry] = {}
    for path in sorted(paths):
        for line_no, fields in _tsv_rows(path, expect_header=CPT_HEADER):
            where = f"{path.name}:{line_no}"
            if len(fields) != len(CPT_HEADER):
                raise CatalogueLoadError(f"{where}: expected 5 tab-separated fields")
            code, section, subsection, description, keywords = (f.strip() for f in fields)
            if not CPT_CODE.match(code):
                raise CatalogueLoadError(f"{where}: {code!r} is not a CPT code")
            if not description or not section:
                raise CatalogueLoadError(f"{where}: empty section or description")
            if code in entries:
                raise CatalogueLoadError(f"{where}: CPT {code} is listed twice")
            entries[code] = CodeEntry(
                system=CodeSystem.CPT,
                code=code,
                display=description,
                billable=True,
                keywords=tuple(k.strip() for k in keywords.split("|") if k.strip()),
                section=section,
                subsection=subsection or None,
            )
    return list(entries.values())


def read_licensed_cpt(path: Path) -> dict[str, str]:
    """Read a licensed ``code<TAB>descriptor`` file into ``{code: descriptor}``."""
    descriptors: dict[str, str] = {}
    for line_no, fields in _tsv_rows(path, expect_header=None):
        code = fields[0].strip().upper()
        if not CPT_CODE.match(code):
            if line_no == 1:
                continue  # a header line
            raise CatalogueLoadError(f"{path.name}:{line_no}: {code!r} is not a CPT code")
        descriptor = fields[1].strip() if len(fields) > 1 else ""
        if not descriptor:
            raise CatalogueLoadError(f"{path.name}:{line_no}: CPT {code} has no descriptor")
        descriptors[code] = descriptor
    if not descriptors:
        raise CatalogueLoadError(f"{path.name}: no CPT codes found")
    return descriptors


def apply_licensed_cpt(
    builtin: dict[str, CodeEntry], descriptors: dict[str, str]
) -> list[CodeEntry]:
    """Entries carrying the licensed descriptors: built-in codes keep their keywords and
    sections, codes we do not describe are added with the section their number implies."""
    merged: list[CodeEntry] = []
    for code, descriptor in descriptors.items():
        known = builtin.get(code)
        if known is not None:
            merged.append(replace(known, display=descriptor))
        else:
            merged.append(
                CodeEntry(
                    system=CodeSystem.CPT,
                    code=code,
                    display=descriptor,
                    billable=True,
                    section=cpt_section_of(code),
                )
            )
    return merged


def _tsv_rows(
    path: Path, *, expect_header: tuple[str, ...] | None
) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line; checks the header when one is expected."""
    text = read_text_file(path)
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if expect_header is not None and line_no == 1:
            if tuple(f.strip().lower() for f in fields) != expect_header:
                raise CatalogueLoadError(
                    f"{path.name}: header must be {'<TAB>'.join(expect_header)}"
                )
            continue
        yield line_no, fields


def read_text_file(path: Path) -> str:
    """A code file's text: UTF-8 (BOM tolerated), else Latin-1."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueLoadError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Vendor code files are often Latin-1; every byte decodes, so this cannot fail.
        return raw.decode("latin-1")
