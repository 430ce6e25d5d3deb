"""The wiki as colleagues use it: write from a template with the live preview, link pages,
edit at the same time as someone else, compare and restore revisions, attach files — on every
page with no serious accessibility violation, and in German with no English left over."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.pofile import read_po
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, markdown_source, new_context, sign_in
from tests.factories import edit_page, make_page, make_space, make_user

APP = Path(__file__).resolve().parents[2] / "app"
# The catalogues whose strings the wiki's pages show.
CATALOGUES = ("wiki", "social", "uploads", None)


def english_phrases() -> list[re.Pattern]:
    """Interface strings (without placeholders) whose German differs from the English."""
    phrases = []
    for feature in CATALOGUES:
        folder = APP / feature if feature else APP
        with open(folder / "translations/de/LC_MESSAGES/messages.po", "rb") as po:
            catalogue = read_po(po)
        for message in catalogue:
            msgid = message.id
            if not isinstance(msgid, str) or not msgid or "%" in msgid:
                continue
            german = message.string or ""
            if msgid in german or len(msgid) < 4:
                continue
            phrases.append(re.compile(rf"(?<!\w){re.escape(msgid.strip())}(?!\w)"))
    return phrases


def assert_german(page, phrases: list[re.Pattern]) -> None:
    assert page.locator("html").get_attribute("lang") == "de"
    # The interface, not what colleagues wrote: page text and previews are content.
    text = page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll(".prose, .wiki-source, textarea")
                .forEach((node) => node.remove());
            document.body.append(copy);
            const text = copy.innerText;
            copy.remove();
            return text;
        }"""
    )
    left = sorted({text[max(m.start() - 30, 0) : m.end() + 30] for m in _matches(phrases, text)})
    assert not left, f"{page.url}: English left in the German page: {left}"


def _matches(phrases: list[re.Pattern], text: str):
    for phrase in phrases:
        found = phrase.search(text)
        if found:
            yield found


def watch_csp(page, blocked: list[str]) -> None:
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


def preview(page):
    return page.locator(".wiki-preview")


# --- 1. a page from a template, the live preview, links and backlinks -------------------------


def an_office_with_a_wiki() -> int:
    wanda = make_user("wanda", display_name="Wanda Wiki")
    return make_space("Ordnungsamt Wiki", kind="department", members=[wanda]).id


