"""Security keys and passkeys: the JSON steps ``static/js/webauthn.js`` takes with the
browser's WebAuthn interface, when registering a key and when signing in with one."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import webauthn_keys
from app.accounts.twofactor_views import PENDING_SESSION_KEY, pending_user, sign_in_browser
from app.errors import DomainError

bp = Blueprint("webauthn", __name__)


def _json_error(message: str, status: int):
    return jsonify(message=message), status


@bp.post("/settings/two-factor/keys/options")
@login_required
def register_options():
    try:
        options, handle = webauthn_keys.registration_options(current_user._get_current_object())
    except DomainError as err:
        return _json_error(err.message, err.status)
    return jsonify(options=options, handle=handle)


@bp.post("/settings/two-factor/keys")
@login_required
def register_key():
    data = request.get_json(silent=True) or {}
    try:
        webauthn_keys.register(
            current_user._get_current_object(),
            str(data.get("handle", "")),
            str(data.get("credential", "")),
            str(data.get("name", "")),
        )
    except DomainError as err:
        return _json_error(err.message, err.status)
    return jsonify(message=_("The security key is registered.")), 201


@bp.post("/login/two-factor/key/options")
def sign_in_options():
    user = pending_user()
    if user is None:
        return _json_error(_("Please sign in again."), 401)
    options, handle = webauthn_keys.sign_in_options(user)
    return jsonify(options=options, handle=handle)


@bp.post("/login/two-factor/key")
def verify_sign_in():
    user = pending_user()
    data = request.get_json(silent=True) or {}
    if user is None:
        return _json_error(_("Please sign in again."), 401)
    if not webauthn_keys.check_sign_in(
        user, str(data.get("handle", "")), str(data.get("credential", ""))
    ):
        return _json_error(_("The security key did not confirm the sign-in."), 401)
    pending = session.pop(PENDING_SESSION_KEY)
    sign_in_browser(user, remember=bool(pending.get("remember")))
    return jsonify(next=pending.get("next") or "/")
