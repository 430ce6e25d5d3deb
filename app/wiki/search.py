"""How wiki pages become search documents."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.markup import excerpt, plain_text
from app.search.documents import SearchDocument
from app.spaces import policy
from app.wiki.models import Page, Revision

SNIPPET_LENGTH = 300


def document_for(page: Page) -> SearchDocument | None:
    """The page's document; None once it is deleted (or a template, which is no knowledge)."""
    if page.deleted_at is not None or page.is_template:
        return None
    editors = db.session.scalars(
        select(Revision.author_id)
        .where(Revision.page_id == page.id, Revision.author_id.is_not(None))
        .distinct()
    )
    people = {*editors, *([page.owner_id] if page.owner_id else [])}
    return SearchDocument(
        key=f"wiki:{page.id}",
        kind=Page.search_kind,
        title=page.title,
        body=plain_text(page.body_html),
        tags=tuple(page.tag_list),
        people=tuple(sorted(people)),
        space=page.space_id,
        acl=policy.document_acl(page),
        created=page.created_at,
        updated=page.updated_at,
        url=page.url,
        snippet=excerpt(page.body_html, SNIPPET_LENGTH),
        author=page.owner_id or page.author_id,
    )


def all_documents() -> Iterator[SearchDocument]:
    """Every page that belongs in the index, for a full reindex."""
    query = (
        select(Page)
        .where(Page.deleted_at.is_(None), Page.is_template.is_(False))
        .options(selectinload(Page.space))
        .order_by(Page.id)
        .execution_options(yield_per=200)
    )
    for page in db.session.scalars(query):
        document = document_for(page)
        if document is not None:
            yield document
