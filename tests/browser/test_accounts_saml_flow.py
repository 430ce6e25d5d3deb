"""SAML single sign-on in the browser: a colleague signs in at the SAML identity provider (a
real pysaml2 IdP process, tests/saml_idp.py), whose page posts the signed assertion back."""

import html
from urllib.parse import parse_qsl

import requests
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, new_context
from tests.saml_idp import saml_idp_fixture  # noqa: F401 (provides saml_idp)

JONAS = {
    "sub": "jonas-browser-id",
    "password": "jonas-saml-pass",
    "attributes": {
        "uid": ["jonas.saml"],
        "mail": ["jonas.saml@musterstadt.example"],
        "displayName": ["Jonas Saml"],
    },
}


def test_saml_sign_in(page, live_server, saml_idp):
    config = live_server.app.config
    saved = config["SAML_IDP_METADATA"]
    config["SAML_IDP_METADATA"] = saml_idp.metadata_file()
    try:
        metadata = requests.get(f"{live_server.url}/login/saml/metadata", timeout=30)
        saml_idp.configure(people={"jonas": JONAS}, sp_metadata=metadata.text)
        page.goto("/login")
        assert_accessible(page)
        page.get_by_role("link", name="Sign in with single sign-on").click()
        page.get_by_label("SAML username").fill("jonas")
        page.get_by_label("SAML password").fill(JONAS["password"])
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Welcome, Jonas Saml")).to_be_visible()
    finally:
        config["SAML_IDP_METADATA"] = saved


def test_saml_sign_in_when_the_provider_is_another_site(page, live_server, saml_idp):
    # Kollegium at localhost, the IdP at 127.0.0.1: its post back is cross-site, so Chromium
    # leaves the SameSite session cookie behind and our page posts the answer once more.
    config = live_server.app.config
    saved = config["SAML_IDP_METADATA"]
    config["SAML_IDP_METADATA"] = saml_idp.metadata_file()
    here = live_server.url.replace("127.0.0.1", "localhost")
    try:
        metadata = requests.get(f"{here}/login/saml/metadata", timeout=30)
        assert f"{here}/login/saml/acs" in metadata.text
        saml_idp.configure(people={"jonas": JONAS}, sp_metadata=metadata.text)
        posts = []
        page.on(
            "request",
            lambda sent: (
                posts.append(sent.url)
                if sent.method == "POST" and sent.url.endswith("/login/saml/acs")
                else None
            ),
        )
        page.goto(f"{here}/login")
        page.get_by_role("link", name="Sign in with single sign-on").click()
        page.get_by_label("SAML username").fill("jonas")
        page.get_by_label("SAML password").fill(JONAS["password"])
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Welcome, Jonas Saml")).to_be_visible()
        assert page.url.startswith(here)
        # Once from the IdP's page (no session cookie), once from ours (with it).
        assert len(posts) == 2
    finally:
        config["SAML_IDP_METADATA"] = saved


def test_an_answer_posted_into_another_browser_signs_nobody_in(
    browser, page, live_server, saml_idp
):
    # Login CSRF: someone signs in at the IdP with their own account, keeps the answer, and
    # has a colleague's browser post it (a page of theirs with a form that sends itself).
    config = live_server.app.config
    saved = config["SAML_IDP_METADATA"]
    config["SAML_IDP_METADATA"] = saml_idp.metadata_file()
    attacker = new_context(browser, live_server.url)
    try:
        metadata = requests.get(f"{live_server.url}/login/saml/metadata", timeout=30)
        saml_idp.configure(people={"jonas": JONAS}, sp_metadata=metadata.text)
        attacker.route("**/login/saml/acs", lambda route: route.abort())  # kept, not used
        attackers_page = attacker.new_page()
        attackers_page.goto("/login/saml")
        attackers_page.get_by_label("SAML username").fill("jonas")
        attackers_page.get_by_label("SAML password").fill(JONAS["password"])
        with attackers_page.expect_request("**/login/saml/acs") as answer:
            attackers_page.get_by_role("button", name="Continue").click()
        fields = parse_qsl(answer.value.post_data)

        page.goto("/login")  # the colleague's browser has a session of its own
        page.goto("about:blank")
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in fields
        )
        page.set_content(
            f'<form method="post" action="{live_server.url}/login/saml/acs">{inputs}'
            '<button type="submit">Win a prize</button></form>'
        )
        page.get_by_role("button", name="Win a prize").click()
        expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
        expect(page.get_by_text("This sign-in was not started in this browser")).to_be_visible()
        assert_accessible(page)
        page.goto("/settings/")
        assert "/login" in page.url
    finally:
        attacker.close()
        config["SAML_IDP_METADATA"] = saved


def test_saml_sign_in_when_our_script_does_not_run(page, live_server, saml_idp):
    # Without our script nothing posts the answer again: the person presses the button.
    config = live_server.app.config
    saved = config["SAML_IDP_METADATA"]
    config["SAML_IDP_METADATA"] = saml_idp.metadata_file()
    here = live_server.url.replace("127.0.0.1", "localhost")
    try:
        metadata = requests.get(f"{here}/login/saml/metadata", timeout=30)
        saml_idp.configure(people={"jonas": JONAS}, sp_metadata=metadata.text)
        page.route("**/static/js/saml-continue.js*", lambda route: route.abort())
        page.goto(f"{here}/login/saml")
        page.get_by_label("SAML username").fill("jonas")
        page.get_by_label("SAML password").fill(JONAS["password"])
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Signing in")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Continue signing in").click()
        expect(page.get_by_role("heading", name="Welcome, Jonas Saml")).to_be_visible()
    finally:
        config["SAML_IDP_METADATA"] = saved
