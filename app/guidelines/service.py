"""Publishing the usage guidelines and recording who accepted which version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import service as audit
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.guidelines.models import GuidelinesAcceptance, GuidelinesRelease
from app.spaces import policy
from app.spaces.models import Space, Visibility
from app.wiki.models import Page, Revision


@dataclass(frozen=True, slots=True)
class Acceptance:
    """One colleague and the latest version they accepted (None: none yet)."""

    user: User
    version: int | None
    accepted_at: datetime | None


def current_release() -> GuidelinesRelease | None:
    """The latest published version, or None when no guidelines are published."""
    return db.session.scalar(
        select(GuidelinesRelease)
        .order_by(GuidelinesRelease.version.desc())
        .options(selectinload(GuidelinesRelease.page))
        .limit(1)
    )


def published_text(release: GuidelinesRelease) -> tuple[str, str]:
    """Title and HTML of the guidelines as published (the page may have changed since)."""
    revision = db.session.scalar(
        select(Revision).where(
            Revision.page_id == release.page_id, Revision.number == release.page_revision
        )
    )
    if revision is None:
        return "", ""
    return revision.title, revision.body_html


def current_version() -> int | None:
    return db.session.scalar(select(func.max(GuidelinesRelease.version)))


def publish(actor: User, page_id: int) -> GuidelinesRelease:
    """Publish the wiki page ``page_id`` (its current revision) as the next version of the
    guidelines; everyone accepts it again. Raises Forbidden, NotFound, Invalid."""
    if not policy.can_publish_guidelines(actor):
        raise Forbidden(_("Only administrators may do this."))
    page = db.session.get(Page, page_id)
    if page is None or not policy.can_read(actor, page) or page.deleted_at is not None:
        raise NotFound(_("No such page."), {"page_id": [_("No such page.")]})
    if page.space is not None and page.space.visibility != Visibility.PUBLIC:
        message = _("The guidelines must be a page every colleague may read.")
        raise Invalid(message, {"page_id": [message]})
    version = (current_version() or 0) + 1
    release = GuidelinesRelease(
        version=version, page=page, page_revision=page.revision, published_by_id=actor.id
    )
    db.session.add(release)
    audit.record(
        "guidelines_published",
        actor=actor,
        subject=page.title,
        details={"version": version, "page_id": page.id, "revision": page.revision},
    )
    db.session.commit()
    return release


def has_accepted(user: User, version: int) -> bool:
    return (
        db.session.scalar(
            select(GuidelinesAcceptance.id).where(
                GuidelinesAcceptance.user_id == user.id, GuidelinesAcceptance.version == version
            )
        )
        is not None
    )


def needs_acceptance(user: User) -> bool:
    """Must ``user`` accept the guidelines before going on? Never when none are published."""
    version = current_version()
    return version is not None and not has_accepted(user, version)


def accept(actor: User, version: int) -> GuidelinesAcceptance:
    """Record that ``actor`` accepted ``version``, which must be the current one.
    Raises Invalid (an older version: the page changed meanwhile)."""
    current = current_version()
    if current is None or version != current:
        raise Invalid(_("The guidelines were changed meanwhile. Please read them again."))
    found = db.session.scalar(
        select(GuidelinesAcceptance).where(
            GuidelinesAcceptance.user_id == actor.id, GuidelinesAcceptance.version == version
        )
    )
    if found is not None:
        return found
    acceptance = GuidelinesAcceptance(user_id=actor.id, version=version)
    db.session.add(acceptance)
    db.session.commit()
    return acceptance


def acceptances(actor: User, *, page: int = 1, per_page: int | None = None):
    """Every colleague with the latest version they accepted, for administrators: a page of
    (User, version, accepted_at) rows. Raises Forbidden."""
    if not policy.can_publish_guidelines(actor):
        raise Forbidden(_("Only administrators may do this."))
    latest = (
        select(
            GuidelinesAcceptance.user_id,
            func.max(GuidelinesAcceptance.version).label("version"),
        )
        .group_by(GuidelinesAcceptance.user_id)
        .subquery()
    )
    query = (
        select(User, latest.c.version, GuidelinesAcceptance.accepted_at)
        .outerjoin(latest, latest.c.user_id == User.id)
        .outerjoin(
            GuidelinesAcceptance,
            (GuidelinesAcceptance.user_id == User.id)
            & (GuidelinesAcceptance.version == latest.c.version),
        )
        .where(User.active.is_(True))
        .order_by(func.lower(User.display_name))
    )
    total = db.session.scalar(select(func.count(User.id)).where(User.active.is_(True)))
    size = per_page or 50
    rows = db.session.execute(query.limit(size).offset((max(page, 1) - 1) * size)).all()
    return [Acceptance(user, version, when) for user, version, when in rows], total


def acceptance_count(version: int) -> int:
    return db.session.scalar(
        select(func.count(GuidelinesAcceptance.id))
        .join(User, User.id == GuidelinesAcceptance.user_id)
        .where(GuidelinesAcceptance.version == version, User.active.is_(True))
    )


def candidate_pages(actor: User) -> list[Page]:
    """Pages every colleague may read, to choose the guidelines from."""
    if not policy.can_publish_guidelines(actor):
        raise Forbidden(_("Only administrators may do this."))
    query = (
        select(Page)
        .outerjoin(Space, Space.id == Page.space_id)
        .where(
            Page.deleted_at.is_(None),
            Page.is_template.is_(False),
            (Page.space_id.is_(None)) | (Space.visibility == Visibility.PUBLIC),
        )
        .order_by(Page.title_key)
        .limit(500)
    )
    return list(db.session.scalars(query))
