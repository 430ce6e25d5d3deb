"""The audit log in plain words of the reader's language: what happened, to whom, with names
and links instead of codes and ids. The stored entries keep their stable codes (exports and
filters use them); only the page reads them out."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import content
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.errors import DomainError
from app.extensions import db
from app.inputs import id_or_none
from app.spaces.models import Space

ACTION_LABELS = {
    "sign_in": _l("signed in"),
    "sign_in_failed": _l("failed to sign in"),
    "password_changed": _l("changed their password"),
    "signed_out_everywhere": _l("signed out on every device"),
    "user_created": _l("created an account"),
    "user_deactivated": _l("deactivated an account"),
    "user_activated": _l("reactivated an account"),
    "admin_granted": _l("gave the administrator role"),
    "admin_withdrawn": _l("withdrew the administrator role"),
    "token_created": _l("created an API token"),
    "token_revoked": _l("revoked an API token"),
    "space_created": _l("created a space"),
    "member_added": _l("added a member"),
    "member_removed": _l("removed a member"),
    "role_changed": _l("changed a role"),
    "content_deleted": _l("deleted content"),
    "content_restored": _l("restored content"),
    "user_erased": _l("erased personal data"),
    "guidelines_published": _l("published the usage guidelines"),
    "settings_changed": _l("changed a setting"),
    "two_factor_enabled": _l("turned on two-factor sign-in"),
    "two_factor_disabled": _l("turned off two-factor sign-in"),
    "recovery_code_used": _l("signed in with a recovery code"),
    "security_key_removed": _l("removed a security key"),
    "two_factor_reset": _l("reset two-factor sign-in"),
    "password_set": _l("set a password"),
}
DETAIL_LABELS = {
    "name": _l("name"),
    "person": _l("person"),
    "role": _l("role"),
    "source": _l("sign-in"),
    "reason": _l("reason"),
    "admin": _l("administrator"),
    "username": _l("username"),
    "mode": _l("how"),
    "version": _l("version"),
    "revision": _l("revision"),
}
VALUE_LABELS = {
    "owner": _l("owner"),
    "member": _l("member"),
    "ldap": _l("staff directory"),
    "local": _l("password"),
    True: _l("yes"),
    False: _l("no"),
}
HIDDEN_DETAILS = ("page_id",)


@dataclass(frozen=True, slots=True)
class Named:
    """Something an entry names: a person, a space, a page; ``url`` empty when gone."""

    label: str
    url: str = ""
    person: User | None = None


@dataclass(frozen=True, slots=True)
class Line:
    entry: AuditEntry
    actor: Named | None
    what: str
    subject: Named | None
    details: list[tuple[str, str]]


def lines(reader: User, entries: list[AuditEntry]) -> list[Line]:
    """The entries as sentences for ``reader`` (an administrator): one query for the people,
    one for the spaces, and one look-up per piece of content on the page."""
    usernames = {e.actor_name for e in entries if e.actor_name}
    space_ids = set()
    for entry in entries:
        kind, _sep, key = entry.subject.partition(":")
        if kind == "user":
            usernames.add(key)
        elif kind == "space" and (space_id := id_or_none(key)) is not None:
            space_ids.add(space_id)
    people = {
        user.username: user
        for user in db.session.scalars(select(User).where(User.username.in_(usernames)))
    }
    found = db.session.scalars(select(Space).where(Space.id.in_(space_ids)))
    spaces = {space.id: space for space in found}
    return [
        Line(
            entry=entry,
            actor=_person(people.get(entry.actor_name), entry.actor_name),
            what=str(ACTION_LABELS.get(entry.action, entry.action)),
            subject=_subject(reader, entry.subject, people, spaces),
            details=_details(entry.details),
        )
        for entry in entries
    ]


def _person(user: User | None, username: str) -> Named | None:
    if user is None:
        return Named(username) if username else None
    return Named(user.display_name, _profile_url(user), person=user)


def _profile_url(user: User) -> str:
    if "profiles" not in current_app.blueprints:
        return ""
    return url_for("profiles.show_profile", username=user.username)


def _subject(reader: User, subject: str, people: dict, spaces: dict) -> Named | None:
    if not subject:
        return None
    kind, _sep, key = subject.partition(":")
    if kind == "user":
        return _person(people.get(key), key)
    if kind == "space" and (space_id := id_or_none(key)) is not None:
        space = spaces.get(space_id)
        if space is None:
            return Named(str(_l("a space that no longer exists")))
        return Named(space.name, url_for("spaces.show_space", slug=space.slug))
    if content.registry().kind(kind) is not None and id_or_none(key) is not None:
        try:
            target = content.resolve(reader, subject)
        except DomainError:
            return Named(str(_l("content that no longer exists")))
        title = content.title_of(kind, target.obj) or str(_l("a comment"))
        return Named(title, content.url_of(kind, target.obj) or "")
    return Named(subject)


def _details(raw: str) -> list[tuple[str, str]]:
    try:
        values = json.loads(raw or "{}")
    except ValueError:
        return [("", raw)]
    if not isinstance(values, dict):
        return [("", str(values))]
    shown = []
    for key, value in sorted(values.items()):
        if key in HIDDEN_DETAILS:
            continue
        label = str(DETAIL_LABELS.get(key, key))
        text = VALUE_LABELS.get(value, value) if isinstance(value, str | bool) else value
        shown.append((label, str(text)))
    return shown
