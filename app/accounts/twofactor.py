"""Two-factor sign-in for accounts whose password is checked here or in the staff directory:
an authenticator app (TOTP, pyotp; the QR code drawn here by segno, nothing leaves the
intranet), security keys and passkeys (WebAuthn, ``webauthn_keys.py``), and one-time
recovery codes of which only hashes are kept. People who sign in at an identity provider
use that provider's second factor.

The only module that writes the two-factor columns and the recovery_codes table.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from app.accounts import sessions
from app.accounts.models import LDAP, LOCAL, RecoveryCode, User, WebAuthnCredential
from app.audit import service as audit
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.spaces import policy

RECOVERY_CODE_COUNT = 10
# Codes one step (30 s) early or late still count: phone clocks drift.
TOTP_DRIFT_STEPS = 1
REQUIREMENTS = ("none", "admins", "everyone")


def applies_to(user: User) -> bool:
    """Whether Kollegium asks this account for a second factor (not so for accounts signed
    in at an identity provider, which asks for its own)."""
    return user.auth_source in (LOCAL, LDAP)


def has_totp(user: User) -> bool:
    return user.totp_confirmed_at is not None


def security_keys(user: User) -> list[WebAuthnCredential]:
    query = select(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id)
    return list(db.session.scalars(query.order_by(WebAuthnCredential.created_at)))


def is_enabled(user: User) -> bool:
    """Whether signing in as ``user`` asks for a second factor."""
    if not applies_to(user):
        return False
    if has_totp(user):
        return True
    query = select(func.count()).where(WebAuthnCredential.user_id == user.id)
    return bool(db.session.scalar(query))


def with_second_factor(user_ids: list[int]) -> set[int]:
    """Which of these people sign in with a second factor here (one query for a list)."""
    if not user_ids:
        return set()
    with_keys = select(WebAuthnCredential.user_id).where(WebAuthnCredential.user_id.in_(user_ids))
    query = select(User.id).where(
        User.id.in_(user_ids),
        User.auth_source.in_((LOCAL, LDAP)),
        or_(User.totp_confirmed_at.is_not(None), User.id.in_(with_keys)),
    )
    return set(db.session.scalars(query))


def is_required(user: User) -> bool:
    """Whether the administrators require ``user`` to set up a second factor
    (TWO_FACTOR_REQUIRED: none, admins or everyone)."""
    required = current_app.config["TWO_FACTOR_REQUIRED"]
    if not applies_to(user) or required == "none":
        return False
    return required == "everyone" or user.is_admin


def start_totp(actor: User) -> str:
    """A new secret for ``actor``'s authenticator app, in use once a first code confirms it.
    Raises Forbidden or Conflict (an app is set up already)."""
    _ensure_applies(actor)
    if has_totp(actor):
        raise Conflict(_("An authenticator app is set up already. Turn it off first."))
    actor.totp_secret = pyotp.random_base32()
    db.session.commit()
    return actor.totp_secret


def totp_uri(actor: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(actor.totp_secret).provisioning_uri(name=actor.username, issuer_name=issuer)


def qr_code(uri: str) -> str:
    """The QR code of ``uri`` as an SVG data: URL, drawn here."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def confirm_totp(actor: User, code: str) -> list[str]:
    """Put the authenticator app in use once it shows a right code; returns new recovery
    codes (shown once). Raises Invalid or Conflict."""
    _ensure_applies(actor)
    if has_totp(actor) or not actor.totp_secret:
        raise Conflict(_("Start the set-up of an authenticator app first."))
    if not _accept_totp(actor, code):
        message = _("This code is not right. Check the time on your phone and try again.")
        raise Invalid(message, {"code": [message]})
    actor.totp_confirmed_at = utcnow()
    audit.record(
        "two_factor_enabled",
        actor=actor,
        subject=f"user:{actor.username}",
        details={"method": "totp"},
    )
    codes = _replace_recovery_codes(actor)
    db.session.commit()
    return codes


