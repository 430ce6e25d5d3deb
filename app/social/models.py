from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.spaces.models import Space


class Comment(db.Model):
    """A comment on a blog post, wiki page or micropost; one level of replies. A top-level
    comment may be a question, and one reply to it may be marked as its answer."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_target", "target_kind", "target_id"),)
    search_kind = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    # Copied from the target, so the policy and search filter comments like their target.
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    is_question: Mapped[bool] = mapped_column(default=False)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship()
    space: Mapped[Space | None] = relationship()
    parent: Mapped[Comment | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="replies"
    )
    replies: Mapped[list[Comment]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Comment.created_at"
    )

    @property
    def target(self) -> str:
        return f"{self.target_kind}:{self.target_id}"

    @property
    def is_answered(self) -> bool:
        return self.answer_id is not None


class Like(db.Model):
    __tablename__ = "likes"
    __table_args__ = (
        UniqueConstraint("target_kind", "target_id", "user_id"),
        Index("ix_likes_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Follow(db.Model):
    """Someone follows a person (``user``), a space, a hashtag or a blog."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_key"),
        Index("ix_follows_target", "target_kind", "target_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """Something that concerns one person. The text is composed in the reader's language
    when shown; ``title`` and ``url`` are what it is about."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Likes of one thing are grouped: "Anna and 3 others liked …".
    count: Mapped[int] = mapped_column(default=1)
    target: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # Re-checked when listing, so a notification never outlives the right to read its subject.
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSetting(db.Model):
    """How someone wants one kind of notification: in the app, by e-mail at once, or in
    the daily digest."""

    __tablename__ = "notification_settings"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(10), default="app")
