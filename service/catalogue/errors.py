"""The catalogue's exceptions.

::

    CatalogueLoadError (RuntimeError)   the artifact or a configured code file cannot be used
    CodeNotFoundError (LookupError)     a lookup named a code the catalogue does not know
"""

from service.codesystems import CodeSystem


class CatalogueLoadError(RuntimeError):
    """The catalogue directory, its manifest, or a configured CPT/HCPCS file cannot be used."""


class CodeNotFoundError(LookupError):
    """A code the catalogue does not know; the HTTP layer answers it with a 404."""

    def __init__(self, system: CodeSystem, code: str) -> None:
        super().__init__(f"{system.value} code {code!r} is not in the catalogue")
        self.system = system
        self.code = code
