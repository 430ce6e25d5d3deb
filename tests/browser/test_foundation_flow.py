"""Sign in, switch the language, visit a space — with no serious accessibility violation."""

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_space, make_user


def a_colleague_with_a_community() -> None:
    bruno = make_user("bruno", display_name="Bruno Browser")
    make_space("Digital-Stammtisch", kind="community", owners=[bruno])


def test_sign_in_switch_language_and_visit_a_space(page, live_server):
    live_server.run(a_colleague_with_a_community)

    page.goto("/")
    assert "/login" in page.url
    assert_accessible(page)

    page.get_by_label("Username").fill("bruno")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Unknown username or wrong password.").is_visible()

    sign_in(page, "bruno")
    assert page.get_by_role("heading", name="Welcome, Bruno Browser").is_visible()
    assert_accessible(page)

    # Signed in, the language switch sits in the menu under one's name.
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Deutsch").click()
    assert page.get_by_role("heading", name="Willkommen, Bruno Browser").is_visible()
    assert page.locator("html").get_attribute("lang") == "de"

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Bereiche"
    ).click()
    page.get_by_role("link", name="Digital-Stammtisch").click()
    assert page.get_by_role("heading", name="Digital-Stammtisch", level=1).is_visible()
    assert_accessible(page)

    page.locator("#user-menu").click()
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Members").is_visible()
