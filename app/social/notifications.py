"""Notifications: who learns what, in the app, by e-mail at once or in a daily digest.

``stage`` adds the notifications to the caller's transaction and ``send_at_once`` mails them
after its commit, so a failing mail server can never undo or break the action; ``notify``
does both for callers that committed already. Nobody hears of their own actions or of what
they may not read, judged when written and again, from the item's current place (through
the content registry), whenever they are listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, select, update
from sqlalchemy.orm import selectinload

from app import content
from app.accounts.models import User
from app.clock import utcnow
from app.errors import Invalid
from app.extensions import db
from app.inputs import id_or_none
from app.mail import Mail, send_mails
from app.social import mailout
from app.social.models import Notification, NotificationSetting
from app.spaces import policy
from app.urls import absolute

KINDS = (
    "mention",
    "reply",
    "comment",
    "answer",
    "like",
    "blog_post",
    "page_change",
    "endorsement",
    "space_added",
)
DELIVERIES = ("app", "email", "digest")
TITLE_LENGTH = 300


def notify(
    recipients: Iterable[User],
    kind: str,
    *,
    actor: User,
    subject: Any,
    title: str,
    url: str,
    target: str = "",
) -> list[Notification]:
    """``stage``, commit, then send the e-mails wanted at once."""
    created = stage(
        recipients, kind, actor=actor, subject=subject, title=title, url=url, target=target
    )
    db.session.commit()
    send_at_once(created)
    return created


def stage(
    recipients: Iterable[User],
    kind: str,
    *,
    actor: User,
    subject: Any,
    title: str,
    url: str,
    target: str = "",
) -> list[Notification]:
    """Tell ``recipients`` that ``actor`` did ``kind`` to ``subject`` (an object the policy
    can judge, or None for things that need no reading right, like an endorsement; when
    ``target`` names a content kind, the reading right of that item decides). Adds the
    rows to the session without committing; the caller commits, then ``send_at_once`` (the mailout
    sends them outside the request)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    created: list[Notification] = []
    seen: set[int] = set()
    for person in recipients:
        if person.id in seen or person.id == actor.id or not person.active:
            continue
        seen.add(person.id)
        if not _may_read(person, subject, target):
            continue
        created.append(_add(person, kind, actor, subject, title, url, target))
    return created


def _may_read(person: User, subject: Any, target: str) -> bool:
    target_kind, _sep, raw_id = target.partition(":")
    item_id = id_or_none(raw_id)
    if content.registry().kind(target_kind) is not None and item_id is not None:
        return content.readable_target(person, target_kind, item_id) is not None
    return subject is None or policy.can_read(person, subject)


def _add(person, kind, actor, subject, title, url, target) -> Notification:
    if kind == "like" and target:
        grouped = db.session.scalar(
            select(Notification).where(
                Notification.user_id == person.id,
                Notification.kind == "like",
                Notification.target == target,
                Notification.read_at.is_(None),
            )
        )
        if grouped is not None:
            grouped.count += 1
            grouped.actor_id = actor.id
            grouped.created_at = utcnow()
            grouped.emailed_at = None  # "… and 3 others" is news again
            return grouped
    notification = Notification(
        user_id=person.id,
        kind=kind,
        actor_id=actor.id,
        target=target[:60],
        title=title[:TITLE_LENGTH],
        url=url[:500],
        space_id=getattr(subject, "space_id", None),
    )
    db.session.add(notification)
    return notification


def describe(notification: Notification) -> str:
    """The notification as a sentence in the current language."""
    actor = notification.actor.display_name if notification.actor else _("Someone")
    title = notification.title
    kind = notification.kind
    if kind == "mention":
        return _("%(actor)s mentioned you in “%(title)s”", actor=actor, title=title)
    if kind == "reply":
        return _("%(actor)s replied to you on “%(title)s”", actor=actor, title=title)
    if kind == "comment":
        return _("%(actor)s commented on “%(title)s”", actor=actor, title=title)
    if kind == "answer":
        return _("%(actor)s answered your question on “%(title)s”", actor=actor, title=title)
    if kind == "like":
        others = notification.count - 1
        if others == 0:
            return _("%(actor)s liked “%(title)s”", actor=actor, title=title)
        return ngettext(
            "%(actor)s and %(num)d other liked “%(title)s”",
            "%(actor)s and %(num)d others liked “%(title)s”",
            others,
            actor=actor,
            title=title,
        )
    if kind == "blog_post":
        return _("%(actor)s published “%(title)s” in a blog you follow", actor=actor, title=title)
    if kind == "page_change":
        return _("%(actor)s changed “%(title)s”, a page you watch", actor=actor, title=title)
    if kind == "endorsement":
        return _("%(actor)s endorsed your skill %(title)s", actor=actor, title=title)
    return _("%(actor)s added you to %(title)s", actor=actor, title=title)


