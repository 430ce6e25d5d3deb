"""HTTP caching that never shares what one reader sees with another.

Pages and feeds carry an ``ETag`` computed from what was rendered for this reader (their
session id, which changes with their password or deactivation, and the body), so a browser
revalidates and gets ``304 Not Modified`` when nothing it shows changed: new content, a
membership that ended, a rename, anything that changes the page changes the tag. Pages stay
``private`` (never in a shared cache) and are revalidated on every use (``no-cache``);
signing out clears the browser's cache (``Clear-Site-Data``).

Static files are addressed with a fingerprint of their content (``?v=…``, added by
``url_for``), so they can be kept for a year: a changed file gets a new address.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, g, has_request_context, request, url_for
from flask_login import current_user

EXTENSION_KEY = "kollegium.fingerprints"
STATIC_URLS_KEY = "kollegium.static_urls"
ONE_YEAR = 365 * 24 * 3600
REVALIDATED_TYPES = frozenset({"text/html", "application/atom+xml"})
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = {}
    app.extensions[STATIC_URLS_KEY] = {}
    app.url_defaults(add_fingerprint)
    app.after_request(add_cache_headers)
    app.jinja_env.globals["url_for"] = template_url_for


def template_url_for(endpoint: str, **values) -> str:
    """``url_for`` for templates: a static file's address is built once per process (a page
    names the icon sprite for every icon), everything else as usual."""
    if (
        endpoint not in STATIC_ENDPOINTS
        or len(values) != 1
        or "filename" not in values
        or not has_request_context()
    ):
        return url_for(endpoint, **values)
    built = current_app.extensions[STATIC_URLS_KEY]
    key = (endpoint, values["filename"], request.script_root)
    if key not in built:
        built[key] = url_for(endpoint, **values)
    return built[key]


def add_fingerprint(endpoint: str, values: dict) -> None:
    """``url_for('static', filename=…)`` gains ``v=<hash of the file>`` (once per process)."""
    if endpoint not in STATIC_ENDPOINTS or "filename" not in values or "v" in values:
        return
    fingerprints = current_app.extensions[EXTENSION_KEY]
    key = (endpoint, values["filename"])
    if key not in fingerprints:
        fingerprints[key] = _file_hash(endpoint, values["filename"])
    if fingerprints[key]:
        values["v"] = fingerprints[key]


def _file_hash(endpoint: str, filename: str) -> str | None:
    blueprint = current_app.blueprints.get(endpoint.partition(".")[0])
    folder = blueprint.static_folder if blueprint and "." in endpoint else current_app.static_folder
    path = Path(folder or "", filename)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return None  # no such file: the address stays plain and answers 404


def add_cache_headers(response: Response) -> Response:
    if request.endpoint in STATIC_ENDPOINTS:
        if request.args.get("v") and response.status_code in (200, 304):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
    if request.endpoint == "accounts.logout":
        response.headers["Clear-Site-Data"] = '"cache"'
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.mimetype in REVALIDATED_TYPES
        and not response.direct_passthrough
        and not response.is_streamed
    ):
        if response.get_etag()[0] is None:  # a kept page brings the tag it was given
            response.set_etag(page_tag(response))
        response.headers["Cache-Control"] = "private, no-cache"
        response.make_conditional(request)
    return response


def page_tag(response: Response) -> str:
    """What this reader was shown. The form token differs with every rendering (it is signed
    with the time) but stays valid for the session, so it is left out."""
    reader = current_user.get_id() if current_user.is_authenticated else "-"
    body = response.get_data()
    token = g.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    if token:
        body = body.replace(token.encode(), b"")
    digest = hashlib.sha256(f"{reader}\n{request.full_path}\n".encode())
    digest.update(body)
    return digest.hexdigest()[:32]
