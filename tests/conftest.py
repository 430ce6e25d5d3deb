"""Fixtures: an app on a temporary instance folder and a migrated database, clients, roles.

The database is built once per test session by the migrations (not create_all), then emptied
after every test. ``KOLLEGIUM_TEST_DATABASE_URI`` points the suite at PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from app.i18n import compile_catalogues
from app.spaces.policy import MEMBERSHIPS_SEEN
from tests.factories import make_user

# Property tests check behaviour, not speed (bench/ measures that): no per-example deadline
# and no "too slow" verdict, which only tell how busy the machine is.
settings.register_profile("kollegium", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kollegium")

TEST_DATABASE_ENV = "KOLLEGIUM_TEST_DATABASE_URI"
IN_CI = os.environ.get("CI", "").lower() == "true"


def needs(reason: str) -> None:
    """Skip a test whose server is missing here, but fail it in CI, where it must run."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def test_settings(database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SECRET_KEY": "test-secret-key-not-for-production",
        # Cheap hashing: tests create many accounts.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Publishing forgets the remembered version in the app at once; a slow machine must
        # not make statement counts differ because the recheck time passed mid-test.
        "GUIDELINES_RECHECK_SECONDS": 3600.0,
        # Not the developer's environment: links are built as a test expects them.
        "PUBLIC_URL": "",
    }


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly migrated database for this test session."""
    uri = os.environ.get(TEST_DATABASE_ENV)
    if uri is None:
        uri = f"sqlite:///{tmp_path_factory.mktemp('database') / 'kollegium.db'}"
    else:
        _reset_server_database(uri)
    compile_catalogues()
    app = create_app(test_settings(uri), instance_path=str(tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return uri


def _reset_server_database(uri: str) -> None:
    engine = create_engine(uri)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError as err:
        engine.dispose()
        needs(f"PostgreSQL at {uri} is not reachable: {err.__class__.__name__}")
    engine.dispose()


class RequestIsolatingClient(FlaskClient):
    """Runs each request in its own app context, as production does, so nothing on ``g`` or
    in the database session leaks between a test's requests and its own service calls.
    Pages answer in English unless a test asks otherwise (German is tested on its own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The request may have changed rows the test holds: read them afresh, memberships
        # the policy remembered for this session too (a request has a session of its own).
        db.session.expire_all()
        db.session.info.pop(MEMBERSHIPS_SEEN, None)
        return response


@pytest.fixture
def app(database_uri: str, tmp_path) -> Iterator[Flask]:
    app = create_app(test_settings(database_uri), instance_path=str(tmp_path / "instance"))
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin(app):
    return make_user("admin", display_name="Ada Admin", is_admin=True)


@pytest.fixture
def member(app):
    return make_user("mia", display_name="Mia Mitglied")


@pytest.fixture
def owner(app):
    return make_user("otto", display_name="Otto Owner")


@pytest.fixture
def outsider(app):
    return make_user("olga", display_name="Olga Outsider")


@pytest.fixture
def former(app):
    return make_user("fritz", display_name="Fritz Former", active=False)
