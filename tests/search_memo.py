"""A searchable model that exists only in tests, standing in for a tool ("wiki" kind): the
outbox, drain, reindex and check are tested on it without depending on a real tool."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db
from app.search.documents import SearchDocument
from app.spaces import policy


class MemoBase(DeclarativeBase):
    """Its own metadata: the test table never reaches the migrations' comparison."""


class Memo(MemoBase):
    __tablename__ = "test_search_memos"
    search_kind = "wiki"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(200), default="")
    space_id: Mapped[int | None]
    author_id: Mapped[int]
    editor_ids: Mapped[str] = mapped_column(String(200), default="")
    is_draft: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]


MODEL = Memo


def document_for(memo: Memo) -> SearchDocument | None:
    if memo.deleted_at is not None:
        return None
    editors = tuple(int(editor) for editor in memo.editor_ids.split())
    return SearchDocument(
        key=f"wiki:{memo.id}",
        kind="wiki",
        title=memo.title,
        body=memo.body,
        tags=tuple(memo.tags.split()),
        people=(memo.author_id, *editors),
        space=memo.space_id,
        acl=policy.document_acl(memo),
        created=memo.created_at,
        updated=memo.updated_at,
        url=f"/memos/{memo.id}",
        author=memo.author_id,
    )


def all_documents() -> Iterator[SearchDocument]:
    for memo in db.session.scalars(select(Memo).order_by(Memo.id)):
        if (document := document_for(memo)) is not None:
            yield document


def make_memo(author, title: str, body: str = "", **fields) -> Memo:
    memo = Memo(title=title, body=body, author_id=author.id, **fields)
    db.session.add(memo)
    db.session.commit()
    return memo


class MemoProfile(MemoBase):
    """A test-only profile ("profile" kind, keyed by its person's id), offering the profile
    evidence the expertise finder asks the profiles tool for."""

    __tablename__ = "test_search_profiles"
    search_kind = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)  # the user's id
    skills: Mapped[str] = mapped_column(Text, default="")  # "name|level|endorsements;…"
    trainings: Mapped[str] = mapped_column(Text, default="")  # "a;b"
    projects: Mapped[str] = mapped_column(Text, default="")
    ask_me_about: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def skill_list(self) -> list[tuple[str, int, int]]:
        parts = [item.split("|") for item in self.skills.split(";") if item]
        return [(name, int(level), int(count)) for name, level, count in parts]


def make_profile(user, **fields) -> MemoProfile:
    profile = MemoProfile(id=user.id, **fields)
    db.session.add(profile)
    db.session.commit()
    return profile


def use_as_search_source(app, monkeypatch, search_kind: str, module) -> None:
    """Let ``module`` (with ``MODEL``) stand in for the tool whose documents are of
    ``search_kind``, in the app's content registry, for one test."""
    import dataclasses

    kinds = app.extensions["content"].kinds
    [name] = [name for name, kind in kinds.items() if kind.search_kind == search_kind]
    monkeypatch.setitem(
        kinds, name, dataclasses.replace(kinds[name], model=module.MODEL, search=module)
    )
