"""What single sign-on protocols share: the store of sign-ins under way, and the refusal.

OpenID Connect (``oidc.py``) keeps its state, nonce and PKCE verifier here; the browser's
cookie only says which entry is its own. An entry is read once and deleted, so an answer
replayed later, even with a copy of the old cookie, finds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.accounts.models import SsoPending
from app.clock import utcnow
from app.extensions import db

MAX_KEY_LENGTH = 128


class SignInRefused(Exception):
    """The provider's answer does not sign anyone in. ``reason`` goes to the audit log;
    ``message`` is safe to show."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


class PendingStore:
    """The cache Authlib keeps authorisation state in (get/set/delete), in the database so
    that every worker and host sees it and each entry is used once."""

    def get(self, key: str) -> str | None:
        if len(key) > MAX_KEY_LENGTH:
            return None
        row = db.session.get(SsoPending, key)
        if row is None:
            return None
        # Whatever happens next, this entry is spent.
        value = row.value if row.expires_at > utcnow() else None
        db.session.delete(row)
        db.session.commit()
        return value

    def set(self, key: str, value: str, expires_in: int) -> None:
        now = utcnow()
        db.session.execute(delete(SsoPending).where(SsoPending.expires_at <= now))
        db.session.merge(
            SsoPending(
                key=key[:MAX_KEY_LENGTH],
                value=value,
                expires_at=now + timedelta(seconds=expires_in),
            )
        )
        db.session.commit()

    def claim(self, key: str, expires_in: int) -> bool:
        """Record ``key`` as used for ``expires_in`` seconds; False when it already is."""
        now = utcnow()
        db.session.execute(delete(SsoPending).where(SsoPending.expires_at <= now))
        db.session.add(
            SsoPending(
                key=key[:MAX_KEY_LENGTH], value="", expires_at=now + timedelta(seconds=expires_in)
            )
        )
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return False
        return True

    def delete(self, key: str) -> None:
        db.session.execute(delete(SsoPending).where(SsoPending.key == key[:MAX_KEY_LENGTH]))
        db.session.commit()
