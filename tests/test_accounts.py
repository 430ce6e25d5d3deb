"""Signing in and out, passwords, deactivation, API tokens, administration of people."""

import pytest

from app.accounts import service
from app.accounts.models import User
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from tests.factories import PASSWORD, make_token, make_user
from tests.web import bearer, csrf_token, post_form, sign_in


def login(client, username, password, remember=False):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": password, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/spaces/")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/spaces/")


def test_sign_in_and_out(client, member):
    response = login(client, "mia", PASSWORD)
    assert response.status_code == 302
    assert "Mia Mitglied" in client.get("/").get_data(as_text=True)
    response = post_form(client, "/logout", {})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_elsewhere(client, member):
    token = csrf_token(client, "/login")
    data = {"username": "mia", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login?next=/spaces/", data=data).location == "/spaces/"
    post_form(client, "/logout", {})
    token = csrf_token(client, "/login")
    data["csrf_token"] = token
    assert client.post("/login?next=//evil.example/", data=data).location == "/"


@pytest.mark.parametrize(
    ("username", "password"), [("mia", "wrong password"), ("nobody", PASSWORD), ("MIA ", "x")]
)
def test_wrong_credentials_get_one_neutral_message(client, member, username, password):
    response = login(client, username, password)
    assert response.status_code == 401
    assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_deactivated_colleague_cannot_sign_in(client, former):
    response = login(client, "fritz", PASSWORD)
    assert response.status_code == 401


def test_sign_in_is_rate_limited_with_a_clear_message(client, member):
    for _attempt in range(5):
        assert login(client, "mia", "wrong password").status_code == 401
    response = login(client, "mia", PASSWORD)
    assert response.status_code == 429
    assert "try again in 5 minutes" in response.get_data(as_text=True)


def test_rate_limit_is_per_account(client, member, outsider):
    for _attempt in range(5):
        login(client, "mia", "wrong password")
    # The same address may still try another account: the per-address limit is separate.
    assert login(client, "olga", PASSWORD).status_code == 302


def test_rate_limit_per_address_covers_many_accounts(app, client, member):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = "3 per 5 minutes"
    for name in ("a", "b", "c"):
        assert login(client, name, "guess").status_code == 401
    assert login(client, "mia", PASSWORD).status_code == 429


def test_form_without_csrf_token_is_refused_with_400(client, member):
    response = client.post("/login", data={"username": "mia", "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client, member):
    response = login(client, "mia", PASSWORD, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)


def test_change_password_requires_the_current_one(client, member):
    sign_in(client, member)
    response = post_form(
        client,
        "/settings/password",
        {
            "current_password": "wrong",
            "new_password": "new password 1",
            "confirm": "new password 1",
        },
    )
    assert "The current password is not correct." in response.get_data(as_text=True)
    response = post_form(
        client,
        "/settings/password",
        {
            "current_password": PASSWORD,
            "new_password": "new password 1",
            "confirm": "new password 1",
        },
    )
    assert response.status_code == 302
    assert service.authenticate("mia", "new password 1") is not None
    assert service.authenticate("mia", PASSWORD) is None


def test_changing_the_password_signs_out_other_devices(app, member):
    other_device = sign_in(app.test_client(), member)
    assert other_device.get("/").status_code == 200
    service.change_password(member, PASSWORD, "another secret 2")
    assert other_device.get("/").status_code == 302


def test_deactivation_ends_sessions_and_tokens(app, admin, member):
    device = sign_in(app.test_client(), member)
    token = make_token(member)
    service.set_active(admin, member, False)
    assert device.get("/").status_code == 302
    assert device.get("/api/v1/spaces", headers=bearer(token)).status_code == 401
    service.set_active(admin, member, True)
    assert device.get("/api/v1/spaces", headers=bearer(token)).status_code == 200


def test_short_password_is_refused(member):
    with pytest.raises(Invalid) as err:
        service.change_password(member, PASSWORD, "short")
    assert "new_password" in err.value.errors


@pytest.mark.parametrize(
    ("username", "email", "name", "field"),
    [
        ("", "a@example.org", "A", "username"),
        ("has space", "a@example.org", "A", "username"),
        ("jürgen", "a@example.org", "A", "username"),
        ("x" * 65, "a@example.org", "A", "username"),
        ("anna", "not-an-address", "A", "email"),
        ("anna", "a@example.org", "", "display_name"),
        ("anna", "a@example.org", "N" * 121, "display_name"),
    ],
)
def test_bad_account_data_names_the_field(admin, username, email, name, field):
    with pytest.raises(Invalid) as err:
        service.create_user(admin, service.NewUser(username, email, name, "long enough pw"))
    assert field in err.value.errors


def test_unicode_display_names_are_kept(admin):
    user = service.create_user(
        admin, service.NewUser("juergen", "j@example.org", "Jürgen Weiß-Çelik 李", "long enough")
    )
    assert user.display_name == "Jürgen Weiß-Çelik 李"


def test_usernames_and_emails_are_unique(admin, member):
    with pytest.raises(Conflict) as err:
        service.create_user(
            admin, service.NewUser("MIA", "MIA@example.org", "Mia 2", "long pw 123")
        )
    assert set(err.value.errors) == {"username", "email"}


def test_only_admins_create_and_deactivate(member, outsider):
    with pytest.raises(Forbidden):
        service.create_user(member, service.NewUser("new", "n@example.org", "New", "long pw 123"))
    with pytest.raises(Forbidden):
        service.set_active(member, outsider, False)


def test_admin_cannot_lock_themselves_out(admin):
    with pytest.raises(Forbidden):
        service.set_active(admin, admin, False)
    with pytest.raises(Forbidden):
        service.set_admin(admin, admin, False)


def test_admin_pages_create_deactivate_and_grant(client, admin):
    sign_in(client, admin)
    response = post_form(
        client,
        "/admin/users",
        {
            "username": "neu",
            "email": "neu@example.org",
            "display_name": "Nele Neu",
            "password": "a fine password",
        },
        token_from="/admin/users",
    )
    assert response.status_code == 302
    neu = db.session.query(User).filter_by(username="neu").one()
    post_form(client, f"/admin/users/{neu.id}/admin", {"admin": "1"}, token_from="/admin/users")
    post_form(client, f"/admin/users/{neu.id}/active", {"active": "0"}, token_from="/admin/users")
    db.session.refresh(neu)
    assert neu.is_admin
    assert not neu.active


def test_admin_form_shows_errors_and_keeps_input(client, admin):
    sign_in(client, admin)
    response = post_form(
        client,
        "/admin/users",
        {
            "username": "bad name",
            "email": "x@example.org",
            "display_name": "Kept Name",
            "password": "pw",
        },
        token_from="/admin/users",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "letters a–z" in page
    assert 'value="Kept Name"' in page


def test_non_admins_get_403_on_admin_pages(client, member):
    sign_in(client, member)
    assert client.get("/admin/users").status_code == 403


def test_tokens_are_shown_once_stored_hashed_and_revocable(client, member):
    sign_in(client, member)
    response = post_form(
        client, "/settings/tokens", {"name": "Skript"}, token_from="/settings/tokens"
    )
    page = response.get_data(as_text=True)
    token_row = member.tokens[0]
    plain = page.split('id="new-token" class="form-control font-monospace" readonly value="')[1]
    plain = plain.split('"')[0]
    assert plain.startswith("kol_")
    assert plain not in token_row.token_hash
    assert client.get("/settings/tokens").get_data(as_text=True).count(plain) == 0
    assert client.get("/api/v1/spaces", headers=bearer(plain)).status_code == 200
    post_form(client, f"/settings/tokens/{token_row.id}/revoke", {}, token_from="/settings/tokens")
    assert client.get("/api/v1/spaces", headers=bearer(plain)).status_code == 401


def test_nobody_revokes_another_persons_token(member, outsider):
    make_token(member)
    with pytest.raises(NotFound):
        service.revoke_token(outsider, member.tokens[0].id)


def test_language_is_a_user_setting(client, member):
    sign_in(client, member)
    post_form(client, "/language", {"locale": "en", "next": "/"})
    assert "My spaces" in client.get("/").get_data(as_text=True)
    post_form(client, "/language", {"locale": "de", "next": "/"})
    # The setting wins over the browser's (English) preference.
    assert "Meine Bereiche" in client.get("/").get_data(as_text=True)


def test_browser_language_is_used_before_a_choice(client, member):
    sign_in(client, member)
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page
    page = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert 'lang="de"' in page


def test_make_user_factory_builds_signable_user(member):
    assert service.authenticate("mia", PASSWORD).id == member.id
    assert make_user().username.startswith("user")
