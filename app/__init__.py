"""Kollegium: the intranet of one organisation. ``create_app`` builds a fresh app per caller."""

from __future__ import annotations

import os
from http import HTTPStatus
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import config as settings
from app.errors import DomainError
from app.extensions import api, bootstrap, csrf, db, limiter, migrate

PACKAGE = Path(__file__).resolve().parent
API_PREFIX = "/api/v1"


def resource_dir(name: str) -> Path:
    """``static`` or ``migrations``: inside the package when installed from a wheel, beside
    ``app/`` in a clone of the repository."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else PACKAGE.parent / name


def create_app(overrides: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the app. ``overrides`` win over the environment (tests use them)."""
    app = Flask(
        __name__,
        instance_path=instance_path or os.environ.get("KOLLEGIUM_INSTANCE_PATH") or None,
        static_folder=str(resource_dir("static")),
    )
    configure_settings(app, overrides)
    configure_extensions(app)
    configure_content(app)
    configure_blueprints(app)
    configure_errors(app)
    configure_cli(app)
    # Last, so a kept page is served only once every other request hook let the request in.
    from app import pagecache

    pagecache.init_app(app)
    return app


def configure_settings(app: Flask, overrides: dict[str, Any] | None) -> None:
    settings.load_settings(app.config, overrides)
    settings.apply_instance_defaults(app.config, app.instance_path)
    settings.check_settings(app.config)
    settings.derive_settings(app.config)


