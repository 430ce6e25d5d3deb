"""Security keys and passkeys as a second factor (WebAuthn, through the ``webauthn``
package): registering a key and confirming a sign-in with it.

Each ceremony's challenge is kept in ``sso.PendingStore`` and used once. The relying party
is the host people reach Kollegium at (``WEBAUTHN_RP_ID``, else the request's host name),
and the origin must be the one the browser is on.
"""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.accounts import twofactor
from app.accounts.models import User, WebAuthnCredential
from app.accounts.sso import PendingStore
from app.audit import service as audit
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db

CEREMONY_SECONDS = 300
MAX_KEYS = 10
MAX_KEY_NAME = 100
# A registration or sign-in answer is a few kilobytes; more is not an authenticator's.
MAX_ANSWER_BYTES = 64 * 1024


def _relying_party() -> tuple[str, str]:
    """The relying party id and the expected origin."""
    origin = f"{request.scheme}://{request.host}"
    rp_id = current_app.config["WEBAUTHN_RP_ID"] or urlsplit(origin).hostname or ""
    return rp_id, origin


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=_decode(key.credential_id))
        for key in db.session.scalars(
            select(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id)
        )
    ]


def registration_options(actor: User) -> tuple[str, str]:
    """Options for the browser to create a key for ``actor``, and the ceremony's handle.
    Raises Forbidden (not for accounts of an identity provider) or Conflict (too many)."""
    if not twofactor.applies_to(actor):
        raise Forbidden(_("Your identity provider asks for your second factor."))
    existing = _descriptors(actor)
    if len(existing) >= MAX_KEYS:
        raise Conflict(_("You have registered the most keys allowed. Remove one first."))
    rp_id, _origin = _relying_party()
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=current_app.config["TWO_FACTOR_ISSUER"],
        user_name=actor.username,
        user_id=f"kollegium-{actor.id}".encode(),
        user_display_name=actor.display_name,
        exclude_credentials=existing,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    handle = _remember(f"register:{actor.id}", options.challenge)
    return options_to_json(options), handle


def register(actor: User, handle: str, answer: str, name: str) -> WebAuthnCredential:
    """Verify the browser's answer and keep the new key. Raises Invalid."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_KEY_NAME:
        message = _("Give the key a name of at most %(max)d characters.", max=MAX_KEY_NAME)
        raise Invalid(message, {"name": [message]})
    challenge = _recall(f"register:{actor.id}", handle)
    rp_id, origin = _relying_party()
    try:
        verified = verify_registration_response(
            credential=_answer(answer),
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as err:
        raise Invalid(_("The security key was not registered. Try again.")) from err
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(
        select(WebAuthnCredential.id).where(WebAuthnCredential.credential_id == credential_id)
    ):
        raise Conflict(_("This security key is registered already."))
    key = WebAuthnCredential(
        user_id=actor.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name,
    )
    db.session.add(key)
    audit.record(
        "two_factor_enabled",
        actor=actor,
        subject=f"user:{actor.username}",
        details={"method": "webauthn", "name": name},
    )
    db.session.commit()
    return key


def sign_in_options(user: User) -> tuple[str, str]:
    """Options for the browser to confirm ``user``'s sign-in with one of their keys."""
    rp_id, _origin = _relying_party()
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    handle = _remember(f"sign-in:{user.id}", options.challenge)
    return options_to_json(options), handle


def check_sign_in(user: User, handle: str, answer: str) -> bool:
    """Whether the browser's answer proves one of ``user``'s keys signed the challenge."""
    try:
        challenge = _recall(f"sign-in:{user.id}", handle)
        data = _answer(answer)
        key = db.session.scalar(
            select(WebAuthnCredential).where(
                WebAuthnCredential.user_id == user.id,
                WebAuthnCredential.credential_id == str(data.get("id", ""))[:1400],
            )
        )
        if key is None:
            return False
        rp_id, origin = _relying_party()
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
        )
    except (Invalid, WebAuthnException, ValueError, KeyError, TypeError):
        return False
    key.sign_count = verified.new_sign_count
    key.last_used_at = utcnow()
    db.session.commit()
    return True


def _remember(purpose: str, challenge: bytes) -> str:
    handle = secrets.token_urlsafe(24)
    PendingStore().set(
        f"webauthn:{purpose}:{handle}", bytes_to_base64url(challenge), CEREMONY_SECONDS
    )
    return handle


def _recall(purpose: str, handle: str) -> bytes:
    stored = PendingStore().get(f"webauthn:{purpose}:{handle}") if handle else None
    if stored is None:
        raise Invalid(_("This confirmation has expired. Please try again."))
    return _decode(stored)


def _answer(answer: str) -> dict[str, Any]:
    if len(answer) > MAX_ANSWER_BYTES:
        raise ValueError("answer too large")
    data = json.loads(answer)
    if not isinstance(data, dict):
        raise ValueError("answer is not an object")
    return data


def _decode(value: str) -> bytes:
    return base64url_to_bytes(value)
