"""What the catalogue knows about one code."""

from dataclasses import dataclass

from service.codesystems import CodeSystem


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One code of a code system, with its description, hierarchy and coding notes.

    ``parents`` lists the ancestors root first and excludes the code itself; for ICD-10-CM it
    starts with the chapter number and the block range (``"4"``, ``"E08-E13"``), which
    :meth:`Catalogue.ancestors` resolves to entries too.
    """

    system: CodeSystem
    code: str
    display: str
    billable: bool
    parents: tuple[str, ...] = ()
    inclusion_terms: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    excludes1: tuple[str, ...] = ()
    excludes2: tuple[str, ...] = ()
    code_first: tuple[str, ...] = ()
    use_additional: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    section: str | None = None
    subsection: str | None = None
