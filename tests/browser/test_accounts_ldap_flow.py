"""Directory sign-in in the browser: a colleague from the staff directory signs in, and the
sign-in page says so when the directory cannot be reached."""

from playwright.sync_api import expect

from tests import ldap_server
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user
from tests.ldap_server import slapd_fixture  # noqa: F401 (provides the slapd fixture)

ANNA = ldap_server.STAFF[0]


def a_local_colleague() -> None:
    make_user("lotte", display_name="Lotte Lokal")


def test_directory_sign_in_and_an_unreachable_directory(page, live_server, slapd):
    config = live_server.app.config
    saved = {key: config[key] for key in ldap_server.settings_for("")}
    config.update(ldap_server.settings_for(slapd.url))
    try:
        live_server.run(a_local_colleague)
        sign_in(page, "anna", ANNA.password)
        expect(page.get_by_role("heading", name=f"Welcome, {ANNA.name}")).to_be_visible()
        page.context.clear_cookies()

        config["LDAP_SERVER_URLS"] = f"ldap://127.0.0.1:{ldap_server.free_port()}"
        page.goto("/login")
        page.get_by_label("Username").fill("anna")
        page.get_by_label("Password").fill(ANNA.password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("The staff directory cannot be reached")).to_be_visible()
        assert_accessible(page)

        sign_in(page, "lotte")
        expect(page.get_by_role("heading", name="Welcome, Lotte Lokal")).to_be_visible()
    finally:
        config.update(saved)
