"""The look on every main page, at a phone's 390 px and a laptop's 1366 px, as a reader, a space
owner and an administrator: nothing wider than the screen, no serious accessibility problem,
a focus ring one can see. One page per role, resized, keeps the run short."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    give_skill,
    make_blog,
    make_micropost,
    make_page,
    make_post,
    make_profile,
    make_space,
    make_user,
)

WIDTHS = (390, 1366)
# A table wider than a phone and a word longer than its screen: both must stay in their box.
WIDE_TABLE = "| " + " | ".join(f"Spalte {n}" for n in range(12)) + " |\n" + "|---" * 12 + "|\n"
WIDE_TABLE += "| " + " | ".join("Inhalt" for _ in range(12)) + " |\n"
LONG_WORD = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung" * 2


def a_town() -> dict[str, str]:
    """People, a space, a wiki page with a wide table, a blog post, stream posts. Paths back."""
    reader = make_user("look-reader", display_name="Rita Leserin")
    owner = make_user("look-owner", display_name="Otto Eigentümer")
    admin = make_user("look-admin", display_name="Ada Verwalterin", is_admin=True)
    space = make_space("Bauhof Nord", owners=[owner], members=[reader])
    make_profile(owner, job_title="Leiter Bauhof", about=LONG_WORD)
    give_skill(owner, "Winterdienst", level=4)
    page = make_page(
        "Räumplan Winter",
        author=owner,
        space=space,
        body=f"## Touren\n\n{WIDE_TABLE}\n{LONG_WORD}\n\n#winterdienst",
    )
    blog = make_blog("Bauhof-Blog", space=space)
    post = make_post(blog, owner, "Streusalz ist da", body=f"Lieferung heute. {LONG_WORD}")
    make_micropost(owner, f"Wer kennt sich mit #Winterdienst aus? {LONG_WORD}", space=space)
    make_micropost(reader, "Guten Morgen, @look-owner!")
    make_micropost(admin, "Rohrbruch im Rathaus: Eingang B gesperrt.")
    return {
        "space": f"/spaces/{space.slug}",
        "wiki_page": page.url,
        "history": f"/wiki/pages/{page.id}/history",
        "blog_post": f"/blog/posts/{post.id}/{post.slug}",
    }


MAIN_PAGES = (
    "/",
    "/wiki/",
    "{wiki_page}",
    "{history}",
    "/stream/?tab=all",
    "/blog/",
    "{blog_post}",
    "/people/",
    "/people/look-owner",
    "/spaces/",
    "{space}",
    "/search?q=Winterdienst",
    "/notifications",
    "/settings/notifications",
)
ADMIN_PAGES = ("/admin/users", "/admin/audit/", "/insights/")


@pytest.fixture(scope="module")
def town(live_server) -> dict[str, str]:
    return live_server.run(a_town)


def assert_fits(page, width: int) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the {width} px screen"


def assert_focus_visible(page) -> None:
    """Tab to the first few controls: each shows an outline of at least 2 px."""
    page.locator("body").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        tag, style, width = ring
        assert style != "none" and width >= 2, f"{page.url}: focus on {tag} shows {ring}"


@pytest.mark.parametrize("username", ["look-reader", "look-owner", "look-admin"])
def test_main_pages_fit_read_well_and_show_focus(page, town, username):
    sign_in(page, username)
    paths = [path.format(**town) for path in MAIN_PAGES]
    if username == "look-admin":
        paths += ADMIN_PAGES
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert_fits(page, width)
            assert_accessible(page)
        assert_focus_visible(page)


def test_the_bell_stays_beside_the_menu_button_on_a_phone(page, town):
    sign_in(page, "look-reader")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    bell = page.get_by_role("link", name="Notifications")
    menu = page.get_by_role("button", name="Show navigation")
    assert bell.is_visible() and menu.is_visible()
    bell_box, menu_box = bell.bounding_box(), menu.bounding_box()
    assert abs(bell_box["y"] - menu_box["y"]) < menu_box["height"]
    assert bell_box["x"] < menu_box["x"]


def test_faces_stand_beside_people_and_keep_their_colour(page, town):
    sign_in(page, "look-reader")
    page.goto("/stream/?tab=all")
    owner_face = page.locator("#stream .stream-post", has_text="Winterdienst").locator(".face")
    assert owner_face.first.inner_text() == "OE"
    colour = owner_face.first.evaluate("e => getComputedStyle(e).backgroundColor")
    page.goto("/search?q=Winterdienst")
    expert = page.locator(".search-experts li", has_text="Otto Eigentümer").locator(".face")
    assert expert.first.evaluate("e => getComputedStyle(e).backgroundColor") == colour


def test_the_composer_counts_and_keeps_text_and_files_when_refused(page, town):
    sign_in(page, "look-reader")
    page.goto("/stream/?tab=all")
    box = page.get_by_label("What would you like to share or ask?")
    box.fill("ü" * 498)
    assert page.locator("#compose-new-counter").inner_text() == "498 of 500"
    box.press_sequentially("xyz")
    assert page.locator("#compose-new-counter").inner_text() == "1 characters too many"
    page.get_by_text("Attach images or files").click()
    page.get_by_label("Images or files (at most 4)").set_input_files(
        [{"name": "plan.txt", "mimeType": "text/plain", "buffer": b"Plan"}]
    )
    page.get_by_role("button", name="Post", exact=True).click()
    error = page.locator("#compose-new-error")
    expect(error).to_contain_text("too many")
    # Nothing is lost: the text and the chosen file are still there to shorten and resend.
    assert box.input_value() == "ü" * 498 + "xyz"
    files = page.get_by_label("Images or files (at most 4)")
    assert files.evaluate("e => e.files.length") == 1
    box.press("Backspace")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Your post was published.")).to_be_visible()
