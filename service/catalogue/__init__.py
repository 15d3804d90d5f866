"""The code-set catalogue: ICD-10-CM, ICD-10-PCS, CPT and HCPCS codes, built ahead of time.

The build (``python -m training build-catalogue``) reads the code-set packages into one
SQLite file under ``models/catalogue/``; the service loads it with :func:`load_catalogue` and
never imports those packages.
"""

from service.catalogue.entries import CodeEntry
from service.catalogue.errors import CatalogueLoadError, CodeNotFoundError
from service.catalogue.loading import load_catalogue
from service.catalogue.store import Catalogue

__all__ = ["Catalogue", "CatalogueLoadError", "CodeEntry", "CodeNotFoundError", "load_catalogue"]
