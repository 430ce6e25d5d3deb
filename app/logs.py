"""Logging, configured once per process: Kollegium's messages at ``LOG_LEVEL``, as text or
JSON lines (``LOG_FORMAT``), each with the id of the request it belongs to. The request id
comes from a proxy's ``X-Request-ID`` when it looks like one, and goes back in the response."""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.typing import ResponseReturnValue

LOGGERS = ("app", "alembic")
REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may hand us as a request id: short, and nothing that could forge a log line.
TRUSTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request's id ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)


def configure_logging(level: str, output_format: str) -> None:
    """Give our loggers one handler each. Safe to call again (tests build many apps): the
    handler is replaced, not added twice. Our loggers do not propagate, so a library that
    reconfigures the root logger (Alembic's fileConfig did) cannot silence them."""
    formatter = JsonFormatter() if output_format == "json" else logging.Formatter(TEXT_FORMAT)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if getattr(h, "kollegium", False)]:
            logger.removeHandler(handler)
        handler = logging.StreamHandler()
        handler.kollegium = True
        handler.setFormatter(formatter)
        handler.addFilter(RequestIdFilter())
        logger.addHandler(handler)
        logger.setLevel(level.upper())
        logger.propagate = False
        logger.disabled = False


def _assign_request_id() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if TRUSTED_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _echo_request_id(response: ResponseReturnValue):
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    return response
