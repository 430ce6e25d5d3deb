"""Write a blog post, ask a question under it, answer it and mark the answer."""

from tests.browser.conftest import assert_accessible, markdown_source, sign_in
from tests.factories import make_blog, make_space, make_user


def a_project_blog() -> int:
    lead = make_user("bianca", display_name="Bianca Blog")
    asker = make_user("fabian", display_name="Fabian Frage")
    space = make_space("Einführung E-Akte", owners=[lead], members=[asker])
    return make_blog("Projektblog E-Akte", space=space).id


def test_write_a_post_and_answer_a_question(page, live_server):
    blog_id = live_server.run(a_project_blog)

    sign_in(page, "bianca")
    page.goto("/blog/")
    assert_accessible(page)
    page.get_by_role("link", name="Projektblog E-Akte").click()
    page.get_by_role("link", name="Write a post").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Der Scanner ist da")
    markdown_source(page, "Text (Markdown)").fill("Ab Montag scannt die **Poststelle**.")
    page.get_by_label("Tags").fill("E-Akte")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Der Scanner ist da").is_visible()
    assert page.get_by_text("The post is published.").is_visible()
    assert_accessible(page)
    post_url = page.url

    page.context.clear_cookies()  # sign out
    sign_in(page, "fabian")
    page.goto(post_url)
    page.get_by_text("Add a comment").click()  # the form stays closed until asked for
    markdown_source(page, "Write a comment").fill("Werden auch Altakten gescannt?")
    page.get_by_label("This is a question").check()
    page.get_by_role("button", name="Send comment").click()
    assert page.get_by_text("open question").is_visible()

    page.context.clear_cookies()
    sign_in(page, "bianca")
    page.goto(f"/blog/{blog_id}")
    questions = page.get_by_role("region", name="Open questions")
    assert questions.get_by_text("Werden auch Altakten gescannt?").is_visible()
    questions.get_by_role("link", name="Der Scanner ist da").click()
    page.get_by_text("Reply", exact=True).first.click()
    markdown_source(page, "Reply", exact=True).fill("Nein, nur laufende Vorgänge.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_role("button", name="Mark as the answer").click()
    assert page.get_by_text("answered question").is_visible()
    assert page.get_by_text("the answer", exact=True).is_visible()
    assert_accessible(page)
