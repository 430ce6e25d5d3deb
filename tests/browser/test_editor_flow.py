"""The visual editor: write a page with the toolbar and the keyboard only, paste from Word,
Excel, LibreOffice and web pages, paste an image, and switch to the Markdown source and back
without changing a page."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.blog.models import Post
from app.demo import blog as demo_blog
from app.demo import wiki as demo_wiki
from app.extensions import db
from app.wiki.templates_builtin import BUILTIN
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_page, make_space, make_user
from tests.markup.test_markup_hostile import HOSTILE

PASTE = Path(__file__).resolve().parent / "paste"


def a_wiki_with_a_page(prefix: str, body: str = "Erster Entwurf.") -> dict:
    author = make_user(prefix)
    space = make_space(f"{prefix} Amt", members=[author])
    make_page("Vergaberecht für Einsteiger", author=author, space=space, body="Grundlagen.")
    page = make_page(f"{prefix} Notizen", author=author, space=space, body=body)
    return {"space": space.id, "page": page.id}


def source_of(page) -> str:
    return page.locator("textarea[name=body]").input_value()


def test_write_a_page_with_the_toolbar_and_keyboard_only(page, live_server):
    ids = live_server.run(a_wiki_with_a_page, "toni")
    sign_in(page, "toni")
    page.goto(f"/wiki/new?space_id={ids['space']}")
    page.get_by_label("Title").fill("Rechnungsprüfung")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    editor = page.get_by_role("textbox", name="Text (Markdown)")
    expect(editor).to_be_visible()
    assert_accessible(page)

    editor.focus()
    # Alt+F10 reaches the toolbar, the arrow keys walk it, Escape returns to the text.
    page.keyboard.press("Alt+F10")
    expect(toolbar.get_by_role("button", name="Normal text")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Heading", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.keyboard.type("Ablauf")
    page.keyboard.press("Enter")
    page.keyboard.type("Wir kontrollieren ")
    page.keyboard.press("Control+b")
    page.keyboard.type("jede")
    page.keyboard.press("Control+b")
    page.keyboard.type(" Rechnung, siehe [[Vergab")
    option = page.get_by_role("listbox", name="Suggestions").get_by_role(
        "option", name="Vergaberecht für Einsteiger (toni Amt)"
    )
    expect(option).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.type(".")
    page.keyboard.press("Enter")

    toolbar.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("Eingang")
    page.keyboard.press("Enter")
    page.keyboard.type("Kontrolle")
    page.keyboard.press("Tab")  # nested under "Eingang"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of both lists
    toolbar.get_by_role("button", name="Task list").click()
    page.keyboard.type("Belege scannen")
    toolbar.get_by_role("button", name="Mark task as done or open").click()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    toolbar.get_by_role("button", name="Insert table").click()
    for text in ("Stelle", "Frist", "Betrag", "Poststelle", "1 Tag"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    toolbar.get_by_role("button", name="Add row below").click()
    page.keyboard.press("Tab")
    page.keyboard.type("Kasse")
    toolbar.get_by_role("button", name="Add column to the right").click()
    page.keyboard.press("Tab")
    page.keyboard.type("weg")
    toolbar.get_by_role("button", name="Delete column").click()

    expect(page.locator("textarea[name=body]")).to_have_value(
        "## Ablauf\n\n"
        "Wir kontrollieren **jede** Rechnung, siehe [[Vergaberecht für Einsteiger]].\n\n"
        "- Eingang\n    - Kontrolle\n\n\n"
        "- [x] Belege scannen\n\n"
        "| Stelle | Frist | Betrag |\n| --- | --- | --- |\n"
        "| Poststelle | 1 Tag |   |\n| Kasse |   |   |"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save page").click()

    expect(page.get_by_role("heading", name="Ablauf", level=2)).to_be_visible()
    prose = page.locator(".prose").first
    expect(prose.locator("strong", has_text="jede")).to_be_visible()
    expect(prose.get_by_role("link", name="Vergaberecht für Einsteiger")).to_be_visible()
    expect(prose.get_by_role("checkbox", name="Belege scannen")).to_be_checked()
    expect(prose.get_by_role("cell", name="Kasse")).to_be_visible()


def paste_html(page, html: str) -> None:
    page.get_by_role("textbox", name="Text (Markdown)").focus()
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "(plain text)");
            const event = new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            });
            document.querySelector(".ProseMirror").dispatchEvent(event);
        }""",
        html,
    )


@pytest.mark.parametrize("source", ["word", "excel", "libreoffice", "web"])
def test_pasted_office_and_web_html_becomes_clean_markdown(page, live_server, source):
    ids = live_server.run(a_wiki_with_a_page, f"paste{source}", "")
    sign_in(page, f"paste{source}")
    page.goto(f"/wiki/pages/{ids['page']}/edit")
    paste_html(page, (PASTE / f"{source}.html").read_text(encoding="utf-8"))
    expected = (PASTE / f"{source}.md").read_text(encoding="utf-8").rstrip("\n")
    expect(page.locator("textarea[name=body]")).to_have_value(expected)
    # Nothing the clipboard carried runs or loads from elsewhere.
    assert page.locator(".ProseMirror script, .ProseMirror img").count() == 0


