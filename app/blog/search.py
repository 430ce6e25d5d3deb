"""How blog posts become search documents. Drafts and scheduled posts are found only by
their author (``policy.document_acl`` looks at ``is_draft``); deleted posts not at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.blog.models import PUBLISHED, Post
from app.extensions import db
from app.markup import excerpt, plain_text
from app.search.documents import SearchDocument
from app.spaces import policy

SNIPPET_LENGTH = 300


def document_for(post: Post) -> SearchDocument | None:
    if post.deleted_at is not None or post.blog.deleted_at is not None:
        return None
    return SearchDocument(
        key=f"blog:{post.id}",
        kind=Post.search_kind,
        title=post.title,
        body=plain_text(post.body_html),
        tags=tuple(post.tags),
        people=(post.author_id,),
        space=post.space_id,
        acl=policy.document_acl(post),
        created=post.publish_at or post.created_at,
        updated=post.updated_at,
        url=post.url,
        snippet=excerpt(post.body_html, SNIPPET_LENGTH),
        author=post.author_id,
    )


def all_documents() -> Iterator[SearchDocument]:
    query = (
        select(Post)
        .where(Post.deleted_at.is_(None))
        .options(selectinload(Post.blog))
        .order_by(Post.id)
        .execution_options(yield_per=500)
    )
    for post in db.session.scalars(query):
        document = document_for(post)
        if document is not None:
            yield document


def documents_published_between(since: datetime, until: datetime) -> Iterator[SearchDocument]:
    """Documents of scheduled posts whose time came in [since, until): their acl widens from
    the author to all readers by itself, without any write, so the indexer's worker calls
    this now and then (with the time of its previous call) to refresh them."""
    query = (
        select(Post)
        .where(
            Post.deleted_at.is_(None),
            Post.status == PUBLISHED,
            Post.publish_at >= since,
            Post.publish_at < until,
        )
        .options(selectinload(Post.blog))
        .order_by(Post.id)
    )
    for post in db.session.scalars(query):
        document = document_for(post)
        if document is not None:
            yield document
