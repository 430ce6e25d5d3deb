"""Blogs, their named authors, posts and the personal feed tokens of readers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.spaces.models import Space
from app.uploads.models import Upload
from app.urls import path_for

DRAFT = "draft"
PUBLISHED = "published"
STATUSES = (DRAFT, PUBLISHED)


class Blog(db.Model):
    """A blog of a space (project, department, community) or, without a space, of one
    person (``owner``)."""

    __tablename__ = "blogs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    space: Mapped[Space | None] = relationship()
    owner: Mapped[User | None] = relationship()
    authors: Mapped[list[BlogAuthor]] = relationship(
        back_populates="blog", cascade="all, delete-orphan"
    )

    @property
    def is_personal(self) -> bool:
        return self.space_id is None

    @property
    def url(self) -> str:
        return path_for("blog.show_blog", blog_id=self.id)


class BlogAuthor(db.Model):
    """A colleague a blog's owners named to write in it."""

    __tablename__ = "blog_authors"
    __table_args__ = (UniqueConstraint("blog_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blog: Mapped[Blog] = relationship(back_populates="authors")
    user: Mapped[User] = relationship()


class Post(db.Model):
    """A blog post. Visible to all readers of its blog once published and its
    ``publish_at`` has come; before that a draft."""

    __tablename__ = "blog_posts"
    __table_args__ = (Index("ix_blog_posts_blog_publish", "blog_id", "publish_at"),)
    search_kind = "blog"

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id", ondelete="CASCADE"), index=True)
    # Copied from the blog, so the policy and search filter posts like their blog.
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Space-separated normalised tags with a space on either side: " e-akte scan ".
    tags_text: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    # When followers and mentioned colleagues were told (None: not readable yet).
    announced_at: Mapped[datetime | None]
    reading_minutes: Mapped[int] = mapped_column(default=1)
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    blog: Mapped[Blog] = relationship()
    author: Mapped[User] = relationship()
    space: Mapped[Space | None] = relationship()
    cover: Mapped[Upload | None] = relationship()

    @property
    def url(self) -> str:
        return path_for("blog.show_post", post_id=self.id, slug=self.slug)

    @property
    def tags(self) -> list[str]:
        return self.tags_text.split()

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == PUBLISHED and self.publish_at is not None and self.publish_at > utcnow()
        )

    @property
    def is_draft(self) -> bool:
        """Not (yet) visible to readers: a draft, or scheduled for later."""
        return self.status != PUBLISHED or self.publish_at is None or self.publish_at > utcnow()

    @property
    def shown_at(self) -> datetime:
        return self.publish_at or self.created_at

    @classmethod
    def published_clause(cls) -> ColumnElement[bool]:
        return and_(cls.status == PUBLISHED, cls.publish_at <= utcnow())


class FeedToken(db.Model):
    """A reader's personal feed token. The token is an HMAC of ``nonce`` under the secret
    key: the database alone does not give usable tokens (only their hashes), while the
    settings page can still show the feed URLs. A new nonce revokes the old token."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
