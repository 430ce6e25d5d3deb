"""What administrators (the whole organisation) and space owners (their space) learn about
use. Only counts: no figure names who read what, and departments smaller than
INSIGHTS_MIN_GROUP_SIZE are not shown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import selectinload

from app import spreadsheets
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.blog.models import Post
from app.clock import utcnow
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.home.items import item_title, item_url
from app.insights.models import ViewCount
from app.social.models import Comment, Like
from app.spaces import policy
from app.spaces.models import Membership, Space, SpaceKind
from app.wiki.models import Page, Revision
from app.wiki.service import review_cutoff

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
TOP_SIZE = 10
# Counted rows fetched beyond TOP_SIZE, so deleted items can drop out.
SPARE = 3
WEEKS = 12
LIST_SIZE = 50
KIND_LABELS = {"wiki_page": "wiki", "blog_post": "blog", "micropost": "stream"}


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose figures: the organisation (``space`` None) or one space, over ``days``."""

    space: Space | None
    days: int

    @property
    def since(self) -> datetime:
        return datetime.combine(utcnow().date() - timedelta(days=self.days - 1), time.min)

    @property
    def since_day(self) -> date:
        return self.since.date()


@dataclass(frozen=True, slots=True)
class Item:
    kind: str
    id: int
    title: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class DepartmentFigure:
    name: str
    members: int
    contributors: int | None  # None: the department is too small to show


@dataclass(frozen=True, slots=True)
class Week:
    start: date
    active_users: int | None  # None for a space (sign-ins belong to no space)
    pages: int
    posts: int
    comments: int


@dataclass
class Table:
    """A table for the page and for CSV: column titles and rows of plain values."""

    name: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def scope_for(actor: User, space_id: int | None, days: int | None) -> Scope:
    """Raises Forbidden (not an administrator or the space's owner), NotFound."""
    space = None
    if space_id is not None:
        space = db.session.get(Space, space_id)
        if space is None or not policy.can_read_space(actor, space):
            raise NotFound(_("No such space."))
    if not policy.can_see_insights(actor, space):
        raise Forbidden(_("Only administrators and space owners see insights."))
    return Scope(space=space, days=days if days in PERIODS else DEFAULT_PERIOD)


def min_group_size() -> int:
    return current_app.config["INSIGHTS_MIN_GROUP_SIZE"]


# --- items ---------------------------------------------------------------------------------


def _kind_models() -> dict[str, type]:
    models: dict[str, type] = {"wiki_page": Page, "blog_post": Post}
    try:
        from app.microblog.models import Micropost
    except ImportError:
        return models
    models["micropost"] = Micropost
    return models


def _in_scope(kind_column, id_column, scope: Scope):
    """Condition: the (kind, id) pair names a live item in the scope's space."""
    conditions = []
    for kind, model in _kind_models().items():
        ids = select(model.id).where(model.deleted_at.is_(None))
        if scope.space is not None:
            ids = ids.where(model.space_id == scope.space.id)
        conditions.append((kind_column == kind) & id_column.in_(ids))
    from sqlalchemy import or_

    return or_(*conditions)