def png_base64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_a_pasted_image_becomes_an_attachment_shown_in_the_page(page, live_server):
    ids = live_server.run(a_wiki_with_a_page, "ines", "Der Lageplan:")
    sign_in(page, "ines")
    page.goto(f"/wiki/pages/{ids['page']}/edit")
    editor = page.get_by_role("textbox", name="Text (Markdown)")
    editor.focus()
    page.keyboard.press("Control+End")
    # Typed text goes through the editor's own selection: once it shows at the end, the
    # paste below lands there too (the browser reports a moved caret a moment later).
    page.keyboard.type(" Hier:")
    expect(page.locator("textarea[name=body]")).to_have_value("Der Lageplan: Hier:")
    page.evaluate(
        """(data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "image.png", {type: "image/png"}));
            const event = new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true,
            });
            document.querySelector(".ProseMirror").dispatchEvent(event);
        }""",
        png_base64(),
    )
    expect(page.locator("textarea[name=body]")).to_have_value(
        re.compile(
            rf"^Der Lageplan: Hier:!\[[^\]]+\]"
            rf"\(/wiki/pages/{ids['page']}/files/\d+/[^)]+\?inline=1\)$"
        )
    )
    page.get_by_role("button", name="Save page").click()
    image = page.locator(".prose img").first
    expect(image).to_be_visible()
    assert image.evaluate("(img) => img.naturalWidth") == 8


def test_an_image_that_is_not_one_is_refused_with_a_message(page, live_server):
    ids = live_server.run(a_wiki_with_a_page, "ivo")
    sign_in(page, "ivo")
    page.goto(f"/wiki/pages/{ids['page']}/edit")
    page.get_by_role("textbox", name="Text (Markdown)").focus()
    page.evaluate(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["<svg onload=alert(1)>"], "x.png", {type: "image/png"}));
            const event = new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true,
            });
            document.querySelector(".ProseMirror").dispatchEvent(event);
        }"""
    )
    expect(
        page.get_by_role("alert").filter(has_text="The image could not be added.")
    ).to_be_visible()
    assert source_of(page) == "Erster Entwurf."


def demo_and_hostile_texts() -> list[str]:
    texts = [demo_wiki.PROCUREMENT, demo_wiki.LAW, demo_wiki.AGENDA, demo_wiki.MINUTES]
    texts += [post[2] for post in demo_blog.E_AKTE_POSTS]
    texts += [body for texts in BUILTIN.values() for _title, body in texts.values()]
    return texts + list(HOSTILE.values())


def test_switching_to_the_source_and_back_changes_no_page(page, live_server):
    ids = live_server.run(a_wiki_with_a_page, "sven", "*Unverändert* <b>bleibt</b>  \n   so")
    sign_in(page, "sven")
    page.goto(f"/wiki/pages/{ids['page']}/edit")
    toggle = page.get_by_role("button", name="Markdown source")
    textarea = page.locator("textarea[name=body]")
    for text in demo_and_hostile_texts():
        # Written in the source, looked at in the editor, back in the source: the same.
        if toggle.get_attribute("aria-pressed") == "false":
            toggle.click()
        textarea.fill(text)
        toggle.click()
        expect(page.get_by_role("textbox", name="Text (Markdown)")).to_be_visible()
        toggle.click()
        assert textarea.input_value() == text

    # A page opened in the editor and saved without an edit is not changed.
    page.goto(f"/wiki/pages/{ids['page']}/edit")
    expect(toggle).to_have_attribute("aria-pressed", "true")  # the choice is remembered
    toggle.click()
    expect(page.get_by_role("textbox", name="Text (Markdown)")).to_be_visible()
    page.get_by_role("button", name="Save page").click()
    expect(page.get_by_text("Nothing changed.")).to_be_visible()


def test_a_blog_post_and_a_comment_are_written_in_the_editor(page, live_server):
    def a_blog() -> dict:
        from tests.factories import make_blog

        author = make_user("bea")
        blog = make_blog("Bea schreibt", owner=author)
        return {"blog": blog.id}

    ids = live_server.run(a_blog)
    sign_in(page, "bea")
    page.goto(f"/blog/{ids['blog']}/write")
    page.get_by_label("Title").fill("Neuer Scanner")
    page.get_by_role("textbox", name="Text (Markdown)").focus()
    page.keyboard.type("Er ist ")
    page.get_by_role("button", name="Italic").click()
    page.keyboard.type("schnell")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".prose em", has_text="schnell")).to_be_visible()

    page.get_by_text("Add a comment").click()  # the form stays closed until asked for
    comment = page.get_by_role("textbox", name="Write a comment")
    comment.focus()
    # The comment's toolbar offers what a comment can show: no headings or tables.
    form = page.locator("form", has=page.locator("textarea[name=body]")).last
    expect(form.get_by_role("button", name="Heading", exact=True)).to_have_count(0)
    page.keyboard.type("Wie ")
    form.get_by_role("button", name="Bold").click()
    page.keyboard.type("schnell")
    form.get_by_role("button", name="Bold").click()
    page.keyboard.type("?")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".prose strong", has_text="schnell")).to_be_visible()
    assert_accessible(page)
    assert live_server.run(lambda: db.session.query(Post).count()) >= 1
