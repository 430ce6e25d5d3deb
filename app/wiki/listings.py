"""What the wiki lists: recent changes, the page tree, children, backlinks, wanted pages, the
trash, pages due for review, templates and the choices of the editor. Read-only queries, each
filtered by the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import User
from app.extensions import db
from app.markup import normalize_tag
from app.spaces import policy
from app.spaces.models import Space
from app.wiki.models import Page, Revision, Watch, WikiLink
from app.wiki.service import MAX_DEPTH, review_cutoff
from app.wiki.templates_builtin import ensure_builtin_templates


@dataclass
class TreeNode:
    page: Page
    children: list[TreeNode] = field(default_factory=list)


def breadcrumbs(actor: User, page: Page) -> list[Page]:
    """The page's ancestors ``actor`` may read, the root first (the trail stops below an
    ancestor that moved where the reader cannot follow, or into the trash)."""
    trail: list[Page] = []
    current = page.parent
    while current is not None and len(trail) < MAX_DEPTH and policy.can_read(actor, current):
        if current.deleted_at is not None:
            break
        trail.append(current)
        current = current.parent
    return list(reversed(trail))


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What a page shows around its text."""

    children: list[Page]
    backlink_count: int
    watching: bool


def surroundings(actor: User, page: Page) -> Surroundings:
    """The readable subpages of ``page``, how many readable pages link to it and whether
    ``actor`` watches it, in one statement: the two figures as a one-row table with the
    subpages joined to it (no subpages: that one row, without a page)."""
    linking = aliased(Page)
    figures = select(
        select(func.count(linking.id))
        .where(
            linking.id.in_(select(WikiLink.source_id).where(WikiLink.target_id == page.id)),
            policy.readable(actor, linking),
        )
        .scalar_subquery()
        .label("backlinks"),
        exists().where(Watch.page_id == page.id, Watch.user_id == actor.id).label("watching"),
    ).subquery()
    rows = db.session.execute(
        select(figures.c.backlinks, figures.c.watching, Page)
        .select_from(figures)
        .outerjoin(Page, and_(Page.parent_id == page.id, policy.readable(actor, Page)))
        .options(selectinload(Page.space))
        .order_by(Page.title_key)
    ).all()
    return Surroundings(
        children=[row.Page for row in rows if row.Page is not None],
        backlink_count=rows[0].backlinks,
        watching=bool(rows[0].watching),
    )


def backlinks(actor: User, page: Page) -> list[Page]:
    """Readable pages that link to ``page``."""
    query = (
        select(Page)
        .where(
            Page.id.in_(select(WikiLink.source_id).where(WikiLink.target_id == page.id)),
            policy.readable(actor, Page),
        )
        .options(selectinload(Page.space))
        .order_by(Page.title_key)
    )
    return list(db.session.scalars(query))


def wanted_pages(actor: User, *, limit: int = 100) -> list[tuple[str, int]]:
    """Titles that readable pages link to but no page has yet, most wanted first."""
    query = (
        select(func.min(WikiLink.target_title), func.count(func.distinct(WikiLink.source_id)))
        .join(Page, Page.id == WikiLink.source_id)
        .where(WikiLink.target_id.is_(None), policy.readable(actor, Page))
        .group_by(WikiLink.target_key)
        .order_by(func.count(func.distinct(WikiLink.source_id)).desc(), WikiLink.target_key)
        .limit(limit)
    )
    return [(title, count) for title, count in db.session.execute(query)]


