"""Notification e-mails "at once", sent outside the request that caused them.

The notifications table is the outbox: a notification whose recipient wants its kind by
e-mail at once and that has no ``emailed_at`` is waiting. After a commit that created such
rows, ``request_drain`` hands them to a background thread of the process (or, with
``MAIL_DRAIN = "inline"`` and always when testing, sends them at once), which sends all that
wait over one SMTP connection. A slow or absent mail server therefore never slows a comment
or a like. Each drain claims its rows first (``emailed_at`` set where it was empty), so
processes on several hosts never send one twice; rows whose sending failed are released and
retried after ``MAIL_DRAIN_RETRY_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import and_, exists, select, update

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.mail import Mail, send_mails
from app.social.models import Notification, NotificationSetting
from app.urls import absolute

log = logging.getLogger(__name__)

EXTENSION_KEY = "kollegium.mailout"
DRAIN_MODES = ("background", "inline")
# Mail for what waited longer than this (a mail server down for days) is not sent late.
MAX_AGE = timedelta(days=1)
BATCH_SIZE = 200


def init_app(app: Flask) -> None:
    mode = app.config["MAIL_DRAIN"]
    if mode not in DRAIN_MODES:
        raise RuntimeError(f"MAIL_DRAIN must be one of {DRAIN_MODES}, not {mode!r}")
    app.extensions[EXTENSION_KEY] = MailDrain(
        app, background=mode == "background" and not app.testing
    )


def request_drain() -> None:
    """Send what waits, now or soon (after the caller committed)."""
    current_app.extensions[EXTENSION_KEY].request()


def drain() -> int:
    """Send the waiting e-mails over one connection; returns how many left."""
    claimed_at = utcnow()
    waiting = list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.emailed_at.is_(None),
                Notification.read_at.is_(None),
                Notification.created_at > claimed_at - MAX_AGE,
                _wanted_at_once(),
            )
            .order_by(Notification.id)
            .limit(BATCH_SIZE)
        )
    )
    ids = [n.id for n in waiting]
    if not ids:
        return 0
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.emailed_at.is_(None))
        .values(emailed_at=claimed_at)
    )
    db.session.commit()
    # Another process may have claimed some first: ours carry our time stamp.
    ours = [n for n in waiting if _reload(n).emailed_at == claimed_at]
    mails = [_mail_of(notification) for notification in ours]
    sent = send_mails([mail for mail in mails if mail is not None])
    results = iter(sent)
    failed = [
        n.id for n, mail in zip(ours, mails, strict=True) if mail is None or not next(results)
    ]
    if failed:
        db.session.execute(
            update(Notification).where(Notification.id.in_(failed)).values(emailed_at=None)
        )
        db.session.commit()
    return len(ours) - len(failed)


def _wanted_at_once():
    return exists().where(
        and_(
            NotificationSetting.user_id == Notification.user_id,
            NotificationSetting.kind == Notification.kind,
            NotificationSetting.delivery == "email",
        )
    )


def _reload(notification: Notification) -> Notification:
    db.session.refresh(notification)
    return notification


def _mail_of(notification: Notification) -> Mail | None:
    # Imported here: notifications imports this module to request drains.
    from app.social.notifications import describe, locale_of

    person = db.session.get(User, notification.user_id)
    if person is None or not person.active:
        return None
    with force_locale(locale_of(person)):
        text = describe(notification)
    return Mail(person.email, f"Kollegium: {text}", f"{text}\n\n{absolute(notification.url)}")


class MailDrain:
    """Runs ``drain`` for one app: in the caller's thread, or in one background thread."""

    def __init__(self, app: Flask, *, background: bool) -> None:
        self.app = app
        self.background = background
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def request(self) -> None:
        if not self.background:
            self.run()
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=_loop, args=(weakref.ref(self),), name="mail-drain", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def run(self) -> int:
        """One drain in a fresh app context; never raises (what failed waits)."""
        try:
            with self.app.app_context():
                return drain()
        except Exception:
            log.exception("sending notification e-mails failed; they wait for the next drain")
            return 0


def _loop(drain_ref: weakref.ref[MailDrain]) -> None:
    while (state := drain_ref()) is not None:
        wake, interval = state._wake, state.app.config["MAIL_DRAIN_RETRY_SECONDS"]
        del state
        wake.wait(timeout=interval)
        wake.clear()
        if (state := drain_ref()) is None:
            return
        state.run()
        del state
