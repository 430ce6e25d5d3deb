"""Recording and reading the audit log. ``record`` joins the caller's transaction, so an
action and its record are committed together or not at all."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import spreadsheets
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.spaces import policy

# What is recorded. The names are stable: exports and filters use them.
ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "password_changed",
    "signed_out_everywhere",
    "user_created",
    "user_deactivated",
    "user_activated",
    "admin_granted",
    "admin_withdrawn",
    "token_created",
    "token_revoked",
    "space_created",
    "member_added",
    "member_removed",
    "role_changed",
    "content_deleted",
    "content_restored",
    "user_erased",
    "guidelines_published",
    "settings_changed",
    "two_factor_enabled",
    "two_factor_disabled",
    "recovery_code_used",
    "security_key_removed",
    "two_factor_reset",
    "password_set",
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    person: str | None = None  # username of the actor
    action: str | None = None
    since: date | None = None
    until: date | None = None


def init_app(app: Flask) -> None:
    if not event.contains(Session, "before_flush", _refuse_changes_to_the_log):
        event.listen(Session, "before_flush", _refuse_changes_to_the_log)


def _refuse_changes_to_the_log(session: Session, _context: Any, _instances: Any) -> None:
    changed = [obj for obj in (*session.dirty, *session.deleted) if isinstance(obj, AuditEntry)]
    if changed:
        raise Conflict(_("The audit log cannot be changed."))


def record(
    action: str, *, actor: User | None, subject: str = "", details: dict | None = None
) -> AuditEntry:
    """Add an entry to the current transaction (the caller commits). ``actor`` None is the
    system (command line) or an unknown person."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else "",
        action=action,
        subject=_printable(subject)[:120],
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        address=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def entries(actor: User, wanted: AuditFilter, *, page: int = 1, per_page: int | None = None):
    """The log, newest first, for administrators. Raises Forbidden."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    return db.paginate(_query(wanted), page=page, per_page=per_page, error_out=False)


def export_csv(actor: User, wanted: AuditFilter) -> Iterator[str]:
    """The filtered log as CSV lines, read from the database as they are sent. Raises
    Forbidden (before the first line)."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    header = ["time_utc", "actor", "action", "subject", "details", "address"]
    rows = (
        [
            entry.created_at.isoformat(timespec="seconds"),
            entry.actor_name,
            entry.action,
            entry.subject,
            entry.details,
            entry.address,
        ]
        for entry in _rows(wanted)
    )
    return spreadsheets.csv_lines(header, rows)


def _rows(wanted: AuditFilter) -> Iterable[AuditEntry]:
    return db.session.scalars(_query(wanted).execution_options(yield_per=500))


def _query(wanted: AuditFilter):
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if wanted.person:
        query = query.where(AuditEntry.actor_name == wanted.person.strip().lower())
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.since:
        query = query.where(AuditEntry.created_at >= datetime.combine(wanted.since, time.min))
    if wanted.until and wanted.until < date.max:  # the last day datetime holds has no next
        end = datetime.combine(wanted.until, time.min) + timedelta(days=1)
        query = query.where(AuditEntry.created_at < end)
    return query


def _printable(text: str) -> str:
    """``text`` with control characters shown as U+FFFD: a hostile name typed at sign-in is
    recorded as what it is without breaking the log (or PostgreSQL, which refuses NUL)."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
