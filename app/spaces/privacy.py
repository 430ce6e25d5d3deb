"""Memberships in spaces: part of a person's export; an erased colleague leaves them all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.accounts.models import User
from app.extensions import db
from app.privacy import BULK_WRITE
from app.privacy.pseudonyms import Pseudonym
from app.spaces.models import Membership, Space


def export(user: User) -> dict[str, Any]:
    rows = db.session.execute(
        select(Space.name, Space.kind, Membership.role, Membership.created_at)
        .join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == user.id)
        .order_by(Space.name)
    )
    return {
        "memberships": [
            {"space": name, "kind": str(kind), "role": str(role), "since": since}
            for name, kind, role, since in rows
        ]
    }


def erase(user: User, pseudonym: Pseudonym) -> None:
    db.session.execute(
        delete(Membership).where(Membership.user_id == user.id), execution_options=BULK_WRITE
    )
