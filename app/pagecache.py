"""Rendered pages kept for the browser that asked, until anything in the database changes.

Rendering a page costs tens of milliseconds of queries and templates, and most page views
repeat one the same colleague saw moments ago with nothing changed. So a page rendered for a
signed-in browser is kept in this process, under that browser's sign-in, its language, the
address and the *data generation*: one random token in the database (``data_generation``),
replaced inside every transaction that writes to any table but the view counters, as it
commits. A new comment, a move, a rename, an ended membership, a deactivation, a changed
setting — any write, by any worker, thread or command — makes every kept page unreachable in
every worker at once, so no kept page outlives what it shows.

Kept pages also expire after ``PAGE_CACHE_SECONDS``, which bounds what changes without a
write: relative dates ("5 min ago"), views counted in the background. Only pages are kept:
never for a signed-out visitor, never a response other than a 200 HTML page, never a request
that wrote (its next view renders afresh), never while a message waits to be shown, never
administration or account pages. A page's forms carry tokens made from the session's form
token, so that token is part of the key too. A kept page served again repeats what showing it
does besides rendering (counting the view, ``repeat_when_served``), and the response hooks
run as for a rendered one (security headers, ``ETag``/304).

``remembered`` keeps smaller values the same way (the bell's unread count), per generation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import Engine, String, event, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app import caching
from app.extensions import db

T = TypeVar("T")
EXTENSION_KEY = "kollegium.page_cache"
ROW_ID = 1
# Written while pages are only read (views counted, the generation itself): they change no
# page beyond what PAGE_CACHE_SECONDS allows.
UNCOUNTED_TABLES = frozenset({"data_generation", "page_views", "view_marks", "view_salts"})
# Where a kept page would skip a check that runs after this one, or shows secrets.
NEVER_KEPT_BLUEPRINTS = frozenset({"admin", "accounts", "twofactor", "webauthn", "sso"})
_READ_ONLY = re.compile(r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|SHOW|SET)\b", re.I)
_WRITE_TARGET = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE
)
WROTE = "kollegium.wrote"


class DataGeneration(db.Model):
    """The one row whose token is replaced in every transaction that writes."""

    __tablename__ = "data_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    content_type: str
    repeats: tuple[tuple[Callable[..., None], tuple[Any, ...]], ...]
    kept_until: float
    form_token: str | None = None  # as the rendering left it on ``g``
    etag: str | None = None


class PageStore:
    """The kept pages of one process: least recently used go first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.kept_until < time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: KeptPage) -> None:
        if len(page.body) > self.max_bytes // 8:
            return  # one huge page must not push out everyone's
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._pages.pop(key).body)


# --- the data generation ------------------------------------------------------------------------

_requests = threading.local()  # .wrote: this thread committed a write during its request
_registered = False
_tables_seen: set[str] = set()  # the engines (by URL) whose database has the table
# One statement on SQLite (3.24+) and PostgreSQL alike; the token is hex we made.
NEW_TOKEN = (
    "INSERT INTO data_generation (id, token) VALUES ({row}, '{token}') "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
HAS_TABLE = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_generation'",
    "postgresql": "SELECT to_regclass('data_generation') IS NOT NULL",
}


def register_hooks() -> None:
    """Watch every engine of the process for writes (once per process)."""
    global _registered
    if _registered:
        return
    event.listen(Engine, "begin", _forget_writes)
    event.listen(Engine, "after_cursor_execute", _note_write)
    event.listen(Engine, "commit", _new_token_before_commit)
    event.listen(Engine, "rollback", _forget_writes)
    _registered = True


def is_counted_write(statement: str) -> bool:
    if _READ_ONLY.match(statement):
        return False
    target = _WRITE_TARGET.match(statement)
    return not (target and target.group(1).lower() in UNCOUNTED_TABLES)


def _forget_writes(connection) -> None:
    connection.info.pop(WROTE, None)


