"""Two-factor sign-in: an authenticator app (TOTP), recovery codes, and what administrators
can require. Security keys are tested in the browser (tests/browser), with Chromium's virtual
authenticator."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.accounts import twofactor
from app.accounts.models import OIDC, RecoveryCode, WebAuthnCredential
from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from tests.factories import PASSWORD, publish_guidelines
from tests.web import csrf_token, sign_in


def now_code(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset_steps * totp.interval)


def with_app(user) -> list[str]:
    """Set up an authenticator app for ``user``; the recovery codes."""
    secret = twofactor.start_totp(user)
    return twofactor.confirm_totp(user, now_code(secret))


def password_step(client, username: str):
    data = {"username": username, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    return client.post("/login?next=/settings/", data=data)


def code_step(client, code: str):
    token = csrf_token(client, "/login/two-factor")
    return client.post("/login/two-factor", data={"code": code, "csrf_token": token})


def is_signed_in(client) -> bool:
    return client.get("/settings/").status_code == 200


# --- the service --------------------------------------------------------------------------


def test_the_app_is_in_use_only_after_a_right_code(member):
    secret = twofactor.start_totp(member)
    assert not twofactor.is_enabled(member)
    with pytest.raises(Invalid):
        twofactor.confirm_totp(member, "000000" if now_code(secret) != "000000" else "111111")
    codes = twofactor.confirm_totp(member, now_code(secret))
    assert twofactor.is_enabled(member)
    assert len(codes) == 10 and len(set(codes)) == 10
    # Only hashes are kept.
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert not set(codes) & set(stored)
    assert all(code.replace("-", "") not in stored for code in codes)


def test_a_code_signs_in_once_and_a_slightly_late_one_still_counts(member):
    secret = twofactor.start_totp(member)
    # Half a minute late (a drifting phone clock) still counts.
    twofactor.confirm_totp(member, now_code(secret, -1))
    current = now_code(secret)
    assert twofactor.check_code(member, current)
    # Seen once (over a shoulder, say), it does not sign in again; nor do older ones.
    assert not twofactor.check_code(member, current)
    assert not twofactor.check_code(member, now_code(secret, -1))
    assert not twofactor.check_code(member, now_code(secret, -3))


def test_a_recovery_code_works_once(member):
    codes = with_app(member)
    assert twofactor.check_code(member, codes[0].upper())
    assert not twofactor.check_code(member, codes[0])
    assert twofactor.unused_recovery_codes(member) == 9


@pytest.mark.parametrize("code", ["", " ", "x" * 5000, "12345", "1234567", "<script>", "ü" * 8])
def test_malformed_codes_are_refused(member, code):
    with_app(member)
    assert not twofactor.check_code(member, code)


def test_new_recovery_codes_replace_the_old(member):
    old = with_app(member)
    new = twofactor.new_recovery_codes(member)
    assert not twofactor.check_code(member, old[1])
    assert twofactor.check_code(member, new[1])


def test_accounts_of_an_identity_provider_have_no_second_factor_here(member):
    member.auth_source = OIDC
    db.session.commit()
    with pytest.raises(Forbidden):
        twofactor.start_totp(member)


def test_a_second_app_is_refused_until_the_first_is_off(member):
    with_app(member)
    with pytest.raises(Conflict):
        twofactor.start_totp(member)


def test_required_for_admins_or_everyone(app, admin, member):
    assert not twofactor.is_required(admin)
    app.config["TWO_FACTOR_REQUIRED"] = "admins"
    assert twofactor.is_required(admin) and not twofactor.is_required(member)
    app.config["TWO_FACTOR_REQUIRED"] = "everyone"
    assert twofactor.is_required(member)
    with_app(member)
    with pytest.raises(Forbidden):
        twofactor.turn_off(member, now_code(member.totp_secret, 1))


# --- the pages ----------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_after_the_password(client, member):
    with_app(member)
    response = password_step(client, "mia")
    assert response.headers["Location"] == "/login/two-factor"
    assert not is_signed_in(client)
    wrong = code_step(client, "not-a-code")
    assert wrong.status_code == 401
    assert "This code is not right." in wrong.get_data(as_text=True)
    assert not is_signed_in(client)
    db.session.refresh(member)
    right = code_step(client, now_code(member.totp_secret, 1))
    assert right.headers["Location"] == "/settings/"
    assert is_signed_in(client)


def test_the_code_page_without_a_password_step_sends_back_to_sign_in(client, member):
    with_app(member)
    assert client.get("/login/two-factor").headers["Location"] == "/login"
    token = csrf_token(client, "/login")
    response = client.post("/login/two-factor", data={"code": "123456", "csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert not is_signed_in(client)


def test_setting_up_the_app_shows_a_local_qr_code_and_recovery_codes(client, member):
    sign_in(client, member)
    page = client.get("/settings/two-factor/app").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = csrf_token(client, "/settings/two-factor/app")
    response = client.post(
        "/settings/two-factor/app", data={"code": now_code(secret), "csrf_token": token}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r"<li>[0-9a-f]{8}-[0-9a-f]{8}</li>", text)) == 10
    db.session.refresh(member)
    assert twofactor.has_totp(member)


def test_a_wrong_setup_code_shows_the_form_again(client, member):
    sign_in(client, member)
    client.get("/settings/two-factor/app")
    token = csrf_token(client, "/settings/two-factor/app")
    response = client.post("/settings/two-factor/app", data={"code": "12", "csrf_token": token})
    assert "This code is not right." in response.get_data(as_text=True)
    db.session.refresh(member)
    assert not twofactor.has_totp(member)


def test_required_second_factor_sends_people_to_set_it_up(app, client, admin):
    app.config["TWO_FACTOR_REQUIRED"] = "admins"
    sign_in(client, admin)
    response = client.get("/wiki/")
    assert response.headers["Location"] == "/settings/two-factor"
    assert client.get("/settings/two-factor").status_code == 200
    with_app(admin)
    assert client.get("/settings/").status_code == 200


def test_turning_off_needs_a_right_code(client, member):
    with_app(member)
    sign_in(client, member)
    token = csrf_token(client, "/settings/two-factor")
    client.post("/settings/two-factor/off", data={"code": "999999x", "csrf_token": token})
    db.session.refresh(member)
    assert twofactor.has_totp(member)
    client.post(
        "/settings/two-factor/off",
        data={"code": now_code(member.totp_secret, 1), "csrf_token": token},
    )
    db.session.refresh(member)
    assert not twofactor.is_enabled(member)


def test_reset_from_the_command_line(app, member):
    with_app(member)
    result = app.test_cli_runner().invoke(args=["users", "reset-2fa", "mia"])
    assert result.exit_code == 0, result.output
    db.session.refresh(member)
    assert not twofactor.is_enabled(member)


def test_second_factor_attempts_are_limited(app, client, member):
    app.config["LOGIN_RATE_LIMIT"] = "3 per 5 minutes"
    with_app(member)
    password_step(client, "mia")
    statuses = [code_step(client, "000000x").status_code for _ in range(4)]
    assert statuses[-1] == 429
    assert not is_signed_in(client)


def test_guidelines_and_a_required_second_factor_do_not_send_each_other_round(app, client, admin):
    publish_guidelines(admin)
    app.config["TWO_FACTOR_REQUIRED"] = "admins"
    sign_in(client, admin)
    first = client.get("/wiki/").headers["Location"]
    second = client.get(first).status_code
    # One of the two gates answers with its page; neither redirects to the other.
    assert second == 200, (first, second)


def add_key(user, name: str) -> int:
    """A registered security key (its registration is tested in the browser)."""
    key = WebAuthnCredential(
        user_id=user.id, credential_id=f"{user.username}-{name}", public_key=b"key", name=name
    )
    db.session.add(key)
    db.session.commit()
    return key.id


def remove_key(client, key_id: int):
    token = csrf_token(client, "/settings/two-factor")
    return client.post(f"/settings/two-factor/keys/{key_id}/remove", data={"csrf_token": token})


def test_one_security_key_can_be_removed_and_the_others_stay(client, member):
    lost = add_key(member, "Verlorener Schlüssel")
    add_key(member, "Schlüsselbund")
    sign_in(client, member)
    page = client.get("/settings/two-factor").get_data(as_text=True)
    assert "Remove Verlorener Schlüssel" in page
    response = remove_key(client, lost)
    assert response.status_code == 302
    page = client.get("/settings/two-factor").get_data(as_text=True)
    assert "The security key Verlorener Schlüssel was removed." in page
    assert [key.name for key in twofactor.security_keys(member)] == ["Schlüsselbund"]
    assert twofactor.is_enabled(member)
    entry = db.session.query(AuditEntry).filter_by(action="security_key_removed").one()
    assert entry.subject == "user:mia" and "Verlorener Schlüssel" in entry.details


def test_the_last_second_factor_is_not_removed_as_a_key(app, client, member):
    only = add_key(member, "Einziger Schlüssel")
    sign_in(client, member)
    assert "Remove Einziger Schlüssel" not in client.get("/settings/two-factor").get_data(
        as_text=True
    )
    remove_key(client, only)
    page = client.get("/settings/two-factor").get_data(as_text=True)
    assert "This key is your only second factor." in page
    app.config["TWO_FACTOR_REQUIRED"] = "everyone"
    remove_key(client, only)
    page = client.get("/settings/two-factor").get_data(as_text=True)
    assert "Your administrators require a second factor" in page
    assert [key.name for key in twofactor.security_keys(member)] == ["Einziger Schlüssel"]


def test_a_key_beside_an_authenticator_app_can_go_even_when_required(app, client, member):
    app.config["TWO_FACTOR_REQUIRED"] = "everyone"
    with_app(member)
    key = add_key(member, "Alter Schlüssel")
    sign_in(client, member)
    remove_key(client, key)
    assert twofactor.security_keys(member) == []
    assert twofactor.is_enabled(member)


def test_nobody_removes_someone_elses_key(client, member, owner):
    theirs = add_key(owner, "Ottos Schlüssel")
    add_key(owner, "Ottos zweiter Schlüssel")
    sign_in(client, member)
    remove_key(client, theirs)
    assert "No such security key." in client.get("/settings/two-factor").get_data(as_text=True)
    assert len(twofactor.security_keys(owner)) == 2
    with pytest.raises(NotFound):
        twofactor.remove_security_key(member, theirs)
