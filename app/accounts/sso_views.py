"""Single sign-on pages: sign-in through OpenID Connect (``/login/oidc``) and its answer."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from app.accounts import oidc, saml, service
from app.accounts.models import OIDC, SAML
from app.accounts.sso import SignInRefused
from app.accounts.twofactor_views import sign_in_browser
from app.accounts.views import safe_target
from app.extensions import csrf

bp = Blueprint("sso", __name__, template_folder="templates")

NEXT_SESSION_KEY = "sso_next"
# Marks a SAML answer that our own page posted again (so it is posted again only once).
RESENT_FIELD = "resent"
# Refusals that are the provider's being unreachable, not the person's or its answer's fault.
UNREACHABLE = ("discovery", "discovery:issuer", "token_exchange", "metadata", "request_failed")


@bp.app_context_processor
def sign_in_choices() -> dict:
    """What the sign-in page offers: single sign-on first when configured, and the password
    form unless it is switched off beside single sign-on."""
    if request.endpoint != "accounts.login":
        return {}
    return {
        "oidc_sign_in": oidc.is_configured(),
        "saml_sign_in": saml.is_configured(),
        "password_sign_in": service.password_sign_in_allowed(),
    }


@bp.get("/login/oidc")
def start_oidc():
    if not oidc.is_configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    session[NEXT_SESSION_KEY] = safe_target(request.args.get("next"), url_for("home.index"))
    try:
        return oidc.start(url_for("sso.finish_oidc", _external=True))
    except SignInRefused as err:
        service.record_refused_sign_in(OIDC, err.reason)
        return _refused(err)


@bp.get("/login/saml")
def start_saml():
    if not saml.is_configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    try:
        return redirect(saml.start(safe_target(request.args.get("next"), url_for("home.index"))))
    except SignInRefused as err:
        service.record_refused_sign_in(SAML, err.reason)
        return _refused(err, "sso.start_saml")


@bp.get("/login/saml/metadata")
def saml_metadata():
    if not saml.is_configured():
        abort(404)
    try:
        xml = saml.metadata_xml()
    except SignInRefused as err:
        return _refused(err, "sso.start_saml")
    return Response(xml, mimetype="application/samlmetadata+xml")


@bp.post("/login/saml/acs")
@csrf.exempt  # posted by the identity provider's page; the signed assertion is the proof
def consume_saml():
    if not saml.is_configured():
        abort(404)
    saml_response = request.form.get("SAMLResponse", "")
    relay_state = request.form.get("RelayState", "")
    try:
        saml.check_size(saml_response)
        if not saml.started_here() and request.form.get(RESENT_FIELD) != "1":
            # Posted from the provider's site, so the browser left our SameSite session
            # cookie behind: post it once more from our own page, which brings the cookie
            # along. (This answer must not set a cookie: it would replace the session.)
            page = render_template(
                "accounts/saml_continue.html",
                saml_response=saml_response,
                relay_state=relay_state,
                resent_field=RESENT_FIELD,
            )
            return page, 200, {"Cache-Control": "no-store"}
        subject, person, target = saml.finish(saml_response, relay_state)
    except SignInRefused as err:
        service.record_refused_sign_in(SAML, err.reason)
        return _refused(err, "sso.start_saml")
    try:
        user = service.sign_in_from_provider(SAML, subject, person)
    except SignInRefused as err:
        return _refused(err, "sso.start_saml")
    sign_in_browser(user)
    return redirect(safe_target(target, url_for("home.index")))


@bp.get("/login/oidc/callback")
def finish_oidc():
    if not oidc.is_configured():
        abort(404)
    try:
        subject, person = oidc.finish()
    except SignInRefused as err:
        service.record_refused_sign_in(OIDC, err.reason)
        return _refused(err)
    try:
        user = service.sign_in_from_provider(OIDC, subject, person)
    except SignInRefused as err:
        session.pop(oidc.ID_TOKEN_SESSION_KEY, None)
        return _refused(err)
    sign_in_browser(user)
    target = session.pop(NEXT_SESSION_KEY, None)
    return redirect(safe_target(target, url_for("home.index")))


def _refused(err: SignInRefused, retry_endpoint: str = "sso.start_oidc"):
    current_app.logger.info("Single sign-on refused: %s", err.reason)
    status = 503 if err.reason in UNREACHABLE else 403
    page = render_template(
        "accounts/sso_refused.html", message=err.message, retry_url=url_for(retry_endpoint)
    )
    return page, status
