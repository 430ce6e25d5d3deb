"""Sign-in throttling that an attacker cannot turn against the owner of an account.

After OWASP's authentication cheat sheet: failures are counted per account *and* per
address, and a limit slows the guesser down for a while instead of locking the account:

- one address guessing one account: ``LOGIN_RATE_LIMIT`` (5 per 5 minutes);
- one address guessing many accounts: ``LOGIN_ADDRESS_RATE_LIMIT`` (30 per 5 minutes);
- many addresses guessing one account: ``LOGIN_ACCOUNT_RATE_LIMIT`` (20 per 15 minutes), which
  holds only addresses the person never signed in from, so the owner still gets in from
  their usual office while a botnet is held back.

While a limit holds, the password is not even checked (a guesser learns nothing). Failures
live in the database, which every worker and host shares; nothing is per process.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from limits import parse
from sqlalchemy import ColumnElement, delete, select

from app.accounts import sessions
from app.accounts.models import SignInFailure
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, seconds: int) -> None:
        self.retry_after = max(1, seconds)
        minutes = max(1, math.ceil(self.retry_after / 60))
        super().__init__(
            _("Too many attempts. Please try again in %(minutes)d minutes.", minutes=minutes)
        )


def check(username: str, address: str) -> None:
    """Raises TooManyAttempts while a limit holds for this account and address."""
    name = _normal(username)
    waits = [
        _wait(
            "LOGIN_RATE_LIMIT",
            (SignInFailure.username == name) & (SignInFailure.address == address),
        ),
        _wait("LOGIN_ADDRESS_RATE_LIMIT", SignInFailure.address == address),
    ]
    if not sessions.is_known_address(name, address):
        waits.append(_wait("LOGIN_ACCOUNT_RATE_LIMIT", SignInFailure.username == name))
    longest = max(waits)
    if longest > 0:
        raise TooManyAttempts(longest)


def record_failure(username: str, address: str) -> None:
    now = utcnow()
    db.session.add(SignInFailure(username=_normal(username), address=address[:45], at=now))
    # Failures older than the longest window count for nothing.
    oldest = now - timedelta(seconds=max(_window(key)[1] for key in _SETTINGS))
    db.session.execute(delete(SignInFailure).where(SignInFailure.at < oldest))
    db.session.commit()


_SETTINGS = ("LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "LOGIN_ACCOUNT_RATE_LIMIT")


def _wait(setting: str, condition: ColumnElement[bool]) -> int:
    """Seconds until the failures matching ``condition`` fall below the limit (0: none)."""
    amount, seconds = _window(setting)
    since = utcnow() - timedelta(seconds=seconds)
    recent = (
        select(SignInFailure.at)
        .where(condition, SignInFailure.at > since)
        .order_by(SignInFailure.at.desc())
        .limit(amount)
    )
    times = list(db.session.scalars(recent))
    if len(times) < amount:
        return 0
    # The limit holds until the oldest of the last ``amount`` failures leaves the window.
    return math.ceil((times[-1] + timedelta(seconds=seconds) - utcnow()).total_seconds())


def _window(setting: str) -> tuple[int, int]:
    item = parse(current_app.config[setting])
    return item.amount, item.get_expiry()


def _normal(username: str) -> str:
    return (username or "").strip().lower()[:64]
