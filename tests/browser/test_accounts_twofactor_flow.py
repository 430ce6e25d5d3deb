"""Two-factor sign-in in the browser: a colleague registers a security key (Chromium's
virtual authenticator over the DevTools protocol) and signs in with password and key; the
authenticator app's code works as the other way in."""

import time

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible, new_context
from tests.factories import make_user


def a_colleague() -> None:
    make_user("kira", display_name="Kira Key")


def password_step(page) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("kira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Kira Key").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def test_security_key_and_authenticator_app(browser, live_server):
    live_server.run(a_colleague)
    # WebAuthn binds keys to a host name; browsers refuse IP addresses as one.
    context = new_context(browser, live_server.url.replace("127.0.0.1", "localhost"))
    page = context.new_page()
    page.set_default_timeout(10_000)
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    try:
        password_step(page)
        expect(page.get_by_role("heading", name="Welcome, Kira Key")).to_be_visible()

        page.goto("/settings/two-factor")
        page.get_by_label("Name of the new key").fill("Blue key")
        page.get_by_role("button", name="Register a security key").click()
        expect(page.get_by_text("Blue key")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Set up an authenticator app").click()
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
        sign_out(page)

        password_step(page)
        expect(page.get_by_role("heading", name="Second step of signing in")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Use my security key").click()
        expect(page.get_by_role("heading", name="Welcome, Kira Key")).to_be_visible()
        sign_out(page)

        password_step(page)
        totp = pyotp.TOTP(secret)
        # The code used at set-up is spent; the next step's code counts (clocks drift).
        page.get_by_label("Code").fill(totp.at(time.time() + totp.interval))
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="Welcome, Kira Key")).to_be_visible()

        # The key is lost: it goes alone, the authenticator app stays.
        page.goto("/settings/two-factor")
        page.get_by_role("button", name="Remove Blue key").click()
        expect(page.get_by_text("The security key Blue key was removed.")).to_be_visible()
        expect(page.get_by_text("No security key is registered.")).to_be_visible()
        expect(page.get_by_text("An authenticator app is set up.")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
