from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db

LOCAL = "local"
LDAP = "ldap"
OIDC = "oidc"
SAML = "saml"
# Sign-in at an identity provider: no password here; the provider says who the person is.
SINGLE_SIGN_ON = (OIDC, SAML)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Where the password is checked: "local" (password_hash) or "ldap" (the staff directory,
    # which also supplies name, e-mail, department and admin role).
    auth_source: Mapped[str] = mapped_column(String(16), default=LOCAL, server_default=LOCAL)
    # Who the identity provider says this is ("oidc:<sub>", "saml:<NameID>"): names and
    # e-mail addresses change, the subject does not.
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # When the directory last confirmed that this account exists and is enabled.
    directory_checked_at: Mapped[datetime | None]
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    # Set when an administrator chose the password: the first thing its owner does is
    # choose their own (app/accounts/auth.py sends them there).
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Part of the session id: raising it signs the user out on every device.
    session_version: Mapped[int] = mapped_column(default=1)
    # Two-factor sign-in: the TOTP secret (base32), in use once confirmed with a first code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    # The last 30-second step a code was accepted for: the same code is not accepted twice.
    totp_last_step: Mapped[int | None]
    # The key of the sign-in (SignIn) the current request came with; not a column.
    session_key = ""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ApiToken.created_at"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def initials(self) -> str:
        """Up to two letters for the face shown when there is no photo ("Anna Schmidt": AS)."""
        words = [word for word in self.display_name.split() if word[:1].isalnum()]
        letters = [words[0][0], words[-1][0]] if len(words) > 1 else [w[0] for w in words[:1]]
        return "".join(letters).upper() or "?"

    @property
    def is_former(self) -> bool:
        """A deactivated colleague: their content stays, shown as a former colleague's."""
        return not self.active

    @property
    def is_directory_account(self) -> bool:
        return self.auth_source == LDAP

    @property
    def has_local_password(self) -> bool:
        """Whether Kollegium keeps this account's password (not the directory or a provider)."""
        return self.auth_source == LOCAL

    def get_id(self) -> str:
        """What the session and remember-me cookies hold: the sign-in, not just the person."""
        return f"{self.id}:{self.session_version}:{self.session_key}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the token: a leaked database does not leak usable tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SsoPending(db.Model):
    """A sign-in started at an identity provider and not yet finished: the OpenID Connect
    state (with nonce and PKCE verifier), or a SAML request id. Kept here, not in the session
    cookie, so that each is used once: a replayed answer finds nothing."""

    __tablename__ = "sso_pending"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class RecoveryCode(db.Model):
    """A one-time code for signing in when the authenticator is lost; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class WebAuthnCredential(db.Model):
    """A security key or passkey registered as a second factor."""

    __tablename__ = "webauthn_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The authenticator's id for the credential, base64url as browsers send it.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


class SignIn(db.Model):
    """One signed-in browser. The session and remember-me cookies name it, so signing out
    ends it on the server: a copied cookie no longer works. Ended rows stay a while as the
    addresses this person signed in from (sign-in throttling trusts them)."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the random key in the cookie: a leaked database opens no session.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class SignInFailure(db.Model):
    """A failed sign-in, counted by account and by address (app/accounts/throttle.py). In the
    database, so that every worker and host sees the same counts."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_username", "username", "at"),
        Index("ix_sign_in_failures_address", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
