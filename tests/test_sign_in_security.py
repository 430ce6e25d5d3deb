"""Sessions that end on the server, and sign-in throttling an attacker cannot turn against
the owner. Written as the attacker's requests: copied cookies, guessing from one address,
from many, from another worker."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app import create_app
from app.accounts.models import SignIn
from app.clock import utcnow
from app.extensions import db
from tests import conftest
from tests.factories import PASSWORD
from tests.web import csrf_token, post_form

OWNER_OFFICE = "10.0.0.7"


def login(client, username, password, *, address="10.9.9.9", remember=False):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": password, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def test_a_copied_session_cookie_stops_working_at_sign_out(app, client, member):
    assert login(client, "mia", PASSWORD).status_code == 302
    stolen = cookie(client, "session")
    post_form(client, "/logout", {})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_a_copied_remember_me_cookie_stops_working_at_sign_out(app, client, member):
    assert login(client, "mia", PASSWORD, remember=True).status_code == 302
    stolen = cookie(client, "remember_token")
    assert stolen
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen)
    assert thief.get("/").status_code == 200  # it works while the sign-in lasts
    post_form(client, "/logout", {})
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen)
    assert thief.get("/").status_code == 302


def test_remember_me_lasts_weeks_by_default_and_is_configurable(app, client, member, tmp_path):
    response = login(client, "mia", PASSWORD, remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if "remember_token=" in h)
    assert "Expires=" in header
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)
    settings = {**conftest.test_settings(app.config["SQLALCHEMY_DATABASE_URI"]), "REMEMBER_DAYS": 3}
    other = create_app(settings, instance_path=str(tmp_path / "other"))
    assert other.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=3)


def test_an_expired_sign_in_no_longer_opens_pages(app, client, member):
    assert login(client, "mia", PASSWORD, remember=True).status_code == 302
    db.session.execute(update(SignIn).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get("/").status_code == 302


def test_sign_out_everywhere_ends_every_device(app, member):
    laptop, phone = app.test_client(), app.test_client()
    assert login(laptop, "mia", PASSWORD, remember=True).status_code == 302
    assert login(phone, "mia", PASSWORD, remember=True).status_code == 302
    assert "Sign out everywhere" in laptop.get("/settings/").get_data(as_text=True)
    response = post_form(laptop, "/settings/sign-out-everywhere", {})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    remembered = cookie(phone, "remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/").status_code == 302


def test_sign_out_everywhere_needs_the_form_token(app, client, member):
    assert login(client, "mia", PASSWORD).status_code == 302
    assert client.post("/settings/sign-out-everywhere").status_code == 400
    assert client.get("/").status_code == 200


def test_guessing_from_one_address_slows_that_address_not_the_owner(client, member):
    for _attempt in range(5):
        assert login(client, "mia", "guess", address="203.0.113.5").status_code == 401
    response = login(client, "mia", PASSWORD, address="203.0.113.5")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "try again in 5 minutes" in response.get_data(as_text=True)
    # The owner, elsewhere, is not locked out.
    assert login(client, "mia", PASSWORD, address=OWNER_OFFICE).status_code == 302


def test_a_botnet_guessing_one_account_cannot_lock_out_the_owner(app, member):
    owner = app.test_client()
    assert login(owner, "mia", PASSWORD, address=OWNER_OFFICE).status_code == 302
    post_form(owner, "/logout", {})
    attacker = app.test_client()
    for number in range(20):
        response = login(attacker, "mia", "guess", address=f"198.51.100.{number}")
        assert response.status_code == 401
    # A new address now waits, even with the right password: the guessers learn nothing.
    assert login(attacker, "mia", PASSWORD, address="198.51.100.200").status_code == 429
    # The owner, from the office they signed in from before, still gets in.
    assert login(owner, "mia", PASSWORD, address=OWNER_OFFICE).status_code == 302


def test_throttled_attempts_do_not_check_the_password(client, member):
    for _attempt in range(5):
        login(client, "mia", "guess", address="203.0.113.5")
    right = login(client, "mia", PASSWORD, address="203.0.113.5")
    wrong = login(client, "mia", "guess", address="203.0.113.5")
    assert right.status_code == wrong.status_code == 429
    assert "Unknown username or wrong password" not in right.get_data(as_text=True)


def test_failures_count_across_workers(app, tmp_path, member):
    """Two workers (two apps) share the count: an attacker gets no extra tries per worker."""
    settings = conftest.test_settings(app.config["SQLALCHEMY_DATABASE_URI"])
    other_worker = create_app(settings, instance_path=str(tmp_path / "worker2"))
    other_worker.test_client_class = conftest.RequestIsolatingClient
    first, second = app.test_client(), other_worker.test_client()
    for _attempt in range(3):
        assert login(first, "mia", "guess", address="203.0.113.9").status_code == 401
    for _attempt in range(2):
        assert login(second, "mia", "guess", address="203.0.113.9").status_code == 401
    assert login(first, "mia", PASSWORD, address="203.0.113.9").status_code == 429
    assert login(second, "mia", PASSWORD, address="203.0.113.9").status_code == 429
