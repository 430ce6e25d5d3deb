"""[[Links]] between pages: how a title resolves, storing links, and keeping them current.

A [[Title]] in a page of a space names a page of that space, else one of the global wiki.
Former titles of renamed or moved pages still resolve (through ``PageRedirect``). Links are
stored with the page they resolved to, for "what links here"; when a page appears, is renamed,
moved, deleted or restored, only the pages linking to its titles are rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.markup import Rendered, render_markdown
from app.spaces import policy
from app.urls import path_for
from app.wiki.models import Page, PageRedirect, WikiLink, title_key


class PageLinks:
    """The LinkResolver of one page's space; remembers which page each title resolved to."""

    def __init__(self, space_id: int | None) -> None:
        self.space_id = space_id
        self.resolved: dict[str, int | None] = {}
        self._pages: dict[str, Page | None] = {}

    def wiki_link(self, title: str) -> tuple[str, bool]:
        key = title_key(title)
        if key not in self._pages:
            self._pages[key] = find_by_title(self.space_id, key)
        page = self._pages[key]
        self.resolved[key] = page.id if page else None
        if page is None:
            return path_for("wiki.new_page", space_id=self.space_id, title=title), False
        return page.url, True

    def mention(self, username: str) -> str | None:
        if "profiles" not in current_app.blueprints:
            return None
        found = db.session.scalar(select(User.id).where(User.username == username))
        return path_for("profiles.show_profile", username=username) if found else None

    def tag(self, tag: str) -> str:
        return path_for("wiki.index", tag=tag)


def find_by_title(space_id: int | None, key: str) -> Page | None:
    """The live page a title names from ``space_id``: its own space first, then global.
    A former title follows its page only where every reader of ``space_id`` may follow (a
    page moved into a members-only space is no longer named by its old title elsewhere)."""
    spaces = [space_id, None] if space_id is not None else [None]
    for candidate_space in spaces:
        page = _live_page(candidate_space, Page.title_key == key)
        if page is None:
            page = _redirected(
                candidate_space,
                PageRedirect.title_key == key,
                policy.open_to_readers_of(space_id, Page.space_id),
            )
        if page is not None:
            return page
    return None


def find_by_slug(space_id: int | None, slug: str) -> tuple[Page | None, bool]:
    """(page, True if found through a former address)."""
    page = _live_page(space_id, Page.slug == slug)
    if page is not None:
        return page, False
    page = _redirected(space_id, PageRedirect.slug == slug)
    return page, page is not None


def render_page(page: Page) -> Rendered:
    """Render ``page.body`` in its space and store its html and [[links]] (not committed)."""
    # The relationship, not space_id: a page just moved has not been flushed yet.
    links = PageLinks(page.space.id if page.space else None)
    rendered = render_markdown(page.body, links)
    page.body_html = rendered.html
    if page.id is None:
        db.session.add(page)
        db.session.flush()
    db.session.execute(delete(WikiLink).where(WikiLink.source_id == page.id))
    for title in rendered.wiki_links:
        key = title_key(title)
        db.session.add(
            WikiLink(
                source_id=page.id,
                target_title=title[:200],
                target_key=key[:200],
                target_id=links.resolved.get(key),
            )
        )
    return rendered


def refresh_linking_pages(page: Page, keys: Iterable[str]) -> int:
    """Render again the pages whose links may now resolve differently: those naming one of
    ``keys`` (the page's titles, old and new) or pointing at ``page``. Returns how many."""
    keys = {key for key in keys if key}
    db.session.flush()
    query = (
        select(Page)
        .join(WikiLink, WikiLink.source_id == Page.id)
        .where(or_(WikiLink.target_key.in_(keys), WikiLink.target_id == page.id))
        .where(Page.id != page.id, Page.deleted_at.is_(None))
        .options(selectinload(Page.space))
        .distinct()
    )
    sources = list(db.session.scalars(query))
    for source in sources:
        render_page(source)
    return len(sources)


def _live_page(space_id: int | None, condition) -> Page | None:
    space_condition = Page.space_id.is_(None) if space_id is None else Page.space_id == space_id
    return db.session.scalar(
        select(Page)
        .where(space_condition, condition, Page.deleted_at.is_(None))
        .options(selectinload(Page.space))
        .limit(1)
    )


def _redirected(space_id: int | None, *conditions) -> Page | None:
    space_condition = (
        PageRedirect.space_id.is_(None) if space_id is None else PageRedirect.space_id == space_id
    )
    redirect = db.session.scalar(
        select(PageRedirect)
        .join(Page, Page.id == PageRedirect.page_id)
        .where(space_condition, *conditions, Page.deleted_at.is_(None))
        .order_by(PageRedirect.id.desc())
        .limit(1)
    )
    return redirect.page if redirect else None


def render_preview(body: str, space_id: int | None) -> str:
    """Sanitised HTML of ``body`` as it would render in ``space_id``, for the live preview."""
    return render_markdown(body, PageLinks(space_id)).html


def mentions_in(body: str, space_id: int | None) -> tuple[str, ...]:
    """The usernames ``body`` @mentions (as the page would render in ``space_id``)."""
    return render_markdown(body, PageLinks(space_id)).mentions
