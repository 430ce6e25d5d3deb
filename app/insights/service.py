"""What administrators (the whole organisation) and space owners (their space) learn about
use. Only counts: no figure names who read what, and departments smaller than
INSIGHTS_MIN_GROUP_SIZE are not shown.

The kinds counted and named come from the content registry (``counted`` kinds); what only
one tool knows (revisions, outdated pages) it offers as "insights.<name>" services. Items
are placed by where they are *now*: an item that left the space leaves its figures, and
nothing is named that the viewer may not read."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, union_all

from app import content
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.clock import utcnow
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.insights.models import ViewCount
from app.social.models import Comment, Like
from app.spaces import policy
from app.spaces.models import Membership, Space, SpaceKind

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
TOP_SIZE = 10
WEEKS = 12
LIST_SIZE = 50


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose figures: the organisation (``space`` None) or one space, over ``days``, as
    ``actor`` may see them."""

    actor: User
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
    return Scope(actor=actor, space=space, days=days if days in PERIODS else DEFAULT_PERIOD)


def min_group_size() -> int:
    return current_app.config["INSIGHTS_MIN_GROUP_SIZE"]


# --- items ---------------------------------------------------------------------------------


def _counted() -> dict[str, content.ContentKind]:
    return {kind.name: kind for kind in content.registry().where(counted=True)}


def _in_scope(kind_column, id_column, scope: Scope) -> ColumnElement[bool]:
    """Condition: the (kind, id) pair names an item the viewer may read that is in the
    scope's space now (wherever it was when it was viewed, liked or discussed)."""
    conditions = []
    for name, kind in _counted().items():
        ids = select(kind.model.id).where(kind.readable(scope.actor))
        if scope.space is not None:
            ids = ids.where(kind.model.space_id == scope.space.id)
        conditions.append(and_(kind_column == name, id_column.in_(ids)))
    return or_(*conditions) if conditions else false()


def _items(rows: list[tuple[str, int, int]]) -> list[Item]:
    """Titles and addresses for (kind, id, count) rows: one query per kind."""
    counted = _counted()
    found = content.load_items((kind, item_id) for kind, item_id, _count in rows)
    items = []
    for kind, item_id, count in rows:
        obj = found.get((kind, item_id))
        # Templates are tools of writing, not content read.
        if obj is None or kind not in counted or getattr(obj, "is_template", False):
            continue
        declared = counted[kind]
        items.append(Item(kind, item_id, declared.title(obj), declared.url(obj), count))
    return items[:TOP_SIZE]


def most_read(scope: Scope) -> list[Item]:
    total = func.sum(ViewCount.views)
    query = (
        select(ViewCount.target_kind, ViewCount.target_id, total)
        .where(
            ViewCount.day >= scope.since_day,
            _in_scope(ViewCount.target_kind, ViewCount.target_id, scope),
        )
        .group_by(ViewCount.target_kind, ViewCount.target_id)
        .order_by(total.desc(), ViewCount.target_id)
        .limit(TOP_SIZE)
    )
    return _items([tuple(row) for row in db.session.execute(query)])


def most_liked(scope: Scope) -> list[Item]:
    total = func.count(Like.id)
    query = (
        select(Like.target_kind, Like.target_id, total)
        .where(Like.created_at >= scope.since, _in_scope(Like.target_kind, Like.target_id, scope))
        .group_by(Like.target_kind, Like.target_id)
        .order_by(total.desc(), Like.target_id)
        .limit(TOP_SIZE)
    )
    return _items([tuple(row) for row in db.session.execute(query)])


def most_discussed(scope: Scope) -> list[Item]:
    total = func.count(Comment.id)
    query = (
        select(Comment.target_kind, Comment.target_id, total)
        .where(
            Comment.created_at >= scope.since,
            Comment.deleted_at.is_(None),
            _in_scope(Comment.target_kind, Comment.target_id, scope),
        )
        .group_by(Comment.target_kind, Comment.target_id)
        .order_by(total.desc(), Comment.target_id)
        .limit(TOP_SIZE)
    )
    return _items([tuple(row) for row in db.session.execute(query)])


