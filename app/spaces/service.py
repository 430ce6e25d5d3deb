"""Spaces and their members. The only module that writes spaces and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.slugs import slugify
from app.social import notifications
from app.spaces import policy
from app.spaces.models import Membership, Origin, Role, Space, SpaceKind, Visibility
from app.urls import path_for

MAX_NAME = 120
MAX_DESCRIPTION = 5000


@dataclass(frozen=True, slots=True)
class NewSpace:
    name: str
    kind: str
    visibility: str
    description: str = ""
    parent_id: int | None = None


def get_space(actor: User, space_id: int) -> Space:
    """The space, if ``actor`` may read it. Raises NotFound."""
    space = db.session.get(Space, space_id)
    # 404, not 403: outsiders must not learn that a members-only space exists.
    if space is None or not policy.can_read_space(actor, space):
        raise NotFound(_("No such space."))
    return space


def get_space_by_slug(actor: User, slug: str) -> Space:
    """Raises NotFound."""
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None:
        raise NotFound(_("No such space."))
    return get_space(actor, space.id)


def list_spaces(
    actor: User, *, kind: str | None = None, page: int = 1, per_page: int | None = None
):
    """The spaces ``actor`` may read, by name, optionally of one kind. Raises Invalid."""
    query = select(Space).where(policy.readable_spaces(actor)).order_by(func.lower(Space.name))
    if kind:
        query = query.where(Space.kind == _parse_kind(kind))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def spaces_of(actor: User, person: User) -> list[Space]:
    """The spaces ``person`` belongs to that ``actor`` may see."""
    query = (
        select(Space)
        .join(Membership)
        .where(Membership.user_id == person.id, policy.readable_spaces(actor))
        .order_by(func.lower(Space.name))
    )
    return list(db.session.scalars(query))


def members(actor: User, space: Space) -> list[Membership]:
    """Members of a readable space, owners first."""
    if not policy.can_read_space(actor, space):
        raise NotFound(_("No such space."))
    query = (
        select(Membership)
        .join(User)
        .where(Membership.space_id == space.id)
        .options(selectinload(Membership.user))
        .order_by(Membership.role.desc(), func.lower(User.display_name))
    )
    return list(db.session.scalars(query))


def create_space(actor: User, new: NewSpace) -> Space:
    """Create a space with ``actor`` as its owner. Raises Forbidden or Invalid."""
    kind = _parse_kind(new.kind)
    visibility = _parse_visibility(new.visibility)
    if not policy.can_create_space(actor, kind):
        raise Forbidden(_("Only administrators may create departments."))
    name = " ".join(new.name.split())
    errors: dict[str, list[str]] = {}
    if not name or len(name) > MAX_NAME:
        errors["name"] = [_("Enter a name of at most %(max)d characters.", max=MAX_NAME)]
    if len(new.description) > MAX_DESCRIPTION:
        errors["description"] = [_("Use at most %(max)d characters.", max=MAX_DESCRIPTION)]
    parent = None
    if new.parent_id is not None:
        parent = db.session.get(Space, new.parent_id)
        if kind != SpaceKind.DEPARTMENT:
            errors["parent_id"] = [_("Only departments belong to a parent department.")]
        elif parent is None or parent.kind != SpaceKind.DEPARTMENT:
            errors["parent_id"] = [_("The parent must be a department.")]
    if errors:
        raise Invalid(_("The space could not be created."), errors)
    space = Space(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        visibility=visibility,
        description=new.description.strip(),
        parent=parent,
    )
    space.memberships.append(Membership(user=actor, role=Role.OWNER))
    db.session.add(space)
    db.session.flush()
    audit.record(
        "space_created", actor=actor, subject=f"space:{space.id}", details={"name": space.name}
    )
    db.session.commit()
    return space


def join(actor: User, space: Space) -> None:
    """Join a public space. Raises Forbidden."""
    if not policy.can_join(actor, space):
        raise Forbidden(_("You cannot join this space."))
    db.session.add(Membership(space=space, user=actor, role=Role.MEMBER))
    _record_membership("member_added", actor, space, actor, Role.MEMBER)
    db.session.commit()


def leave(actor: User, space: Space) -> None:
    """Leave a space; the last owner stays. Raises NotFound or Conflict."""
    found = policy.membership(actor, space)
    if found is None:
        raise NotFound(_("You are not a member of this space."))
    _ensure_an_owner_remains(space, found)
    db.session.delete(found)
    _record_membership("member_removed", actor, space, actor, found.role)
    db.session.commit()


def add_member(actor: User, space: Space, username: str, role: str = "member") -> Membership:
    """Add a colleague to a space. Raises Forbidden, NotFound, Invalid or Conflict."""
    if not policy.can_manage_space(actor, space):
        raise Forbidden(_("Only the space's owners may add members."))
    parsed_role = _parse_role(role)
    person = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if person is None:
        raise NotFound(_("No such person."), {"username": [_("No such person.")]})
    if not person.active:
        raise Invalid(
            _("Former colleagues cannot join spaces."),
            {"username": [_("Former colleagues cannot join spaces.")]},
        )
    if policy.membership(person, space) is not None:
        raise Conflict(_("%(name)s is already a member.", name=person.display_name))
    added = Membership(space=space, user=person, role=parsed_role)
    db.session.add(added)
    _record_membership("member_added", actor, space, person, parsed_role)
    db.session.commit()
    notifications.notify(
        [person],
        "space_added",
        actor=actor,
        subject=None,
        title=space.name,
        url=path_for("spaces.show_space", slug=space.slug),
    )
    return added


def place_in_department(person: User, department: Space | None, *, source: str) -> list[str]:
    """The staff directory or an identity provider (``source``) says ``person`` works in
    ``department`` (None: in none that Kollegium has). They join it, and the department
    memberships that the directory made before end, with its access to members-only spaces;
    memberships granted by hand stay. Returns the changes as "+name" / "-name". Does not
    commit: the caller's sign-in or sync commits once."""
    if department is not None and department.kind != SpaceKind.DEPARTMENT:
        department = None
    held = db.session.scalars(
        select(Membership)
        .join(Space, Membership.space_id == Space.id)
        .where(Membership.user_id == person.id, Space.kind == SpaceKind.DEPARTMENT)
    ).all()
    changes = []
    for membership in held:
        if membership.origin != Origin.DIRECTORY:
            continue
        if department is not None and membership.space_id == department.id:
            continue
        db.session.delete(membership)
        _record_membership(
            "member_removed", None, membership.space, person, membership.role, source=source
        )
        changes.append(f"-{membership.space.name}")
    if department is not None and all(item.space_id != department.id for item in held):
        db.session.add(
            Membership(space=department, user=person, role=Role.MEMBER, origin=Origin.DIRECTORY)
        )
        _record_membership("member_added", None, department, person, Role.MEMBER, source=source)
        changes.append(f"+{department.name}")
    return changes