def list_pages(
    actor: User,
    *,
    space_id: int | None = None,
    tag: str | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> Pagination:
    """Readable pages (no templates), most recently changed first."""
    query = (
        select(Page)
        .where(policy.readable(actor, Page), Page.is_template.is_(False))
        .options(selectinload(Page.space), selectinload(Page.editor))
        .order_by(Page.updated_at.desc(), Page.id.desc())
    )
    if space_id is not None:
        query = query.where(Page.space_id == space_id)
    if tag:
        normal = normalize_tag(tag)
        query = query.where(
            or_(
                Page.tags == normal,
                Page.tags.startswith(f"{normal} ", autoescape=True),
                Page.tags.endswith(f" {normal}", autoescape=True),
                Page.tags.contains(f" {normal} ", autoescape=True),
            )
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


TITLE_SUGGESTIONS = 8


def title_suggestions(actor: User, text: str, *, limit: int = TITLE_SUGGESTIONS) -> list[Page]:
    """Readable pages whose title contains ``text`` (those starting with it first), for the
    editor's [[link]] picker."""
    text = text.strip()
    if not text:
        return []
    lowered = func.lower(Page.title)
    needle = text.lower()
    query = (
        select(Page)
        .where(
            policy.readable(actor, Page),
            Page.is_template.is_(False),
            lowered.contains(needle, autoescape=True),
        )
        .options(selectinload(Page.space))
        .order_by(lowered.startswith(needle, autoescape=True).desc(), Page.title)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def recent_changes(
    actor: User,
    *,
    space_id: int | None = None,
    username: str | None = None,
    language: str | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> Pagination:
    """Revisions of readable pages, newest first, optionally of one space or one person.
    With ``language``, built-in templates in other languages are left out."""
    query = (
        select(Revision)
        .join(Page, Page.id == Revision.page_id)
        .where(policy.readable(actor, Page))
        .options(
            selectinload(Revision.author),
            selectinload(Revision.page).selectinload(Page.space),
        )
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    if space_id is not None:
        query = query.where(Page.space_id == space_id)
    if language:
        query = query.where(or_(Page.language.is_(None), Page.language == language))
    if username:
        query = query.join(User, User.id == Revision.author_id).where(
            User.username == username.strip().lower()
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def page_tree(actor: User, space_id: int | None) -> list[TreeNode]:
    """The readable pages of a space (None: the global wiki) as a tree, by title."""
    space_condition = Page.space_id.is_(None) if space_id is None else Page.space_id == space_id
    pages = list(
        db.session.scalars(
            select(Page)
            .where(space_condition, policy.readable(actor, Page), Page.is_template.is_(False))
            .options(selectinload(Page.space))
            .order_by(Page.title_key)
        )
    )
    nodes = {p.id: TreeNode(p) for p in pages}
    roots: list[TreeNode] = []
    for p in pages:
        parent = nodes.get(p.parent_id) if p.parent_id else None
        (parent.children if parent else roots).append(nodes[p.id])
    return roots


def readable_spaces_for_wiki(actor: User) -> list[Space]:
    return list(
        db.session.scalars(
            select(Space).where(policy.readable_spaces(actor)).order_by(func.lower(Space.name))
        )
    )


def writable_spaces(actor: User) -> list[Space]:
    """Spaces ``actor`` may write pages into (the global wiki is always open)."""
    return [s for s in readable_spaces_for_wiki(actor) if policy.can_contribute(actor, s)]


def parent_choices(actor: User, space_id: int | None, exclude: Page | None = None) -> list[Page]:
    """Pages that may become the parent of a page in ``space_id``."""
    space_condition = Page.space_id.is_(None) if space_id is None else Page.space_id == space_id
    query = (
        select(Page)
        .where(space_condition, policy.readable(actor, Page), Page.is_template.is_(False))
        .order_by(Page.title_key)
    )
    if exclude is not None:
        query = query.where(Page.id != exclude.id)
    return list(db.session.scalars(query))


def history(actor: User, page: Page, *, number: int = 1, per_page: int | None = None):
    """The page's revisions, newest first."""
    query = (
        select(Revision)
        .where(Revision.page_id == page.id)
        .options(selectinload(Revision.author))
        .order_by(Revision.number.desc())
    )
    return db.paginate(query, page=number, per_page=per_page, error_out=False)


def editor_ids(page: Page) -> list[int]:
    """Everyone who saved a revision of ``page``."""
    return list(
        db.session.scalars(
            select(Revision.author_id)
            .where(Revision.page_id == page.id, Revision.author_id.is_not(None))
            .distinct()
        )
    )


def trash(actor: User) -> list[Page]:
    """Deleted pages ``actor`` may restore, most recently deleted first."""
    query = (
        select(Page)
        .where(policy.trash_visible(actor, Page))
        .options(selectinload(Page.space))
        .order_by(Page.deleted_at.desc())
    )
    return list(db.session.scalars(query))


def outdated_pages(actor: User) -> list[Page]:
    """Pages ``actor`` owns that are due for a review, oldest first."""
    checked = func.coalesce(Page.reviewed_at, Page.created_at)
    query = (
        select(Page)
        .where(Page.owner_id == actor.id, policy.readable(actor, Page))
        .where(checked < review_cutoff())
        .options(selectinload(Page.space))
        .order_by(checked)
    )
    return list(db.session.scalars(query))


def template_choices(actor: User, space_id: int | None, language: str) -> list[Page]:
    """Templates to start a page from: the built-in ones in ``language``, the global wiki's
    own, and those of the space."""
    ensure_builtin_templates()
    space_condition = Page.space_id.is_(None)
    if space_id is not None:
        space_condition = or_(space_condition, Page.space_id == space_id)
    query = (
        select(Page)
        .where(Page.is_template.is_(True), space_condition, policy.readable(actor, Page))
        .where(or_(Page.language.is_(None), Page.language == language))
        .order_by(Page.title_key)
    )
    return list(db.session.scalars(query))


def changed_near(actor: User, *, limit: int) -> list[Page]:
    """Recently changed readable pages in ``actor``'s spaces and pages they watch."""
    query = (
        select(Page)
        .where(
            policy.readable(actor, Page),
            Page.is_template.is_(False),
            or_(
                Page.space_id.in_(policy.member_space_ids(actor)),
                Page.id.in_(select(Watch.page_id).where(Watch.user_id == actor.id)),
            ),
        )
        .options(selectinload(Page.space), selectinload(Page.editor))
        .order_by(Page.updated_at.desc(), Page.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


# --- for insights (offered through the content registry) ----------------------------------


def outdated_in_space(actor: User, space_id: int | None, limit: int) -> list[Page]:
    """Pages due for a review that ``actor`` may read, oldest first: in the space, or
    anywhere (``space_id`` None)."""
    checked = func.coalesce(Page.reviewed_at, Page.created_at)
    query = (
        select(Page)
        .where(policy.readable(actor, Page), Page.is_template.is_(False))
        .where(checked < review_cutoff())
        .options(selectinload(Page.space), selectinload(Page.owner))
        .order_by(checked)
        .limit(limit)
    )
    if space_id is not None:
        query = query.where(Page.space_id == space_id)
    return list(db.session.scalars(query))


def contributions_since(since: datetime) -> Select:
    """(user_id, space_id, created_at) of every revision since ``since``, placed where its
    page is now."""
    return (
        select(
            Revision.author_id.label("user_id"),
            Page.space_id.label("space_id"),
            Revision.created_at.label("created_at"),
        )
        .join(Page, Page.id == Revision.page_id)
        .where(Revision.created_at >= since)
    )


def created_since(start: datetime) -> Select:
    """(created_at, space_id) of the pages created since ``start`` (templates are none)."""
    return select(Page.created_at, Page.space_id).where(
        Page.created_at >= start, Page.is_template.is_(False)
    )
