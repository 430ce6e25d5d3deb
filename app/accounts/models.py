from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db

LOCAL = "local"
LDAP = "ldap"


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
