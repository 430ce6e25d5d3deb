from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.spaces.models import Space


class ReadRequest(db.Model):
    """Readers of ``target`` ("blog_post:ID" or "micropost:ID") are asked to confirm it."""

    __tablename__ = "read_requests"
    __table_args__ = (UniqueConstraint("target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    # Copied from the target: reminders go only to those who may read it.
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]

    space: Mapped[Space | None] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def target(self) -> str:
        return f"{self.target_kind}:{self.target_id}"


class ReadConfirmation(db.Model):
    __tablename__ = "read_confirmations"
    __table_args__ = (UniqueConstraint("request_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("read_requests.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
