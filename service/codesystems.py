"""The code systems the product knows and the canonical written form of their codes.

Canonical forms (what the API returns and the catalogue stores):

- ICD-10-CM: upper case, with the dot after the third character (``E11.9``; ``E11`` has none).
- ICD-10-PCS: upper case, no dot, 7 characters (CodiEsp also has 4-character prefixes).
- CPT: 5 characters (``99213``, ``0001U``, ``1234F``).
- HCPCS Level II: a letter and four digits, upper case (``J1100``).
"""

from enum import StrEnum


class CodeSystem(StrEnum):
    """A code system, named exactly as the public API spells it."""

    ICD10CM = "ICD-10-CM"
    ICD10PCS = "ICD-10-PCS"
    CPT = "CPT"
    HCPCS = "HCPCS"


def normalize_code(system: CodeSystem, code: str) -> str:
    """Return ``code`` in the canonical form of ``system``, whatever its case or dot."""
    compact = code.strip().upper().replace(".", "")
    if system is CodeSystem.ICD10CM and len(compact) > 3:
        return f"{compact[:3]}.{compact[3:]}"
    return compact