def _items(rows: list[tuple[str, int, int]]) -> list[Item]:
    """Titles and addresses for (kind, id, count) rows: one query per kind."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    models = _kind_models()
    for kind, item_id, _count in rows:
        if kind in models:
            by_kind[kind].append(item_id)
    found: dict[tuple[str, int], object] = {}
    for kind, ids in by_kind.items():
        model = models[kind]
        query = select(model).where(model.id.in_(ids))
        if kind == "wiki_page":
            query = query.options(selectinload(Page.space))
        for obj in db.session.scalars(query):
            found[(kind, obj.id)] = obj
    items = []
    for kind, item_id, count in rows:
        obj = found.get((kind, item_id))
        # Deleted items drop out here rather than in the counting query, which stays fast.
        if obj is None or obj.deleted_at is not None or getattr(obj, "is_template", False):
            continue
        items.append(Item(kind, item_id, item_title(obj), item_url(obj), count))
    return items[:TOP_SIZE]


def most_read(scope: Scope) -> list[Item]:
    total = func.sum(ViewCount.views)
    query = (
        select(ViewCount.target_kind, ViewCount.target_id, total)
        .where(ViewCount.day >= scope.since_day)
        .group_by(ViewCount.target_kind, ViewCount.target_id)
        .order_by(total.desc(), ViewCount.target_id)
        .limit(TOP_SIZE * SPARE)
    )
    if scope.space is not None:
        query = query.where(ViewCount.space_id == scope.space.id)
    return _items([tuple(row) for row in db.session.execute(query)])


def most_liked(scope: Scope) -> list[Item]:
    total = func.count(Like.id)
    query = (
        select(Like.target_kind, Like.target_id, total)
        .where(Like.created_at >= scope.since, Like.target_kind.in_(_kind_models()))
        .group_by(Like.target_kind, Like.target_id)
        .order_by(total.desc(), Like.target_id)
        .limit(TOP_SIZE * SPARE)
    )
    if scope.space is not None:
        # Likes carry no space: only then ask which items are the space's.
        query = query.where(_in_scope(Like.target_kind, Like.target_id, scope))
    return _items([tuple(row) for row in db.session.execute(query)])


def most_discussed(scope: Scope) -> list[Item]:
    total = func.count(Comment.id)
    query = (
        select(Comment.target_kind, Comment.target_id, total)
        .where(Comment.created_at >= scope.since, Comment.deleted_at.is_(None))
        .group_by(Comment.target_kind, Comment.target_id)
        .order_by(total.desc(), Comment.target_id)
        .limit(TOP_SIZE * SPARE)
    )
    if scope.space is not None:
        query = query.where(Comment.space_id == scope.space.id)
    return _items([tuple(row) for row in db.session.execute(query)])


# --- people, as numbers --------------------------------------------------------------------


def _contributions(scope: Scope) -> Select:
    """(author_id, space_id) of every page revision, post and comment in the period."""
    parts = [
        select(Revision.author_id.label("user_id"), Page.space_id.label("space_id"))
        .join(Page, Page.id == Revision.page_id)
        .where(Revision.created_at >= scope.since),
        select(Post.author_id, Post.space_id).where(Post.created_at >= scope.since),
        select(Comment.author_id, Comment.space_id).where(Comment.created_at >= scope.since),
    ]
    return union_all(*parts).subquery()


def contributors_by_department(scope: Scope) -> list[DepartmentFigure]:
    """Active contributors per department (its members who wrote anything anywhere), for
    the organisation; departments below the minimum group size show no figure."""
    if scope.space is not None:
        return []
    contributions = _contributions(scope)
    members = (
        select(Space.id, Space.name, func.count(func.distinct(Membership.user_id)))
        .join(Membership, Membership.space_id == Space.id)
        .join(User, User.id == Membership.user_id)
        .where(Space.kind == SpaceKind.DEPARTMENT, User.active.is_(True))
        .group_by(Space.id, Space.name)
    )
    active = dict(
        db.session.execute(
            select(Membership.space_id, func.count(func.distinct(Membership.user_id)))
            .join(Space, Space.id == Membership.space_id)
            .where(
                Space.kind == SpaceKind.DEPARTMENT,
                Membership.user_id.in_(select(contributions.c.user_id)),
            )
            .group_by(Membership.space_id)
        ).all()
    )
    smallest = min_group_size()
    figures = []
    for space_id, name, size in db.session.execute(members):
        shown = active.get(space_id, 0) if size >= smallest else None
        figures.append(DepartmentFigure(name, size, shown))
    return sorted(figures, key=lambda figure: figure.name.casefold())


def space_contributors(scope: Scope) -> int | None:
    """Distinct contributors in the space in the period; None when the space is smaller
    than the minimum group size."""
    if scope.space is None:
        return None
    size = db.session.scalar(
        select(func.count(Membership.id)).where(Membership.space_id == scope.space.id)
    )
    if size < min_group_size():
        return None
    contributions = _contributions(scope)
    return db.session.scalar(
        select(func.count(func.distinct(contributions.c.user_id))).where(
            contributions.c.space_id == scope.space.id
        )
    )


# --- adoption over time --------------------------------------------------------------------


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def adoption(scope: Scope, weeks: int = WEEKS) -> list[Week]:
    """Per week (Monday first), oldest first: active colleagues (signed in or wrote
    something; organisation only), new pages, posts and comments."""
    first = _week_start(utcnow().date()) - timedelta(weeks=weeks - 1)
    start = datetime.combine(first, time.min)
    space_id = scope.space.id if scope.space else None

    def per_week(day_column, model_space, *conditions) -> dict[date, int]:
        query = (
            select(func.date(day_column), func.count())
            .where(day_column >= start, *conditions)
            .group_by(func.date(day_column))
        )
        if space_id is not None:
            query = query.where(model_space == space_id)
        counts: dict[date, int] = defaultdict(int)
        for day, count in db.session.execute(query):
            counts[_week_start(_as_date(day))] += count
        return counts

    pages = per_week(Page.created_at, Page.space_id, Page.is_template.is_(False))
    posts = per_week(Post.created_at, Post.space_id)
    comments = per_week(Comment.created_at, Comment.space_id)
    active: dict[date, set[int]] | None = None
    if space_id is None:
        active = defaultdict(set)
        people = union_all(
            select(func.date(AuditEntry.created_at), AuditEntry.actor_id).where(
                AuditEntry.action == "sign_in",
                AuditEntry.created_at >= start,
                AuditEntry.actor_id.is_not(None),
            ),
            select(func.date(Revision.created_at), Revision.author_id).where(
                Revision.created_at >= start, Revision.author_id.is_not(None)
            ),
            select(func.date(Comment.created_at), Comment.author_id).where(
                Comment.created_at >= start
            ),
        )
        for day, user_id in db.session.execute(people.subquery().select().distinct()):
            active[_week_start(_as_date(day))].add(user_id)
    result = []
    for number in range(weeks):
        week = first + timedelta(weeks=number)
        result.append(
            Week(
                start=week,
                active_users=len(active.get(week, ())) if active is not None else None,
                pages=pages.get(week, 0),
                posts=posts.get(week, 0),
                comments=comments.get(week, 0),
            )
        )
    return result


def _as_date(value) -> date:
    """SQLite answers date() with text, PostgreSQL with a date."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# --- what needs care -----------------------------------------------------------------------


