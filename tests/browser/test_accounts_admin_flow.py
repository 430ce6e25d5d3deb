"""An administrator helps a colleague from the people list, with the keyboard: the row's "…"
menu sets a new password (which the colleague replaces at the next sign-in) and resets the
second factor of a colleague who lost their phone."""

from playwright.sync_api import expect

from app.accounts import twofactor
from app.clock import utcnow
from app.extensions import db
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user

TEMPORARY = "ein vorläufiges Passwort"


def an_administrator_and_two_colleagues() -> None:
    make_user("ada", display_name="Ada Admin", is_admin=True)
    make_user("paul", display_name="Paul Passwort")
    phone = make_user("tara", display_name="Tara Telefon")
    twofactor.start_totp(phone)
    phone.totp_confirmed_at = utcnow()  # as if a first code had confirmed the app
    db.session.commit()


def open_row_menu(page, name: str) -> None:
    """Tab to the row's "…" button and open it with the keyboard."""
    button = page.get_by_role("button", name=f"Actions for {name}")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")


def assert_shown_whole(page, item: str) -> None:
    """The menu item is on top where it is drawn: not cut off by the table's scroll box."""
    box = page.get_by_role("button", name=item).bounding_box()
    middle = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    found = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('.dropdown-item')?.textContent",
        middle,
    )
    assert (found or "").strip() == item


def test_admin_sets_a_password_and_resets_a_second_factor(page, live_server):
    live_server.run(an_administrator_and_two_colleagues)
    sign_in(page, "ada")

    page.goto("/admin/users?q=Paul")
    open_row_menu(page, "Paul Passwort")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Set password…")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Set the password of Paul Passwort")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(TEMPORARY)
    page.get_by_label("Repeat the new password").fill(TEMPORARY)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("The password of Paul Passwort was set.")).to_be_visible()

    page.goto("/admin/users?q=Tara")
    open_row_menu(page, "Tara Telefon")
    assert_shown_whole(page, "Reset two-factor sign-in")
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in of Tara Telefon was reset")).to_be_visible()
    page.goto("/admin/users?q=Tara")
    page.get_by_role("button", name="Actions for Tara Telefon").click()
    expect(page.get_by_role("button", name="Reset two-factor sign-in")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, "paul", TEMPORARY)
    expect(page.get_by_text("Please choose your own password first.")).to_be_visible()
