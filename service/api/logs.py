"""Structured JSON logs: one object per line, never note text, never a stack trace.

Request lines come from :mod:`service.api.middleware` with the fields in :data:`REQUEST_FIELDS`.
An exception is logged by its type and the place it was raised only: messages of exceptions
raised while handling a note may quote the note.
"""

import logging
import traceback
from datetime import UTC, datetime
from typing import Any

import orjson

ACCESS_LOGGER = "service.api.access"
REQUEST_FIELDS = (
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "documents",
    "characters",
    "error_type",
)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: time, level, logger, message and request fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line for ``record``; exception details reduced to type and location."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            entry["error_type"] = type(exc).__name__
            frames = traceback.extract_tb(exc.__traceback__)
            if frames:
                entry["error_at"] = f"{frames[-1].filename}:{frames[-1].lineno}"
        return orjson.dumps(entry, default=str).decode()


def logging_config(level: str) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` dict sending the service's and uvicorn's logs as JSON.

    uvicorn applies it in every worker process; uvicorn's access log is replaced by the
    service's request lines.
    """
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "service.api.logs.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "service": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
