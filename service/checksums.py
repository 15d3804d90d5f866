"""File checksums, the one way every artifact manifest (catalogue, model) records its files."""

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """The hex SHA-256 digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
