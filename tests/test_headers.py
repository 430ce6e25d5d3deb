"""Security headers on every response: pages, errors, the API, static files."""

import pytest

from tests.factories import make_space, make_token
from tests.web import bearer, sign_in

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(response):
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for name, value in REQUIRED.items():
        assert response.headers[name] == value


def every_parameterless_get_route(app):
    for rule in app.url_map.iter_rules():
        # Static files and the favicon are public and cached (test_static_files_…).
        public = "static" in rule.endpoint or rule.endpoint == "home.favicon"
        if "GET" in rule.methods and not rule.arguments and not public:
            yield rule.rule


def test_every_page_route_has_the_headers_and_is_never_kept_unchecked(app, client, member):
    make_space("Bauamt")
    sign_in(client, member)
    paths = list(every_parameterless_get_route(app))
    assert "/spaces/" in paths
    for path in paths:
        response = client.get(path)
        assert_secure_headers(response)
        if path.startswith("/api/"):
            continue
        # Not stored at all, or kept only by this browser and revalidated on every use.
        if "ETag" in response.headers:
            assert response.headers["Cache-Control"] == "private, no-cache", path
        else:
            assert response.headers.get("Cache-Control") == "no-store", path


@pytest.mark.parametrize("path", ["/login", "/health", "/nowhere", "/static/css/kollegium.css"])
def test_anonymous_responses_have_the_headers_too(client, path):
    assert_secure_headers(client.get(path))


def test_api_responses_have_the_headers(client, member):
    assert_secure_headers(client.get("/api/v1/spaces", headers=bearer(make_token(member))))
    assert_secure_headers(client.get("/api/v1/spaces"))


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://kollegium.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_proxy_headers_are_trusted_only_when_configured(database_uri, tmp_path):
    from app import create_app
    from tests.conftest import test_settings

    settings = {**test_settings(database_uri), "PROXY_FIX_X_PROTO": 1}
    app = create_app(settings, instance_path=str(tmp_path / "proxied"))
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    plain = create_app(test_settings(database_uri), instance_path=str(tmp_path / "plain"))
    response = plain.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_no_template_contains_inline_script():
    from pathlib import Path

    for template in Path("app").rglob("templates/**/*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<script " not in text.replace("<script src=", ""), (
            template
        )
        assert " onclick=" not in text and " onload=" not in text, template
