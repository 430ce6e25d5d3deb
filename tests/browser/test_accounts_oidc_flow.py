"""Single sign-on in the browser: a colleague signs in at the OpenID Connect provider (a real
provider process, tests/oidc_provider.py), signs out there too, and a wrong answer from the
provider shows a clear page without a session."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.oidc_provider import (
    oidc_provider_fixture,  # noqa: F401 (provides oidc_provider)
    settings_for,
)

HANNA = {
    "sub": "browser-hanna",
    "password": "hanna-idp-pass",
    "claims": {
        "preferred_username": "hanna.sso",
        "name": "Hanna Single",
        "email": "hanna.sso@musterstadt.example",
    },
}


def sign_in_at_provider(page) -> None:
    page.goto("/login")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with single sign-on").click()
    page.get_by_label("IdP username").fill("hanna")
    page.get_by_label("IdP password").fill(HANNA["password"])
    page.get_by_role("button", name="Continue").click()


def test_single_sign_on_in_and_out_and_a_refused_answer(page, live_server, oidc_provider):
    config = live_server.app.config
    settings = settings_for(oidc_provider)
    saved = {key: config[key] for key in settings}
    callback = f"{live_server.url}/login/oidc/callback"
    oidc_provider.configure(redirect_uris=[callback], people={"hanna": HANNA})
    config.update(settings)
    try:
        sign_in_at_provider(page)
        expect(page.get_by_role("heading", name="Welcome, Hanna Single")).to_be_visible()

        page.get_by_role("button", name="Hanna Single").click()
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server.url}/login")
        expect(page.get_by_text("You are signed out.")).to_be_visible()
        assert oidc_provider.events()[-1]["event"] == "logout"

        oidc_provider.configure(mode="wrong_audience", redirect_uris=[callback])
        sign_in_at_provider(page)
        expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
        expect(page.get_by_text("was not meant for Kollegium")).to_be_visible()
        assert_accessible(page)
        page.goto("/")
        expect(page).to_have_url(f"{live_server.url}/login?next=/")
    finally:
        oidc_provider.configure(mode="normal")
        config.update(saved)