def configure_extensions(app: Flask) -> None:
    from app import (
        accesslog,
        caching,
        headers,
        i18n,
        inputs,
        logs,
        ratelimits,  # noqa: F401 -- defines the kollegium-sqlite:// counter storage
    )
    from app.accounts import auth
    from app.audit import service as audit
    from app.guidelines import gate as guidelines_gate
    from app.search import extension as search
    from app.social import mailout
    from app.spaces import policy

    logs.init_app(app)
    accesslog.init_app(app)
    inputs.init_app(app)
    db.init_app(app)
    policy.register_session_hooks()
    # Batch mode lets Alembic alter SQLite tables; compare_type catches changed column types.
    migrate.init_app(
        app, db, directory=str(resource_dir("migrations")), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    i18n.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    auth.init_app(app)
    api.init_app(app)
    headers.init_app(app)
    caching.init_app(app)
    audit.init_app(app)
    # After the sign-in check: only signed-in colleagues are asked to accept the guidelines.
    guidelines_gate.init_app(app)
    search.init_app(app)
    mailout.init_app(app)


def configure_content(app: Flask) -> None:
    """Fill the registry of content kinds: each tool declares its kinds once. The order is
    the order of export and erasure; the account goes last (it forgets the name)."""
    from app import content
    from app.accounts import privacy as accounts_privacy
    from app.blog import content as blog
    from app.confirmations import service as confirmations
    from app.insights import counter as insights
    from app.knowledge import service as knowledge
    from app.microblog import content as microblog
    from app.profiles import content as profiles
    from app.social import content as social
    from app.spaces import privacy as spaces_privacy
    from app.uploads import privacy as uploads_privacy
    from app.uploads import texts as upload_texts
    from app.wiki import content as wiki

    content.init_app(
        app,
        (
            profiles.declare,
            lambda registry: registry.add_privacy("spaces", spaces_privacy),
            social.declare,
            wiki.declare,
            blog.declare,
            microblog.declare,
            lambda registry: registry.add_privacy("uploads", uploads_privacy),
            # Reading attached documents' text, too slow for a request, before indexing.
            lambda registry: registry.offer("search.prepare", upload_texts.extract_pending),
            lambda registry: registry.add_privacy("account", accounts_privacy),
            # The add-ons' parts of a tool's page, pulled by kind (the tools import no add-on).
            lambda registry: registry.offer("page.viewed", insights.record_view),
            lambda registry: registry.offer("page.panels", confirmations.page_panels),
            lambda registry: registry.offer("page.panels", knowledge.page_panels),
        ),
    )


def configure_blueprints(app: Flask) -> None:
    from app.accounts.api import blp as accounts_api
    from app.accounts.sso_views import bp as sso
    from app.accounts.twofactor_views import bp as twofactor
    from app.accounts.views import bp as accounts
    from app.accounts.webauthn_views import bp as webauthn
    from app.admin.views import bp as admin
    from app.apidocs.views import bp as apidocs
    from app.audit.views import bp as audit
    from app.blog.api import blp as blog_api
    from app.blog.views import bp as blog
    from app.confirmations.views import bp as confirmations
    from app.guidelines.views import bp as guidelines
    from app.home.views import bp as home
    from app.insights.views import bp as insights
    from app.knowledge.views import bp as knowledge
    from app.legal.views import bp as legal
    from app.microblog.api import blp as microblog_api
    from app.microblog.views import bp as microblog
    from app.privacy.api import blp as privacy_api
    from app.privacy.views import bp as privacy
    from app.profiles.api import blp as profiles_api
    from app.profiles.api import skills_blp as skills_api
    from app.profiles.views import bp as profiles
    from app.search.api import blp as search_api
    from app.search.views import bp as search
    from app.social.api import blp as social_api
    from app.social.notification_views import bp as notifications
    from app.social.views import bp as social
    from app.spaces.api import blp as spaces_api
    from app.spaces.views import bp as spaces
    from app.wiki.api import blp as wiki_api
    from app.wiki.views import bp as wiki

    for blueprint in (
        home,
        accounts,
        sso,
        twofactor,
        webauthn,
        admin,
        audit,
        legal,
        spaces,
        social,
        notifications,
        wiki,
        profiles,
        blog,
        microblog,
        privacy,
        guidelines,
        confirmations,
        knowledge,
        insights,
        search,
        apidocs,
    ):
        app.register_blueprint(blueprint)
    api_blueprints = (accounts_api, spaces_api, social_api, wiki_api, profiles_api, skills_api)
    for api_blueprint in (*api_blueprints, blog_api, microblog_api, privacy_api, search_api):
        api.register_blueprint(api_blueprint, url_prefix=f"{API_PREFIX}{api_blueprint.url_prefix}")
        # The API authenticates by bearer token only, so there is no cookie to forge.
        csrf.exempt(api_blueprint)

    # Only tools that are installed appear in the navigation and link from macros.
    app.jinja_env.globals["has_tool"] = lambda name: name in app.blueprints


def configure_errors(app: Flask) -> None:
    def is_api_request() -> bool:
        return request.path.startswith(API_PREFIX)

    def api_error(status: int, message: str, errors: dict | None = None):
        body: dict[str, Any] = {
            "code": status,
            "status": HTTPStatus(status).phrase,
            "message": message,
        }
        if errors:
            body["errors"] = errors
        return body, status

    def page_error(status: int, message: str):
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        if is_api_request():
            return api_error(err.status, err.message, err.errors)
        return page_error(err.status, err.message)

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        message = _("The form had expired or was sent from elsewhere. Please try again.")
        if is_api_request():
            return api_error(400, message)
        return page_error(400, message)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(err: RateLimitExceeded):
        from app.accounts.auth import retry_after_minutes

        message = _(
            "Too many attempts. Please try again in %(minutes)d minutes.",
            minutes=retry_after_minutes(err),
        )
        if is_api_request():
            return api_error(429, message)
        return page_error(429, message)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        if is_api_request():
            # flask-smorest puts webargs' field messages into err.data.
            data = getattr(err, "data", None) or {}
            errors = data.get("messages") if isinstance(data, dict) else None
            message = data.get("message") if isinstance(data, dict) else None
            return api_error(status, message or HTTPStatus(status).phrase, errors)
        return page_error(status, _error_text(status))

    @app.errorhandler(500)
    def server_error(err: Exception):
        if is_api_request():
            return api_error(500, HTTPStatus(500).phrase)
        return page_error(500, _error_text(500))


def _error_text(status: int) -> str:
    texts = {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You may not do this."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This action is not possible here."),
        413: _("The upload is too large."),
        429: _("Too many requests. Please wait a moment."),
        500: _("Something went wrong on our side. Please try again later."),
    }
    return texts.get(status, HTTPStatus(status).phrase)


def configure_cli(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.backup.cli import backup_cli
    from app.demo.cli import seed_demo
    from app.i18n import i18n_cli
    from app.search.cli import search_cli
    from app.social.cli import notify_cli
    from app.wiki.cli import wiki_cli

    for command in (users_cli, seed_demo, i18n_cli, notify_cli, backup_cli, search_cli, wiki_cli):
        app.cli.add_command(command)
