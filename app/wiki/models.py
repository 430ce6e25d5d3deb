from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.spaces.models import Space
from app.uploads.models import Upload
from app.urls import path_for

MAX_TITLE = 200


def title_key(title: str) -> str:
    """How titles compare: case and spacing do not make two pages different."""
    return " ".join(title.split()).casefold()


class Page(db.Model):
    __tablename__ = "wiki_pages"
    __table_args__ = (
        Index("ix_wiki_pages_space_title_key", "space_id", "title_key"),
        Index("ix_wiki_pages_space_slug", "space_id", "slug"),
    )
    search_kind = "wiki"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the global wiki, readable by every colleague.
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    title_key: Mapped[str] = mapped_column(String(MAX_TITLE))
    slug: Mapped[str] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("wiki_pages.id", ondelete="SET NULL"), index=True
    )
    tags: Mapped[str] = mapped_column(Text, default="")  # normalised tags, space-separated
    # The creator (policy's author), the owner who keeps it current, the last editor.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revision: Mapped[int] = mapped_column(default=1)  # number of the current revision
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    is_template: Mapped[bool] = mapped_column(default=False)
    # Templates exist in each language; None for pages written here.
    language: Mapped[str | None] = mapped_column(String(8))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    deleted_at: Mapped[datetime | None]

    space: Mapped[Space | None] = relationship()
    parent: Mapped[Page | None] = relationship(remote_side=[id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

    @property
    def url(self) -> str:
        return path_for(
            "wiki.show_page", space_slug=self.space.slug if self.space else None, slug=self.slug
        )

    def __repr__(self) -> str:
        return f"<Page {self.id} {self.title!r}>"


class Revision(db.Model):
    __tablename__ = "wiki_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    comment: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    page: Mapped[Page] = relationship()
    author: Mapped[User | None] = relationship()


class WikiLink(db.Model):
    """A [[link]] in a page: by title as written, and by page once it resolves."""

    __tablename__ = "wiki_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("wiki_pages.id", ondelete="CASCADE"), index=True
    )
    target_title: Mapped[str] = mapped_column(String(MAX_TITLE))
    target_key: Mapped[str] = mapped_column(String(MAX_TITLE), index=True)
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("wiki_pages.id", ondelete="SET NULL"), index=True
    )

    source: Mapped[Page] = relationship(foreign_keys=[source_id])
    target: Mapped[Page | None] = relationship(foreign_keys=[target_id])


class PageRedirect(db.Model):
    """A former address (slug) and title of a page in a space, kept after a rename or move."""

    __tablename__ = "wiki_redirects"
    __table_args__ = (
        Index("ix_wiki_redirects_space_slug", "space_id", "slug"),
        Index("ix_wiki_redirects_space_title_key", "space_id", "title_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    title_key: Mapped[str] = mapped_column(String(MAX_TITLE))
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    page: Mapped[Page] = relationship()


class Watch(db.Model):
    __tablename__ = "wiki_watches"
    __table_args__ = (UniqueConstraint("page_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(db.Model):
    """A file of the upload store attached to a page. Its text is searchable under the page
    (``file_search``)."""

    __tablename__ = "wiki_attachments"
    search_kind = "wiki_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(
        ForeignKey("wiki_pages.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    page: Mapped[Page] = relationship()
    upload: Mapped[Upload] = relationship()