def unanswered_questions(scope: Scope) -> list[tuple[Comment, Post]]:
    """Open questions on blog posts, oldest first (what readers still wait for)."""
    query = (
        select(Comment, Post)
        .join(Post, (Comment.target_kind == "blog_post") & (Post.id == Comment.target_id))
        .where(
            Comment.is_question.is_(True),
            Comment.answer_id.is_(None),
            Comment.deleted_at.is_(None),
            Post.deleted_at.is_(None),
        )
        .order_by(Comment.created_at)
        .limit(LIST_SIZE)
    )
    if scope.space is not None:
        query = query.where(Post.space_id == scope.space.id)
    return [tuple(row) for row in db.session.execute(query)]


def outdated_pages(scope: Scope) -> list[Page]:
    checked = func.coalesce(Page.reviewed_at, Page.created_at)
    query = (
        select(Page)
        .where(
            Page.deleted_at.is_(None),
            Page.is_template.is_(False),
            checked < review_cutoff(),
        )
        .options(selectinload(Page.space), selectinload(Page.owner))
        .order_by(checked)
        .limit(LIST_SIZE)
    )
    if scope.space is not None:
        query = query.where(Page.space_id == scope.space.id)
    return list(db.session.scalars(query))


# --- tables (page and CSV) -----------------------------------------------------------------

TABLE_NAMES = (
    "most_read",
    "most_liked",
    "most_discussed",
    "departments",
    "adoption",
    "unanswered",
    "outdated",
)


def table(scope: Scope, name: str) -> Table:
    """One of the insights as a table of plain values. Raises NotFound."""
    if name in ("most_read", "most_liked", "most_discussed"):
        items = {"most_read": most_read, "most_liked": most_liked}.get(name, most_discussed)(scope)
        count_title = {
            "most_read": _("Views"),
            "most_liked": _("Likes"),
            "most_discussed": _("Comments"),
        }[name]
        return Table(
            name,
            [_("Title"), _("Tool"), count_title, _("Address")],
            [[item.title, KIND_LABELS[item.kind], item.count, item.url] for item in items],
        )
    if name == "departments":
        return Table(
            name,
            [_("Department"), _("Members"), _("Active contributors")],
            [
                [f.name, f.members, f.contributors if f.contributors is not None else ""]
                for f in contributors_by_department(scope)
            ],
        )
    if name == "adoption":
        return Table(
            name,
            [
                _("Week from"),
                _("Active colleagues"),
                _("New pages"),
                _("New posts"),
                _("New comments"),
            ],
            [
                [
                    w.start.isoformat(),
                    "" if w.active_users is None else w.active_users,
                    w.pages,
                    w.posts,
                    w.comments,
                ]
                for w in adoption(scope)
            ],
        )
    if name == "unanswered":
        return Table(
            name,
            [_("Question"), _("Post"), _("Asked on"), _("Address")],
            [
                [
                    question.body[:200],
                    post.title,
                    question.created_at.date().isoformat(),
                    f"{post.url}#comment-{question.id}",
                ]
                for question, post in unanswered_questions(scope)
            ],
        )
    if name == "outdated":
        return Table(
            name,
            [_("Page"), _("Owner"), _("Last checked"), _("Address")],
            [
                [
                    page.title,
                    page.owner.display_name if page.owner else "",
                    (page.reviewed_at or page.created_at).date().isoformat(),
                    page.url,
                ]
                for page in outdated_pages(scope)
            ],
        )
    raise NotFound(_("No such table."))


def export_csv(scope: Scope, name: str) -> Iterator[str]:
    found = table(scope, name)
    return spreadsheets.csv_lines(found.columns, found.rows)
