"""The text of attached files is searchable under the page or post it belongs to, read in
the background, readable exactly as its page or post is now."""

import io
import logging

import pytest
from sqlalchemy import select

from app.extensions import db
from app.microblog import service as stream
from app.search import service as search
from app.search.outbox import SearchOutbox
from app.uploads import texts
from app.uploads.models import UploadText
from app.wiki import attachments
from app.wiki import service as wiki
from tests.documents import docx, encrypted_pdf, odt, para, pdf, run
from tests.factories import make_page, make_space, make_token
from tests.web import bearer, csrf_token, sign_in


def attach(page, author, content: bytes, filename: str):
    return attachments.attach_file(author, page, io.BytesIO(content), filename)


def file_hits(reader, word: str):
    return [r.hit for r in search.search(reader, word).results if r.hit.kind == "file"]


def read_waiting_files() -> int:
    """What the drain thread or `flask search worker` does between requests."""
    return texts.extract_pending()


def test_each_kind_of_document_is_found_by_a_word_only_in_the_file(app, member, outsider):
    page = make_page("Vergabe", author=member, body="Die Unterlagen hängen an.")
    files = {
        "angebot.pdf": pdf("Angebot der Firma Quellenwirt"),
        "vertrag.docx": docx(para(run("Vertrag mit Zaunkoenigbau"))),
        "protokoll.odt": odt("<text:p>Protokoll zur Eisvogelbrücke</text:p>"),
        "notiz.txt": "Notiz zum Wurzelholz, Größe ändern".encode(),
        "liste.csv": b"Firma;Ort\nBirkenmeister;Hamm\n",
    }
    for name, content in files.items():
        attach(page, member, content, name)
    assert read_waiting_files() == len(files)
    for name, word in {
        "angebot.pdf": "Quellenwirt",
        "vertrag.docx": "Zaunkoenigbau",
        "protokoll.odt": "Eisvogelbrücke",
        "notiz.txt": "Wurzelholz",
        "liste.csv": "Birkenmeister",
    }.items():
        [hit] = file_hits(outsider, word)  # a page outside spaces: every colleague reads it
        assert hit.file_name == name
        assert hit.title == "Vergabe" and hit.url == page.url
        assert f"<mark>{word}</mark>" in hit.snippet_html
        assert hit.file_url.startswith(f"/wiki/pages/{page.id}/files/")


