"""Search from the navigation box: results with a highlighted snippet, a filter, the people
who know — with no serious accessibility violation."""

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user


def a_wiki_page_on_fees() -> None:
    from app.wiki import service as wiki

    berta = make_user("berta", display_name="Berta Browser")
    wiki.create_page(
        berta, wiki.NewPage("Gebühren der Bibliothek", "Die Gebühren für Ausweise und Mahnungen")
    )


def test_search_from_the_navigation_and_filter(page, live_server):
    live_server.run(a_wiki_page_on_fees)
    sign_in(page, "berta")

    page.get_by_label("Search Kollegium").fill("gebuehren")
    page.get_by_label("Search Kollegium").press("Enter")

    results = page.get_by_role("region", name="1 result")
    assert results.get_by_role("link", name="Gebühren der Bibliothek").is_visible()
    assert page.locator(".search-snippet mark").first.is_visible()
    assert page.get_by_role("heading", name="People").is_visible()
    assert_accessible(page)

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Comment").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("heading", name="0 results").is_visible()
    assert_accessible(page)


def test_a_question_nobody_answers_yet_leads_to_the_stream(page, live_server):
    live_server.run(lambda: make_user("bruno", display_name="Bruno Browser"))
    sign_in(page, "bruno")

    page.get_by_label("Search Kollegium").fill("Wer kennt sich mit Zeppelinlandeplätzen aus?")
    page.get_by_label("Search Kollegium").press("Enter")

    assert page.get_by_text("Searched for: Zeppelinlandeplätzen").is_visible()
    assert page.get_by_role("heading", name="Nobody found who knows about this yet").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ask in the stream").click()
    question = page.get_by_label("What would you like to share or ask?")
    assert (
        question.input_value()
        == "Wer kennt sich mit Zeppelinlandeplätzen aus? #Zeppelinlandeplätzen"
    )
