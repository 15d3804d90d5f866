"""Serves the coder panel: ``GET /`` and its assets under ``/static/``, all from this package.

Every response carries a strict Content-Security-Policy: the panel loads nothing from another
host, runs no inline script or style, and cannot be framed.
"""

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The panel changes with each release; revalidating is cheap and avoids stale modules.
    "Cache-Control": "no-cache",
}
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def _assets() -> dict[str, Path]:
    # A fixed map from URL path to file, built once: a request can only name a listed file,
    # so no path it sends (``..``, encoded slashes) ever reaches the filesystem.
    return {
        path.relative_to(STATIC_DIR).as_posix(): path
        for path in sorted(STATIC_DIR.rglob("*"))
        if path.is_file() and path.suffix in _MEDIA_TYPES
    }


ASSETS = _assets()

router = APIRouter(include_in_schema=False)


def _file(path: Path) -> FileResponse:
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers=SECURITY_HEADERS)


@router.get("/")
def panel() -> FileResponse:
    """The coder panel."""
    return _file(STATIC_DIR / "index.html")


@router.get("/static/{asset:path}")
def static_asset(asset: str) -> FileResponse:
    """A stylesheet, script module or image of the panel."""
    path = ASSETS.get(asset)
    if path is None:
        raise HTTPException(status_code=404)
    return _file(path)
