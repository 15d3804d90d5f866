"""Pure ASGI middleware: the request log and metrics, and the body size limit.

Pure ASGI (not ``BaseHTTPMiddleware``) so the body limit applies while the body streams in,
before anything parses it, and so a request costs no extra task.
"""

import logging
import re
import time
import uuid
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import (
    InternalError,
    PayloadTooLargeError,
    ServiceError,
    problem_response,
)
from service.api.logs import ACCESS_LOGGER
from service.api.metrics import Metrics

access_log = logging.getLogger(ACCESS_LOGGER)
# A caller's X-Request-ID is echoed only when it is a plain token: it ends up in logs.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass(slots=True)
class RequestRecord:
    """What a route tells the request log about its work (counts only, never text)."""

    documents: int = 0
    characters: int = 0


def request_record(scope: Scope) -> RequestRecord:
    """The record of the current request (``request.state.request_record`` for routes)."""
    record: RequestRecord = scope.setdefault("state", {}).setdefault(
        "request_record", RequestRecord()
    )
    return record


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/v1/codes/{system}/{code}``) or ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestObserver:
    """Gives each request an id, logs one line and updates metrics when it ends.

    Also the last line of defence: an exception no handler took becomes a 500 problem whose
    body says nothing about it; the log gets its type and where it was raised.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request, then log and count it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        record = request_record(scope)
        status = 500
        response_started = False
        error: Exception | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            error = exc
            if not response_started:
                answer = exc if isinstance(exc, ServiceError) else InternalError("unhandled")
                await problem_response(answer, instance=scope.get("path"))(
                    scope, receive, send_with_id
                )
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            self.metrics.observe_request(route, scope["method"], status, seconds)
            fields = {
                "request_id": request_id,
                "method": scope["method"],
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "documents": record.documents,
                "characters": record.characters,
            }
            # A 503 (loading, time limit) is expected now and then; a 500 is a bug.
            level = logging.ERROR if status == 500 else logging.INFO
            access_log.log(level, "request", extra=fields, exc_info=error)


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


class BodySizeLimit:
    """Answers 413 for a body over ``max_bytes``: by Content-Length, else while it streams."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an oversized body before any of it is parsed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLargeError(f"The request body exceeds {self.max_bytes} bytes.")
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await problem_response(too_large, instance=scope.get("path"))(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise too_large
            return message

        async def send_unless_exceeded(message: Message) -> None:
            # The app may turn our exception into its own error response: ours replaces it.
            if not exceeded:
                await send(message)

        try:
            await self.app(scope, limited_receive, send_unless_exceeded)
        except PayloadTooLargeError:
            if not exceeded:
                raise
        if exceeded:
            await problem_response(too_large, instance=scope.get("path"))(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
