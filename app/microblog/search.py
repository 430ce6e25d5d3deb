"""How microposts become search documents (the search package indexes them)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.markup import excerpt, plain_text
from app.microblog.models import Micropost
from app.search.documents import SearchDocument
from app.spaces import policy
from app.urls import path_for

TITLE_LENGTH = 80
SNIPPET_LENGTH = 200
BATCH_SIZE = 500


def document_for(post: Micropost) -> SearchDocument | None:
    """The document for ``post``; None once it is deleted (drop it from the index)."""
    if post.deleted_at is not None:
        return None
    text = plain_text(post.body_html)
    url = path_for("microblog.show_post", post_id=post.id)
    return SearchDocument(
        key=f"{post.search_kind}:{post.id}",
        kind=post.search_kind,
        title=excerpt(post.body_html, TITLE_LENGTH),
        body=text,
        tags=tuple(row.tag for row in post.tags),
        people=(post.author_id,),
        space=post.space_id,
        acl=policy.document_acl(post),
        created=post.created_at,
        updated=post.edited_at or post.created_at,
        url=url,
        snippet=excerpt(post.body_html, SNIPPET_LENGTH),
        author=post.author_id,
        is_question=asks(post, text),
    )


def asks(post: Micropost, text: str) -> bool:
    """A post that opens a conversation with a question: asking about a topic is not
    expertise in it (replies, which answer, are)."""
    return post.reply_to_id is None and text.rstrip().endswith("?")


def all_documents() -> Iterator[SearchDocument]:
    """Every post that belongs in the index, for a full reindex."""
    query = (
        select(Micropost)
        .where(Micropost.deleted_at.is_(None))
        .options(selectinload(Micropost.tags))
        .order_by(Micropost.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    for post in db.session.scalars(query):
        document = document_for(post)
        if document is not None:
            yield document