def new_recovery_codes(actor: User) -> list[str]:
    """Replace ``actor``'s recovery codes; the old ones stop working. Raises Conflict when no
    second factor is set up."""
    if not is_enabled(actor):
        raise Conflict(_("Set up a second factor first."))
    codes = _replace_recovery_codes(actor)
    db.session.commit()
    return codes


def unused_recovery_codes(user: User) -> int:
    query = select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return db.session.scalar(query) or 0


def turn_off(actor: User, code: str) -> None:
    """Remove the authenticator app, the security keys and the recovery codes after a
    right code. Raises Forbidden (required here) or Invalid."""
    if is_required(actor):
        raise Forbidden(_("Your administrators require a second factor; it cannot be turned off."))
    if not check_code(actor, code):
        message = _("This code is not right.")
        raise Invalid(message, {"code": [message]})
    _clear(actor)
    audit.record("two_factor_disabled", actor=actor, subject=f"user:{actor.username}")
    db.session.commit()


def can_remove_a_key(user: User) -> bool:
    """Whether one security key can go alone: another second factor stays. (The last one
    goes only by turning two-factor sign-in off, with a code, and not while required.)"""
    return has_totp(user) or len(security_keys(user)) > 1


def remove_security_key(actor: User, key_id: int) -> WebAuthnCredential:
    """Remove one of ``actor``'s security keys. The last second factor is not removed this
    way: when required it stays, otherwise turning two-factor sign-in off (with a code)
    removes it. Raises NotFound or Conflict."""
    key = db.session.get(WebAuthnCredential, key_id)
    if key is None or key.user_id != actor.id:
        raise NotFound(_("No such security key."))
    if not can_remove_a_key(actor):
        if is_required(actor):
            raise Conflict(
                _(
                    "Your administrators require a second factor: set up another one "
                    "before you remove this key."
                )
            )
        raise Conflict(
            _(
                "This key is your only second factor. "
                "To stop using one, turn two-factor sign-in off."
            )
        )
    db.session.delete(key)
    audit.record(
        "security_key_removed",
        actor=actor,
        subject=f"user:{actor.username}",
        details={"name": key.name},
    )
    db.session.commit()
    return key


def reset(actor: User | None, user: User) -> None:
    """An administrator (or the command line, ``actor`` None) removes ``user``'s second
    factors after they lost them, and signs them out everywhere; they set up new ones at
    the next sign-in if required. Raises Forbidden or Conflict (no second factor)."""
    if actor is not None:
        if not policy.can_administer(actor):
            raise Forbidden(_("Only administrators may do this."))
        if actor.id == user.id:
            raise Forbidden(_("Change your own second factors in your two-factor settings."))
    if not is_enabled(user):
        raise Conflict(_("%(name)s has no second factor to reset.", name=user.display_name))
    _clear(user)
    sessions.end_every_sign_in(user)
    audit.record("two_factor_reset", actor=actor, subject=f"user:{user.username}")
    db.session.commit()


def check_code(user: User, code: str) -> bool:
    """Whether ``code`` is a right code from the authenticator app (each accepted once) or
    an unused recovery code (then used up). Commits."""
    code = "".join(code.split()).lower()[:64]
    if code.isdigit() and has_totp(user):
        accepted = _accept_totp(user, code)
        db.session.commit()
        return accepted
    if not code:
        return False
    digest = _hash(code.replace("-", ""))
    for stored in db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ):
        if hmac.compare_digest(stored.code_hash, digest):
            stored.used_at = utcnow()
            audit.record("recovery_code_used", actor=user, subject=f"user:{user.username}")
            db.session.commit()
            return True
    return False


def _accept_totp(user: User, code: str) -> bool:
    code = "".join(code.split())
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for offset in range(-TOTP_DRIFT_STEPS, TOTP_DRIFT_STEPS + 1):
        moment = now + offset * totp.interval
        step = int(moment // totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            # A code seen once (say, over a shoulder) does not sign in again.
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _replace_recovery_codes(actor: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == actor.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=actor.id, code_hash=_hash(code.replace("-", ""))) for code in codes
    )
    return codes


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id))


def _ensure_applies(actor: User) -> None:
    if not applies_to(actor):
        raise Forbidden(_("Your identity provider asks for your second factor."))


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
