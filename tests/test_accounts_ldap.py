"""Directory sign-in against a real OpenLDAP server (tests/ldap_server.py), never a mock."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import select

from app.accounts import directory, service
from app.accounts.directory import DirectoryUnavailable
from app.accounts.models import LDAP, User
from app.audit.models import AuditEntry
from app.config import DEFAULTS, check_settings
from app.extensions import db
from app.spaces import policy
from tests import ldap_server
from tests.factories import PASSWORD, make_space, make_token, make_user
from tests.ldap_server import slapd_fixture  # noqa: F401 (provides the slapd fixture)
from tests.web import bearer, csrf_token

ANNA = ldap_server.STAFF[0]
BERND = ldap_server.STAFF[1]
CARLA = ldap_server.STAFF[2]
DIETER = ldap_server.STAFF[3]
EMIL = ldap_server.STAFF[4]
UNREACHABLE_MESSAGE = "The staff directory cannot be reached; local accounts still work."
UNREACHABLE_MESSAGE_DE = "Das Mitarbeiterverzeichnis ist nicht erreichbar"


@pytest.fixture
def directory_app(app, slapd):
    app.config.update(ldap_server.settings_for(slapd.url))
    return app


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on."""
    return ldap_server.free_port()


def actions(subject: str) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.subject == subject)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def login(client, username: str, password: str):
    data = {"username": username, "password": password, "csrf_token": csrf_token(client, "/login")}
    return client.post("/login", data=data)


# --- signing in ---------------------------------------------------------------------------


def test_right_password_creates_the_account_from_the_directory(directory_app):
    bauamt = make_space("Bauamt", kind="department")
    user = service.authenticate("Anna", ANNA.password)
    assert user is not None
    assert (user.username, user.display_name, user.email) == ("anna", ANNA.name, ANNA.mail)
    assert user.auth_source == LDAP
    assert user.password_hash is None
    assert not user.is_admin
    assert policy.is_member(user, bauamt)
    assert actions("user:anna") == ["user_created", "sign_in"]
    assert actions(f"space:{bauamt.id}") == ["member_added"]


def test_admin_group_members_become_admins(directory_app):
    user = service.authenticate("carla", CARLA.password)
    assert user is not None and user.is_admin
    assert "admin_granted" in actions("user:carla")


def test_sign_in_updates_the_account_and_withdraws_admin_outside_the_group(directory_app):
    bernd = make_user("bernd", display_name="Old Name", is_admin=True, password=None)
    bernd.auth_source = LDAP
    db.session.commit()
    ordnungsamt = make_space("ordnungsamt", kind="department")
    make_space("Ordnungsamt", kind="project")
    user = service.authenticate("bernd", BERND.password)
    assert user is not None and user.id == bernd.id
    assert (user.display_name, user.email, user.is_admin) == (BERND.name, BERND.mail, False)
    assert policy.is_member(user, ordnungsamt)
    assert actions("user:bernd") == ["admin_withdrawn", "sign_in"]
    # Signing in again changes nothing more.
    assert service.authenticate("bernd", BERND.password) is not None
    assert actions("user:bernd") == ["admin_withdrawn", "sign_in", "sign_in"]
    assert actions(f"space:{ordnungsamt.id}") == ["member_added"]


def test_without_an_admin_group_the_directory_leaves_the_admin_role_alone(directory_app):
    directory_app.config["LDAP_ADMIN_GROUP_DN"] = ""
    bernd = make_user("bernd", is_admin=True, password=None)
    bernd.auth_source = LDAP
    db.session.commit()
    assert service.authenticate("bernd", BERND.password).is_admin
    assert not service.authenticate("anna", ANNA.password).is_admin


def test_wrong_password_is_refused(directory_app):
    assert service.authenticate("anna", "not-annas-password") is None
    assert db.session.scalar(select(User).where(User.username == "anna")) is None
    assert actions("user:anna") == ["sign_in_failed"]


def test_unknown_person_is_refused(directory_app):
    assert service.authenticate("zacharias", "whatever-1") is None
    assert actions("user:zacharias") == ["sign_in_failed"]


def test_disabled_account_is_refused_and_its_local_account_deactivated(directory_app):
    dieter = make_user("dieter", password=None)
    dieter.auth_source = LDAP
    db.session.commit()
    assert service.authenticate("dieter", DIETER.password) is None
    db.session.refresh(dieter)
    assert not dieter.active
    assert actions("user:dieter") == ["user_deactivated", "sign_in_failed"]


