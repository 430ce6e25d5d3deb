from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.spaces.models import Space
from app.uploads.models import Upload


class Micropost(db.Model):
    """A short post to the whole organisation (``space_id`` None) or to a space. A reply
    points at the post it answers (``reply_to_id``) and at its conversation (``root_id``)."""

    __tablename__ = "microposts"
    # The streams page by (created_at, id): keyset paging needs this order indexed. Streams
    # list posts that start a conversation (reply_to_id IS NULL), hence that index leads.
    __table_args__ = (
        Index("ix_microposts_created_id", "created_at", "id"),
        Index("ix_microposts_reply_created", "reply_to_id", "created_at", "id"),
        Index("ix_microposts_space_pinned", "space_id", "pinned_at"),
        Index("ix_microposts_author_created", "author_id", "created_at"),
        Index("ix_microposts_space_created", "space_id", "created_at"),
    )
    search_kind = "micro"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("microposts.id", ondelete="SET NULL")
    )
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("microposts.id", ondelete="SET NULL"), index=True
    )
    # On a conversation's first post: the reply its asker marked as the answer.
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("microposts.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # A card for a linked wiki page or blog post, taken at save time (no fetching on read).
    preview_url: Mapped[str | None] = mapped_column(String(500))
    preview_title: Mapped[str | None] = mapped_column(String(300))
    preview_space: Mapped[str | None] = mapped_column(String(200))
    preview_excerpt: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Set when a moderator (not the author) removed the post; the author sees the reason.
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    removal_reason: Mapped[str | None] = mapped_column(String(500))
    pinned_at: Mapped[datetime | None]
    pinned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    space: Mapped[Space | None] = relationship()
    reply_to: Mapped[Micropost | None] = relationship(remote_side=[id], foreign_keys=[reply_to_id])
    answer: Mapped[Micropost | None] = relationship(
        remote_side=[id], foreign_keys=[answer_id], post_update=True
    )
    tags: Mapped[list[PostTag]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostTag.id"
    )
    mentions: Mapped[list[PostMention]] = relationship(
        back_populates="post", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[PostAttachment]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostAttachment.position"
    )

    @property
    def is_reply(self) -> bool:
        return self.reply_to_id is not None

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    @property
    def conversation_id(self) -> int:
        return self.root_id or self.id


class PostTag(db.Model):
    __tablename__ = "micropost_tags"
    __table_args__ = (
        UniqueConstraint("post_id", "tag"),
        Index("ix_micropost_tags_tag_post", "tag", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("microposts.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(120))  # normalised (app.markup.normalize_tag)

    post: Mapped[Micropost] = relationship(back_populates="tags")


class PostMention(db.Model):
    __tablename__ = "micropost_mentions"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("microposts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    post: Mapped[Micropost] = relationship(back_populates="mentions")
    user: Mapped[User] = relationship()


class PostAttachment(db.Model):
    """An image or file attached to a post (the file itself lives in ``app.uploads``). A
    document's text is searchable under the post (``search.FILES``)."""

    __tablename__ = "micropost_attachments"
    search_kind = "micro_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("microposts.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    post: Mapped[Micropost] = relationship(back_populates="attachments")
    upload: Mapped[Upload] = relationship()
