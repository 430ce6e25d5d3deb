"""What an operator relies on: /health and `flask search check` alert on a stalled index,
logs carry a request id and survive the migrations, passwords follow the cost settings."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_migrate import upgrade

from app.accounts import service as accounts
from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.search.outbox import SearchOutbox
from tests.factories import PASSWORD, make_page, make_token, make_user
from tests.web import bearer, sign_in


def _stale_outbox_row(age: timedelta) -> None:
    db.session.add(SearchOutbox(key="wiki:1", op="upsert", created_at=utcnow() - age))
    db.session.commit()


def test_health_fails_when_the_outbox_stalls(app, client):
    app.config["SEARCH_DRAIN"] = "worker"  # nobody drains: rows wait, as when a worker died
    _stale_outbox_row(timedelta(seconds=30))
    report = client.get("/health").get_json()
    assert report["status"] == "ok"
    assert report["search_outbox"]["rows"] == 1
    assert report["search_outbox"]["oldest_age_seconds"] >= 30

    _stale_outbox_row(timedelta(hours=2))
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["search_outbox"]["rows"] == 2


def test_search_check_fails_when_the_outbox_stalls(app):
    app.config["SEARCH_DRAIN"] = "worker"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    _stale_outbox_row(timedelta(hours=2))
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "the outbox holds 1 rows" in result.output


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_info_messages_survive_the_migrations_and_carry_the_request_id(app, client, member):
    sign_in(client, member)
    upgrade()  # a restore runs the migrations in the same process
    collected = _Collect()
    logger = logging.getLogger("app")
    logger.addHandler(collected)
    try:

        @app.get("/_log_test")
        def log_test():
            logging.getLogger("app.test").info("hello from a request")
            return "ok"

        response = client.get("/_log_test", headers={"X-Request-ID": "proxy-42"})
    finally:
        logger.removeHandler(collected)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["X-Request-ID"] == "proxy-42"
    [record] = [r for r in collected.records if r.getMessage() == "hello from a request"]
    assert record.levelno == logging.INFO
    assert record.request_id == "proxy-42"


def test_a_forged_request_id_is_replaced(client):
    forged = "x INFO app: admin signed in " + "y" * 100
    response = client.get("/health", headers={"X-Request-ID": forged})
    assert response.headers["X-Request-ID"].isalnum()
    assert len(response.headers["X-Request-ID"]) == 32


def test_sign_in_rehashes_a_password_after_the_cost_changed(app):
    user = make_user("rita")
    old_hash = user.password_hash
    app.config["ARGON2_TIME_COST"] = 2
    assert accounts.authenticate("rita", PASSWORD) is not None
    new_hash = db.session.get(User, user.id).password_hash
    assert new_hash != old_hash and "t=2" in new_hash
    # The new hash still signs in, and is not rewritten again.
    assert accounts.authenticate("rita", PASSWORD) is not None
    assert db.session.get(User, user.id).password_hash == new_hash


def test_lists_link_their_pages(client, member):
    for number in range(5):
        make_page(f"Seite {number}", author=member)
    headers = bearer(make_token(member))
    response = client.get("/api/v1/wiki/pages?per_page=2&page=2", headers=headers)
    links = response.headers["Link"]
    assert '</api/v1/wiki/pages?per_page=2&page=1>; rel="first"' in links
    assert '</api/v1/wiki/pages?per_page=2&page=1>; rel="prev"' in links
    assert '</api/v1/wiki/pages?per_page=2&page=3>; rel="next"' in links
    assert '</api/v1/wiki/pages?per_page=2&page=3>; rel="last"' in links
    last = client.get("/api/v1/wiki/pages?per_page=2&page=3", headers=headers)
    assert 'rel="next"' not in last.headers["Link"]
    assert len(last.get_json()["items"]) == 1


def test_the_openapi_document_declares_bearer_tokens(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]


def test_the_api_reference_is_served_from_here_under_the_csp(client, member):
    sign_in(client, member)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # no inline script: the CSP allows our own files only
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    bundle = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and b"SwaggerUIBundle" in bundle.get_data()
    assert client.get("/api/docs/assets/..%2Fflask_swagger_ui.py").status_code == 404
    assert client.get("/api/docs/assets/oauth2-redirect.html").status_code == 404
