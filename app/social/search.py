"""Comments as search documents (kind "comment"): found by their words, titled, linked and
readable exactly as what they comment on (its document's ``acl`` and space, built from the
item's current place: a comment on a draft is found only by whoever finds the draft)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.content import registry
from app.extensions import db
from app.markup import plain_text
from app.search.documents import SearchDocument
from app.social.models import Comment

MODEL = Comment
TITLE_CHARS = 120
BATCH = 500


def document_for(comment: Comment) -> SearchDocument | None:
    """The document of a visible comment whose target is indexed; None otherwise."""
    if comment.deleted_at is not None:
        return None
    target = target_document(comment)
    if target is None:
        return None
    updated = comment.edited_at or comment.created_at
    body = plain_text(comment.body_html) if comment.body_html else comment.body
    return SearchDocument(
        key=f"comment:{comment.id}",
        kind="comment",
        title=target.title or target.snippet[:TITLE_CHARS] or target.body[:TITLE_CHARS],
        body=body,
        tags=(),
        people=(comment.author_id,),
        space=target.space,
        acl=target.acl,
        created=comment.created_at,
        updated=updated,
        url=f"{target.url.partition('#')[0]}#comment-{comment.id}",
        author=comment.author_id,
        is_question=comment.is_question,
    )


def target_document(comment: Comment) -> SearchDocument | None:
    """The search document of what `comment` is on (None: not installed, gone, unindexed)."""
    kind = registry().kind(comment.target_kind)
    if kind is None or kind.search is None:
        return None
    item = db.session.get(kind.model, comment.target_id)
    return kind.search.document_for(item) if item is not None else None


def all_documents() -> Iterator[SearchDocument]:
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(Comment)
            .where(Comment.id > last_id, Comment.deleted_at.is_(None))
            .options(selectinload(Comment.author))
            .order_by(Comment.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        for comment in batch:
            if (document := document_for(comment)) is not None:
                yield document
        last_id = batch[-1].id


def count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.deleted_at.is_(None))
    )
