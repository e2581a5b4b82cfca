"""Where log records go: one line per record on standard error, as text or as JSON.

Django's own logging configuration gives its ``django`` logger a console handler (under DEBUG)
and ``django.server`` (runserver's requests) another; with a handler on the root logger too,
every line of ``django`` came out twice. Here the root logger holds the only handler, and
Django's loggers hand their records to it. ``LOG_FORMAT=json`` writes each record as one JSON
object, for a log collector in production.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal

from django.http import HttpRequest

LogFormat = Literal["text", "json"]
FORMATS: tuple[LogFormat, ...] = ("text", "json")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC), level, logger, message, and what it knows of
    the request (method, path, status) and of an exception (its traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            line["method"] = request.method
            line["path"] = request.path
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(*, level: str, log_format: str) -> dict[str, Any]:
    """The LOGGING setting: ``log_format`` is "text" or "json" (anything else is refused)."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format},
        },
        "root": {"handlers": ["console"], "level": level},
        # Django's loggers lose their own handlers and pass every record to the root's.
        "loggers": {
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
        },
    }
