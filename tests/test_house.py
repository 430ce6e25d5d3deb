"""The house itself: migrations match the models, /health, error pages, the command line."""

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.accounts.models import User
from app.demo import organisation
from app.extensions import db
from app.spaces.models import Space
from tests.web import sign_in


def test_migrations_and_models_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_health_reports_database_and_index_folder(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": True,
        "index_folder_writable": True,
        "search_outbox": {"rows": 0, "oldest_age_seconds": 0.0, "max_age_seconds": 600},
    }


def test_health_fails_when_the_index_folder_cannot_be_written(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.config["SEARCH_INDEX_DIR"] = str(blocker / "search")
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["index_folder_writable"] is False


def test_static_files_and_bootstrap_are_served_locally(client):
    assert client.get("/static/css/kollegium.css").status_code == 200
    login_page = client.get("/login").get_data(as_text=True)
    assert "cdn" not in login_page.lower()
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_oversized_request_gets_the_413_page(app, client, member):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    sign_in(client, member)
    response = client.post("/spaces/new", data={"description": "x" * 5000})
    assert response.status_code == 413


def test_cli_creates_users_tokens_and_deactivates(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "carla",
            "--email",
            "carla@example.org",
            "--display-name",
            "Carla Çelik",
            "--admin",
            "--password",
            "long enough 1",
        ]
    )
    assert result.exit_code == 0, result.output
    carla = db.session.query(User).filter_by(username="carla").one()
    assert carla.is_admin
    result = runner.invoke(args=["users", "token", "carla", "--name", "ci"])
    token = result.output.strip()
    assert token.startswith("kol_")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/spaces", headers=headers).status_code == 200
    assert runner.invoke(args=["users", "deactivate", "carla"]).exit_code == 0
    assert client.get("/api/v1/spaces", headers=headers).status_code == 401
    assert runner.invoke(args=["users", "activate", "carla"]).exit_code == 0
    assert client.get("/api/v1/spaces", headers=headers).status_code == 200


def test_cli_reports_bad_input_without_a_traceback(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "bad name",
            "--email",
            "x",
            "--display-name",
            "X",
            "--password",
            "p",
        ]
    )
    assert result.exit_code == 1
    assert "username" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code == 1


def test_seed_demo_is_idempotent_and_prints_the_sign_in(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Sign in as admin with the password" in first.output
    users = db.session.query(User).count()
    spaces = db.session.query(Space).count()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert db.session.query(User).count() == users >= 15
    assert db.session.query(Space).count() == spaces >= 8
    password = first.output.split("password ")[1].split()[0]
    demo = organisation.load()
    assert demo.spaces["bauaufsicht"].parent == demo.spaces["bauamt"]
    from app.accounts.service import authenticate

    assert authenticate("anna.schmidt", password) is not None


def test_openapi_lists_error_shape_fields(client):
    spec = json.loads(client.get("/api/v1/openapi.json").data)
    assert spec["info"]["title"] == "Kollegium"


def test_nul_characters_are_refused_with_400_everywhere(client, member):
    from tests.factories import make_token
    from tests.web import bearer, sign_in

    token = make_token(member)
    api = client.post(
        "/api/v1/spaces", json={"name": "A\x00B", "kind": "project"}, headers=bearer(token)
    )
    assert api.status_code == 400
    assert api.get_json()["code"] == 400
    assert client.get("/api/v1/spaces?kind=pro\x00ject", headers=bearer(token)).status_code == 400
    sign_in(client, member)
    assert client.get("/spaces/?kind=\x00").status_code == 400
    assert client.post("/login", data={"username": "mia\x00", "password": "x"}).status_code == 400


def test_a_name_with_control_characters_never_signs_in_and_is_logged_safely(member):
    from app.accounts import service
    from app.audit.models import AuditEntry

    assert service.authenticate("mia\x00", "correct horse battery") is None
    entry = db.session.query(AuditEntry).one()
    assert entry.action == "sign_in_failed"
    assert "\x00" not in entry.subject


def test_ids_too_large_for_the_database_are_not_found_or_refused(client, member):
    from tests.factories import make_token
    from tests.web import bearer, sign_in

    token = make_token(member)
    for path in ("/api/v1/spaces/99999999999999999999", "/api/v1/wiki/pages/2147483648"):
        assert client.get(path, headers=bearer(token)).status_code == 404
    reply = client.post(
        "/api/v1/microposts",
        json={"body": "Hallo", "reply_to": 99999999999999999999},
        headers=bearer(token),
    )
    assert reply.status_code in (400, 404, 422)
    assert reply.is_json
    sign_in(client, member)
    assert client.get("/stream/posts/99999999999999999999").status_code == 404