def test_disabled_detection_by_present_attribute(directory_app):
    directory_app.config.update(LDAP_DISABLED_ATTRIBUTE="employeeType", LDAP_DISABLED_VALUE="")
    assert directory.lookup("dieter").is_disabled
    assert not directory.lookup("anna").is_disabled


def test_empty_password_is_refused_before_any_bind(directory_app, closed_port):
    # No server answers here: had the directory been asked, DirectoryUnavailable would rise.
    directory_app.config["LDAP_SERVER_URLS"] = f"ldap://127.0.0.1:{closed_port}"
    assert service.authenticate("anna", "") is None


def test_empty_password_never_binds(directory_app):
    person = directory.lookup("anna")
    assert person is not None
    assert not directory.check_password(person, "")
    assert directory.check_password(person, ANNA.password)


@pytest.mark.parametrize("name", ["*", "ann*", ")(uid=*", "anna)(uid=*", "anna\x00", "(uid=anna)"])
def test_filter_characters_in_the_name_find_nobody(directory_app, name):
    assert directory.lookup(name) is None
    assert service.authenticate(name, ANNA.password) is None
    assert db.session.scalar(select(User.id)) is None


def test_local_accounts_keep_working_beside_the_directory(directory_app, client, member):
    assert service.authenticate("mia", PASSWORD) == member
    response = login(client, "mia", PASSWORD)
    assert response.status_code == 302


def test_the_directory_cannot_take_over_a_local_account(directory_app):
    local = make_user("anna", password=PASSWORD)
    assert service.authenticate("anna", ANNA.password) is None
    assert service.authenticate("anna", PASSWORD) == local
    assert local.auth_source == "local"


def test_directory_accounts_have_no_local_password(directory_app):
    from app.errors import Invalid

    user = service.authenticate("emil", EMIL.password)
    with pytest.raises(Invalid):
        service.change_password(user, EMIL.password, "a-new-password-1")


def test_sign_in_page_signs_directory_people_in(directory_app, client):
    response = login(client, "emil", EMIL.password)
    assert response.status_code == 302
    assert EMIL.name in client.get("/").get_data(as_text=True)
    settings_page = client.get("/settings/").get_data(as_text=True)
    assert "managed by the staff directory" in settings_page
    assert "/settings/password" not in settings_page


# --- leaving the directory ----------------------------------------------------------------


def test_removed_person_loses_sign_in_and_token_access(directory_app, client, slapd):
    frieda = ldap_server.Person(
        "frieda", "Frieda Fort", "frieda@musterstadt.example", "frieda-pass-1"
    )
    slapd.add_person(frieda)
    try:
        user = service.authenticate("frieda", frieda.password)
        assert user is not None
        token = make_token(user)
        assert client.get("/api/v1/spaces", headers=bearer(token)).status_code == 200
    finally:
        slapd.delete(frieda.dn)
    # The verdict is trusted for LDAP_RECHECK_SECONDS: no directory call on every request.
    assert client.get("/api/v1/spaces", headers=bearer(token)).status_code == 200
    directory_app.config["LDAP_RECHECK_SECONDS"] = 0
    assert client.get("/api/v1/spaces", headers=bearer(token)).status_code == 401
    db.session.refresh(user)
    assert not user.active
    assert "user_deactivated" in actions("user:frieda")
    assert service.authenticate("frieda", frieda.password) is None


def test_removed_person_loses_the_session(directory_app, client, slapd):
    gustav = ldap_server.Person("gustav", "Gustav Gehen", "gustav@musterstadt.example", "g-pass-12")
    slapd.add_person(gustav)
    try:
        assert login(client, "gustav", gustav.password).status_code == 302
        assert client.get("/").status_code == 200
    finally:
        slapd.delete(gustav.dn)
    directory_app.config["LDAP_RECHECK_SECONDS"] = 0
    assert client.get("/").status_code == 302


def test_token_keeps_working_while_the_directory_is_unreachable(directory_app, client, closed_port):
    user = service.authenticate("anna", ANNA.password)
    token = make_token(user)
    directory_app.config.update(
        LDAP_SERVER_URLS=f"ldap://127.0.0.1:{closed_port}", LDAP_RECHECK_SECONDS=0
    )
    checked = user.directory_checked_at
    assert client.get("/api/v1/spaces", headers=bearer(token)).status_code == 200
    db.session.refresh(user)
    # Not asked again on every request while the directory is down: once per interval.
    assert user.directory_checked_at > checked


def test_a_failing_search_deactivates_nobody(directory_app, client):
    user = service.authenticate("anna", ANNA.password)
    token = make_token(user)
    directory_app.config.update(
        LDAP_USER_SEARCH_BASE=f"ou=nowhere,{ldap_server.SUFFIX}", LDAP_RECHECK_SECONDS=0
    )
    assert client.get("/api/v1/spaces", headers=bearer(token)).status_code == 200
    with pytest.raises(DirectoryUnavailable):
        service.authenticate("anna", ANNA.password)
    db.session.refresh(user)
    assert user.active


