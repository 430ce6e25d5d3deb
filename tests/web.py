"""Helpers for tests that drive pages: sign in, and read a form's CSRF token."""

from __future__ import annotations

import codecs
import csv
import io
import re

from flask.testing import FlaskClient
from sqlalchemy import event

from app.accounts import sessions
from app.accounts.models import User
from app.extensions import db

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Mark ``client``'s session as signed in as ``user`` (as Flask-Login would)."""
    sessions.begin(user, "127.0.0.1", remember=False)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def render_every_page(client: FlaskClient) -> None:
    """Every page rendered afresh, nothing remembered between requests (app/pagecache.py):
    for tests that count what rendering a page costs."""
    client.application.config["PAGE_CACHE_SECONDS"] = 0


def csrf_token(client: FlaskClient, path: str = "/settings/") -> str:
    """The CSRF token of the form on ``path``, as a browser would send it back."""
    page = client.get(path)
    match = CSRF_PATTERN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict, *, token_from: str = "/settings/"):
    """POST a form with a valid CSRF token."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from)})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def spreadsheet_rows(response) -> list[list[str]]:
    """The rows of a CSV download, read as German Excel reads it: UTF-8 behind a byte order
    mark, cells split at ";"."""
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8), "without a BOM Excel shows umlauts as garbage"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def statements_of(client: FlaskClient, path: str, *, status: int = 200, headers=None) -> list[str]:
    """The SQL statements a GET of ``path`` issued (the answer must have ``status``)."""
    statements: list[str] = []

    def record(*args):
        statements.append(" ".join(args[2].split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path, headers=headers or {})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == status, (path, response.status_code)
    return statements
