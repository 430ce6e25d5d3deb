"""Single sign-on with SAML 2.0 against a real identity provider process (tests/saml_idp.py,
pysaml2's IdP side over HTTP), never a mock of the client library."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.accounts.models import SAML, User
from app.config import DEFAULTS, check_settings
from app.extensions import db
from app.spaces import policy
from tests.factories import make_space
from tests.saml_idp import (  # noqa: F401 (provides saml_idp)
    RELAY_STATE,
    SAML_RESPONSE,
    saml_idp_fixture,
)
from tests.web import csrf_token

PEOPLE = {
    "jana": {
        "sub": "jana-persistent-id",
        "password": "jana-saml-pass",
        "attributes": {
            "uid": ["jana"],
            "mail": ["jana@musterstadt.example"],
            "displayName": ["Jana Jansen"],
            "department": ["Kämmerei"],
            "groups": ["staff", "kollegium-admins"],
        },
    }
}


@pytest.fixture
def idp(app, client, saml_idp):
    app.config.update(
        SAML_IDP_METADATA=saml_idp.metadata_file(), SAML_ADMIN_GROUP="kollegium-admins"
    )
    metadata = client.get("/login/saml/metadata")
    assert metadata.status_code == 200
    saml_idp.configure(people=PEOPLE, sp_metadata=metadata.get_data(as_text=True))
    return saml_idp


def saml_response(client, username: str = "jana") -> dict[str, str]:
    """Start at /login/saml, sign in at the IdP; the form its page would post."""
    start = client.get("/login/saml")
    assert start.status_code == 302
    location = start.headers["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    credentials = {"username": username, "password": PEOPLE[username]["password"]}
    answer = requests.post(location.split("?")[0], data={**query, **credentials}, timeout=10)
    assert answer.status_code == 200, answer.text
    return posted_form(answer.text)


def posted_form(page: str) -> dict[str, str]:
    """The fields of the IdP's page that posts the answer back."""
    relay_state = RELAY_STATE.search(page)
    return {
        "SAMLResponse": html.unescape(SAML_RESPONSE.search(page).group(1)),
        "RelayState": html.unescape(relay_state.group(1)) if relay_state else "",
    }


