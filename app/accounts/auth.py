"""Who is asking: session sign-in for pages, bearer tokens for the API."""

from __future__ import annotations

import time

from flask import Flask, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_smorest import abort

from app.accounts import service
from app.accounts.models import User
from app.extensions import limiter, login_manager

# Reachable without signing in: the sign-in page, the health check, static files and the icon; the
# accessibility statement, privacy notice and imprint, which the law wants open to all; and
# Atom feeds, because feed readers cannot sign in (the feed token in their URL is the sign-in).
PUBLIC_ENDPOINTS = frozenset(
    {
        "accounts.login",
        "accounts.choose_language",
        "sso.start_oidc",
        "sso.finish_oidc",
        "sso.start_saml",
        "sso.saml_metadata",
        "sso.consume_saml",
        "twofactor.verify_sign_in",
        "webauthn.sign_in_options",
        "webauthn.verify_sign_in",
        "home.health",
        "home.favicon",
        "static",
        "bootstrap.static",
        "legal.show_page",
        "blog.feed_all",
        "blog.feed_blog",
    }
)
API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(service.user_for_session)
    app.before_request(require_sign_in)
    app.before_request(require_own_password)


def require_sign_in():
    """Every page needs a signed-in user; the API needs a valid bearer token."""
    if request.path.startswith(API_PREFIX):
        if request.path != OPENAPI_PATH:
            authenticate_api_request()
        return None
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


# Reachable while a new password is due: the password page itself, signing out, the language.
OPEN_WHILE_PASSWORD_DUE = PUBLIC_ENDPOINTS | {"accounts.change_password", "accounts.logout"}


def require_own_password():
    """A colleague whose password an administrator set chooses their own before anything else."""
    if request.path.startswith(API_PREFIX) or request.endpoint in OPEN_WHILE_PASSWORD_DUE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash(_l("Please choose your own password first."), "info")
        return redirect(url_for("accounts.change_password"))
    return None


def authenticate_api_request() -> None:
    """Resolve the bearer token; answer 401 (JSON, never a redirect) when it is not valid."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    user = service.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        abort(401, message=str(_l("A valid API token is required.")))
    g.api_actor = user


def api_actor() -> User:
    """The user an API request acts for (set by authenticate_api_request)."""
    return g.api_actor


def retry_after_minutes(err: RateLimitExceeded) -> int:
    """Whole minutes until the exceeded limit lets the next attempt through."""
    reset_at = None
    current = limiter.current_limit
    if current is not None:
        reset_at = current.reset_at
    seconds = (reset_at - time.time()) if reset_at else err.limit.limit.get_expiry()
    return max(1, round(seconds / 60))
