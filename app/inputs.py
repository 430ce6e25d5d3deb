"""A guard for all input: no request may carry a NUL character.

No legitimate text holds one, PostgreSQL can neither store nor compare text with it (the
query would fail with a server error), and it is a classic way to cut strings short. So such
requests are refused with 400 before any view sees them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest

NUL = "\x00"


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)


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
