"""Finding colleagues: the directory with its filters, a skill's people, a department's tree."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, false, func, or_, select

from app.accounts.models import User
from app.errors import Invalid, NotFound
from app.extensions import db
from app.profiles.levels import LANGUAGE_CODES, language_levels_from
from app.profiles.models import (
    LANGUAGE_LEVELS,
    MAX_SKILL_LEVEL,
    MIN_SKILL_LEVEL,
    Endorsement,
    Language,
    Profile,
    Skill,
    UserSkill,
)
from app.profiles.service import PersonProfile, load_people
from app.profiles.vocabulary import find_skill, skill_key
from app.spaces import policy
from app.spaces.models import Membership, Space, SpaceKind

SORTS = ("name", "department")
MAX_QUERY = 200


@dataclass(frozen=True, slots=True)
class DirectoryFilter:
    q: str = ""
    skill: str = ""
    min_level: int | None = None
    language: str = ""
    min_language_level: str | None = None
    department_id: int | None = None
    location: str = ""
    include_former: bool = False
    sort: str = "name"

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.skill or self.language or self.department_id or self.location)


@dataclass(slots=True)
class DirectoryPage:
    pagination: object  # Flask-SQLAlchemy pagination of User
    people: list[PersonProfile]


def search_directory(
    actor: User, wanted: DirectoryFilter, *, page: int = 1, per_page: int | None = None
) -> DirectoryPage:
    """Colleagues matching ``wanted``, a page at a time, in a fixed number of queries.
    Raises Invalid (naming the filter) on a bad level, language or department."""
    _check_filter(wanted)
    query = select(User).outerjoin(Profile, Profile.user_id == User.id)
    if not actor.active:
        query = query.where(false())
    if not wanted.include_former:
        query = query.where(User.active.is_(True))
    if q := " ".join(wanted.q.split()):
        pattern = f"%{_escape_like(q.lower())}%"
        query = query.where(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                User.username.like(pattern, escape="\\"),
            )
        )
    if wanted.skill:
        skill = find_skill(wanted.skill)
        query = query.where(
            User.id.in_(
                select(UserSkill.user_id).where(
                    UserSkill.skill_id == (skill.id if skill else -1),
                    UserSkill.level >= (wanted.min_level or MIN_SKILL_LEVEL),
                )
            )
        )
    if wanted.language:
        levels = language_levels_from(wanted.min_language_level or LANGUAGE_LEVELS[0])
        query = query.where(
            User.id.in_(
                select(Language.user_id).where(
                    Language.code == wanted.language.strip().lower(), Language.level.in_(levels)
                )
            )
        )
    if wanted.department_id:
        ids = department_and_descendants(actor, wanted.department_id)
        query = query.where(in_departments(ids))
    if location := " ".join(wanted.location.split()):
        pattern = f"%{_escape_like(location.lower())}%"
        query = query.where(func.lower(Profile.location).like(pattern, escape="\\"))
    if wanted.sort == "department":
        query = query.outerjoin(Space, Space.id == Profile.department_id).order_by(
            Space.name.is_(None), func.lower(Space.name)
        )
    query = query.order_by(func.lower(User.display_name), User.id)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    found = load_people(list(pagination.items))
    return DirectoryPage(pagination=pagination, people=[found[u.id] for u in pagination.items])


def _check_filter(wanted: DirectoryFilter) -> None:
    errors: dict[str, list[str]] = {}
    if wanted.min_level is not None and not MIN_SKILL_LEVEL <= wanted.min_level <= MAX_SKILL_LEVEL:
        errors["min_level"] = [
            _("Choose a level from %(min)d to %(max)d.", min=MIN_SKILL_LEVEL, max=MAX_SKILL_LEVEL)
        ]
    if wanted.language and wanted.language.strip().lower() not in LANGUAGE_CODES:
        errors["language"] = [_("Unknown language code: %(code)s", code=wanted.language[:20])]
    if wanted.min_language_level is not None and wanted.min_language_level not in LANGUAGE_LEVELS:
        errors["min_language_level"] = [_("Use a level from A1 to C2, or native.")]
    if wanted.sort not in SORTS:
        errors["sort"] = [_("Sort by name or department.")]
    if (
        len(wanted.q) > MAX_QUERY
        or len(wanted.skill) > MAX_QUERY
        or len(wanted.location) > MAX_QUERY
    ):
        errors["q"] = [_("Use at most %(max)d characters.", max=MAX_QUERY)]
    if errors:
        raise Invalid(_("The filter is not valid."), errors)


def in_departments(ids: list[int]) -> ColumnElement[bool]:
    """Condition on User (outer-joined to Profile): works in one of the departments ``ids``.
    The primary department of the profile counts; without one, department memberships do
    (an administrator who set up every department is not a member of each in this sense)."""
    member_of = select(Membership.user_id).where(Membership.space_id.in_(ids))
    return or_(
        Profile.department_id.in_(ids),
        and_(Profile.department_id.is_(None), User.id.in_(member_of)),
    )


def department_and_descendants(actor: User, department_id: int) -> list[int]:
    """``department_id`` and the ids of every department below it that ``actor`` may read.
    Raises Invalid when it is not a readable department."""
    rows = db.session.execute(
        select(Space.id, Space.parent_id).where(
            Space.kind == SpaceKind.DEPARTMENT, policy.readable_spaces(actor)
        )
    ).all()
    children: dict[int | None, list[int]] = {}
    for space_id, parent_id in rows:
        children.setdefault(parent_id, []).append(space_id)
    if department_id not in {space_id for space_id, _parent in rows}:
        raise Invalid(_("No such department."), {"department": [_("No such department.")]})
    found, queue = [], [department_id]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


@dataclass(slots=True)
class SkillHolder:
    user: User
    level: int
    endorsements: int


def holders_of(actor: User, skill: Skill, *, include_former: bool = False) -> list[SkillHolder]:
    """Everyone with ``skill``, by level, then endorsements, then name: one query."""
    if not actor.active:
        raise NotFound(_("No such skill."))
    endorsements = (
        select(func.count(Endorsement.id))
        .where(Endorsement.user_id == UserSkill.user_id, Endorsement.skill_id == UserSkill.skill_id)
        .scalar_subquery()
    )
    query = (
        select(User, UserSkill.level, endorsements)
        .join(UserSkill, UserSkill.user_id == User.id)
        .where(UserSkill.skill_id == skill.id)
        .order_by(UserSkill.level.desc(), endorsements.desc(), func.lower(User.display_name))
    )
    if not include_former:
        query = query.where(User.active.is_(True))
    return [SkillHolder(user, level, count) for user, level, count in db.session.execute(query)]


@dataclass(slots=True)
class DepartmentNode:
    space: Space
    members: list[User]
    children: list[DepartmentNode]


def department_tree(actor: User, department: Space) -> DepartmentNode:
    """``department`` with its sub-departments and active members (by membership or primary
    department): four queries. Raises NotFound."""
    if department.kind != SpaceKind.DEPARTMENT or not policy.can_read_space(actor, department):
        raise NotFound(_("No such department."))
    ids = department_and_descendants(actor, department.id)
    spaces = {s.id: s for s in db.session.scalars(select(Space).where(Space.id.in_(ids)))}
    members: dict[int, dict[int, User]] = {space_id: {} for space_id in ids}
    # Without a primary department, a person counts in every department they belong to.
    by_membership = (
        select(User, Membership.space_id)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(Profile.department_id.is_(None))
    )
    by_profile = select(User, Profile.department_id).join(Profile, Profile.user_id == User.id)
    for query, column in (
        (by_membership, Membership.space_id),
        (by_profile, Profile.department_id),
    ):
        for user, space_id in db.session.execute(
            query.where(column.in_(ids), User.active.is_(True))
        ):
            members[space_id][user.id] = user
    nodes = {
        space_id: DepartmentNode(
            space=spaces[space_id],
            members=sorted(members[space_id].values(), key=lambda u: u.display_name.casefold()),
            children=[],
        )
        for space_id in ids
    }
    for space_id in ids:
        parent_id = spaces[space_id].parent_id
        if space_id != department.id and parent_id in nodes:
            nodes[parent_id].children.append(nodes[space_id])
    for node in nodes.values():
        node.children.sort(key=lambda n: n.space.name.casefold())
    return nodes[department.id]


def department_choices(actor: User) -> list[tuple[int, str]]:
    """(id, name) of readable departments, children indented below their parents."""
    rows = db.session.execute(
        select(Space.id, Space.name, Space.parent_id)
        .where(Space.kind == SpaceKind.DEPARTMENT, policy.readable_spaces(actor))
        .order_by(func.lower(Space.name))
    ).all()
    children: dict[int | None, list] = {}
    known = {row.id for row in rows}
    for row in rows:
        parent = row.parent_id if row.parent_id in known else None
        children.setdefault(parent, []).append(row)
    choices: list[tuple[int, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            choices.append((row.id, "\u2003" * depth + row.name))
            walk(row.id, depth + 1)

    walk(None, 0)
    return choices


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def people_with_skill(prefix: str, limit: int) -> list[tuple[User, str]]:
    """Active people who list a skill whose name starts with ``prefix`` (most skilled
    first), with that skill's name; in one query."""
    key = skill_key(prefix)
    if not key:
        return []
    query = (
        select(User, Skill.name)
        .join(UserSkill, UserSkill.user_id == User.id)
        .join(Skill, Skill.id == UserSkill.skill_id)
        .where(User.active, Skill.key.like(_escape_like(key) + "%", escape="\\"))
        .order_by(UserSkill.level.desc(), User.display_name)
        .limit(limit)
    )
    return [(user, name) for user, name in db.session.execute(query)]
