"""Sign-in, sign-out and personal settings (password, language, API tokens)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import service, sessions, throttle
from app.accounts.directory import DirectoryUnavailable
from app.accounts.forms import LanguageForm, LoginForm, PasswordForm, TokenForm
from app.accounts.throttle import TooManyAttempts
from app.errors import Invalid
from app.forms import show_errors

bp = Blueprint("accounts", __name__, template_folder="templates")


def safe_target(target: str | None, fallback: str) -> str:
    """Only our own paths, so a crafted link cannot send people elsewhere after sign-in."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    failed = directory_down = False
    throttled: TooManyAttempts | None = None
    if form.validate_on_submit():
        address = _address()
        user = None
        try:
            throttle.check(form.username.data, address)
            user = service.authenticate(form.username.data, form.password.data)
        except TooManyAttempts as err:
            throttled = err
        except DirectoryUnavailable:
            directory_down = True
        if user is not None:
            sessions.begin(user, address, remember=form.remember.data)
            login_user(user, remember=form.remember.data)
            return redirect(safe_target(request.args.get("next"), url_for("home.index")))
        if throttled is None and not directory_down:
            throttle.record_failure(form.username.data, address)
            failed = True
    status = 200 if request.method == "GET" else 400
    if directory_down or failed or throttled:
        status = 503 if directory_down else 401 if failed else 429
    page = render_template(
        "accounts/login.html",
        form=form,
        failed=failed,
        directory_down=directory_down,
        throttled=throttled.message if throttled else None,
    )
    headers = {"Retry-After": str(throttled.retry_after)} if throttled else {}
    return page, status, headers


def _address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end(current_user._get_current_object())
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/settings/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    sessions.end_all(current_user._get_current_object())
    logout_user()
    flash(_("You are signed out on all devices."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/language", methods=["POST"])
def choose_language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            service.set_locale(current_user, form.locale.data)
        elif form.locale.data in ("de", "en"):
            session["locale"] = form.locale.data
    return redirect(safe_target(request.form.get("next"), url_for("home.index")))


@bp.route("/settings/")
@login_required
def settings():
    # The directory keeps a directory account's password.
    has_local_password = not current_user.is_directory_account
    return render_template("accounts/settings.html", has_local_password=has_local_password)


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.change_password(user, form.current_password.data, form.new_password.data)
        except Invalid as err:
            show_errors(form, err)
        else:
            # The session version changed: sign in again on this device only.
            sessions.begin(user, _address(), remember=False)
            login_user(user)
            flash(_("Your password was changed. Other devices are signed out."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/password.html", form=form)


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            _token, new_token = service.create_token(current_user, form.name.data)
        except Invalid as err:
            show_errors(form, err)
        else:
            form = TokenForm(formdata=None)
    return render_template(
        "accounts/tokens.html",
        form=form,
        tokens=service.list_tokens(current_user),
        new_token=new_token,
    )


@bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    service.revoke_token(current_user, token_id)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("accounts.tokens"))
