"""The ``Authorization: Bearer <key>`` check of every /v1 route.

Keys are configured as hashes and compared by :mod:`service.api_keys`.
"""

from fastapi import Request

from service.api.errors import UnauthorizedError
from service.api_keys import key_matches


async def require_api_key(request: Request) -> None:
    """Dependency of every /v1 route: passes when no keys are configured or the key matches."""
    hashes: tuple[bytes, ...] = request.app.state.api_key_hashes
    if not hashes:
        return
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise UnauthorizedError("Send an API key as 'Authorization: Bearer <key>'.")
    if not key_matches(key.strip(), hashes):
        raise UnauthorizedError("The API key is not valid.")