def continue_form(page: str) -> dict[str, str]:
    """The fields of our own page that posts the answer once more."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in fields}


def is_signed_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def test_metadata_names_the_assertion_consumer_service(idp, client):
    xml = client.get("/login/saml/metadata").get_data(as_text=True)
    assert "http://localhost/login/saml/acs" in xml
    assert 'WantAssertionsSigned="true"' in xml


def test_sign_in_creates_the_account_from_the_attributes(idp, client):
    kaemmerei = make_space("Kämmerei", kind="department", visibility="members")
    response = client.post("/login/saml/acs", data=saml_response(client))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert is_signed_in(client)
    user = db.session.scalar(select(User).where(User.username == "jana"))
    assert (user.display_name, user.email) == ("Jana Jansen", "jana@musterstadt.example")
    assert user.auth_source == SAML and user.sso_subject == "saml:jana-persistent-id"
    assert user.is_admin
    assert policy.is_member(user, kaemmerei)


@pytest.mark.parametrize("mode", ["unsigned", "wrong_recipient"])
def test_unsigned_or_misaddressed_assertions_are_refused(idp, client, mode):
    idp.configure(mode=mode)
    try:
        posted = saml_response(client)
    finally:
        idp.configure(mode="normal")
    response = client.post("/login/saml/acs", data=posted)
    assert response.status_code == 403
    assert "could not be verified" in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert db.session.scalar(select(User).where(User.username == "jana")) is None


NOT_THIS_BROWSER = "not started in this browser, was already used or has expired"


def test_an_answer_posted_from_the_providers_site_is_posted_again_with_the_cookie(idp, client, app):
    posted = saml_response(client)
    # A cross-site post: the browser leaves the SameSite session cookie behind.
    without_cookie = app.test_client().post("/login/saml/acs", data=posted)
    assert without_cookie.status_code == 200
    assert "Set-Cookie" not in without_cookie.headers  # the waiting session stays as it is
    page = without_cookie.get_data(as_text=True)
    assert 'action="/login/saml/acs"' in page and "Continue signing in" in page
    # Our page posts it again, now with the cookie of the browser that started.
    response = client.post("/login/saml/acs", data=continue_form(page))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert is_signed_in(client)


def test_an_answer_posted_into_another_browser_is_refused(idp, app, client):
    # The attacker signs in at the IdP with their own account and has the answer posted into
    # a colleague's browser (login CSRF).
    attackers_answer = saml_response(client)
    victim = app.test_client()
    page = victim.post("/login/saml/acs", data=attackers_answer).get_data(as_text=True)
    response = victim.post("/login/saml/acs", data=continue_form(page))
    assert response.status_code == 403
    assert NOT_THIS_BROWSER in response.get_data(as_text=True)
    assert not is_signed_in(victim)
    assert db.session.scalar(select(User).where(User.username == "jana")) is None


def test_an_answer_to_another_browsers_request_is_refused_while_one_is_waiting(idp, app, client):
    attackers_answer = saml_response(client)
    victim = app.test_client()
    assert victim.get("/login/saml").status_code == 302  # the colleague's own sign-in waits
    response = victim.post("/login/saml/acs", data=attackers_answer)
    assert response.status_code == 403
    assert NOT_THIS_BROWSER in response.get_data(as_text=True)
    assert not is_signed_in(victim)


@pytest.mark.parametrize("relay_state", ["forged", "", "gefälscht"])
def test_an_answer_with_another_relay_state_is_refused(idp, client, relay_state):
    posted = saml_response(client)
    response = client.post("/login/saml/acs", data={**posted, "RelayState": relay_state})
    assert response.status_code == 403
    assert not is_signed_in(client)


def test_a_replayed_assertion_is_refused(idp, app, client):
    posted = saml_response(client)
    assert client.post("/login/saml/acs", data=posted).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert not is_signed_in(client)
    response = client.post("/login/saml/acs", data={**posted, "resent": "1"})
    assert response.status_code == 403
    assert NOT_THIS_BROWSER in response.get_data(as_text=True)
    assert not is_signed_in(client)


def unsolicited_answer(idp, client) -> dict[str, str]:
    return posted_form(
        idp.unsolicited_answer(
            "jana",
            acs="http://localhost/login/saml/acs",
            sp_entity_id="http://localhost/login/saml/metadata",
        )
    )


def test_an_unsolicited_answer_is_refused_unless_allowed(idp, app, client):
    posted = unsolicited_answer(idp, client)
    page = client.post("/login/saml/acs", data=posted).get_data(as_text=True)
    response = client.post("/login/saml/acs", data=continue_form(page))
    assert response.status_code == 403
    assert NOT_THIS_BROWSER in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_an_allowed_unsolicited_answer_signs_in_once(idp, app, client):
    app.config["SAML_ALLOW_UNSOLICITED"] = True
    posted = unsolicited_answer(idp, client)
    response = client.post("/login/saml/acs", data={**posted, "resent": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert is_signed_in(client)
    other = app.test_client()
    replayed = other.post("/login/saml/acs", data={**posted, "resent": "1"})
    assert replayed.status_code == 403
    assert not is_signed_in(other)


def test_allowing_unsolicited_answers_still_refuses_another_browsers_answer(idp, app, client):
    app.config["SAML_ALLOW_UNSOLICITED"] = True
    attackers_answer = saml_response(client)
    victim = app.test_client()
    response = victim.post("/login/saml/acs", data={**attackers_answer, "resent": "1"})
    assert response.status_code == 403
    assert NOT_THIS_BROWSER in response.get_data(as_text=True)
    assert not is_signed_in(victim)


def test_empty_or_oversized_answers_are_refused_at_once(idp, client):
    for body in ("", "x" * 300_000):
        response = client.post("/login/saml/acs", data={"SAMLResponse": body})
        assert response.status_code == 403
        assert "x" * 1000 not in response.get_data(as_text=True)


@pytest.mark.parametrize("body", ["", "not base64 at all", "PHhtbD48L3htbD4=", "x" * 300_000])
def test_malformed_answers_are_refused(idp, client, body):
    assert client.get("/login/saml").status_code == 302
    response = client.post("/login/saml/acs", data={"SAMLResponse": body})
    assert response.status_code == 403
    assert not is_signed_in(client)


def test_sign_in_page_offers_saml_first(idp, client):
    page = client.get("/login").get_data(as_text=True)
    assert page.index("Sign in with single sign-on") < page.index('name="password"')


def saml_settings(**changes) -> dict:
    return {**DEFAULTS, "SECRET_KEY": "x" * 32, **changes}


def test_saml_settings_are_checked_at_start(tmp_path):
    metadata = tmp_path / "idp.xml"
    metadata.write_text("<EntityDescriptor/>")
    check_settings(saml_settings(SAML_IDP_METADATA=str(metadata)))
    check_settings(saml_settings(SAML_IDP_METADATA="https://adfs.example/metadata.xml"))
    for changes, complaint in (
        ({"SAML_IDP_METADATA": "http://adfs.example/metadata.xml"}, "https"),
        ({"SAML_IDP_METADATA": str(tmp_path / "missing.xml")}, "no file"),
        ({"SAML_IDP_METADATA": str(metadata), "SAML_SP_KEY_FILE": "k.pem"}, "both"),
        ({"SAML_IDP_METADATA": str(metadata), "SAML_XMLSEC_BINARY": "/nowhere"}, "xmlsec1"),
        ({"SAML_ALLOW_UNSOLICITED": "yes"}, "true or false"),
    ):
        with pytest.raises(RuntimeError, match=complaint):
            check_settings(saml_settings(**changes))
