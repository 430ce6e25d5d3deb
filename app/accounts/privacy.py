"""What the accounts tables hold about a person: for their export, and for erasure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.accounts.models import ApiToken, RecoveryCode, User, WebAuthnCredential
from app.extensions import db
from app.privacy import BULK_WRITE
from app.privacy.pseudonyms import Pseudonym


def export(user: User) -> dict[str, Any]:
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
    )
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "is_admin": user.is_admin,
        "active": user.active,
        "locale": user.locale,
        "created_at": user.created_at,
        "deactivated_at": user.deactivated_at,
        "sign_in_source": user.auth_source,
        "single_sign_on_subject": user.sso_subject,
        "two_factor_app": user.totp_confirmed_at,
        "security_keys": [
            {"name": key.name, "created_at": key.created_at, "last_used_at": key.last_used_at}
            for key in db.session.scalars(
                select(WebAuthnCredential)
                .where(WebAuthnCredential.user_id == user.id)
                .order_by(WebAuthnCredential.created_at)
            )
        ],
        # Names and dates only: a token's hash is no one's business, not even its owner's.
        "api_tokens": [
            {
                "name": token.name,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "revoked_at": token.revoked_at,
            }
            for token in tokens
        ],
    }


def erase(user: User, pseudonym: Pseudonym) -> None:
    db.session.execute(
        delete(ApiToken).where(ApiToken.user_id == user.id), execution_options=BULK_WRITE
    )
    for model in (RecoveryCode, WebAuthnCredential):
        db.session.execute(
            delete(model).where(model.user_id == user.id), execution_options=BULK_WRITE
        )
    db.session.expire(user, ["tokens"])
    # The provider's subject may be a name or an e-mail address (SAML NameID).
    user.sso_subject = None
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.username = pseudonym.username
    user.email = pseudonym.email
    user.display_name = pseudonym.display_name
    user.password_hash = None
    user.locale = None
    user.is_admin = False
    user.active = False
    # Signs them out on every device, should a session have survived deactivation.
    user.session_version += 1
