"""Counting page views: once per reader per item per day, keeping only numbers.

A page view writes nothing: ``record_view`` notes the view in this process's buffer, and a
background thread writes the buffer every ``VIEW_FLUSH_SECONDS`` in one transaction (and
once more when the process exits). Outside a request (commands, the demo) and when testing,
a view is written at once.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import secrets
import threading
import weakref
from datetime import date

from flask import Flask, current_app, has_request_context
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.insights.models import ViewCount, ViewMark, ViewSalt

log = logging.getLogger(__name__)

EXTENSION_KEY = "kollegium.views"
# (day, reader id, target kind, target id) -> the item's space id
ViewKey = tuple[date, int, str, int]


def record_view(reader: User, target_kind: str, target_id: int, space_id: int | None) -> None:
    """Count that ``reader`` opened an item today, unless they did already."""
    key = (utcnow().date(), reader.id, target_kind, target_id)
    if has_request_context() and _buffered():
        _buffer().add(key, space_id)
    else:
        write_views({key: space_id})


def flush_views() -> int:
    """Write what this process buffered; returns how many views it held."""
    buffer = current_app.extensions.get(EXTENSION_KEY)
    return buffer.flush() if buffer is not None else 0


def write_views(views: dict[ViewKey, int | None]) -> None:
    """Count each view whose reader has no mark for the item that day, in one transaction.
    Commits."""
    try:
        _write(views)
        db.session.commit()
    except IntegrityError:
        # Another process marked some of the same views meanwhile: count one by one.
        db.session.rollback()
        for key, space_id in views.items():
            try:
                _write({key: space_id})
                db.session.commit()
            except IntegrityError:
                db.session.rollback()


def _write(views: dict[ViewKey, int | None]) -> None:
    by_day: dict[date, dict[str, tuple[str, int, int | None]]] = {}
    for (day, reader_id, kind, target_id), space_id in views.items():
        digest = hashlib.sha256(f"{_salt_of(day)}:{reader_id}:{kind}:{target_id}".encode())
        by_day.setdefault(day, {})[digest.hexdigest()] = (kind, target_id, space_id)
    for day, marks in by_day.items():
        seen = set(
            db.session.scalars(
                select(ViewMark.reader_hash).where(
                    ViewMark.day == day, ViewMark.reader_hash.in_(list(marks))
                )
            )
        )
        counts: dict[tuple[str, int], tuple[int | None, int]] = {}
        for digest, (kind, target_id, space_id) in marks.items():
            if digest in seen:
                continue
            db.session.add(ViewMark(day=day, reader_hash=digest))
            views_so_far = counts.get((kind, target_id), (space_id, 0))[1]
            counts[kind, target_id] = (space_id, views_so_far + 1)
        db.session.flush()
        for (kind, target_id), (space_id, views) in counts.items():
            _count(day, kind, target_id, space_id, views)


def _count(day: date, target_kind: str, target_id: int, space_id: int | None, views: int) -> None:
    counted = db.session.execute(
        update(ViewCount)
        .where(
            ViewCount.day == day,
            ViewCount.target_kind == target_kind,
            ViewCount.target_id == target_id,
        )
        .values(views=ViewCount.views + views)
    ).rowcount
    if not counted:
        db.session.add(
            ViewCount(
                day=day,
                target_kind=target_kind,
                target_id=target_id,
                space_id=space_id,
                views=views,
            )
        )


def _salt_of(day: date) -> str:
    """The day's random salt; a new day's first view forgets the days before."""
    salt = db.session.scalar(select(ViewSalt.salt).where(ViewSalt.day == day))
    if salt is not None:
        return salt
    db.session.execute(delete(ViewMark).where(ViewMark.day < day))
    db.session.execute(delete(ViewSalt).where(ViewSalt.day < day))
    db.session.add(ViewSalt(day=day, salt=secrets.token_hex(32)))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return db.session.scalar(select(ViewSalt.salt).where(ViewSalt.day == day))


def _buffered() -> bool:
    mode = current_app.config["VIEW_COUNTING"]
    return mode == "buffered" or (mode is None and not current_app.testing)


def _buffer() -> ViewBuffer:
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions.setdefault(EXTENSION_KEY, ViewBuffer(current_app._get_current_object()))
    return extensions[EXTENSION_KEY]


class ViewBuffer:
    """The views this process saw and has not written yet, and the thread that writes them."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._views: dict[ViewKey, int | None] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, key: ViewKey, space_id: int | None) -> None:
        with self._lock:
            self._views[key] = space_id
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=_flush_loop, args=(weakref.ref(self),), name="view-flush", daemon=True
                )
                self._thread.start()
                atexit.register(_flush_at_exit, weakref.ref(self))

    def flush(self) -> int:
        """Write the buffered views in a fresh app context; on failure keep them for the
        next flush. Never raises."""
        with self._lock:
            views, self._views = self._views, {}
        if not views:
            return 0
        try:
            with self.app.app_context():
                write_views(views)
        except SQLAlchemyError:
            log.exception("writing %d page views failed; trying again later", len(views))
            with self._lock:
                self._views = {**views, **self._views}
        return len(views)


def _flush_loop(buffer_ref: weakref.ref[ViewBuffer]) -> None:
    while (buffer := buffer_ref()) is not None:
        interval = buffer.app.config["VIEW_FLUSH_SECONDS"]
        del buffer
        threading.Event().wait(interval)
        if (buffer := buffer_ref()) is None:
            return
        buffer.flush()
        del buffer


def _flush_at_exit(buffer_ref: weakref.ref[ViewBuffer]) -> None:
    if (buffer := buffer_ref()) is not None:
        buffer.flush()
