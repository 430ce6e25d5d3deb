"""The bell: someone comments on my page, the unread count rises, I open the notification
page and mark it read. With accessibility checks of the home page, the notification page
and the insights page."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_page, make_user


def a_page_of_petra() -> dict:
    petra = make_user("petra", display_name="Petra Seite")
    make_user("karl", display_name="Karl Kommentar")
    make_user("wilma", display_name="Wilma Admin", is_admin=True)
    page = make_page("Urlaubsantrag", author=petra, body="So beantragen Sie Urlaub.")
    return {"id": page.id, "url": page.url}


def karl_comments(page_id: int) -> None:
    from sqlalchemy import select

    from app.accounts.models import User
    from app.extensions import db
    from app.social import service as social

    karl = db.session.scalar(select(User).where(User.username == "karl"))
    social.add_comment(karl, social.NewComment(f"wiki_page:{page_id}", "Danke, sehr hilfreich!"))


def test_the_bell_counts_a_comment_and_marks_it_read(page, live_server):
    petras = live_server.run(a_page_of_petra)

    sign_in(page, "petra")
    page.goto("/")
    expect(page.locator("#unread-count")).to_have_text("0")
    assert_accessible(page)

    live_server.run(karl_comments, petras["id"])
    page.reload()
    expect(page.locator("#unread-count")).to_have_text("1")

    page.locator("a.nav-link", has=page.locator("#unread-count")).click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_text("Karl Kommentar commented").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#unread-count")).to_have_text("0")

    page.context.clear_cookies()
    sign_in(page, "wilma")
    page.goto(petras["url"])  # a view for the insights
    page.goto("/insights/")
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Most read")).to_be_visible()
    assert_accessible(page)
