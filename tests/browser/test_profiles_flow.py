"""Fill in a profile, then find it in the directory — with no serious accessibility violation."""

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_space, make_user


def a_newcomer_in_the_bauaufsicht() -> None:
    paula = make_user("paula", display_name="Paula Profil")
    bauamt = make_space("Bauamt Browser", kind="department")
    make_space("Bauaufsicht Browser", kind="department", parent=bauamt, members=[paula])


def test_fill_in_a_profile_and_find_it_in_the_directory(page, live_server):
    live_server.run(a_newcomer_in_the_bauaufsicht)
    sign_in(page, "paula")

    page.goto("/people/paula")
    assert page.get_by_text("Your profile is 0% complete.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edit profile").click()
    assert_accessible(page)

    page.get_by_label("Job title or function").fill("Sachbearbeiterin Bauaufsicht")
    page.get_by_label("Room or location").fill("Technisches Rathaus 2.05")
    page.locator("#skills-0-name").fill("Vergaberecht")
    page.locator("#skills-0-level").select_option("3")
    # JavaScript adds rows beyond the blank ones the page offers.
    page.get_by_role("button", name="Add a skill").click()
    page.locator("#skills-2-name").fill("Baurecht")
    page.locator("#languages-0-code").select_option("fr")
    page.locator("#languages-0-level").select_option("B2")
    page.get_by_role("button", name="Save profile").click()

    assert page.get_by_text("Your profile was saved.").is_visible()
    assert page.get_by_text("Sachbearbeiterin Bauaufsicht").is_visible()
    assert page.get_by_text("French – B2").is_visible()
    assert page.get_by_role("link", name="Baurecht").is_visible()

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="People"
    ).click()
    page.get_by_label("Department (including the departments within)").select_option(
        label="Bauamt Browser"
    )
    page.locator("#filter-language").select_option("fr")
    page.locator("#filter-language-level").select_option("B2")
    page.locator("#filter-skill").fill("vergaberecht")
    page.locator("#filter-min-level").select_option("3")
    page.get_by_role("button", name="Find colleagues").click()
    assert page.get_by_text("1 colleague found").is_visible()
    assert page.get_by_role("link", name="Paula Profil").is_visible()
    assert_accessible(page)
