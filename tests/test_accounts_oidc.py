"""Single sign-on with OpenID Connect against a real provider process (tests/oidc_provider.py,
Authlib's server side over HTTP), never a mock of the client library."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.accounts.models import LOCAL, OIDC, User
from app.audit.models import AuditEntry
from app.config import DEFAULTS, check_settings
from app.extensions import db
from app.spaces import policy
from app.spaces.models import Membership, Origin
from tests import oidc_provider
from tests.factories import PASSWORD, make_space, make_user
from tests.oidc_provider import oidc_provider_fixture  # noqa: F401 (provides oidc_provider)
from tests.web import csrf_token

CALLBACK = "http://localhost/login/oidc/callback"
PEOPLE = {
    "hanna": {
        "sub": "a1b2-hanna",
        "password": "hanna-idp-pass",
        "claims": {
            "preferred_username": "hanna",
            "name": "Hanna Hoffmann",
            "email": "hanna@musterstadt.example",
            "department": "Bauamt",
            "groups": ["staff"],
        },
    },
    "ivo": {
        "sub": "c3d4-ivo",
        "password": "ivo-idp-pass",
        "claims": {
            "name": "Ivo Iversen",
            "email": "Ivo.Iversen@musterstadt.example",
            "groups": ["staff", "kollegium-admins"],
        },
    },
    "ada": {
        "sub": "e5f6-someone",
        "password": "ada-idp-pass",
        "claims": {"preferred_username": "admin", "name": "Not Ada", "email": "x@example.org"},
    },
}


@pytest.fixture
def provider(app, oidc_provider):
    oidc_provider.configure(redirect_uris=[CALLBACK], people=PEOPLE)
    app.config.update(oidc_provider_settings(oidc_provider))
    return oidc_provider


def oidc_provider_settings(provider) -> dict:
    return oidc_provider.settings_for(provider)


def start(client, next_path: str | None = None) -> str:
    """Open /login/oidc; the provider's sign-in address it sends the browser to."""
    response = client.get("/login/oidc" + (f"?next={next_path}" if next_path else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def sign_in_at_provider(authorize_url: str, username: str, password: str) -> str:
    """Fill in the provider's own sign-in form; the callback address it sends back."""
    answer = requests.post(
        authorize_url,
        data={"username": username, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return f"{parts.path}?{parts.query}"


def sign_in(client, username: str, next_path: str | None = None):
    person = PEOPLE[username]
    location = sign_in_at_provider(start(client, next_path), username, person["password"])
    return client.get(callback_path(location))


def is_signed_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def audit(action: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def details(entry: AuditEntry) -> dict:
    return json.loads(entry.details)


# --- signing in ---------------------------------------------------------------------------


def test_first_sign_in_creates_the_account_from_the_claims(provider, client):
    bauamt = make_space("Bauamt", kind="department", visibility="members")
    response = sign_in(client, "hanna", next_path="/settings/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings/"
    assert is_signed_in(client)
    user = db.session.scalar(select(User).where(User.username == "hanna"))
    assert (user.display_name, user.email) == ("Hanna Hoffmann", "hanna@musterstadt.example")
    assert user.auth_source == OIDC and user.password_hash is None
    assert user.sso_subject == "oidc:a1b2-hanna"
    assert not user.is_admin
    assert policy.is_member(user, bauamt)
    sign_in_entry = audit("sign_in")[-1]
    assert details(sign_in_entry)["source"] == OIDC


def test_the_request_uses_pkce_a_nonce_and_state(provider, client):
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{provider.issuer}/authorize")
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["nonce"][0] and query["state"][0]
    assert query["scope"] == ["openid profile email"]
    assert query["redirect_uri"] == [CALLBACK]


def test_username_falls_back_to_the_email_local_part_and_admin_group_grants_admin(provider, client):
    sign_in(client, "ivo")
    user = db.session.scalar(select(User).where(User.sso_subject == "oidc:c3d4-ivo"))
    assert user.username == "ivo.iversen"
    assert user.is_admin
    assert [entry.subject for entry in audit("admin_granted")] == ["user:ivo.iversen"]


def test_later_sign_in_updates_the_account_and_follows_a_department_move(provider, client):
    bauamt = make_space("Bauamt", kind="department", visibility="members")
    ordnungsamt = make_space("Ordnungsamt", kind="department")
    personalrat = make_space("Personalrat", kind="department")
    sign_in(client, "hanna")
    user = db.session.scalar(select(User).where(User.username == "hanna"))
    # Granted by hand: stays whatever the provider says.
    db.session.add(Membership(space=personalrat, user=user))
    db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    moved = {**PEOPLE, "hanna": {**PEOPLE["hanna"], "claims": {**PEOPLE["hanna"]["claims"]}}}
    moved["hanna"]["claims"].update(department="Ordnungsamt", name="Hanna Hoffmann-Lang")
    provider.configure(redirect_uris=[CALLBACK], people=moved)
    sign_in(client, "hanna")

    db.session.expire_all()
    assert user.display_name == "Hanna Hoffmann-Lang"
    assert not policy.is_member(user, bauamt)
    assert policy.is_member(user, ordnungsamt)
    assert policy.is_member(user, personalrat)
    origin = db.session.scalar(
        select(Membership.origin).where(Membership.space_id == ordnungsamt.id)
    )
    assert origin == Origin.DIRECTORY
    removed = [entry for entry in audit("member_removed") if entry.subject == f"space:{bauamt.id}"]
    assert len(removed) == 1 and details(removed[0])["source"] == OIDC


def test_a_local_account_of_the_same_name_is_not_taken_over(provider, client, admin):
    response = sign_in(client, "ada")
    assert response.status_code == 403
    assert "already exists here" in response.get_data(as_text=True)
    assert not is_signed_in(client)
    db.session.refresh(admin)
    assert admin.sso_subject is None and admin.auth_source == LOCAL


def test_local_administrator_keeps_password_sign_in_beside_single_sign_on(provider, client, admin):
    page = client.get("/login").get_data(as_text=True)
    assert page.index("Sign in with single sign-on") < page.index('name="password"')
    data = {"username": "admin", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    assert client.post("/login", data=data).status_code == 302
    assert is_signed_in(client)


def test_password_sign_in_can_be_switched_off(provider, app, client, admin):
    app.config["PASSWORD_SIGN_IN"] = False
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with single sign-on" in page
    assert 'name="password"' not in page
    # The form is gone; even a hand-made post gets no session.
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert not is_signed_in(client)


def test_sign_out_ends_the_session_at_the_provider(provider, client):
    sign_in(client, "hanna")
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    location = response.headers["Location"]
    assert location.startswith(f"{provider.issuer}/logout?")
    query = parse_qs(urlsplit(location).query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not is_signed_in(client)


def test_sign_in_page_without_single_sign_on_has_no_button(app, client):
    assert "single sign-on" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc").status_code == 404


# --- refused answers ----------------------------------------------------------------------

REFUSALS = [
    ("error", "did not sign you in (access_denied)"),
    ("wrong_audience", "not meant for Kollegium"),
    ("wrong_issuer", "not meant for Kollegium"),
    ("wrong_nonce", "not meant for Kollegium"),
    ("expired", "has expired"),
    ("unsigned", "could not be verified"),
    ("bad_signature", "could not be verified"),
    ("no_id_token", "sent no ID token"),
]


@pytest.mark.parametrize(("mode", "message"), REFUSALS)
def test_a_wrong_answer_gets_a_clear_page_and_no_session(provider, client, mode, message):
    provider.configure(mode=mode, redirect_uris=[CALLBACK], people=PEOPLE)
    authorize = start(client)
    if mode == "error":
        location = requests.get(authorize, allow_redirects=False, timeout=10).headers["Location"]
    else:
        location = sign_in_at_provider(authorize, "hanna", PEOPLE["hanna"]["password"])
    response = client.get(callback_path(location))
    assert response.status_code == 403
    assert message in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert db.session.scalar(select(User).where(User.username == "hanna")) is None
    assert details(audit("sign_in_failed")[-1])["source"] == OIDC


def test_a_replayed_state_is_refused_even_with_the_old_cookie(provider, app, client):
    authorize = start(client)
    old_cookie = client.get_cookie("session").value
    location = sign_in_at_provider(authorize, "hanna", PEOPLE["hanna"]["password"])
    assert client.get(callback_path(location)).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    response = replay.get(callback_path(location))
    assert response.status_code == 403
    assert "already used or has expired" in response.get_data(as_text=True)
    assert not is_signed_in(replay)


def test_an_answer_for_another_browser_is_refused(provider, app, client):
    location = sign_in_at_provider(start(client), "hanna", PEOPLE["hanna"]["password"])
    stranger = app.test_client()
    response = stranger.get(callback_path(location))
    assert response.status_code == 403
    assert not is_signed_in(stranger)


def test_an_unreachable_provider_gets_a_clear_page(app, client):
    closed = oidc_provider.free_port()
    app.config.update(
        OIDC_ISSUER=f"http://127.0.0.1:{closed}",
        OIDC_CLIENT_ID="kollegium",
        OIDC_CLIENT_SECRET="secret",
        OIDC_TIMEOUT=2,
    )
    response = client.get("/login/oidc")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_a_hostile_callback_gets_no_session(provider, client):
    for query in ("", "?state=x&code=y", "?state=" + "a" * 5000 + "&code=y", "?error=<script>"):
        response = client.get("/login/oidc/callback" + query)
        assert response.status_code == 403, query
        assert "<script>" not in response.get_data(as_text=True)
    assert not is_signed_in(client)


# --- settings -----------------------------------------------------------------------------


def settings(**changes) -> dict:
    base = {**DEFAULTS, "SECRET_KEY": "x" * 32, "OIDC_CLIENT_ID": "k", "OIDC_CLIENT_SECRET": "s"}
    return {**base, **changes}


@pytest.mark.parametrize(
    "issuer",
    ["https://login.example.org/realms/town", "http://127.0.0.1:8080", "http://localhost:9000"],
)
def test_https_and_loopback_issuers_are_accepted(issuer):
    check_settings(settings(OIDC_ISSUER=issuer))


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"OIDC_ISSUER": "http://idp.example.org"}, "https"),
        ({"OIDC_ISSUER": "http://127.0.0.1.example.org"}, "https"),
        ({"OIDC_ISSUER": "ftp://idp.example.org"}, "https"),
        ({"OIDC_ISSUER": "https://idp.example.org", "OIDC_CLIENT_SECRET": ""}, "SECRET"),
        ({"OIDC_ISSUER": "https://idp.example.org", "OIDC_SCOPES": "profile"}, "openid"),
    ],
)
def test_unsafe_or_incomplete_settings_stop_the_app(changes, complaint):
    with pytest.raises(RuntimeError, match=complaint):
        check_settings(settings(**changes))


def test_the_scopes_default_to_openid_profile_email():
    assert DEFAULTS["OIDC_SCOPES"] == "openid profile email"


def test_existing_memberships_count_as_granted_by_hand(app):
    person = make_user("paula")
    space = make_space("Kämmerei", kind="department", members=[person])
    origin = db.session.scalar(select(Membership.origin).where(Membership.space_id == space.id))
    assert origin == Origin.MANUAL


def test_sign_out_form_may_redirect_to_the_provider_and_nowhere_else(provider, client):
    policy_header = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer}" in policy_header


def test_a_deactivated_account_is_not_signed_in_by_the_provider(provider, client):
    sign_in(client, "hanna")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    user = db.session.scalar(select(User).where(User.username == "hanna"))
    user.active = False
    db.session.commit()
    response = sign_in(client, "hanna")
    assert response.status_code == 403
    assert "deactivated" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_hostile_claims_make_no_account_and_no_error(app):
    from app.accounts import oidc, service
    from app.accounts.sso import SignInRefused

    person = oidc.person_from_claims(
        {"preferred_username": "eve\x00", "email": "eve\x00@x.example", "name": "<b>Eve</b>"}
    )
    assert person.username == "eve" and "\x00" not in person.email
    for username, subject in (("<script>", "s1"), ("eve", "s\x002"), ("x" * 300, "s3")):
        hostile = oidc.person_from_claims({"preferred_username": username, "email": "e@x.example"})
        with pytest.raises(SignInRefused):
            service.sign_in_from_provider(OIDC, subject, hostile)
    assert db.session.scalar(select(User).where(User.email == "e@x.example")) is None
