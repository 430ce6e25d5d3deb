"""Two-factor pages: the second step of signing in, and the settings where people set up an
authenticator app or a security key and get recovery codes."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.accounts import service, sessions, twofactor
from app.accounts.auth import API_PREFIX
from app.accounts.forms import CodeForm
from app.accounts.models import LOCAL, User
from app.errors import DomainError, Invalid
from app.extensions import db, limiter
from app.forms import show_errors

bp = Blueprint("twofactor", __name__, template_folder="templates")

PENDING_SESSION_KEY = "two_factor_pending"
# Minutes between the password and the second factor before the password is asked again.
PENDING_SECONDS = 300
# Pages open to someone who must still set up a second factor (the usage guidelines too:
# their gate and this one would otherwise send each other round in circles).
SETUP_ENDPOINTS = frozenset(
    {
        "twofactor.show_settings",
        "guidelines.accept",
        "twofactor.setup_app",
        "webauthn.register_options",
        "webauthn.register_key",
        "accounts.logout",
        "accounts.choose_language",
        "static",
        "bootstrap.static",
        "legal.show_page",
        "home.health",
    }
)


def sign_in_browser(user: User, *, remember: bool = False) -> None:
    """Open the signed-in session of this browser (a SignIn row, then Flask-Login's cookie)."""
    sessions.begin(user, request.remote_addr or "unknown", remember=remember)
    login_user(user, remember=remember)


def continue_sign_in(user: User, *, remember: bool, target: str, address: str):
    """After the password: sign in, or first ask for the second factor when ``user`` has one."""
    if not twofactor.is_enabled(user):
        sign_in_browser(user, remember=remember)
        return redirect(target)
    session[PENDING_SESSION_KEY] = {
        "user": user.id,
        "version": user.session_version,
        "remember": remember,
        "next": target,
        "until": time.time() + PENDING_SECONDS,
    }
    return redirect(url_for("twofactor.verify_sign_in"))


def pending_user() -> User | None:
    """Who passed the password step in this browser, if recently (and is still active)."""
    pending = session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    user = db.session.get(User, int(pending.get("user") or 0))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


def _pending_key() -> str:
    pending = session.get(PENDING_SESSION_KEY)
    user = pending.get("user", "") if isinstance(pending, dict) else ""
    return f"two-factor:{user}"


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=_pending_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,
)
def verify_sign_in():
    user = pending_user()
    if user is None:
        session.pop(PENDING_SESSION_KEY, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if twofactor.check_code(user, form.code.data):
            pending = session.pop(PENDING_SESSION_KEY)
            sign_in_browser(user, remember=bool(pending.get("remember")))
            return redirect(pending.get("next") or url_for("home.index"))
        service.record_refused_sign_in(LOCAL, "second_factor", name=user.username)
        form.code.errors.append(_("This code is not right."))
    status = 401 if request.method == "POST" else 200
    page = render_template(
        "accounts/two_factor_sign_in.html",
        form=form,
        has_totp=twofactor.has_totp(user),
        has_keys=bool(twofactor.security_keys(user)),
    )
    return page, status


@bp.before_app_request
def require_two_factor_setup():
    """Send people whom the administrators require to use a second factor to set one up."""
    if request.path.startswith(API_PREFIX) or not current_user.is_authenticated:
        return None
    if request.endpoint in SETUP_ENDPOINTS:
        return None
    if twofactor.is_required(current_user) and not twofactor.is_enabled(current_user):
        flash(_("Please set up a second factor to continue."), "warning")
        return redirect(url_for("twofactor.show_settings"))
    return None


@bp.route("/settings/two-factor")
@login_required
def show_settings():
    user = current_user._get_current_object()
    return render_template(
        "accounts/two_factor.html",
        applies=twofactor.applies_to(user),
        required=twofactor.is_required(user),
        has_totp=twofactor.has_totp(user),
        keys=twofactor.security_keys(user),
        can_remove_keys=twofactor.can_remove_a_key(user),
        recovery_left=twofactor.unused_recovery_codes(user),
        form=CodeForm(),
    )


@bp.route("/settings/two-factor/app", methods=["GET", "POST"])
@login_required
def setup_app():
    user = current_user._get_current_object()
    if twofactor.has_totp(user):
        flash(_("An authenticator app is set up already. Turn it off first."), "info")
        return redirect(url_for("twofactor.show_settings"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_totp(user, form.code.data)
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("The authenticator app is set up."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes)
    elif not user.totp_secret:
        twofactor.start_totp(user)
    uri = twofactor.totp_uri(user)
    return render_template(
        "accounts/two_factor_app.html",
        form=form,
        qr_code=twofactor.qr_code(uri),
        secret=user.totp_secret,
    )


@bp.route("/settings/two-factor/recovery-codes", methods=["POST"])
@login_required
def renew_recovery_codes():
    codes = twofactor.new_recovery_codes(current_user._get_current_object())
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/settings/two-factor/keys/<int:key_id>/remove", methods=["POST"])
@login_required
def remove_key(key_id: int):
    try:
        key = twofactor.remove_security_key(current_user._get_current_object(), key_id)
    except DomainError as err:
        flash(err.message, "danger")
    else:
        flash(_("The security key %(name)s was removed.", name=key.name), "success")
    return redirect(url_for("twofactor.show_settings"))


@bp.route("/settings/two-factor/off", methods=["POST"])
@login_required
def turn_off():
    form = CodeForm()
    if form.validate_on_submit():
        try:
            twofactor.turn_off(current_user._get_current_object(), form.code.data)
        except DomainError as err:
            flash(err.message, "danger")
        else:
            flash(_("Two-factor sign-in is off."), "info")
    else:
        flash(_("Enter a code to turn two-factor sign-in off."), "danger")
    return redirect(url_for("twofactor.show_settings"))
