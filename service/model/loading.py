"""Load and verify a model directory (work in progress: implemented with the model issue)."""

from pathlib import Path

from service.catalogue import Catalogue
from service.suggestions import Suggester


class ModelLoadError(RuntimeError):
    """The model directory is missing, fails its manifest, or fails a checksum."""


def load_model(directory: Path, catalogue: Catalogue) -> Suggester:
    """Load the model in ``directory``, verified against its manifest's checksums."""
    raise ModelLoadError(f"no model could be loaded from {directory}")
