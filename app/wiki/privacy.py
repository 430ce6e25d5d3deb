"""What the wiki holds about a person: the revisions they wrote and the pages they watch.
Erasure keeps every revision (work) and rewrites @mentions of them in all pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.privacy import BULK_WRITE
from app.privacy.pseudonyms import Pseudonym
from app.spaces import policy
from app.wiki.models import Page, Revision, Watch


def export(user: User) -> dict[str, Any]:
    revisions = db.session.scalars(
        select(Revision)
        .where(Revision.author_id == user.id)
        .options(joinedload(Revision.page).joinedload(Page.space))
        .order_by(Revision.created_at, Revision.id)
        .execution_options(yield_per=200)
    )
    # Current titles and addresses only of pages the person may still read: a page that
    # moved into a space they cannot read is their work, but no longer their knowledge.
    readable_space_ids = set(db.session.scalars(policy.readable_space_ids(user)))

    def may_read(page: Page) -> bool:
        return page.space_id is None or page.space_id in readable_space_ids

    watched = db.session.scalars(
        select(Page)
        .join(Watch, Watch.page_id == Page.id)
        .where(Watch.user_id == user.id, policy.readable(user, Page))
        .order_by(Page.title)
    )
    created = db.session.scalars(
        select(Page)
        .where(Page.author_id == user.id)
        .options(joinedload(Page.space))
        .order_by(Page.created_at, Page.id)
    )
    page_urls: dict[int, str] = {}  # building a URL costs more than reading a row
    return {
        "pages_created": (
            {
                "id": page.id,
                "title": page.title if may_read(page) else None,
                "url": page.url if may_read(page) else None,
                "created_at": page.created_at,
                "deleted_at": page.deleted_at,
            }
            for page in created
        ),
        "revisions": (
            {
                "page_id": revision.page_id,
                "page_url": page_urls.get(revision.page_id)
                or page_urls.setdefault(
                    revision.page_id, revision.page.url if may_read(revision.page) else ""
                ),
                "number": revision.number,
                "title": revision.title,
                "body": revision.body,
                "comment": revision.comment,
                "created_at": revision.created_at,
            }
            for revision in revisions
        ),
        "watched_pages": [{"title": page.title, "url": page.url} for page in watched],
    }


def erase(user: User, pseudonym: Pseudonym) -> None:
    db.session.execute(delete(Watch).where(Watch.user_id == user.id), execution_options=BULK_WRITE)
    pattern = f"%{pseudonym.former_username}%"
    for model in (Page, Revision):
        rows = db.session.scalars(
            select(model).where(or_(model.body.ilike(pattern), model.body_html.ilike(pattern)))
        )
        for row in rows:
            row.body = pseudonym.rewrite_source(row.body)
            row.body_html = pseudonym.rewrite_html(row.body_html)
