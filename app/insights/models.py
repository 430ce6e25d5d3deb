"""Page views, counted once per reader per item per day without keeping who read what.

While a day runs, ``view_marks`` holds a hash of (day's random salt, reader, item) so a second
view of the same item by the same reader is not counted again. The salt lives only for its
day: once the day is over its salt and marks are deleted, and only ``view_counts`` (numbers
per day and item) remain. Even during the day the marks cannot be read back to a person
without the salt, which is never shown or exported.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ViewSalt(db.Model):
    __tablename__ = "view_salts"

    day: Mapped[date] = mapped_column(primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class ViewMark(db.Model):
    __tablename__ = "view_marks"
    __table_args__ = (UniqueConstraint("day", "reader_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    # sha256(salt of the day, reader id, item): one per reader and item.
    reader_hash: Mapped[str] = mapped_column(String(64))


class ViewCount(db.Model):
    __tablename__ = "page_views"
    __table_args__ = (
        UniqueConstraint("day", "target_kind", "target_id"),
        Index("ix_page_views_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    space_id: Mapped[int | None] = mapped_column(index=True)
    views: Mapped[int] = mapped_column(default=0)
