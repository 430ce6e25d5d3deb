"""Post with an @-suggestion, reply, mark a colleague's reply as the answer, and see a
colleague's new post announced live."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user


def colleagues() -> None:
    make_user("stella", display_name="Stella Stream")
    make_user("bertram", display_name="Bertram Brunnen")


def bertram_posts() -> None:
    from app.accounts.models import User
    from app.extensions import db
    from app.microblog import service

    bertram = db.session.scalar(db.select(User).where(User.username == "bertram"))
    service.create_post(bertram, service.NewPost(body="Neu im #Bürgerbüro: Terminbuchung"))


def bertram_answers() -> None:
    from app.accounts.models import User
    from app.extensions import db
    from app.microblog import service
    from app.microblog.models import Micropost

    bertram = db.session.scalar(db.select(User).where(User.username == "bertram"))
    question = db.session.scalar(db.select(Micropost).where(Micropost.body.contains("#ÖPNV?")))
    reply = service.NewPost(body="Die Linie 5 fährt sonntags stündlich.", reply_to=question.id)
    service.create_post(bertram, reply)


def test_post_reply_and_see_new_posts_live(page, live_server):
    live_server.run(colleagues)
    sign_in(page, "stella")

    page.goto("/stream/")
    assert page.get_by_role("heading", name="Stream", level=1).is_visible()
    assert_accessible(page)

    box = page.get_by_label("What would you like to share or ask?")
    box.fill("Frage an ")
    box.press_sequentially("@bert")
    option = page.get_by_role("option", name="Bertram Brunnen (@bertram)")
    option.wait_for()
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    assert box.input_value() == "Frage an @bertram "
    box.press_sequentially("zum #ÖPNV?")
    page.get_by_role("button", name="Post", exact=True).click()
    # The composer sends in the background, then opens the page it is told to.
    expect(page.get_by_text("Your post was published.")).to_be_visible()
    assert page.get_by_role("link", name="#ÖPNV").is_visible()

    # Other tests share the server: answer this very post.
    mine = page.locator("article", has_text="zum #ÖPNV?")
    mine.get_by_role("link", name="Reply", exact=True).click()
    page.get_by_label("Your reply").fill("Ich ergänze: auch am Wochenende?")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("heading", name="1 reply")).to_be_visible()
    assert page.get_by_text("Ich ergänze: auch am Wochenende?").is_visible()
    assert_accessible(page)

    # Bertram answers; the asker marks it, and it moves right below the question.
    live_server.run(bertram_answers)
    page.reload()
    answer = page.locator("article", has_text="Die Linie 5")
    answer.get_by_role("button", name="Mark as the answer").click()
    expect(page.get_by_text("The reply is marked as the answer.")).to_be_visible()
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    assert page.get_by_role("heading", name="1 other reply").is_visible()
    assert page.locator("article").nth(1).get_by_text("Die Linie 5").is_visible()
    assert_accessible(page)

    page.goto("/stream/?tab=all")
    live_server.run(bertram_posts)
    page.locator("#stream").dispatch_event("stream:poll")
    page.get_by_role("button", name="One new post — show").click()
    assert page.get_by_text("Neu im #Bürgerbüro: Terminbuchung").is_visible()
