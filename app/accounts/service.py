"""Accounts: creating and changing users, signing in, API tokens.

The only module that writes the users and api_tokens tables.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.accounts import directory, sessions
from app.accounts.directory import DirectoryPerson, DirectoryUnavailable
from app.accounts.models import LDAP, LOCAL, ApiToken, User
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.accounts.sso import SignInRefused
from app.audit import service as audit
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.inputs import id_or_none
from app.spaces import policy
from app.spaces import service as spaces

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MAX_DISPLAY_NAME = 120
MAX_PASSWORD = 1024
MAX_TOKEN_NAME = 100
TOKEN_PREFIX = "kol_"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewUser:
    username: str
    email: str
    display_name: str
    password: str | None = None
    is_admin: bool = False
    auth_source: str = LOCAL


def get_user(actor: User, user_id: int) -> User:
    """The user with ``user_id``. Raises NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    return user


def get_user_by_username(actor: User | None, username: str) -> User:
    """The user called ``username`` (any case). Raises NotFound."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(_("No such person."))
    return user


USER_STATUSES = ("active", "deactivated", "admins")


def list_users(
    actor: User,
    *,
    page: int = 1,
    per_page: int | None = None,
    search: str = "",
    status: str = "",
):
    """Users for administrators, by name; ``search`` matches name, username or e-mail,
    ``status`` is one of USER_STATUSES (anything else: everyone). Raises Forbidden."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    query = select(User).order_by(func.lower(User.display_name), User.id)
    words = search.strip()[:100]
    if words:
        # The typed text is matched literally: % and _ are not wildcards here.
        literal = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{literal}%"
        query = query.where(
            func.lower(User.display_name).like(pattern, escape="\\")
            | func.lower(User.username).like(pattern, escape="\\")
            | func.lower(User.email).like(pattern, escape="\\")
        )
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "deactivated":
        query = query.where(User.active.is_(False))
    elif status == "admins":
        query = query.where(User.is_admin.is_(True))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def new_colleagues(actor: User, *, days: int, limit: int) -> list[User]:
    """Active colleagues whose accounts are at most ``days`` old, newest first."""
    since = utcnow() - timedelta(days=days)
    query = (
        select(User)
        .where(User.active.is_(True), User.created_at >= since, User.id != actor.id)
        .order_by(User.created_at.desc(), User.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def create_user(actor: User | None, new: NewUser) -> User:
    """Create an account. ``actor`` None is the command line. Raises Forbidden or Invalid."""
    if actor is not None and not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may create accounts."))
    username = new.username.strip().lower()
    email = new.email.strip()
    display_name = " ".join(new.display_name.split())
    errors: dict[str, list[str]] = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = [
            _("Use 1 to 64 characters: letters a–z, digits, dot, hyphen or underscore.")
        ]
    if problem := _email_problem(email):
        errors["email"] = [problem]
    if problem := _display_name_problem(display_name):
        errors["display_name"] = [problem]
    if new.password is not None and (problem := password_problem(new.password)):
        errors["password"] = [problem]
    if errors:
        raise Invalid(_("The account could not be created."), errors)
    taken = db.session.scalars(
        select(User).where(or_(User.username == username, func.lower(User.email) == email.lower()))
    ).all()
    for user in taken:
        if user.username == username:
            errors["username"] = [_("This username is taken.")]
        if user.email.lower() == email.lower():
            errors["email"] = [_("An account with this e-mail address exists.")]
    if errors:
        raise Conflict(_("The account could not be created."), errors)
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        is_admin=new.is_admin,
        password_hash=hash_password(new.password) if new.password else None,
        auth_source=new.auth_source,
        # A password an administrator typed is known to two people: its owner replaces it.
        must_change_password=actor is not None and bool(new.password),
    )
    db.session.add(user)
    db.session.flush()
    details = {"admin": new.is_admin}
    if new.auth_source != LOCAL:
        details["source"] = new.auth_source
    audit.record("user_created", actor=actor, subject=f"user:{username}", details=details)
    db.session.commit()
    return user


def update_identity(
    actor: User, user: User, *, display_name: str | None = None, email: str | None = None
) -> None:
    """Change ``user``'s display name and/or e-mail address (None: keep). Does not commit:
    the caller's edit commits once. Raises Forbidden, Invalid or Conflict."""
    if not policy.can_edit_profile(actor, user):
        raise Forbidden(_("You may not edit this profile."))
    errors: dict[str, list[str]] = {}
    if display_name is not None:
        display_name = " ".join(display_name.split())
        if problem := _display_name_problem(display_name):
            errors["display_name"] = [problem]
    if email is not None:
        email = email.strip()
        if problem := _email_problem(email):
            errors["email"] = [problem]
        elif email.lower() != user.email.lower() and db.session.scalar(
            select(User.id).where(func.lower(User.email) == email.lower(), User.id != user.id)
        ):
            errors["email"] = [_("An account with this e-mail address exists.")]
    if errors:
        raise Invalid(_("The profile could not be saved."), errors)
    if display_name is not None:
        user.display_name = display_name
    if email is not None:
        user.email = email


def _display_name_problem(display_name: str) -> str | None:
    if not display_name or len(display_name) > MAX_DISPLAY_NAME:
        return _("Enter a name of at most %(max)d characters.", max=MAX_DISPLAY_NAME)
    return None


def _email_problem(email: str) -> str | None:
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        return _("Enter a valid e-mail address.")
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(min)d characters.", min=minimum)
    if len(password) > MAX_PASSWORD:
        return _("Use at most %(max)d characters.", max=MAX_PASSWORD)
    return None


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, else None (the caller shows one neutral
    message whatever went wrong). Local accounts are checked here; when the staff directory
    is configured, everyone else is asked there. Raises DirectoryUnavailable when the
    directory was needed and no server answered (local accounts still sign in)."""
    name = username.strip().lower()[:64]
    if not password_sign_in_allowed():
        return _sign_in_failed(name, "password_sign_in_off", source=LOCAL)
    if not name.isprintable():  # no account holds control characters; PostgreSQL cannot compare NUL
        return _sign_in_failed(name)
    user = db.session.scalar(select(User).where(User.username == name))
    if (user is None or user.is_directory_account) and directory.is_configured():
        return _authenticate_in_directory(name, password, user)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        return _sign_in_failed(name)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record("sign_in", actor=user, subject=f"user:{user.username}")
    db.session.commit()
    return user


def password_sign_in_allowed() -> bool:
    """Whether the password form signs anyone in: always without single sign-on; beside it,
    unless PASSWORD_SIGN_IN switches it off (then the provider is the only way in)."""
    from app.accounts import oidc, saml  # they read settings only; imported where needed

    single_sign_on = oidc.is_configured() or saml.is_configured()
    return bool(current_app.config["PASSWORD_SIGN_IN"]) or not single_sign_on


def _sign_in_failed(name: str, reason: str = "", *, source: str = LDAP) -> None:
    details = {"source": source, "reason": reason} if reason else None
    audit.record("sign_in_failed", actor=None, subject=f"user:{name}", details=details)
    db.session.commit()
    return None


def _authenticate_in_directory(name: str, password: str, user: User | None) -> User | None:
    if not password:
        return _sign_in_failed(name, "empty_password")
    if not USERNAME_PATTERN.match(name):
        # Not a name Kollegium could give an account; the directory is not asked.
        return _sign_in_failed(name, "unknown")
    try:
        person = directory.lookup(name)
        if person is None or person.is_disabled:
            reason = "unknown" if person is None else "disabled"
            if user is not None:
                _deactivate_for_directory(user, reason)
            return _sign_in_failed(name, reason)
        if not directory.check_password(person, password):
            return _sign_in_failed(name, "password")
    except DirectoryUnavailable:
        _sign_in_failed(name, "unreachable")
        raise
    if user is not None and not user.active:
        # Deactivated here (by an administrator, or earlier by the directory): an
        # administrator reactivates it.
        return _sign_in_failed(name, "inactive")
    user = _account_from_directory(user, person)
    if user is None:
        return _sign_in_failed(name, "conflict")
    user.directory_checked_at = utcnow()
    audit.record("sign_in", actor=user, subject=f"user:{user.username}", details={"source": LDAP})
    db.session.commit()
    return user


def sign_in_from_provider(source: str, subject: str, person: DirectoryPerson) -> User:
    """The account of the person an identity provider (``source``: OpenID Connect or SAML)
    has confirmed as ``subject``, created on first sign-in and updated from the provider's
    claims every time. Raises SignInRefused (recorded) when it cannot be theirs."""
    if not USERNAME_PATTERN.match(person.username):
        _refuse(source, person.username, "username")
    key = f"{source}:{subject}"[:255]
    if not key.isprintable():  # PostgreSQL cannot compare NUL; no subject holds control characters
        _refuse(source, person.username, "subject")
    user = db.session.scalar(select(User).where(User.sso_subject == key))
    if user is None:
        user = db.session.scalar(select(User).where(User.username == person.username))
        if user is not None and (user.sso_subject is not None or user.auth_source == LOCAL):
            # Never hand an existing account to whoever a provider names alike: a local
            # account (the break-glass administrator, say) keeps its password sign-in only.
            _refuse(source, person.username, "conflict")
    if user is not None and not user.active:
        _refuse(source, person.username, "inactive")
    created = user is None
    user = _account_from_directory(user, person, source)
    if user is None:
        _refuse(source, person.username, "conflict")
    user.sso_subject = key
    details = {"source": source, "created": True} if created else {"source": source}
    audit.record("sign_in", actor=user, subject=f"user:{user.username}", details=details)
    db.session.commit()
    return user


def _refuse(source: str, name: str, reason: str) -> NoReturn:
    _sign_in_failed(name[:64] if name.isprintable() else "", reason, source=source)
    if reason == "inactive":
        message = _("Your account here is deactivated. An administrator can reactivate it.")
    elif reason in ("username", "subject"):
        message = _("The identity provider's username cannot be used here.")
    else:
        message = _(
            "An account with this username or e-mail address already exists here and is not "
            "linked to the identity provider. An administrator can help."
        )
    raise SignInRefused(reason, message)


def record_refused_sign_in(source: str, reason: str, name: str = "") -> None:
    """Record a sign-in that an identity provider's answer, or a wrong second factor, did
    not allow."""
    _sign_in_failed(name, reason, source=source)


def _account_from_directory(
    user: User | None, person: DirectoryPerson, source: str = LDAP
) -> User | None:
    """Create or update the account of a person the directory (or an identity provider)
    signed in; None when its data cannot make an account (bad e-mail, taken by a local
    account)."""
    if user is None:
        try:
            user = create_user(
                None,
                NewUser(
                    username=person.username,
                    email=person.email,
                    display_name=person.display_name,
                    is_admin=bool(person.is_admin),
                    auth_source=source,
                ),
            )
        except (Invalid, Conflict) as err:
            log.warning("Directory account %s not created: %s", person.username, err.errors)
            db.session.rollback()
            return None
        if person.is_admin:
            audit.record("admin_granted", actor=None, subject=f"user:{user.username}")
    else:
        _update_from_directory(user, person, source)
    _place_in_department(user, person, source)
    return user


def _place_in_department(user: User, person: DirectoryPerson, source: str) -> list[str]:
    """Follow the directory's department: join it, and leave the department the directory
    placed the person in before. Returns what changed, as "+name" / "-name"."""
    department = spaces.department_named(person.department) if person.department else None
    return spaces.place_in_department(user, department, source=source)


def _update_from_directory(user: User, person: DirectoryPerson, source: str = LDAP) -> None:
    display_name = " ".join(person.display_name.split())
    if display_name and not _display_name_problem(display_name):
        user.display_name = display_name
    email = person.email.strip()
    if email.lower() != user.email.lower() and not _email_problem(email):
        taken = db.session.scalar(
            select(User.id).where(func.lower(User.email) == email.lower(), User.id != user.id)
        )
        if taken:
            log.warning("Directory e-mail of %s is another account's; kept", user.username)
        else:
            user.email = email
    if person.is_admin is not None and user.is_admin != person.is_admin:
        user.is_admin = person.is_admin
        action = "admin_granted" if person.is_admin else "admin_withdrawn"
        audit.record(
            action, actor=None, subject=f"user:{user.username}", details={"source": source}
        )


def _deactivate_for_directory(user: User, reason: str) -> None:
    """The directory no longer finds ``user`` or has disabled them: end their sessions and
    tokens' use. Commits."""
    if user.active:
        user.active = False
        user.deactivated_at = utcnow()
        user.session_version += 1
        audit.record(
            "user_deactivated",
            actor=None,
            subject=f"user:{user.username}",
            details={"source": LDAP, "reason": reason},
        )
    db.session.commit()


def _still_admitted_by_directory(user: User) -> bool:
    """For a directory account, whether the directory still knows and enables it, asked at
    most every LDAP_RECHECK_SECONDS. Deactivates the account when not. While no server
    answers the last verdict stands, so an outage does not lock everyone out."""
    if not user.is_directory_account or not directory.is_configured():
        return True
    now = utcnow()
    recheck = current_app.config["LDAP_RECHECK_SECONDS"]
    checked = user.directory_checked_at
    if checked is not None and (now - checked).total_seconds() < recheck:
        return True
    try:
        person = directory.lookup(user.username)
    except DirectoryUnavailable as err:
        log.warning("Directory not reachable to recheck %s: %s", user.username, err)
        # Ask again after the next interval, not on every request (each would wait for
        # the timeouts while the directory is down).
        user.directory_checked_at = now
        db.session.commit()
        return True
    if person is None or person.is_disabled:
        _deactivate_for_directory(user, "unknown" if person is None else "disabled")
        return False
    user.directory_checked_at = now
    db.session.commit()
    return True


@dataclass(frozen=True, slots=True)
class SyncChange:
    username: str
    changes: tuple[str, ...]


def sync_directory() -> list[SyncChange]:
    """Pull what the staff directory says about every directory account: names, e-mail
    addresses, admin role and department (a move ends the department membership the
    directory made); people it no longer has, or has disabled, are deactivated. Returns who
    changed and how. Raises Invalid when no directory is configured, DirectoryUnavailable
    when it cannot be asked (what was synced until then stays)."""
    if not directory.is_configured():
        raise Invalid(_("No staff directory is configured."))
    users = {
        user.username: user
        for user in db.session.scalars(
            select(User).where(User.auth_source == LDAP).order_by(User.username)
        )
    }
    report = []
    now = utcnow()
    for username, person in directory.lookup_many(list(users)):
        user = users[username]
        changes = _sync_one(user, person)
        user.directory_checked_at = now
        db.session.commit()
        if changes:
            report.append(SyncChange(username, tuple(changes)))
    return report


def _sync_one(user: User, person: DirectoryPerson | None) -> list[str]:
    if person is None or person.is_disabled:
        if not user.active:
            return []
        _deactivate_for_directory(user, "unknown" if person is None else "disabled")
        return ["deactivated"]
    if not user.active:
        # Deactivated here: an administrator reactivates, as at sign-in.
        return []
    labels = ("name", "e-mail", "admin")
    before = (user.display_name, user.email, user.is_admin)
    _update_from_directory(user, person)
    after = (user.display_name, user.email, user.is_admin)
    changes = [
        f"{label}: {old!r} -> {new!r}"
        for label, old, new in zip(labels, before, after, strict=True)
        if old != new
    ]
    return changes + _place_in_department(user, person, LDAP)


def change_password(actor: User, current: str, new: str) -> None:
    """Set a new password; signs the user out elsewhere. Raises Invalid (also for directory
    accounts, whose password the directory keeps)."""
    if actor.is_directory_account:
        message = _("Your password is managed by the staff directory; change it there.")
        raise Invalid(message, {"current_password": [message]})
    if not verify_password(actor.password_hash, current):
        raise Invalid(
            _("The current password is not correct."),
            {"current_password": [_("The current password is not correct.")]},
        )
    if problem := password_problem(new):
        raise Invalid(problem, {"new_password": [problem]})
    actor.password_hash = hash_password(new)
    actor.must_change_password = False
    actor.session_version += 1
    audit.record("password_changed", actor=actor, subject=f"user:{actor.username}")
    db.session.commit()


def check_may_set_password(actor: User, user: User) -> None:
    """Raises Forbidden unless ``actor`` administers and ``user`` is someone else whose
    password Kollegium keeps (not the staff directory or an identity provider)."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    if actor.id == user.id:
        raise Forbidden(_("Change your own password in your settings."))
    if not user.has_local_password:
        raise Forbidden(
            _("The staff directory or the identity provider keeps this person's password.")
        )


def set_password(actor: User, user: User, new: str) -> None:
    """An administrator sets a colleague's password (say, when it is forgotten). The
    colleague chooses their own at the next sign-in and is signed out everywhere now.
    Raises Forbidden (see ``check_may_set_password``) or Invalid."""
    check_may_set_password(actor, user)
    if problem := password_problem(new):
        raise Invalid(problem, {"password": [problem]})
    user.password_hash = hash_password(new)
    # A password an administrator typed is known to two people: its owner replaces it.
    user.must_change_password = True
    sessions.end_every_sign_in(user)
    audit.record("password_set", actor=actor, subject=f"user:{user.username}")
    db.session.commit()


def set_active(actor: User | None, user: User, active: bool) -> None:
    """Deactivate or reactivate ``user``. Deactivation ends their sessions and tokens' use.
    Raises Forbidden."""
    if actor is not None and not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    if actor is not None and actor.id == user.id and not active:
        raise Forbidden(_("You cannot deactivate yourself."))
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    user.session_version += 1
    action = "user_activated" if active else "user_deactivated"
    audit.record(action, actor=actor, subject=f"user:{user.username}")
    db.session.commit()


def set_admin(actor: User, user: User, is_admin: bool) -> None:
    """Grant or withdraw the admin role. Raises Forbidden."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))
    if actor.id == user.id and not is_admin:
        raise Forbidden(_("You cannot withdraw your own admin role."))
    if user.is_admin == is_admin:
        return
    user.is_admin = is_admin
    action = "admin_granted" if is_admin else "admin_withdrawn"
    audit.record(action, actor=actor, subject=f"user:{user.username}")
    db.session.commit()


def set_locale(actor: User, locale: str) -> None:
    """Remember the user's interface language. Raises Invalid."""
    if locale not in current_app.config["LANGUAGES"]:
        raise Invalid(_("Unknown language."))
    actor.locale = locale
    db.session.commit()


def user_for_session(user_id: str) -> User | None:
    """The user a session or remember-me cookie names, if that sign-in is still open."""
    raw_id, raw_version, key = [*user_id.split(":"), "", ""][:3]
    user_pk, version = id_or_none(raw_id), id_or_none(raw_version)
    if user_pk is None or version is None:
        return None
    user = sessions.signed_in_user(user_pk, key)
    if user is None or not user.active or user.session_version != version:
        return None
    if not _still_admitted_by_directory(user):
        return None
    user.session_key = key
    return user


def create_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``actor``; the plain token is returned once and never stored.
    Raises Invalid."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_TOKEN_NAME:
        raise Invalid(
            _("Give the token a name of at most %(max)d characters.", max=MAX_TOKEN_NAME),
            {"name": [_("Enter a name of at most %(max)d characters.", max=MAX_TOKEN_NAME)]},
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, token_hash=_token_hash(plain))
    db.session.add(token)
    audit.record(
        "token_created", actor=actor, subject=f"user:{actor.username}", details={"name": name}
    )
    db.session.commit()
    return token, plain


def list_tokens(actor: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(actor: User, token_id: int) -> None:
    """Revoke one of ``actor``'s tokens. Raises NotFound (also for other people's)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id or token.is_revoked:
        raise NotFound(_("No such token."))
    token.revoked_at = utcnow()
    audit.record(
        "token_revoked", actor=actor, subject=f"user:{actor.username}", details={"name": token.name}
    )
    db.session.commit()


def user_for_token(plain: str) -> User | None:
    """The active owner of a valid, unrevoked token, else None."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(plain)))
    if token is None or token.is_revoked or not token.user.active:
        return None
    if not _still_admitted_by_directory(token.user):
        return None
    now = utcnow()
    # Write the last-use time at most once a minute, not on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        db.session.commit()
    return token.user


def _token_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()
