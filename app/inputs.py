"""Guards for all input, so that what the database cannot hold never reaches it as a
server error.

- No request may carry a NUL character. No legitimate text holds one, PostgreSQL can neither
  store nor compare text with it, and it is a classic way to cut strings short: 400. The
  same for lone surrogates (no database, file or page can encode them) and query strings
  that are not UTF-8.
- Ids in paths are bounded to what an integer column holds: a larger one names nothing (404).
- A value the database still refuses as out of range (e.g. a huge id in a JSON body)
  answers 400, never 500.
- Ids, page numbers and targets ("kind:id") written in a request are read by one parser,
  ``positive_int``: ASCII digits only, within an integer column. ``str.isdigit`` and ``int``
  alone accept "²" (then fail) and "٣" (then succeed), signs, spaces and underscores.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.routing import IntegerConverter

from app.extensions import db

NUL = "\x00"
# The largest value of an SQL INTEGER column (PostgreSQL's int4, our ids).
MAX_ID = 2**31 - 1


def positive_int(raw: object) -> int:
    """A whole number from request text, as ids, page and revision numbers are: ASCII digits
    only (no sign, space, underscore or digit of another script), from 1 to ``MAX_ID``.
    Raises ValueError, so it serves as ``type=`` of ``request.args.get``."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 10:
        value = int(raw)
    else:
        raise ValueError(f"not a positive whole number: {str(raw)[:20]!r}")
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"out of range: {value}")
    return value


def id_or_none(raw: object) -> int | None:
    """``positive_int`` for optional values: None where the request names no valid id."""
    try:
        return positive_int(raw)
    except ValueError:
        return None


def parse_target(raw: str) -> tuple[str, int] | None:
    """Split a target such as "blog_post:12" into kind and id; None when it is malformed."""
    kind, _sep, raw_id = (raw or "").strip().partition(":")
    target_id = id_or_none(raw_id)
    return (kind, target_id) if kind and target_id is not None else None


class IdConverter(IntegerConverter):
    """``<int:…>`` in our routes: a whole number an id column can hold."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_untrusted_host)
    app.before_request(refuse_unreadable_text)
    app.register_error_handler(DataError, refuse_out_of_range)
    # SQLite's driver raises this for a whole number beyond 64 bits.
    app.register_error_handler(OverflowError, refuse_out_of_range)


def refuse_out_of_range(err: DataError | OverflowError):
    db.session.rollback()
    # Answered like any 400, as a page or in the API's error shape.
    return current_app.handle_http_exception(BadRequest("A value in the request is out of range."))


def refuse_untrusted_host() -> Response | None:
    """A Host header outside TRUSTED_HOSTS: 400 at once, as plain text, because without a
    trusted host no address can be built, not even for an error page."""
    if isinstance(request.routing_exception, SecurityError):
        return Response("Unknown host.\n", status=400, mimetype="text/plain")
    return None


def refuse_unreadable_text() -> None:
    """400 for text no column can hold, in one place for pages and API alike: a NUL
    character, a lone surrogate (JSON's "\\ud800" decodes to one, and UTF-8 cannot encode it),
    or a query string that is not UTF-8 (which would otherwise be read with replacement
    characters, silently changed)."""
    try:
        unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        abort(400, message=_("The address is not valid UTF-8."))
    texts = [request.path]
    for source in (request.args, request.form):
        for key, values in source.lists():
            texts.append(key)
            texts.extend(values)
    texts.extend(upload.filename or "" for upload in request.files.values())
    if request.is_json:
        texts.extend(_strings(request.get_json(silent=True)))
    if any(NUL in text for text in texts):
        abort(400, message=_("The request contains a NUL character."))
    if not all(_is_encodable(text) for text in texts):
        abort(400, message=_("The request contains text that is not valid Unicode."))


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