def test_a_missing_admin_group_withdraws_no_admin_role(directory_app):
    directory_app.config["LDAP_ADMIN_GROUP_DN"] = f"cn=nobody,{ldap_server.GROUPS}"
    with pytest.raises(DirectoryUnavailable):
        directory.lookup("carla")


def test_directory_email_of_a_local_account_is_refused(directory_app):
    local = make_user("annette")
    local.email = ANNA.mail
    db.session.commit()
    assert service.authenticate("anna", ANNA.password) is None
    assert db.session.scalar(select(User).where(User.username == "anna")) is None


def test_start_tls_refused_is_never_a_clear_text_bind(directory_app):
    # The test server offers no TLS: StartTLS fails, and no password is sent without it.
    directory_app.config["LDAP_START_TLS"] = True
    with pytest.raises(DirectoryUnavailable):
        service.authenticate("anna", ANNA.password)


# --- an unreachable directory -------------------------------------------------------------


def test_unreachable_directory_says_so_and_local_accounts_still_sign_in(
    directory_app, client, member, closed_port
):
    directory_app.config["LDAP_SERVER_URLS"] = f"ldap://127.0.0.1:{closed_port}"
    with pytest.raises(DirectoryUnavailable):
        service.authenticate("anna", ANNA.password)
    response = login(client, "anna", ANNA.password)
    assert response.status_code == 503
    assert UNREACHABLE_MESSAGE in response.get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    response = login(client, "anna", ANNA.password)
    assert UNREACHABLE_MESSAGE_DE in response.get_data(as_text=True)
    assert login(client, "mia", PASSWORD).status_code == 302


def test_the_next_server_is_tried_when_the_first_does_not_answer(directory_app, slapd, closed_port):
    directory_app.config["LDAP_SERVER_URLS"] = f"ldap://127.0.0.1:{closed_port}, {slapd.url}"
    assert service.authenticate("anna", ANNA.password) is not None


def test_a_server_that_never_answers_times_out(directory_app):
    with socket.socket() as silent:
        # Listening but never accepting: connections open, no answer ever comes.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        directory_app.config.update(
            LDAP_SERVER_URLS=f"ldap://127.0.0.1:{port}", LDAP_RECEIVE_TIMEOUT=1
        )
        started = time.monotonic()
        with pytest.raises(DirectoryUnavailable):
            service.authenticate("anna", ANNA.password)
    assert time.monotonic() - started < 5


# --- settings -----------------------------------------------------------------------------


def settings(**overrides) -> dict:
    return {
        **DEFAULTS,
        "SECRET_KEY": "x" * 32,
        **ldap_server.settings_for("ldap://ldap.example"),
        **overrides,
    }


def test_valid_directory_settings_start():
    check_settings(settings())
    check_settings(settings(LDAP_SERVER_URLS="ldaps://a.example:636 ldaps://b.example"))
    check_settings(settings(LDAP_BIND_DN="", LDAP_BIND_PASSWORD=""))


@pytest.mark.parametrize(
    "overrides",
    [
        {"LDAP_SERVER_URLS": "http://ldap.example"},
        {"LDAP_SERVER_URLS": "ldap://"},
        {"LDAP_SERVER_URLS": "ldaps://ldap.example", "LDAP_START_TLS": True},
        {"LDAP_USER_SEARCH_BASE": ""},
        {"LDAP_USER_FILTER": "(uid=%s)"},
        {"LDAP_USER_FILTER": "(&(uid={username})"},
        {"LDAP_BIND_PASSWORD": ""},
        {"LDAP_GROUP_MEMBERSHIP": "groupMembership"},
        {"LDAP_DISABLED_ATTRIBUTE": "", "LDAP_DISABLED_VALUE": "disabled"},
        {"LDAP_CONNECT_TIMEOUT": 0},
        {"LDAP_RECEIVE_TIMEOUT": "10"},
        {"LDAP_RECHECK_SECONDS": -1},
        {"LDAP_EMAIL_ATTRIBUTE": ""},
    ],
)
def test_bad_directory_settings_stop_the_app(overrides):
    with pytest.raises(RuntimeError):
        check_settings(settings(**overrides))


def test_directory_is_off_by_default():
    check_settings({**DEFAULTS, "SECRET_KEY": "x" * 32})
    assert DEFAULTS["LDAP_SERVER_URLS"] == ""
