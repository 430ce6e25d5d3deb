from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


class Upload(db.Model):
    """One uploaded file. Files with equal content share one file on disk (by sha256)."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(120))
    original_filename: Mapped[str] = mapped_column(String(255))
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploader: Mapped[User | None] = relationship()
    # The text search knows of it (only for files a tool wants found; see uploads.texts).
    text: Mapped[UploadText | None] = relationship(
        back_populates="upload", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES

    def __repr__(self) -> str:
        return f"<Upload {self.id} {self.original_filename}>"


class UploadText(db.Model):
    """The plain text of an uploaded document, read in the background for search.

    A row is written ``pending`` with the link that makes the file searchable (a wiki page's
    file, a post's attachment); ``texts.extract_pending`` reads the file outside any request
    and sets ``done`` with the text, or ``skipped`` with a ``note`` (encrypted, unreadable,
    timeout, too large) that the file list shows.
    """

    __tablename__ = "upload_texts"

    upload_id: Mapped[int] = mapped_column(
        ForeignKey("uploads.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(40), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    extracted_at: Mapped[datetime | None]

    upload: Mapped[Upload] = relationship(back_populates="text")

    @property
    def is_skipped(self) -> bool:
        return self.status == "skipped"
