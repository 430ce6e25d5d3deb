"""Guards for all input, so that what the database cannot hold never reaches it as a
server error.

- No request may carry a NUL character. No legitimate text holds one, PostgreSQL can neither
  store nor compare text with it, and it is a classic way to cut strings short: 400.
- Ids in paths are bounded to what an integer column holds: a larger one names nothing (404).
- A value the database still refuses as out of range (e.g. a huge id in a JSON body)
  answers 400, never 500.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from app.extensions import db

NUL = "\x00"
# The largest value of an SQL INTEGER column (PostgreSQL's int4, our ids).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` in our routes: a whole number an id column can hold."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
    app.register_error_handler(DataError, refuse_out_of_range)
    # SQLite's driver raises this for a whole number beyond 64 bits.
    app.register_error_handler(OverflowError, refuse_out_of_range)


def refuse_out_of_range(err: DataError | OverflowError):
    db.session.rollback()
    # Answered like any 400, as a page or in the API's error shape.
    return current_app.handle_http_exception(BadRequest("A value in the request is out of range."))


def refuse_nul_characters() -> None:
    texts = [request.path]
    for source in (request.args, request.form):
        for key, values in source.lists():
            texts.append(key)
            texts.extend(values)
    texts.extend(upload.filename or "" for upload in request.files.values())
    if request.is_json:
        texts.extend(_strings(request.get_json(silent=True)))
    if any(NUL in text for text in texts):
        raise BadRequest("The request contains a NUL character.")


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
