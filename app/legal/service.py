"""Reading and editing the legal pages. Until an administrator writes one, a starting text
in the reader's language says what belongs there."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.audit import service as audit
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.legal.models import LegalPage
from app.markup import render_markdown
from app.spaces import policy

KEYS = ("accessibility", "privacy", "imprint")
MAX_BODY = 100_000


@dataclass(frozen=True, slots=True)
class LegalText:
    key: str
    title: str
    html: str
    body: str
    is_default: bool


def titles() -> dict[str, str]:
    return {
        "accessibility": _("Accessibility statement"),
        "privacy": _("Privacy notice"),
        "imprint": _("Imprint"),
    }


def get(key: str) -> LegalText:
    """The page ``key`` as stored, or its starting text. Raises NotFound."""
    if key not in KEYS:
        raise NotFound(_("No such page."))
    stored = db.session.scalar(select(LegalPage).where(LegalPage.key == key))
    if stored is not None:
        return LegalText(key, titles()[key], stored.body_html, stored.body, False)
    body = _starting_text(key)
    return LegalText(key, titles()[key], render_markdown(body).html, body, True)


def editable(actor: User, key: str) -> LegalText:
    """Page ``key`` for editing. Raises Forbidden or NotFound."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    return get(key)


def update(actor: User, key: str, body: str) -> LegalText:
    """Store a new text for page ``key``. Raises Forbidden, NotFound or Invalid."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    if key not in KEYS:
        raise NotFound(_("No such page."))
    body = body.strip()
    if not body or len(body) > MAX_BODY:
        message = _("Write between 1 and %(max)d characters.", max=MAX_BODY)
        raise Invalid(message, {"body": [message]})
    stored = db.session.scalar(select(LegalPage).where(LegalPage.key == key))
    if stored is None:
        stored = LegalPage(key=key)
        db.session.add(stored)
    stored.body = body
    stored.body_html = render_markdown(body).html
    stored.updated_by_id = actor.id
    audit.record("settings_changed", actor=actor, subject=f"legal:{key}")
    db.session.commit()
    return get(key)


def _starting_text(key: str) -> str:
    if key == "accessibility":
        return _(
            "Kollegium is designed to meet WCAG 2.1 level AA (BITV 2.0): every page has "
            "landmarks, labelled forms, keyboard operation and sufficient contrast, and the "
            "interface is available in German and English.\n\n"
            "**Administrators:** replace this text with your organisation's accessibility "
            "statement, including the date of the last review, known limitations, a contact "
            "for feedback and the enforcement procedure."
        )
    if key == "privacy":
        return _(
            "Kollegium stores what you enter (profile, posts, pages, comments), the time of "
            "your sign-ins and what you chose in your settings.\n\n"
            "**Administrators:** replace this text with your organisation's privacy notice "
            "(controller, data protection officer, purposes, legal basis, retention, rights)."
        )
    return _(
        "**Administrators:** replace this text with your organisation's imprint (name, "
        "address, representative, contact)."
    )