def kind_label(kind: str) -> str:
    labels = {
        "mention": _("Someone mentions me"),
        "reply": _("Someone replies to my post or comment"),
        "comment": _("Someone comments on my page or post"),
        "answer": _("My question is answered"),
        "like": _("Someone likes my content"),
        "blog_post": _("A new post in a blog I follow"),
        "page_change": _("A change to a wiki page I watch"),
        "endorsement": _("Someone endorses my skill"),
        "space_added": _("I am added to a space"),
    }
    return labels[kind]


def still_readable(actor: User) -> ColumnElement[bool]:
    """Condition on Notification: ``actor`` may read what it is about *now*. A notification
    about an item ("wiki_page:12") follows the item wherever it moved (or went back to
    draft, or to the trash); one about no item keeps the rule of its space."""
    kinds = content.registry().kinds
    about_items = [
        and_(
            Notification.target.startswith(f"{name}:", autoescape=True),
            Notification.target.in_(
                select(literal(f"{name}:", String) + cast(kind.model.id, String)).where(
                    kind.readable(actor)
                )
            ),
        )
        for name, kind in kinds.items()
    ]
    about_nothing = and_(
        *(Notification.target.not_like(f"{name}:%") for name in kinds),
        policy.space_readable(actor, Notification.space_id),
    )
    return or_(about_nothing, *about_items)


def notifications_for(
    actor: User, *, unread_only: bool = False, page: int = 1, per_page: int | None = None
):
    """``actor``'s notifications, newest first, only about what they may still read."""
    query = (
        select(Notification)
        .where(Notification.user_id == actor.id, still_readable(actor))
        .options(selectinload(Notification.actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def unread_count(actor: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == actor.id,
            Notification.read_at.is_(None),
            still_readable(actor),
        )
    )


def mark_read(actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, without ids, all) of ``actor``'s notifications read; others' ids are
    ignored. Returns how many changed."""
    statement = (
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    changed = db.session.execute(statement).rowcount
    db.session.commit()
    return changed


def deliveries(actor: User) -> dict[str, str]:
    """How ``actor`` wants each kind delivered (default: in the app only)."""
    chosen = dict(
        db.session.execute(
            select(NotificationSetting.kind, NotificationSetting.delivery).where(
                NotificationSetting.user_id == actor.id
            )
        ).all()
    )
    return {kind: chosen.get(kind, "app") for kind in KINDS}


def set_deliveries(actor: User, wanted: dict[str, str]) -> None:
    """Store ``actor``'s choices. Raises Invalid."""
    errors = {
        kind: [_("Choose app, email or digest.")]
        for kind, delivery in wanted.items()
        if kind not in KINDS or delivery not in DELIVERIES
    }
    if errors:
        raise Invalid(_("These settings are not possible."), errors)
    existing = {
        row.kind: row
        for row in db.session.scalars(
            select(NotificationSetting).where(NotificationSetting.user_id == actor.id)
        )
    }
    for kind, delivery in wanted.items():
        row = existing.get(kind) or NotificationSetting(user_id=actor.id, kind=kind)
        row.delivery = delivery
        db.session.add(row)
    db.session.commit()


def send_due() -> int:
    """Tell of what became readable by the clock alone (a scheduled blog post reaching its
    time changes no row): the tools offer "clock.due" in the content registry. Returns how
    many items were announced."""
    return sum(due() for due in content.registry().all_services("clock.due"))


def send_digests(now: datetime | None = None) -> int:
    """E-mail each person who chose the digest their unread, not yet mailed notifications.
    Returns the number of e-mails sent."""
    now = now or utcnow()
    digest_kinds = db.session.execute(
        select(NotificationSetting.user_id, NotificationSetting.kind).where(
            NotificationSetting.delivery == "digest"
        )
    ).all()
    kinds_by_user: dict[int, set[str]] = {}
    for user_id, kind in digest_kinds:
        kinds_by_user.setdefault(user_id, set()).add(kind)
    batch: list[tuple[Mail, list[Notification]]] = []
    for user_id, kinds in kinds_by_user.items():
        person = db.session.get(User, user_id)
        if person is None or not person.active:
            continue
        pending = [
            n
            for n in notifications_for(person, unread_only=True, per_page=200).items
            if n.kind in kinds and n.emailed_at is None
        ]
        if not pending:
            continue
        with force_locale(locale_of(person)):
            subject = ngettext(
                "Kollegium: %(num)d new notification",
                "Kollegium: %(num)d new notifications",
                len(pending),
            )
            body = "\n".join(f"- {describe(n)}\n  {absolute(n.url)}" for n in pending)
        batch.append((Mail(person.email, subject, body), pending))
    # One connection for all digests.
    results = send_mails([mail for mail, _pending in batch])
    for (_mail, pending), sent in zip(batch, results, strict=True):
        if sent:
            for notification in pending:
                notification.emailed_at = now
    db.session.commit()
    return sum(results)


def send_at_once(created: list[Notification]) -> None:
    """After the commit: have the e-mails wanted at once sent (outside the request:
    mailout)."""
    if created:
        mailout.request_drain()


def locale_of(person: User) -> str:
    return person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