def test_the_upload_request_only_queues_the_file_and_the_worker_reads_it(app, client, member):
    page = make_page("Haushalt", author=member)
    sign_in(client, member)
    token = csrf_token(client, f"/wiki/pages/{page.id}/history")
    response = client.post(
        f"/wiki/pages/{page.id}/files",
        data={
            "file": (io.BytesIO(pdf("Kassenkreditrahmen 2027")), "haushalt.pdf"),
            "csrf_token": token,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [attachment] = attachments.attachments_of(page)
    # The request left the file waiting, its text unread and not found.
    queued = db.session.get(UploadText, attachment.upload_id)
    assert queued.status == texts.PENDING and queued.text == ""
    assert file_hits(member, "Kassenkreditrahmen") == []
    # The outbox carried the file's key; nothing is left in it once the drain ran.
    assert db.session.scalars(select(SearchOutbox.key)).all() == []

    result = app.test_cli_runner().invoke(args=["search", "worker", "--once"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(UploadText, attachment.upload_id).status == texts.DONE
    [hit] = file_hits(member, "Kassenkreditrahmen")
    assert hit.file_name == "haushalt.pdf"


def test_a_page_moved_into_a_members_space_takes_its_files_text_along(app, member, outsider, owner):
    page = make_page("Dienstplan", author=owner)
    attach(page, owner, "Schichttausch Nachtdienst Pförtnerloge".encode(), "plan.txt")
    read_waiting_files()
    assert len(file_hits(outsider, "Pförtnerloge")) == 1
    secret = make_space("Personalrat", visibility="members", owners=[owner], members=[member])
    wiki.update_page(
        owner,
        page,
        wiki.PageEdit(
            title=page.title,
            body=page.body,
            base_revision=page.revision,
            tags=page.tags,
            parent_id=None,
            space_id=secret.id,
        ),
    )
    assert file_hits(outsider, "Pförtnerloge") == []
    [hit] = file_hits(member, "Pförtnerloge")
    assert hit.url == page.url and "/spaces/" in hit.url


def test_an_outsider_never_finds_the_files_of_a_members_page(app, client, member, outsider):
    secret = make_space("Bauamt", visibility="members", members=[member])
    page = make_page("Intern", author=member, space=secret)
    attach(page, member, b"Gutachten Hangrutschung", "gutachten.txt")
    read_waiting_files()
    assert file_hits(outsider, "Hangrutschung") == []
    answer = client.get("/api/v1/search?q=Hangrutschung", headers=bearer(make_token(outsider)))
    assert answer.get_json()["total"] == 0
    answer = client.get(
        "/api/v1/search?q=Hangrutschung&kind=file", headers=bearer(make_token(member))
    )
    [result] = answer.get_json()["results"]
    assert result["kind"] == "file" and result["title"] == "Intern"
    assert result["file"]["name"] == "gutachten.txt"
    assert result["file"]["url"].startswith(f"/wiki/pages/{page.id}/files/")
    assert "<mark>Hangrutschung</mark>" in result["snippet"]
    sign_in(client, member)
    shown = client.get("/search?q=Hangrutschung").get_data(as_text=True)
    assert "Found in the attached file" in shown
    assert f'href="{result["file"]["url"]}">gutachten.txt</a>' in shown
    sign_in(client, outsider)
    assert "gutachten.txt" not in client.get("/search?q=Hangrutschung").get_data(as_text=True)


def test_removing_the_file_or_deleting_the_page_removes_its_text(app, member):
    page = make_page("Kantine", author=member)
    other = make_page("Fuhrpark", author=member)
    removed = attach(page, member, b"Speiseplan Linseneintopf", "essen.txt")
    attach(other, member, b"Fahrtenbuch Dienstwagenpool", "wagen.txt")
    read_waiting_files()
    assert file_hits(member, "Linseneintopf") and file_hits(member, "Dienstwagenpool")
    attachments.remove_attachment(member, page, removed)
    assert file_hits(member, "Linseneintopf") == []
    wiki.delete_page(member, other)
    assert file_hits(member, "Dienstwagenpool") == []


def test_encrypted_and_broken_files_are_skipped_with_a_note_for_the_editors(
    app, client, member, outsider, caplog
):
    # A public space: everyone reads its pages, only its members edit them.
    space = make_space("Personalamt", visibility="public", members=[member])
    page = make_page("Personal", author=member, space=space)
    attach(page, member, encrypted_pdf("Gehaltsliste Verschluss"), "gehalt.pdf")
    attach(page, member, b"%PDF-1.4\nnothing but noise", "kaputt.pdf")
    attach(page, member, b"Lesbarer Rundbrief", "rundbrief.txt")
    with caplog.at_level(logging.WARNING, logger="app.uploads.texts"):
        assert read_waiting_files() == 3
    assert "gehalt.pdf" in caplog.text and "encrypted" in caplog.text
    assert "kaputt.pdf" in caplog.text and "unreadable" in caplog.text
    assert file_hits(member, "Gehaltsliste") == [] and file_hits(member, "Rundbrief")
    sign_in(client, member)
    shown = client.get(page.url).get_data(as_text=True)
    assert "Text not searchable: the file is encrypted." in shown
    assert "Text not searchable: the file could not be read." in shown
    assert shown.count("Text not searchable") == 2
    # Readers who cannot edit the page see the files, not the notes.
    sign_in(client, outsider)
    shown = client.get(page.url).get_data(as_text=True)
    assert "gehalt.pdf" in shown and "Text not searchable" not in shown


def test_a_reader_that_takes_too_long_is_stopped_and_the_file_skipped(app, member):
    page = make_page("Langsam", author=member)
    attachment = attach(page, member, pdf("Zeitlimit"), "langsam.pdf")
    app.config["EXTRACT_TIMEOUT_SECONDS"] = 0.001  # no child process starts that fast
    read_waiting_files()
    row = db.session.get(UploadText, attachment.upload_id)
    assert row.status == texts.SKIPPED and row.note == "timeout"


def test_files_too_large_to_read_are_skipped_and_long_texts_cut(app, member):
    page = make_page("Groß", author=member)
    big = attach(page, member, b"Aktenberg " * 1_500, "berg.txt")
    app.config["EXTRACT_MAX_BYTES"] = 10_000
    app.config["EXTRACT_MAX_CHARS"] = 30
    long = attach(page, member, ("Anfang " + "Mitte " * 50 + "Schlusswort").encode(), "lang.txt")
    read_waiting_files()
    assert db.session.get(UploadText, big.upload_id).note == "too large"
    kept = db.session.get(UploadText, long.upload_id)
    assert kept.status == texts.DONE and len(kept.text) <= 30 and kept.text.startswith("Anfang")
    assert file_hits(member, "Schlusswort") == []


def test_stream_attachments_are_found_under_their_post(app, member, outsider):
    secret = make_space("Ordnungsamt", visibility="members", members=[member])
    post = stream.create_post(
        member,
        stream.NewPost(
            "Das neue Merkblatt",
            space_id=secret.id,
            files=(
                stream.NewFile(io.BytesIO(b"Merkblatt Sondernutzungserlaubnis"), "merkblatt.txt"),
            ),
        ),
    )
    assert file_hits(member, "Sondernutzungserlaubnis") == []  # not read in the request
    read_waiting_files()
    [hit] = file_hits(member, "Sondernutzungserlaubnis")
    assert hit.url == f"/stream/posts/{post.id}" and hit.file_name == "merkblatt.txt"
    assert hit.file_url == f"/stream/posts/{post.id}/attachments/{post.attachments[0].id}"
    assert file_hits(outsider, "Sondernutzungserlaubnis") == []
    stream.delete_post(member, post.id)
    assert file_hits(member, "Sondernutzungserlaubnis") == []


@pytest.mark.parametrize("name", ["bild.png", "tabelle.xlsx"])
def test_files_without_a_reader_wait_for_nothing(app, member, name):
    from tests.documents import png

    page = make_page("Bilder", author=member)
    content = png() if name.endswith(".png") else b"PK\x03\x04rest"
    attachment = attach(page, member, content, name)
    assert db.session.get(UploadText, attachment.upload_id) is None
    assert read_waiting_files() == 0


def test_text_the_database_cannot_store_is_cleaned(app, member):
    page = make_page("Roh", author=member)
    raw = attach(page, member, b"Steuer\x00akte Nullzeichen", "roh.txt")
    read_waiting_files()
    kept = db.session.get(UploadText, raw.upload_id)
    assert kept.status == texts.DONE and kept.text == "Steuer akte Nullzeichen"
    assert file_hits(member, "Nullzeichen")


def test_a_word_deep_in_a_long_file_is_shown_in_its_snippet(app, member):
    page = make_page("Satzung", author=member)
    filler = "Allgemeine Bestimmungen der Satzung. " * 200  # past the index's stored start
    attach(page, member, f"{filler} Hundesteuerermäßigung gilt ab Mai.".encode(), "satzung.txt")
    read_waiting_files()
    [hit] = file_hits(member, "Hundesteuerermäßigung")
    assert "<mark>Hundesteuerermäßigung</mark>" in hit.snippet_html
    assert hit.snippet_html.startswith("…")