# --- people, as numbers --------------------------------------------------------------------


def _offered(name: str) -> list:
    return content.registry().all_services(name)


def _contributions(scope: Scope) -> Select:
    """(user_id, space_id, created_at) of everything written in the period: comments, and
    what the tools offer as "insights.contributions" (page revisions, posts …)."""
    parts = [
        select(
            Comment.author_id.label("user_id"),
            Comment.space_id.label("space_id"),
            Comment.created_at.label("created_at"),
        ).where(Comment.created_at >= scope.since),
        *(
            offered(scope.since)
            for offered in content.registry().all_services("insights.contributions")
        ),
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

    def per_week(created: Select | None) -> dict[date, int]:
        """Items per week from a select of (created_at, space_id)."""
        counts: dict[date, int] = defaultdict(int)
        if created is None:
            return counts
        rows = created.subquery()
        query = (
            select(func.date(rows.c.created_at), func.count())
            .where(rows.c.created_at >= start)
            .group_by(func.date(rows.c.created_at))
        )
        if space_id is not None:
            query = query.where(rows.c.space_id == space_id)
        for day, count in db.session.execute(query):
            counts[_week_start(_as_date(day))] += count
        return counts

    registry = content.registry()
    new_pages, new_posts = (
        registry.service("insights.new_pages"),
        registry.service("insights.new_posts"),
    )
    pages = per_week(new_pages(start) if new_pages else None)
    posts = per_week(new_posts(start) if new_posts else None)
    comments = per_week(select(Comment.created_at, Comment.space_id))
    active: dict[date, set[int]] | None = None
    if space_id is None:
        active = defaultdict(set)
        written = _contributions(Scope(scope.actor, None, (utcnow() - start).days + 1))
        people = union_all(
            select(func.date(AuditEntry.created_at), AuditEntry.actor_id).where(
                AuditEntry.action == "sign_in",
                AuditEntry.created_at >= start,
                AuditEntry.actor_id.is_not(None),
            ),
            select(func.date(written.c.created_at), written.c.user_id).where(
                written.c.created_at >= start, written.c.user_id.is_not(None)
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


def unanswered_questions(scope: Scope) -> list[tuple[Comment, str, str]]:
    """Open questions on what the viewer may read in the scope, oldest first (what readers
    still wait for), each with the title and address of what it was asked on."""
    query = (
        select(Comment)
        .where(
            Comment.is_question.is_(True),
            Comment.answer_id.is_(None),
            Comment.deleted_at.is_(None),
            _in_scope(Comment.target_kind, Comment.target_id, scope),
        )
        .order_by(Comment.created_at)
        .limit(LIST_SIZE)
    )
    questions = list(db.session.scalars(query))
    found = content.load_items((q.target_kind, q.target_id) for q in questions)
    rows = []
    for question in questions:
        item = found.get((question.target_kind, question.target_id))
        if item is not None:
            kind = question.target_kind
            rows.append((question, content.title_of(kind, item), content.url_of(kind, item)))
    return rows


def outdated_pages(scope: Scope) -> list:
    """Pages due for a review that the viewer may read, in the scope (the wiki offers them
    as "insights.outdated_pages")."""
    offered = content.registry().service("insights.outdated_pages")
    if offered is None:
        return []
    return offered(scope.actor, scope.space.id if scope.space else None, LIST_SIZE)


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
            [[item.title, _label(item.kind), item.count, item.url] for item in items],
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
                    title,
                    question.created_at.date().isoformat(),
                    f"{url.partition('#')[0]}#comment-{question.id}",
                ]
                for question, title, url in unanswered_questions(scope)
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


def _label(kind: str) -> str:
    declared = content.registry().kind(kind)
    return str(declared.label) if declared is not None else kind


def export_csv(scope: Scope, name: str) -> str:
    found = table(scope, name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(found.columns)
    for row in found.rows:
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue()


def _csv_safe(value):
    # A cell starting with = + - @ would run as a formula when opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value
