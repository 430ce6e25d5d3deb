"""Access logs without secrets: feed tokens in paths, tokens in query strings and the
Authorization and Cookie headers never reach a log file, where anyone who reads the logs
could use them.

gunicorn: ``--logger-class app.accesslog.RedactingLogger`` (``make run`` passes it). The
development server's log (werkzeug) gets the same filter from ``init_app``.
"""

from __future__ import annotations

import logging
import re

from flask import Flask
from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# A feed reader's URL holds its token: /blog/feeds/<token>/all.atom.
FEED_TOKEN = re.compile(r"(/feeds/)[^/?#\s]+")
# Query parameters that carry a credential, wherever they appear.
TOKEN_PARAMETER = re.compile(
    r"([?&](?:token|access_token|api_key|apikey|key|password|reset|secret)=)[^&#\s\"]*", re.I
)
SECRET_HEADERS = ("authorization", "cookie", "proxy-authorization")


def redact(text: str) -> str:
    """``text`` (a request line, path, query or referrer) without the secrets it carries."""
    text = FEED_TOKEN.sub(rf"\g<1>{REDACTED}", text)
    return TOKEN_PARAMETER.sub(rf"\g<1>{REDACTED}", text)


class RedactingLogger(Logger):
    """gunicorn's logger, with tokens taken out of the access log's atoms."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        if isinstance(atoms.get("q"), str):
            atoms["q"] = redact("?" + atoms["q"])[1:]
        for header in SECRET_HEADERS:
            if f"{{{header}}}i" in atoms:  # gunicorn's name for a request header: {cookie}i
                atoms[f"{{{header}}}i"] = REDACTED
        return atoms


class RedactingFilter(logging.Filter):
    """Takes tokens out of the development server's request lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def init_app(app: Flask) -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(known, RedactingFilter) for known in werkzeug_log.filters):
        werkzeug_log.addFilter(RedactingFilter())
