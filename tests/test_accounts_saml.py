"""Single sign-on with SAML 2.0 against a real identity provider process (tests/saml_idp.py,
pysaml2's IdP side over HTTP), never a mock of the client library."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.accounts.models import SAML, User
from app.config import DEFAULTS, check_settings
from app.extensions import db
from app.spaces import policy
from tests.factories import make_space
from tests.saml_idp import SAML_RESPONSE, saml_idp_fixture  # noqa: F401 (provides saml_idp)

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


def saml_response(client, username: str = "jana") -> str:
    """Start at /login/saml, sign in at the IdP; the SAMLResponse its page would post."""
    start = client.get("/login/saml")
    assert start.status_code == 302
    location = start.headers["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    credentials = {"username": username, "password": PEOPLE[username]["password"]}
    answer = requests.post(location.split("?")[0], data={**query, **credentials}, timeout=10)
    assert answer.status_code == 200, answer.text
    return html.unescape(SAML_RESPONSE.search(answer.text).group(1))


def is_signed_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def test_metadata_names_the_assertion_consumer_service(idp, client):
    xml = client.get("/login/saml/metadata").get_data(as_text=True)
    assert "http://localhost/login/saml/acs" in xml
    assert 'WantAssertionsSigned="true"' in xml


def test_sign_in_creates_the_account_from_the_attributes(idp, client):
    kaemmerei = make_space("Kämmerei", kind="department", visibility="members")
    response = client.post("/login/saml/acs", data={"SAMLResponse": saml_response(client)})
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
    response = client.post("/login/saml/acs", data={"SAMLResponse": posted})
    assert response.status_code == 403
    assert "could not be verified" in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert db.session.scalar(select(User).where(User.username == "jana")) is None


def test_a_replayed_assertion_is_refused(idp, app, client):
    posted = saml_response(client)
    assert client.post("/login/saml/acs", data={"SAMLResponse": posted}).status_code == 302
    other = app.test_client()
    response = other.post("/login/saml/acs", data={"SAMLResponse": posted})
    assert response.status_code == 403
    assert "already used or has expired" in response.get_data(as_text=True)
    assert not is_signed_in(other)


@pytest.mark.parametrize("body", ["", "not base64 at all", "PHhtbD48L3htbD4=", "x" * 300_000])
def test_malformed_answers_are_refused(idp, client, body):
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
    ):
        with pytest.raises(RuntimeError, match=complaint):
            check_settings(saml_settings(**changes))
