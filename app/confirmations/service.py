"""Read confirmations: asking for them, confirming, and who has and has not confirmed."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.exc import IntegrityError

from app import content
from app.accounts.models import User
from app.confirmations.models import ReadConfirmation, ReadRequest
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.spaces import policy

# What may carry a read confirmation: the kinds that declare ``confirmable`` (blog posts,
# pinned stream posts), asked of each item.
HOME_REMINDERS = 5


@dataclass(frozen=True, slots=True)
class Panel:
    """What an announcement's page shows about read confirmations."""

    target: str
    request: ReadRequest | None
    confirmed: bool  # by the reader
    can_request: bool
    can_see: bool
    confirmed_count: int = 0
    reader_count: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    request: ReadRequest
    confirmed: list[tuple[User, object]]  # (person, when)
    missing: list[User]


def _confirmable_kinds() -> list[content.ContentKind]:
    return [kind for kind in content.registry().kinds.values() if kind.confirmable is not None]


def _is_confirmable(kind_name: str, obj) -> bool:
    kind = content.registry().kind(kind_name)
    return kind is not None and kind.confirmable is not None and kind.confirmable(obj)


def _target(actor: User, target_key: str):
    target = content.resolve(actor, target_key)
    if content.registry().kinds[target.kind].confirmable is None:
        raise Invalid(_("Only announcements can ask for a read confirmation."))
    if not _is_confirmable(target.kind, target.obj):
        raise Invalid(_("Only pinned announcements can ask for a read confirmation."))
    return target


def _request_of(target_key: str) -> ReadRequest | None:
    kind, _sep, raw_id = target_key.partition(":")
    return db.session.scalar(
        select(ReadRequest).where(
            ReadRequest.target_kind == kind,
            ReadRequest.target_id == int(raw_id),
            ReadRequest.closed_at.is_(None),
        )
    )


def request_confirmation(actor: User, target_key: str) -> ReadRequest:
    """Ask the readers of an announcement to confirm it. Raises Forbidden, Invalid, NotFound."""
    target = _target(actor, target_key)
    if getattr(target.obj, "is_draft", False):
        raise Invalid(_("Publish the post first."))
    if not policy.can_request_read_confirmation(actor, target.obj):
        raise Forbidden(_("Only administrators and space owners may ask for this."))
    found = _request_of(target.key)
    if found is not None:
        return found
    request = ReadRequest(
        target_kind=target.kind,
        target_id=target.id,
        space_id=target.obj.space_id,
        title=content.title_of(target.kind, target.obj)[:300],
        url=content.url_of(target.kind, target.obj)[:500],
        requested_by_id=actor.id,
    )
    db.session.add(request)
    db.session.commit()
    return request


def confirm(actor: User, target_key: str) -> None:
    """``actor`` confirms having read the announcement. Raises NotFound (no request)."""
    target = content.resolve(actor, target_key)
    request = _request_of(target.key)
    if request is None:
        raise NotFound(_("No read confirmation is asked for here."))
    exists = db.session.scalar(
        select(ReadConfirmation.id).where(
            ReadConfirmation.request_id == request.id, ReadConfirmation.user_id == actor.id
        )
    )
    if exists is not None:
        return
    db.session.add(ReadConfirmation(request_id=request.id, user_id=actor.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # confirmed twice at once


def _readers(request: ReadRequest, obj):
    """Condition on User: who is asked to confirm (the readers, but not whoever asked or
    wrote it)."""
    asker_and_author = {request.requested_by_id, getattr(obj, "author_id", None)} - {None}
    # The item's space now, not the one it was in when the confirmation was asked for.
    space = getattr(obj, "space", None)
    return and_(policy.readers_of_space(space), User.id.not_in(asker_and_author))


def panel(actor: User, target_key: str, obj) -> Panel:
    """Read-confirmation state of a readable announcement ``obj`` for its page."""
    request = _request_of(target_key)
    confirmable = _is_confirmable(target_key.partition(":")[0], obj)
    can_request = (
        confirmable
        and request is None
        and not getattr(obj, "is_draft", False)
        and policy.can_request_read_confirmation(actor, obj)
    )
    if request is None:
        return Panel(target_key, None, False, can_request, False)
    confirmed = (
        db.session.scalar(
            select(ReadConfirmation.id).where(
                ReadConfirmation.request_id == request.id, ReadConfirmation.user_id == actor.id
            )
        )
        is not None
    )
    can_see = policy.can_see_read_confirmations(actor, obj, request.requested_by_id)
    confirmed_count = reader_count = 0
    if can_see:
        readers = _readers(request, obj)
        reader_count = db.session.scalar(select(func.count(User.id)).where(readers))
        confirmed_count = db.session.scalar(
            select(func.count(ReadConfirmation.id))
            .join(User, User.id == ReadConfirmation.user_id)
            .where(ReadConfirmation.request_id == request.id, readers)
        )
    return Panel(target_key, request, confirmed, False, can_see, confirmed_count, reader_count)


def page_panels(actor: User, kind: str, obj, **_context) -> dict:
    """For a tool's page (through the registry): the read-confirmation panel of ``obj``."""
    return {"confirmation": panel(actor, f"{kind}:{obj.id}", obj)}


def report(actor: User, target_key: str) -> Report:
    """Who confirmed and who has not yet, among those who may read it. Raises Forbidden."""
    target = content.resolve(actor, target_key)
    request = _request_of(target.key)
    if request is None:
        raise NotFound(_("No read confirmation is asked for here."))
    if not policy.can_see_read_confirmations(actor, target.obj, request.requested_by_id):
        raise Forbidden(_("Only the author and the space's owners see this."))
    readers = _readers(request, target.obj)
    confirmed = db.session.execute(
        select(User, ReadConfirmation.confirmed_at)
        .join(ReadConfirmation, ReadConfirmation.user_id == User.id)
        .where(ReadConfirmation.request_id == request.id, readers)
        .order_by(func.lower(User.display_name))
    ).all()
    missing = db.session.scalars(
        select(User)
        .where(
            readers,
            User.id.not_in(
                select(ReadConfirmation.user_id).where(ReadConfirmation.request_id == request.id)
            ),
        )
        .order_by(func.lower(User.display_name))
    ).all()
    return Report(request, [tuple(row) for row in confirmed], list(missing))


def _live_targets_not_by(actor: User):
    """Condition on ReadRequest: ``actor`` may read its announcement now (wherever it went)
    and did not write it."""
    return or_(
        *(
            and_(
                ReadRequest.target_kind == kind.name,
                ReadRequest.target_id.in_(
                    select(kind.model.id).where(
                        kind.readable(actor), kind.model.author_id != actor.id
                    )
                ),
            )
            for kind in _confirmable_kinds()
        ),
        false(),
    )


def pending_for(actor: User, limit: int = HOME_REMINDERS) -> list[ReadRequest]:
    """Announcements ``actor`` may read and has not confirmed yet, newest first (not their
    own, not deleted ones)."""
    query = (
        select(ReadRequest)
        .where(
            ReadRequest.closed_at.is_(None),
            _live_targets_not_by(actor),
            or_(ReadRequest.requested_by_id.is_(None), ReadRequest.requested_by_id != actor.id),
            ReadRequest.id.not_in(
                select(ReadConfirmation.request_id).where(ReadConfirmation.user_id == actor.id)
            ),
        )
        .order_by(ReadRequest.created_at.desc(), ReadRequest.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
