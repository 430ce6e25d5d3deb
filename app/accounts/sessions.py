"""Signed-in browsers (SignIn): begun at sign-in, ended at sign-out, on the server.

The session cookie and the remember-me cookie both hold ``user id:session version:key``;
a request is signed in only while the SignIn of that key is neither ended nor expired.
Signing out therefore ends what a copied cookie could do, and "sign out everywhere" ends
every SignIn of the person (and raises the session version, as a password change does).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from app import pagecache
from app.accounts.models import SignIn, User
from app.audit import service as audit
from app.clock import utcnow
from app.extensions import db

# Ended and expired sign-ins are kept this long as the person's known addresses.
KEEP_DAYS = 90


def begin(user: User, address: str, *, remember: bool) -> str:
    """Record a new sign-in of ``user`` from ``address``; returns the key for its cookies
    (also set on ``user.session_key``, so ``get_id`` names it)."""
    config = current_app.config
    lifetime = (
        timedelta(days=config["REMEMBER_DAYS"])
        if remember
        else timedelta(hours=config["SESSION_HOURS"])
    )
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        SignIn(
            user_id=user.id,
            key_hash=_hash(key),
            address=address[:45],
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    # Old rows go when new ones come, so the table stays small without a cleaning job.
    db.session.execute(delete(SignIn).where(SignIn.expires_at < now - timedelta(days=KEEP_DAYS)))
    db.session.commit()
    user.session_key = key
    return key


def signed_in_user(user_id: int, key: str) -> User | None:
    """The user ``user_id`` if ``key`` names a sign-in of theirs that has not ended or
    expired; asked with every page, so in one statement."""
    if not key:
        return None
    # The data generation comes along, so the page cache asks no statement of its own.
    found = db.session.execute(
        select(User, pagecache.generation_column())
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            User.id == user_id,
            SignIn.key_hash == _hash(key),
            SignIn.ended_at.is_(None),
            SignIn.expires_at > utcnow(),
        )
    ).first()
    if found is None:
        return None
    user, generation = found
    pagecache.remember_generation(generation)
    return user


def end(user: User) -> None:
    """Sign out the browser of the current request."""
    if user.session_key:
        db.session.execute(
            update(SignIn)
            .where(SignIn.key_hash == _hash(user.session_key), SignIn.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()


def end_all(actor: User) -> None:
    """Sign ``actor`` out on every device, this one included."""
    end_every_sign_in(actor)
    audit.record("signed_out_everywhere", actor=actor, subject=f"user:{actor.username}")
    db.session.commit()


def end_every_sign_in(user: User) -> None:
    """End every signed-in browser of ``user`` (the caller commits): their cookies, copies
    included, no longer sign anyone in."""
    db.session.execute(
        update(SignIn)
        .where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    user.session_version += 1


def is_known_address(username: str, address: str) -> bool:
    """Whether the account ``username`` signed in from ``address`` in the last KEEP_DAYS."""
    since = utcnow() - timedelta(days=KEEP_DAYS)
    query = (
        select(SignIn.id)
        .join(User, User.id == SignIn.user_id)
        .where(User.username == username, SignIn.address == address, SignIn.created_at > since)
        .limit(1)
    )
    return db.session.scalar(query) is not None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
