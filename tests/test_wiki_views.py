"""Wiki pages: wiring, status codes, escaping, conflicts in the form, bounded queries."""

import re

from sqlalchemy import event

from app.extensions import db
from app.wiki import listings
from app.wiki import service as wiki
from app.wiki.models import Page
from tests.factories import edit_page, make_page, make_space
from tests.web import csrf_token, render_every_page, sign_in


def form_token(client, path):
    return csrf_token(client, path)


def test_create_page_from_the_form(client, member):
    sign_in(client, member)
    token = form_token(client, "/wiki/new")
    response = client.post(
        "/wiki/new",
        data={
            "title": "Bürgerbüro – Öffnungszeiten",
            "body": "Mo–Fr **8–12 Uhr**",
            "space_id": "0",
            "parent_id": "0",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/wiki/global/buergerbuero-oeffnungszeiten"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bürgerbüro – Öffnungszeiten" in page
    assert "<strong>8–12 Uhr</strong>" in page


def test_rejected_form_shows_the_users_text_again(client, member):
    make_page("Vorhanden", author=member)
    sign_in(client, member)
    token = form_token(client, "/wiki/new")
    response = client.post(
        "/wiki/new",
        data={"title": "Vorhanden", "body": "Mein langer Text", "csrf_token": token},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mein langer Text" in text
    assert "A page with this title exists here already." in text


def test_new_page_offers_templates_in_the_users_language(client, member):
    sign_in(client, member)
    english = client.get("/wiki/new").get_data(as_text=True)
    assert "Template: Meeting minutes" in english
    german = client.get("/wiki/new", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Vorlage: Besprechungsprotokoll" in german
    template = next(t for t in listings.template_choices(member, None, "en") if "FAQ" in t.title)
    prefilled = client.get(f"/wiki/new?template={template.id}").get_data(as_text=True)
    assert "Question 1?" in prefilled


def test_hostile_title_is_escaped_everywhere(client, member):
    page = make_page('<script>alert("x")</script>', author=member, body="<b onclick=x>hi</b>")
    edit_page(page, member, "<script>evil()</script> and more")
    sign_in(client, member)
    for path in (
        "/wiki/",
        f"/wiki/global/{page.slug}",
        f"/wiki/pages/{page.id}/history",
        f"/wiki/pages/{page.id}/compare?from=1&to=2",
        f"/wiki/pages/{page.id}/compare?from=1&to=2&mode=lines",
        f"/wiki/pages/{page.id}/revisions/1",
        f"/wiki/pages/{page.id}/print",
    ):
        text = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in text and "<script>evil" not in text, path
        assert "<b onclick" not in text, path


def test_compare_marks_changes_with_text_labels(client, member):
    page = make_page(author=member, body="Die Frist beträgt 14 Tage")
    edit_page(page, member, "Die Frist beträgt 10 Tage")
    sign_in(client, member)
    text = client.get(f"/wiki/pages/{page.id}/compare?from=1&to=2").get_data(as_text=True)
    assert re.search(r"<del><span class=\"visually-hidden\">removed: </span>14</del>", text)
    assert re.search(r"<ins><span class=\"visually-hidden\">added: </span>10</ins>", text)


def test_edit_conflict_shows_both_versions_and_keeps_the_users_text(client, member, owner):
    page = make_page(author=member, body="Frist: 14 Tage\n")
    sign_in(client, member)
    token = form_token(client, f"/wiki/pages/{page.id}/edit")
    edit_page(page, owner, "Frist: 10 Tage\n")
    response = client.post(
        f"/wiki/pages/{page.id}/edit",
        data={
            "title": page.title,
            "body": "Frist: 21 Tage, mein Wortlaut\n",
            "base_revision": "1",
            "space_id": "0",
            "parent_id": "0",
            "csrf_token": token,
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Frist: 21 Tage, mein Wortlaut" in text
    assert "Frist: 10 Tage" in text
    assert 'name="base_revision" type="hidden" value="2"' in text
    db.session.refresh(page)
    assert page.revision == 2


def test_non_overlapping_conflict_is_merged_and_said(client, member, owner):
    page = make_page(author=member, body="Anfang\n\nMitte\n\nEnde\n")
    sign_in(client, member)
    token = form_token(client, f"/wiki/pages/{page.id}/edit")
    edit_page(page, owner, "Anfang neu\n\nMitte\n\nEnde\n")
    response = client.post(
        f"/wiki/pages/{page.id}/edit",
        data={
            "title": page.title,
            "body": "Anfang\n\nMitte\n\nEnde neu\n",
            "base_revision": "1",
            "space_id": "0",
            "parent_id": "0",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "both were kept" in response.get_data(as_text=True)
    db.session.refresh(page)
    assert page.body == "Anfang neu\n\nMitte\n\nEnde neu\n"


def test_outsider_gets_404_on_every_page_of_a_members_space(client, member, outsider):
    space = make_space(visibility="members", members=[member])
    page = make_page(author=member, space=space)
    sign_in(client, outsider)
    for path in (
        f"/wiki/spaces/{space.slug}/{page.slug}",
        f"/wiki/pages/{page.id}/edit",
        f"/wiki/pages/{page.id}/history",
        f"/wiki/pages/{page.id}/revisions/1",
        f"/wiki/pages/{page.id}/backlinks",
        f"/wiki/pages/{page.id}/export.md",
        f"/wiki/pages/{page.id}/print",
    ):
        assert client.get(path).status_code == 404, path


def test_old_address_redirects_after_rename(client, member):
    page = make_page("Altes Verfahren", author=member)
    edit_page(page, member, page.body, title="Neues Verfahren")
    sign_in(client, member)
    response = client.get("/wiki/global/altes-verfahren")
    assert response.status_code == 301
    assert response.headers["Location"] == "/wiki/global/neues-verfahren"


def test_restore_delete_watch_and_review_buttons(client, member):
    page = make_page(author=member, body="eins")
    edit_page(page, member, "zwei")
    sign_in(client, member)
    path = f"/wiki/global/{page.slug}"
    token = form_token(client, path)
    client.post(f"/wiki/pages/{page.id}/revisions/1/restore", data={"csrf_token": token})
    client.post(f"/wiki/pages/{page.id}/watch", data={"csrf_token": token, "watching": "1"})
    client.post(f"/wiki/pages/{page.id}/review", data={"csrf_token": token})
    db.session.refresh(page)
    assert page.body == "eins" and page.revision == 3
    assert listings.surroundings(member, page).watching
    assert "Stop watching" in client.get(path).get_data(as_text=True)
    client.post(f"/wiki/pages/{page.id}/delete", data={"csrf_token": token})
    assert client.get(path).status_code == 404
    assert page.title in client.get("/wiki/trash").get_data(as_text=True)
    client.post(f"/wiki/trash/{page.id}/restore", data={"csrf_token": token})
    assert client.get(path).status_code == 200


def test_buttons_need_the_csrf_token(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    assert client.post(f"/wiki/pages/{page.id}/delete").status_code == 400
    assert db.session.get(Page, page.id).deleted_at is None


def test_preview_renders_sanitised_html(client, member):
    sign_in(client, member)
    token = form_token(client, "/wiki/new")
    response = client.post(
        "/wiki/preview",
        json={"body": "**fett** <script>x</script> [[Nirgends]]"},
        headers={"X-CSRFToken": token},
    )
    html = response.get_json()["html"]
    assert "<strong>fett</strong>" in html and "<script>" not in html
    assert "wiki-missing" in html
    assert client.post("/wiki/preview", json={}, headers={"X-CSRFToken": token}).status_code == 422


def test_export_markdown_and_print_view(client, member):
    page = make_page("Export", author=member, body="Inhalt")
    sign_in(client, member)
    response = client.get(f"/wiki/pages/{page.id}/export.md")
    assert response.get_data(as_text=True) == "# Export\n\nInhalt\n"
    assert response.headers["Content-Disposition"] == 'attachment; filename="export.md"'
    assert "Inhalt" in client.get(f"/wiki/pages/{page.id}/print").get_data(as_text=True)


def test_index_lists_changes_tree_and_filters(client, member, owner):
    space = make_space(members=[member])
    root = make_page("Wurzel", author=member, space=space)
    make_page("Kind", author=member, space=space, parent=root)
    make_page("Anderswo", author=owner)
    sign_in(client, member)
    text = client.get(f"/wiki/?space={space.id}").get_data(as_text=True)
    assert "Wurzel" in text and "Kind" in text and "Anderswo" not in text
    text = client.get("/wiki/?person=otto").get_data(as_text=True)
    assert "Anderswo" in text and "Wurzel" not in text


def test_outdated_badge_and_review_list(client, member):
    from datetime import timedelta

    from app.clock import utcnow

    page = make_page("Alt", author=member)
    page.reviewed_at = page.created_at = utcnow() - timedelta(days=800)
    db.session.commit()
    sign_in(client, member)
    assert "May be outdated" in client.get(f"/wiki/global/{page.slug}").get_data(as_text=True)
    assert "Alt" in client.get("/wiki/review").get_data(as_text=True)


def count_queries(client, path):
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_page_view_queries_do_not_grow_with_history_or_backlinks(client, member):
    render_every_page(client)
    space = make_space(members=[member])
    page = make_page("Viel", author=member, space=space)
    sign_in(client, member)
    path = f"/wiki/spaces/{space.slug}/{page.slug}"
    client.get(path)  # the day's first view also counts it (app/insights/counter.py)
    few = count_queries(client, path)
    for number in range(15):
        edit_page(page, member, f"Fassung {number}")
        make_page(author=member, space=space, body="[[Viel]]")
    many = count_queries(client, path)
    assert many == few
    assert many < 25


def test_links_from_other_tools_lead_to_the_page_or_its_creation(client, member, outsider):
    space = make_space(visibility="members", members=[member])
    page = make_page("Geheim", author=member, space=space)
    sign_in(client, member)
    response = client.get(f"/wiki/link?title=geheim&space={space.id}")
    assert response.headers["Location"] == f"/wiki/spaces/{space.slug}/{page.slug}"
    sign_in(client, outsider)
    response = client.get(f"/wiki/link?title=Geheim&space={space.id}")
    assert response.headers["Location"].startswith("/wiki/new?title=Geheim")


def test_wiki_pages_speak_german(client, member):
    page = make_page("Bürgerbüro – Öffnungszeiten", author=member)
    sign_in(client, member)
    german = {"Accept-Language": "de"}
    text = client.get(f"/wiki/global/{page.slug}", headers=german).get_data(as_text=True)
    assert "Seite bearbeiten" in text and "Seite beobachten" in text
    assert "Letzte Änderungen" in client.get("/wiki/", headers=german).get_data(as_text=True)


def test_wanted_pages_list_missing_link_targets(client, member, outsider):
    space = make_space(visibility="members", members=[member])
    make_page(author=member, body="[[Fehlt]] [[Geheimer Wunsch]]", space=space)
    make_page(author=member, body="[[Fehlt]]")
    assert listings.wanted_pages(member) == [("Fehlt", 2), ("Geheimer Wunsch", 1)]
    assert listings.wanted_pages(outsider) == [("Fehlt", 1)]
    sign_in(client, member)
    assert "Geheimer Wunsch" in client.get("/wiki/wanted").get_data(as_text=True)


def test_remove_an_attached_file(client, member):
    import io

    from app.wiki import attachments

    page = make_page(author=member)
    attachment = attachments.attach_file(member, page, io.BytesIO(b"Liste"), "liste.txt")
    sign_in(client, member)
    token = form_token(client, f"/wiki/global/{page.slug}")
    client.post(f"/wiki/pages/{page.id}/files/{attachment.id}/remove", data={"csrf_token": token})
    assert attachments.attachments_of(page) == []


def test_preview_is_rate_limited_per_person(app, client, member, owner):
    app.config["WIKI_PREVIEW_RATE_LIMIT"] = "3 per minute"
    sign_in(client, member)
    token = form_token(client, "/wiki/new")

    def preview():
        return client.post(
            "/wiki/preview", json={"body": "# Titel"}, headers={"X-CSRFToken": token}
        )

    assert [preview().status_code for _ in range(4)] == [200, 200, 200, 429]
    sign_in(client, owner)  # another colleague has their own allowance
    token = form_token(client, "/wiki/new")
    assert preview().status_code == 200


def test_preview_refuses_a_body_beyond_the_page_limit(client, member):
    sign_in(client, member)
    token = form_token(client, "/wiki/new")
    response = client.post(
        "/wiki/preview", json={"body": "x" * (wiki.MAX_BODY + 1)}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 422