def department_named(name: str) -> Space | None:
    """The department called ``name`` (any case), for the staff directory's attribute."""
    query = (
        select(Space)
        .where(Space.kind == SpaceKind.DEPARTMENT, func.lower(Space.name) == name.strip().lower())
        .order_by(Space.id)
        .limit(1)
    )
    return db.session.scalar(query)


def remove_member(actor: User, space: Space, username: str) -> None:
    """Remove a member. Raises Forbidden, NotFound or Conflict (the last owner)."""
    if not policy.can_manage_space(actor, space):
        raise Forbidden(_("Only the space's owners may remove members."))
    person = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    found = policy.membership(person, space) if person else None
    if found is None:
        raise NotFound(_("This person is not a member."))
    _ensure_an_owner_remains(space, found)
    db.session.delete(found)
    _record_membership("member_removed", actor, space, person, found.role)
    db.session.commit()


def set_role(actor: User, space: Space, username: str, role: str) -> None:
    """Make a member an owner or an owner a member. Raises Forbidden, NotFound, Conflict."""
    if not policy.can_manage_space(actor, space):
        raise Forbidden(_("Only the space's owners may change roles."))
    parsed_role = _parse_role(role)
    person = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    found = policy.membership(person, space) if person else None
    if found is None:
        raise NotFound(_("This person is not a member."))
    if parsed_role == Role.MEMBER:
        _ensure_an_owner_remains(space, found)
    found.role = parsed_role
    # A role given by hand makes the membership one granted by hand: a move in the
    # directory no longer ends it.
    found.origin = Origin.MANUAL
    _record_membership("role_changed", actor, space, person, parsed_role)
    db.session.commit()


def department_tree(actor: User) -> list[Space]:
    """Top-level departments ``actor`` may read; their ``children`` form the tree."""
    query = (
        select(Space)
        .where(Space.kind == SpaceKind.DEPARTMENT, Space.parent_id.is_(None))
        .where(policy.readable_spaces(actor))
        .order_by(func.lower(Space.name))
    )
    return list(db.session.scalars(query))


def _record_membership(
    action: str,
    actor: User | None,
    space: Space,
    person: User,
    role: Role,
    *,
    source: str | None = None,
) -> None:
    details = {"person": person.username, "role": role.value}
    if source:
        details["source"] = source
    audit.record(action, actor=actor, subject=f"space:{space.id}", details=details)


def _ensure_an_owner_remains(space: Space, leaving: Membership) -> None:
    if leaving.role != Role.OWNER:
        return
    owners = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.space_id == space.id, Membership.role == Role.OWNER)
    )
    if owners <= 1:
        raise Conflict(_("A space needs at least one owner. Name another owner first."))


def _unique_slug(name: str) -> str:
    base = slugify(name, fallback="space")
    slug, number = base, 2
    while db.session.scalar(select(Space.id).where(Space.slug == slug)) is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _parse_kind(raw: str) -> SpaceKind:
    try:
        return SpaceKind(raw)
    except ValueError as err:
        raise Invalid(
            _("Unknown kind of space: %(raw)s", raw=raw),
            {"kind": [_("Choose department, project or community.")]},
        ) from err


def _parse_visibility(raw: str) -> Visibility:
    try:
        return Visibility(raw)
    except ValueError as err:
        raise Invalid(
            _("Unknown visibility: %(raw)s", raw=raw),
            {"visibility": [_("Choose public or members.")]},
        ) from err


def _parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError as err:
        raise Invalid(
            _("Unknown role: %(raw)s", raw=raw), {"role": [_("Choose member or owner.")]}
        ) from err


def department_choices(actor: User) -> list[tuple[int, str]]:
    """(id, name) of the departments ``actor`` may read, for a parent picker."""
    query = (
        select(Space.id, Space.name)
        .where(Space.kind == SpaceKind.DEPARTMENT, policy.readable_spaces(actor))
        .order_by(func.lower(Space.name))
    )
    return [(row.id, row.name) for row in db.session.execute(query)]
