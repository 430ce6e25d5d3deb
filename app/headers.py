"""Security headers on every response, and trust in a reverse proxy's headers when told."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script anywhere: JavaScript comes from our static files only. Bootstrap's CSS
# draws a few icons from data: URLs, hence img-src data:.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    hops = {key: app.config[f"PROXY_FIX_{key.upper()}"] for key in ("x_for", "x_proto", "x_host")}
    if any(hops.values()):
        # Behind a reverse proxy: believe its X-Forwarded-* headers for this many hops.
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)
    app.after_request(add_security_headers)


def _content_security_policy() -> str:
    issuer = str(current_app.config["OIDC_ISSUER"]).strip()
    if not issuer:
        return CONTENT_SECURITY_POLICY
    # Signing out (a form) redirects to the identity provider's end-session page, and
    # browsers hold a form's redirects to form-action too.
    parts = urlsplit(issuer)
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"
    )


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    # What a signed-in person sees must not linger in shared caches or the back button.
    if current_user and current_user.is_authenticated and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    return response