def test_write_from_a_template_with_preview_then_link_and_follow(page, live_server):
    space_id = live_server.run(an_office_with_a_wiki)
    sign_in(page, "wanda")

    page.goto(f"/wiki/?space={space_id}")
    assert_accessible(page)
    page.get_by_role("link", name="New page").click()
    assert_accessible(page)
    page.get_by_role("link", name="Template: Meeting minutes").click()

    body = markdown_source(page, "Text (Markdown)")
    expect(body).to_have_value(re.compile("## Agenda"))
    # The live preview (static/js/wiki.js) renders the template's Markdown.
    expect(preview(page).get_by_role("heading", name="Agenda")).to_be_visible()
    page.get_by_label("Title").fill("Dienstbesprechung November")
    page.get_by_label("Space").select_option(label="Ordnungsamt Wiki")
    body.press("Control+End")
    body.press_sequentially("\n**Beschluss:** Neue Öffnungszeiten ab Januar")
    expect(preview(page).locator("strong", has_text="Beschluss:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save page").click()

    expect(page.get_by_text("The page Dienstbesprechung November was created.")).to_be_visible()
    expect(page.get_by_role("heading", name="Dienstbesprechung November", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="More actions for this page").click()
    page.get_by_role("link", name="New page below this one").click()
    page.get_by_label("Title").fill("Ordnungsamt Übersicht")
    markdown_source(page, "Text (Markdown)").fill(
        "Die Ergebnisse stehen in [[Dienstbesprechung November]]."
    )
    expect(preview(page).get_by_role("link", name="Dienstbesprechung November")).to_be_visible()
    page.get_by_role("button", name="Save page").click()
    expect(page.get_by_role("heading", name="Ordnungsamt Übersicht", level=1)).to_be_visible()

    page.locator(".prose").get_by_role("link", name="Dienstbesprechung November").click()
    expect(page.get_by_role("heading", name="Dienstbesprechung November", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="1 page links here")).to_be_visible()
    page.get_by_role("button", name="More actions for this page").click()
    page.locator(".dropdown-menu").get_by_text("What links here").click()
    expect(page.get_by_role("link", name="Ordnungsamt Übersicht")).to_be_visible()
    assert_accessible(page)

    # The same pages in German: nothing of the interface stays English.
    phrases = english_phrases()
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("link", name="Ordnungsamt Übersicht")).to_be_visible()
    assert_german(page, phrases)
    for path in ("/wiki/", f"/wiki/new?space_id={space_id}"):
        page.goto(path)
        assert_german(page, phrases)
    page.goto(f"/wiki/?space={space_id}")
    page.get_by_role("link", name="Ordnungsamt Übersicht").first.click()
    assert_german(page, phrases)
    page.get_by_role("link", name="Seite bearbeiten").click()
    expect(preview(page).get_by_role("link", name="Dienstbesprechung November")).to_be_visible()
    assert_german(page, phrases)
    markdown_source(page, "Text (Markdown)").fill(
        "Die Beschlüsse stehen in [[Dienstbesprechung November]]."
    )
    page.get_by_label("Was haben Sie geändert?").fill("Wortwahl")
    page.get_by_role("button", name="Seite speichern").click()
    expect(page.get_by_text("Seite gespeichert.")).to_be_visible()
    page.get_by_role("link", name="Versionen").click()
    assert_german(page, phrases)
    page.get_by_role("button", name="Vergleichen").click()
    expect(page.locator(".wiki-diff ins")).to_contain_text("hinzugefügt: Beschlüsse")
    assert_german(page, phrases)
    page.locator("#user-menu").click()
    page.get_by_role("button", name="English").click()


# --- 2. two people edit the same page -----------------------------------------------------------


def winter_plan(
    start: str = "Räumen ab 6 Uhr.",
    store: str = "Streugut im Lager B.",
    duty: str = "Bereitschaft: Team Nord.",
) -> str:
    return f"{start}\n\n{store}\n\n{duty}\n"


def two_editors_and_a_page() -> int:
    anna = make_user("anna-wiki", display_name="Anna Amt")
    bernd = make_user("bernd-wiki", display_name="Bernd Bauhof")
    space = make_space("Bauhof Wiki", kind="department", members=[anna, bernd])
    page = make_page(
        "Winterdienst",
        author=anna,
        space=space,
        body=winter_plan(),
    )
    return page.id


def test_concurrent_edits_conflict_without_loss_and_merge(page, browser, live_server):
    page_id = live_server.run(two_editors_and_a_page)
    edit_url = f"/wiki/pages/{page_id}/edit"
    other_context = new_context(browser, live_server.url)
    blocked: list[str] = []
    try:
        bernd = other_context.new_page()
        bernd.set_default_timeout(10_000)
        watch_csp(bernd, blocked)
        sign_in(page, "anna-wiki")
        sign_in(bernd, "bernd-wiki")

        # Both open the editor; Anna saves first, then Bernd changes the same line.
        page.goto(edit_url)
        bernd.goto(edit_url)
        markdown_source(page, "Text (Markdown)").fill(winter_plan("Räumen ab 5 Uhr."))
        page.get_by_role("button", name="Save page").click()
        expect(page.get_by_text("Page saved.")).to_be_visible()

        mine = winter_plan("Räumen ab 7 Uhr, Gehwege zuerst.")
        markdown_source(bernd, "Text (Markdown)").fill(mine)
        bernd.get_by_role("button", name="Save page").click()
        expect(
            bernd.get_by_role("heading", name="Someone else saved this page in the meantime")
        ).to_be_visible()
        conflict = bernd.locator("#conflict-heading").locator("..")
        expect(conflict.locator("pre")).to_contain_text("Räumen ab 5 Uhr.")
        expect(conflict.locator("ins")).to_contain_text("Räumen ab 7 Uhr, Gehwege zuerst.")
        expect(conflict.locator("del")).to_contain_text("Räumen ab 5 Uhr.")
        expect(markdown_source(bernd, "Text (Markdown)")).to_have_value(mine)
        assert_accessible(bernd)

        # Bernd resolves it and saves again.
        resolved = "Räumen ab 5 Uhr, Gehwege zuerst."
        markdown_source(bernd, "Text (Markdown)").fill(winter_plan(resolved))
        bernd.get_by_role("button", name="Save page").click()
        expect(bernd.get_by_text("Page saved.")).to_be_visible()
        expect(bernd.get_by_text("Räumen ab 5 Uhr, Gehwege zuerst.")).to_be_visible()

        # Edits of different lines are combined, and the second editor is told so.
        page.goto(edit_url)
        bernd.goto(edit_url)
        markdown_source(page, "Text (Markdown)").fill(
            winter_plan(resolved, store="Streugut im Lager C.")
        )
        page.get_by_role("button", name="Save page").click()
        expect(page.get_by_text("Page saved.")).to_be_visible()
        markdown_source(bernd, "Text (Markdown)").fill(
            winter_plan(resolved, duty="Bereitschaft: Team Süd.")
        )
        bernd.get_by_role("button", name="Save page").click()
        expect(bernd.get_by_text("Your changes did not overlap with theirs")).to_be_visible()
        expect(bernd.get_by_text("Streugut im Lager C.")).to_be_visible()
        expect(bernd.get_by_text("Bereitschaft: Team Süd.")).to_be_visible()
        assert_accessible(bernd)
    finally:
        other_context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


# --- 3. history, compare, restore ---------------------------------------------------------------


def a_page_with_three_revisions() -> int:
    hanna = make_user("hanna-wiki", display_name="Hanna Historie")
    page = make_page("Urlaubsregelung", author=hanna, body="Anträge bis 1. März stellen.\n")
    edit_page(page, hanna, "Anträge bis 15. März stellen.\n")
    edit_page(page, hanna, "Anträge bis 15. März im Portal stellen.\n")
    return page.id


def test_history_compare_and_restore(page, live_server):
    page_id = live_server.run(a_page_with_three_revisions)
    sign_in(page, "hanna-wiki")
    page.goto(f"/wiki/pages/{page_id}")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History of Urlaubsregelung")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Compare from revision 1").check()
    page.get_by_label("Compare to revision 3").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("From revision 1 to revision 3.")).to_be_visible()
    diff = page.locator(".wiki-diff")
    expect(diff.locator("del")).to_contain_text("1.")
    expect(diff.locator("ins").first).to_contain_text("15.")
    expect(diff.locator("ins").last).to_contain_text("Portal")
    assert_accessible(page)
    page.get_by_role("link", name="Compare by lines").click()
    expect(page.locator(".wiki-diff-lines del")).to_contain_text("Anträge bis 1. März stellen.")
    assert_accessible(page)

    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("heading", name="Urlaubsregelung, revision 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Restore this revision").click()
    expect(page.get_by_text("Revision 1 is the current text again.")).to_be_visible()
    expect(page.locator(".prose")).to_have_text("Anträge bis 1. März stellen.")
    expect(page.get_by_text("Revision 4")).to_be_visible()


# --- 4. attachments -----------------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def a_small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def a_page_for_files() -> int:
    fiona = make_user("fiona-wiki", display_name="Fiona Datei")
    return make_page("Lageplan Rathaus", author=fiona, body="Wo ist was?\n").id


def test_attach_a_pdf_and_an_image(page, live_server):
    page_id = live_server.run(a_page_for_files)
    sign_in(page, "fiona-wiki")
    page.goto(f"/wiki/pages/{page_id}")
    expect(page.get_by_text("No files yet.")).to_be_visible()

    page.get_by_text("Attach a file").click()  # the upload form stays closed until asked for
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "lageplan.png", "mimeType": "image/png", "buffer": a_small_png()}
    )
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("lageplan.png was attached.")).to_be_visible()
    page.get_by_text("Attach a file").click()  # the upload form stays closed until asked for
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "hausordnung.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("hausordnung.pdf was attached.")).to_be_visible()

    image = page.get_by_role("img", name="lageplan.png")
    expect(image).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.wiki-image');"
        " return i && i.complete && i.naturalWidth === 40; }"
    )
    expect(page.get_by_role("link", name="hausordnung.pdf")).to_be_visible()
    assert_accessible(page)
