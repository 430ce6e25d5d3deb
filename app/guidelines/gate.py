"""The guidelines gate: a signed-in colleague who has not accepted the current version is
sent to the acceptance page first. Nobody is gated while no guidelines are published."""

from __future__ import annotations

from flask import Flask, redirect, request, session, url_for
from flask_login import current_user

from app.guidelines import service

API_PREFIX = "/api/v1"
# Open without accepting: the acceptance page itself, signing out, static files, the legal
# pages, the health check and the feeds (readers of feeds cannot accept anything).
OPEN_ENDPOINTS = frozenset(
    {
        "guidelines.accept",
        "accounts.logout",
        "accounts.login",
        "accounts.choose_language",
        "static",
        "bootstrap.static",
        "legal.show_page",
        "home.health",
        "home.favicon",
        "accounts.change_password",
        "blog.feed_all",
        "blog.feed_blog",
    }
)
SESSION_KEY = "guidelines_accepted"


def init_app(app: Flask) -> None:
    app.before_request(require_acceptance)


def require_acceptance():
    if request.path.startswith(API_PREFIX) or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.endpoint is None or not current_user.is_authenticated:
        return None
    version = service.current_version_for_gate()
    # Remembered in the session, so a page costs no query once accepted.
    if version is None or session.get(SESSION_KEY) == version:
        return None
    if service.has_accepted(current_user, version):
        session[SESSION_KEY] = version
        return None
    return redirect(url_for("guidelines.accept", next=request.full_path.rstrip("?")))
