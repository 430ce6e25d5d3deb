"""Comments as search documents (kind "comment"): found by their words, titled and linked
by what they comment on, readable by whoever may read it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.markup import plain_text
from app.search import sources
from app.search.documents import SearchDocument
from app.social.models import Comment
from app.spaces import policy

MODEL = Comment
# A comment's target kind → the search kind (and so the tool) of the commented object.
TARGET_KINDS = {"wiki_page": "wiki", "blog_post": "blog", "micropost": "micro"}
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
        space=comment.space_id,
        acl=policy.document_acl(comment),
        created=comment.created_at,
        updated=updated,
        url=f"{target.url.partition('#')[0]}#comment-{comment.id}",
        author=comment.author_id,
        is_question=comment.is_question,
    )


def target_document(comment: Comment) -> SearchDocument | None:
    """The search document of what `comment` is on (None: not installed, gone, unindexed)."""
    kind = TARGET_KINDS.get(comment.target_kind)
    if kind is None:
        return None
    target = sources.load(f"{kind}:{comment.target_id}")
    return sources.document_for_object(target) if target is not None else None


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
