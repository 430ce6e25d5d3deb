"""What administrators do for a colleague from the people list: set a password that the
colleague must replace, reset a lost second factor; and the "…" menu that offers both."""

from __future__ import annotations

import re

from app.accounts import twofactor
from app.accounts.models import LDAP, OIDC, User, WebAuthnCredential
from app.audit.models import AuditEntry
from app.extensions import db
from tests.factories import PASSWORD, make_user
from tests.test_accounts_twofactor import code_step, now_code, password_step, with_app
from tests.web import csrf_token, post_form, sign_in

NEW_PASSWORD = "a temporary password"


def audited(action: str, username: str) -> list[AuditEntry]:
    query = db.session.query(AuditEntry).filter_by(action=action, subject=f"user:{username}")
    return query.all()


def sign_in_with_password(client, username: str, password: str):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data)


def set_password_as(client, user: User, password: str, confirm: str | None = None):
    path = f"/admin/users/{user.id}/password"
    data = {"password": password, "confirm": password if confirm is None else confirm}
    return post_form(client, path, data, token_from=path)


# --- setting a colleague's password --------------------------------------------------------


def test_admin_sets_a_password_that_the_colleague_must_replace(app, client, admin, member):
    colleague = app.test_client()
    sign_in(colleague, member)
    sign_in(client, admin)
    response = set_password_as(client, member, NEW_PASSWORD)
    assert response.status_code == 302 and response.location == "/admin/users"
    # Signed out everywhere at once.
    assert colleague.get("/settings/").status_code == 302
    # The old password no longer works; the new one leads to choosing one's own.
    assert sign_in_with_password(app.test_client(), "mia", PASSWORD).status_code != 302
    fresh = app.test_client()
    sign_in_with_password(fresh, "mia", NEW_PASSWORD)
    assert fresh.get("/wiki/").location == "/settings/password"
    entry = audited("password_set", "mia")[0]
    assert entry.actor_name == "admin"
    assert NEW_PASSWORD not in entry.details


def test_a_too_short_or_mistyped_password_shows_the_form_again(client, admin, member):
    sign_in(client, admin)
    short = set_password_as(client, member, "short")
    assert short.status_code == 200
    assert "Use at least" in short.get_data(as_text=True)
    differ = set_password_as(client, member, NEW_PASSWORD, confirm="something else")
    assert differ.status_code == 200 and "The passwords differ." in differ.get_data(as_text=True)
    db.session.refresh(member)
    assert not member.must_change_password
    assert audited("password_set", "mia") == []


def test_directory_and_single_sign_on_passwords_cannot_be_set_here(client, admin):
    sign_in(client, admin)
    for source in (LDAP, OIDC):
        person = make_user(f"dir-{source}", password=None)
        person.auth_source = source
        db.session.commit()
        assert client.get(f"/admin/users/{person.id}/password").status_code == 403
        token = csrf_token(client, "/admin/users")
        path = f"/admin/users/{person.id}/password"
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
        assert client.post(path, data=data).status_code == 403
        db.session.refresh(person)
        assert person.password_hash is None


def test_only_administrators_set_passwords_and_not_their_own(client, admin, member, owner):
    sign_in(client, member)
    assert client.get(f"/admin/users/{owner.id}/password").status_code == 403
    token = csrf_token(client, "/settings/")
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
    assert client.post(f"/admin/users/{owner.id}/password", data=data).status_code == 403
    sign_in(client, admin)
    assert client.get(f"/admin/users/{admin.id}/password").status_code == 403
    db.session.refresh(owner)
    assert not owner.must_change_password


# --- resetting a colleague's second factor ----------------------------------------------------


def test_admin_resets_a_lost_second_factor(app, client, admin, member):
    app.config["TWO_FACTOR_REQUIRED"] = "everyone"
    with_app(admin)
    with_app(member)
    colleague = app.test_client()
    password_step(colleague, "mia")
    code_step(colleague, now_code(member.totp_secret, 1))
    assert colleague.get("/settings/").status_code == 200
    sign_in(client, admin)
    response = post_form(
        client, f"/admin/users/{member.id}/two-factor/reset", {}, token_from="/admin/users"
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert not twofactor.is_enabled(member)
    assert colleague.get("/settings/").status_code == 302  # signed out everywhere
    assert audited("two_factor_reset", "mia")[0].actor_name == "admin"
    # At the next sign-in: the password alone, then straight to setting up a new factor.
    again = app.test_client()
    assert password_step(again, "mia").location == "/settings/"
    assert again.get("/wiki/").location == "/settings/two-factor"


def test_resetting_needs_an_administrator_and_a_second_factor(client, admin, member, owner):
    with_app(owner)
    sign_in(client, member)
    path = f"/admin/users/{owner.id}/two-factor/reset"
    assert post_form(client, path, {}).status_code == 403
    assert twofactor.is_enabled(owner)
    sign_in(client, admin)
    answer = post_form(client, f"/admin/users/{member.id}/two-factor/reset", {})
    assert answer.status_code == 302
    assert "Mia Mitglied has no second factor to reset." in client.get("/admin/users").get_data(
        as_text=True
    )
    assert audited("two_factor_reset", "mia") == []


# --- the "…" menu of each row ---------------------------------------------------------------


def row_menu(page: str, name: str) -> str:
    """The markup of the "…" menu labelled for ``name``."""
    label = f'<span class="visually-hidden">Actions for {name}</span>'
    assert label in page, name
    start = page.index(label)
    return page[start : page.index("</ul>", start)]


def test_each_row_offers_its_actions_in_a_labelled_menu(client, admin, member):
    ldap_person = make_user("lena", display_name="Lena Ldap", password=None)
    ldap_person.auth_source = LDAP
    db.session.add(
        WebAuthnCredential(
            user_id=ldap_person.id, credential_id="key-1", public_key=b"k", name="Schlüssel"
        )
    )
    db.session.commit()
    sign_in(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    mia = row_menu(page, "Mia Mitglied")
    assert "Deactivate Mia Mitglied" in mia and "Make administrator" in mia
    assert f"/admin/users/{member.id}/password" in mia
    assert "Reset two-factor sign-in" not in mia
    lena = row_menu(page, "Lena Ldap")
    assert "Reset two-factor sign-in" in lena
    assert "/password" not in lena
    # No menu on one's own row: an administrator does not lock themselves out.
    assert "Actions for Ada Admin" not in page
    assert not re.search(
        r'class="btn btn-sm btn-outline-secondary" type="submit">\s*Deactivate', page
    )
