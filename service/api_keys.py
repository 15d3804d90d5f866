"""API keys as configured: SHA-256 hashes, validated at start-up and compared in constant time.

Only hashes are configured (``CODESUGGEST_API_KEY_HASHES``), so a leaked configuration does not
leak keys. ``python -m service hash-key`` prints the hash of a key read from stdin. This module
imports no web framework: the command line and the worker supervisor use it before any app
exists (:mod:`service.api.auth` checks requests against it).
"""

import hashlib
import hmac
import re
from collections.abc import Iterable

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def hash_key(key: str) -> str:
    """The SHA-256 hex digest that configures ``key``."""
    return hashlib.sha256(key.encode()).hexdigest()


def parse_key_hashes(hashes: Iterable[str]) -> tuple[bytes, ...]:
    """Validate configured hashes (64 hex digits each) and return them as comparable bytes."""
    parsed = []
    for position, value in enumerate(hashes):
        digest = value.strip().lower()
        if not _SHA256_HEX.match(digest):
            # Never print the value: someone may have configured a key instead of its hash.
            raise ValueError(
                f"api_key_hashes[{position}] is not a SHA-256 hex digest (64 hex digits); "
                "configure hashes made with `python -m service hash-key`"
            )
        parsed.append(digest.encode())
    return tuple(parsed)


def key_matches(presented: str, hashes: tuple[bytes, ...]) -> bool:
    """Whether ``presented`` hashes to one of ``hashes``; compares against all of them."""
    digest = hash_key(presented).encode()
    matched = False
    for expected in hashes:
        # No early exit: the time taken does not depend on which hash matched.
        matched |= hmac.compare_digest(digest, expected)
    return matched
