"""Counting page views: once per reader per item per day, keeping only numbers."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.insights.models import ViewCount, ViewMark, ViewSalt


def record_view(reader: User, target_kind: str, target_id: int, space_id: int | None) -> None:
    """Count that ``reader`` opened an item today, unless they did already. Commits."""
    today = utcnow().date()
    digest = hashlib.sha256(
        f"{_salt_of(today)}:{reader.id}:{target_kind}:{target_id}".encode()
    ).hexdigest()
    seen = db.session.scalar(
        select(ViewMark.id).where(ViewMark.day == today, ViewMark.reader_hash == digest)
    )
    if seen is not None:
        return
    try:
        db.session.add(ViewMark(day=today, reader_hash=digest))
        db.session.flush()
        _count(today, target_kind, target_id, space_id)
        db.session.commit()
    except IntegrityError:
        # The same reader in two tabs at once: the other request counted the view.
        db.session.rollback()


def _count(day: date, target_kind: str, target_id: int, space_id: int | None) -> None:
    counted = db.session.execute(
        update(ViewCount)
        .where(
            ViewCount.day == day,
            ViewCount.target_kind == target_kind,
            ViewCount.target_id == target_id,
        )
        .values(views=ViewCount.views + 1)
    ).rowcount
    if not counted:
        db.session.add(
            ViewCount(
                day=day,
                target_kind=target_kind,
                target_id=target_id,
                space_id=space_id,
                views=1,
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