def _note_write(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    if is_counted_write(statement):
        connection.info[WROTE] = True


def _new_token_before_commit(connection) -> None:
    """A transaction that wrote replaces the token in the same transaction, so no reader
    ever sees the new data under the old token, whoever wrote it: a page, a command, a
    background thread, a migration. Written through the driver: it is the last statement
    before the commit, and SQLAlchemy's own execution is closed at this point."""
    if not connection.info.pop(WROTE, False):
        return
    _requests.wrote = True
    cursor = connection.connection.cursor()
    try:
        if _has_table(connection, cursor):
            cursor.execute(NEW_TOKEN.format(row=ROW_ID, token=secrets.token_hex(16)))
    finally:
        cursor.close()


def _has_table(connection, cursor) -> bool:
    engine = str(connection.engine.url)
    if engine in _tables_seen:
        return True
    question = HAS_TABLE.get(connection.dialect.name)
    if question is None:
        return False
    cursor.execute(question)
    row = cursor.fetchone()
    if row and row[0]:
        _tables_seen.add(engine)  # the table never goes once it came (migrations add it)
        return True
    return False


def generation_column():
    """The current token as a column, for a statement every request asks anyway."""
    return select(DataGeneration.token).where(DataGeneration.id == ROW_ID).scalar_subquery()


def remember_generation(token: str | None) -> None:
    if has_request_context():
        g.data_generation = token


def current_generation() -> str | None:
    if "data_generation" in g:
        return g.data_generation
    try:
        return db.session.scalar(
            text("SELECT token FROM data_generation WHERE id = :id"), {"id": ROW_ID}
        )
    except SQLAlchemyError:
        db.session.rollback()
        return None  # not migrated yet: nothing is kept


# --- values remembered until the next write ------------------------------------------------------

MEMO_KEY = "kollegium.remembered"
MEMO_ENTRIES = 20_000
_MISSING = object()


class Remembered:
    """Values computed from the database, per data generation, each until a time (what the
    clock alone changes, a scheduled post coming out); least recently used go first."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[tuple, tuple[Any, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self._lock:
            value, until = self._values.get(key, (_MISSING, 0.0))
            if value is _MISSING:
                return _MISSING
            if until < time.monotonic():
                del self._values[key]
                return _MISSING
            self._values.move_to_end(key)
            return value

    def put(self, key: tuple, value: Any, until: float) -> None:
        with self._lock:
            self._values[key] = (value, until)
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)


def remembered(name: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered in this process until anything is written, at most
    PAGE_CACHE_SECONDS: for values that depend on the database (who may read what included),
    read on many pages. ``name`` says what and for whom (``("bell", user id)``)."""
    if not has_request_context() or not current_app.config["PAGE_CACHE_SECONDS"]:
        return compute()
    generation = current_generation()
    if generation is None:
        return compute()
    memo: Remembered = current_app.extensions[MEMO_KEY]
    key = (generation, name)
    value = memo.get(key)
    if value is _MISSING:
        value = compute()
        memo.put(key, value, time.monotonic() + current_app.config["PAGE_CACHE_SECONDS"])
    return value


# --- pages ------------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Call last in the factory: the kept page is served after every other request hook
    (sign-in, password due, guidelines, second factor) has let the request through."""
    register_hooks()
    app.extensions[EXTENSION_KEY] = PageStore(app.config["PAGE_CACHE_BYTES"])
    app.extensions[MEMO_KEY] = Remembered(MEMO_ENTRIES)
    app.before_request(serve_kept_page)
    app.after_request(keep_page)


def store() -> PageStore:
    return current_app.extensions[EXTENSION_KEY]


def repeat_when_served(function: Callable[..., None], *args: Any) -> None:
    """``function(current user, *args)`` belongs to showing this page: it runs now (by the
    caller) and again whenever the kept page is served instead of rendered."""
    if "page_cache_key" in g:
        g.page_cache_repeats.append((function, args))


def serve_kept_page() -> Response | None:
    _requests.wrote = False
    key = _key_for_request()
    if key is None:
        return None
    page = store().get((*key, _form_token_of_session()))
    if page is None:
        g.page_cache_key = key
        g.page_cache_repeats = []
        return None
    actor = current_user._get_current_object()
    for function, args in page.repeats:
        function(actor, *args)
    if page.form_token:
        setattr(g, current_app.config["WTF_CSRF_FIELD_NAME"], page.form_token)
    response = Response(page.body, status=200, content_type=page.content_type)
    if page.etag:
        response.set_etag(page.etag)
    return response


def keep_page(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or response.direct_passthrough
        or session.get("_flashes")
        or getattr(_requests, "wrote", False)
    ):
        return response
    seconds = current_app.config["PAGE_CACHE_SECONDS"]
    response.set_etag(caching.page_tag(response))  # once, not again on every serving
    # The page's forms carry tokens made from the session's: kept under the token the
    # rendering left in the session (it makes one on a browser's first form).
    store().put(
        (*key, _form_token_of_session()),
        KeptPage(
            body=response.get_data(),
            content_type=response.content_type,
            repeats=tuple(g.get("page_cache_repeats", ())),
            kept_until=time.monotonic() + seconds,
            form_token=g.get(current_app.config["WTF_CSRF_FIELD_NAME"]),
            etag=response.get_etag()[0],
        ),
    )
    return response


def _form_token_of_session() -> str | None:
    """The raw form token Flask-WTF keeps in the session (under its field's name), from
    which it signs every form's token."""
    return session.get(current_app.config["WTF_CSRF_FIELD_NAME"])


def _key_for_request() -> tuple | None:
    if (
        request.method != "GET"
        or not current_app.config["PAGE_CACHE_SECONDS"]
        or request.blueprint in NEVER_KEPT_BLUEPRINTS
        or request.endpoint is None
        or request.path.startswith("/api/")
        or not current_user.is_authenticated
        or session.get("_flashes")
    ):
        return None
    generation = current_generation()
    if generation is None:
        return None
    browser = hashlib.sha256((current_user.session_key or "").encode()).hexdigest()
    return (
        generation,
        current_user.id,
        browser,
        str(get_locale()),
        request.host,
        request.full_path,
        request.headers.get("X-Composer", ""),
    )
