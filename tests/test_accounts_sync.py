"""Directory changes follow through: a move to another department in the staff directory (a
real OpenLDAP server, tests/ldap_server.py) ends the old department membership the directory
made, keeps the ones granted by hand, and `flask users sync` pulls changes for everyone."""

from __future__ import annotations

import json

import pytest
from ldap3 import MODIFY_REPLACE
from sqlalchemy import select

from app.accounts import service
from app.audit.models import AuditEntry
from app.extensions import db
from app.spaces import policy
from app.spaces import service as spaces
from tests import ldap_server
from tests.factories import make_space, make_user
from tests.ldap_server import slapd_fixture  # noqa: F401 (provides the slapd fixture)

ANNA, BERND, EMIL = ldap_server.STAFF[0], ldap_server.STAFF[1], ldap_server.STAFF[4]


@pytest.fixture
def directory_app(app, slapd):
    app.config.update(ldap_server.settings_for(slapd.url))
    return app


def change_entry(slapd, person, **values) -> None:
    with slapd.admin_connection() as connection:
        changes = {name: [(MODIFY_REPLACE, [value])] for name, value in values.items()}
        connection.modify(person.dn, changes)


@pytest.fixture
def anna_moves(slapd):
    """Anna moves from the Bauamt to the Ordnungsamt in the directory (undone afterwards)."""
    change_entry(slapd, ANNA, departmentNumber="Ordnungsamt")
    yield
    change_entry(slapd, ANNA, departmentNumber=ANNA.department)


@pytest.fixture
def emil_leaves(slapd):
    slapd.delete(EMIL.dn)
    yield
    slapd.add_person(EMIL)


def removals(space) -> list[dict]:
    query = select(AuditEntry.details).where(
        AuditEntry.action == "member_removed", AuditEntry.subject == f"space:{space.id}"
    )
    return [json.loads(details) for details in db.session.scalars(query)]


def test_a_move_in_the_directory_ends_the_old_department_at_the_next_sign_in(
    directory_app, slapd, anna_moves
):
    bauamt = make_space("Bauamt", kind="department", visibility="members")
    ordnungsamt = make_space("Ordnungsamt", kind="department")
    change_entry(slapd, ANNA, departmentNumber="Bauamt")
    anna = service.authenticate("anna", ANNA.password)
    assert policy.is_member(anna, bauamt)

    change_entry(slapd, ANNA, departmentNumber="Ordnungsamt")
    anna = service.authenticate("anna", ANNA.password)
    assert not policy.is_member(anna, bauamt)
    assert policy.is_member(anna, ordnungsamt)
    assert removals(bauamt) == [
        {"person": "anna", "role": "member", "source": "ldap"},
    ]


def test_memberships_granted_by_hand_stay_after_a_move(directory_app, slapd, anna_moves):
    owner = make_user("otto")
    bauhof = make_space("Bauhof", kind="department", owners=[owner])
    ordnungsamt = make_space("Ordnungsamt", kind="department")
    anna = make_user("anna", password=None)
    anna.auth_source = "ldap"
    db.session.commit()
    # Added by hand, not by the directory, which has her in the Ordnungsamt.
    spaces.add_member(owner, bauhof, "anna")
    service.authenticate("anna", ANNA.password)
    assert policy.is_member(anna, bauhof)
    assert policy.is_member(anna, ordnungsamt)
    assert removals(bauhof) == []


def test_sync_reports_moves_renames_and_deactivates_people_gone_from_the_directory(
    directory_app, slapd, emil_leaves
):
    bauamt = make_space("Bauamt", kind="department", visibility="members")
    ordnungsamt = make_space("Ordnungsamt", kind="department")
    personalrat = make_space("Personalrat", kind="department")
    for person in (ANNA, BERND):
        service.authenticate(person.uid, person.password)
    slapd.add_person(EMIL)
    service.authenticate("emil", EMIL.password)
    slapd.delete(EMIL.dn)
    anna = service.get_user_by_username(None, "anna")
    spaces.add_member(make_user("chefin", is_admin=True), personalrat, "anna")

    change_entry(slapd, ANNA, departmentNumber="Ordnungsamt")
    change_entry(slapd, BERND, cn="Bernd Baumann")
    try:
        result = directory_app.test_cli_runner().invoke(args=["users", "sync"])
        # Nothing changed since: a second sync reports nothing.
        again = directory_app.test_cli_runner().invoke(args=["users", "sync"])
    finally:
        change_entry(slapd, ANNA, departmentNumber=ANNA.department)
        change_entry(slapd, BERND, cn=BERND.name)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "anna: -Bauamt; +Ordnungsamt" in lines
    assert "bernd: name: 'Bernd Bauer' -> 'Bernd Baumann'" in lines
    assert "emil: deactivated" in lines
    assert lines[-1] == "3 account(s) changed."
    db.session.expire_all()
    assert not policy.is_member(anna, bauamt)
    assert policy.is_member(anna, ordnungsamt)
    assert policy.is_member(anna, personalrat)
    assert service.get_user_by_username(None, "bernd").display_name == "Bernd Baumann"
    assert not service.get_user_by_username(None, "emil").active
    assert again.output.strip() == "0 account(s) changed."


def test_sync_without_a_directory_says_so(app):
    result = app.test_cli_runner().invoke(args=["users", "sync"])
    assert result.exit_code == 1
    # The command line speaks the default language (German).
    assert "kein Mitarbeiterverzeichnis" in result.output


def test_sync_with_an_unreachable_directory_fails_and_changes_nobody(app):
    app.config.update(ldap_server.settings_for(f"ldap://127.0.0.1:{ldap_server.free_port()}"))
    person = make_user("anna", password=None)
    person.auth_source = "ldap"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "sync"])
    assert result.exit_code == 1
    assert "cannot be reached" in result.output
    db.session.refresh(person)
    assert person.active
