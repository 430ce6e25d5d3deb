from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.wiki.models import Page


class GuidelinesRelease(db.Model):
    """One published version of the guidelines: which wiki page, at which revision."""

    __tablename__ = "guidelines_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("wiki_pages.id", ondelete="SET NULL"))
    page_revision: Mapped[int]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    page: Mapped[Page | None] = relationship()
    published_by: Mapped[User | None] = relationship()


class GuidelinesAcceptance(db.Model):
    """Someone accepted a version of the guidelines."""

    __tablename__ = "guidelines_acceptances"
    __table_args__ = (UniqueConstraint("user_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
