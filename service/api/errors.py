"""The service's exceptions and the one table that turns any of them into problem+json.

::

    ServiceError               base of every error the HTTP layer raises itself
    ├── InvalidRequestError    422 validation-error   a field is invalid (``errors`` names it)
    ├── MalformedJsonError     400 malformed-json     the body is not JSON
    ├── PayloadTooLargeError   413 payload-too-large  the body exceeds ``max_body_bytes``
    ├── UnauthorizedError      401 unauthorized       missing or wrong API key
    ├── NotReadyError          503 not-ready          the model is still loading (or failed)
    ├── RequestTimeoutError    503 timeout            the per-request time limit ran out
    └── InternalError          500 internal-error     the suggester failed; details only logged

    CodeNotFoundError (service.catalogue)  404 code-not-found
    HTTPException (starlette)              404 not-found, other statuses about:blank
    RequestValidationError (fastapi)       422 validation-error, or 400 for undecodable JSON

Bodies follow RFC 9457 and never carry the request's values: a 422 lists each field's ``loc``
and ``msg`` but not pydantic's ``input``, which would echo note text.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from service.catalogue import CodeNotFoundError

PROBLEM_BASE = "https://codesuggest.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# Readiness and timeouts clear up by themselves; tell clients when to come back.
RETRY_AFTER_SECONDS = "1"

FieldErrors = list[dict[str, Any]]
# What a field name or list index looks like; other keys are not echoed.
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


class ServiceError(Exception):
    """An error with a safe ``detail`` (never note text) that the problem table maps to HTTP."""

    def __init__(self, detail: str, *, errors: FieldErrors | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class InvalidRequestError(ServiceError):
    """A field of the request is invalid; ``errors`` holds ``{"loc", "msg", "type"}`` items."""


class MalformedJsonError(ServiceError):
    """The body could not be decoded as JSON."""


class PayloadTooLargeError(ServiceError):
    """The body is larger than the configured limit."""


class UnauthorizedError(ServiceError):
    """No API key, or one that matches none of the configured hashes."""


class NotReadyError(ServiceError):
    """The catalogue or the model is not loaded (yet)."""


class RequestTimeoutError(ServiceError):
    """The per-request time limit ran out before the suggester finished."""


class InternalError(ServiceError):
    """Something failed inside the service; the cause is logged, never returned."""


@dataclass(frozen=True, slots=True)
class ProblemType:
    """How one kind of error is answered: status, stable ``type`` slug and title."""

    status: int
    slug: str
    title: str

    @property
    def uri(self) -> str:
        """The stable ``type`` URI of this problem."""
        return PROBLEM_BASE + self.slug


# THE table. Looked up along the exception's MRO, so subclasses inherit their parent's row.
PROBLEM_TYPES: Mapping[type[Exception], ProblemType] = {
    InvalidRequestError: ProblemType(422, "validation-error", "Invalid request"),
    RequestValidationError: ProblemType(422, "validation-error", "Invalid request"),
    MalformedJsonError: ProblemType(400, "malformed-json", "Malformed JSON body"),
    PayloadTooLargeError: ProblemType(413, "payload-too-large", "Request body too large"),
    UnauthorizedError: ProblemType(401, "unauthorized", "Missing or invalid API key"),
    CodeNotFoundError: ProblemType(404, "code-not-found", "Code not found"),
    NotReadyError: ProblemType(503, "not-ready", "Service not ready"),
    RequestTimeoutError: ProblemType(503, "timeout", "Request timed out"),
    InternalError: ProblemType(500, "internal-error", "Internal server error"),
    Exception: ProblemType(500, "internal-error", "Internal server error"),
}
NOT_FOUND = ProblemType(404, "not-found", "Not found")

# Extra response headers per problem slug.
_HEADERS: Mapping[str, Mapping[str, str]] = {
    "unauthorized": {"WWW-Authenticate": "Bearer"},
    "not-ready": {"Retry-After": RETRY_AFTER_SECONDS},
    "timeout": {"Retry-After": RETRY_AFTER_SECONDS},
}


def problem_type_of(exc: Exception) -> ProblemType:
    """The table row for ``exc`` (the nearest class in its MRO that the table names)."""
    for cls in type(exc).__mro__:
        row = PROBLEM_TYPES.get(cls)
        if row is not None:
            return row
    return PROBLEM_TYPES[Exception]


def safe_field_errors(raw: Iterable[Mapping[str, Any]]) -> FieldErrors:
    """Pydantic errors reduced to ``loc``, ``msg`` and ``type``: never ``input`` or ``ctx``.

    An unknown key of the body is named only if it looks like a field name: a client that
    sends note text as a key must not get it back.
    """
    return [
        {
            "loc": [_safe_loc_part(part) for part in item["loc"]],
            "msg": item["msg"],
            "type": item["type"],
        }
        for item in raw
    ]


def _safe_loc_part(part: object) -> str:
    text = str(part)
    return text if _FIELD_NAME.match(text) else "<key>"


def problem_body(exc: Exception, *, instance: str | None = None) -> dict[str, Any]:
    """The problem object for ``exc`` (also used inline for a failed batch document)."""
    if isinstance(exc, RequestValidationError):
        exc = validation_error_to_service_error(exc)
    if isinstance(exc, HTTPException):
        return _http_exception_body(exc, instance)
    kind = problem_type_of(exc)
    if isinstance(exc, ServiceError):
        detail, errors = exc.detail, exc.errors
    elif isinstance(exc, CodeNotFoundError):
        detail, errors = f"{exc.system.value} code {exc.code!r} is not in the catalogue", None
    else:
        # Unknown exceptions may carry anything, including note text: say nothing specific.
        detail, errors = "The server failed to process the request.", None
    body: dict[str, Any] = {"type": kind.uri, "title": kind.title, "status": kind.status}
    body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return body


def _http_exception_body(exc: HTTPException, instance: str | None) -> dict[str, Any]:
    if exc.status_code == NOT_FOUND.status:
        kind = NOT_FOUND
        body = {"type": kind.uri, "title": kind.title, "status": kind.status}
        body["detail"] = "No resource at this path."
    else:
        phrase = HTTPStatus(exc.status_code).phrase
        body = {"type": "about:blank", "title": phrase, "status": exc.status_code}
        body["detail"] = phrase + "."
    if instance is not None:
        body["instance"] = instance
    return body


def validation_error_to_service_error(exc: RequestValidationError) -> ServiceError:
    """FastAPI's 422 as ours: undecodable JSON becomes :class:`MalformedJsonError`."""
    raw: Sequence[Mapping[str, Any]] = exc.errors()
    if any(item.get("type") == "json_invalid" for item in raw):
        return MalformedJsonError("The request body is not valid JSON.")
    return InvalidRequestError("One or more fields are invalid.", errors=safe_field_errors(raw))


def problem_response(exc: Exception, *, instance: str | None = None) -> Response:
    """The problem+json response for ``exc``, with its status and headers."""
    body = problem_body(exc, instance=instance)
    headers = dict(_HEADERS.get(body["type"].removeprefix(PROBLEM_BASE), {}))
    if isinstance(exc, HTTPException) and exc.headers:
        headers.update(exc.headers)  # e.g. Allow on a 405
    return Response(
        orjson.dumps(body),
        status_code=body["status"],
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )
