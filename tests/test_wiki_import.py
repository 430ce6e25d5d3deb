"""Importing Word and LibreOffice documents: the page they become, the tree a folder becomes,
and the hostile documents that are refused or defused."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from app.extensions import db
from app.wiki import attachments, imports
from app.wiki.conversion import convert_document
from app.wiki.models import Page
from tests.documents import (
    docx,
    image,
    minutes_odt,
    odt,
    para,
    png,
    procedure_docx,
    run,
)
from tests.factories import make_page, make_space
from tests.web import csrf_token, sign_in


def imported(actor, name: str, data: bytes, space=None, parent=None) -> Page:
    outcome = imports.import_document(
        actor, name, data, space_id=space.id if space else None, parent_id=parent
    )
    assert outcome.page is not None, outcome.reason
    return outcome.page


def test_word_document_becomes_a_page_with_its_structure(member):
    space = make_space("Poststelle", members=[member])
    page = imported(member, "Posteingang.docx", procedure_docx(), space)
    assert page.title == "Dienstanweisung Posteingang" and page.space_id == space.id
    body, html = page.body, page.body_html
    assert "## Ablauf" in body and "- Briefe scannen\n    - Rechnungen zuerst" in body
    assert "1. Öffnen\n2. Stempeln" in body
    assert "| 3 Tage | Sachbearbeitung \\| Team |" in body
    # Tracked changes: what was deleted stays out, what was inserted is in.
    assert "Eingänge" in body and "Briefe." not in body
    assert re.search(r'<a href="https://intranet.example/handbuch"[^>]*>Handbuch</a>', html)
    assert "javascript" not in body + html and "oder hier" in body
    assert 'class="footnote' in html and "Gilt seit 2026." in html
    assert "<strong>Poststelle</strong>" in html and "<em>alle</em>" in html
    files = {a.upload.original_filename: a for a in attachments.attachments_of(page)}
    assert set(files) == {"bild-1.png", "Posteingang.docx"}
    picture = files["bild-1.png"]
    address = f"/wiki/pages/{page.id}/files/{picture.id}/bild-1.png?inline=1"
    assert f"![Lageplan der Poststelle]({address})" in body
    assert f'src="{address.replace("&", "&amp;")}"' in html
    assert page.revision == 1


def test_libreoffice_document_becomes_a_page_with_its_structure(member):
    page = imported(member, "protokoll_2026.odt", minutes_odt())
    assert page.title == "Protokoll Ratssitzung"
    body, html = page.body, page.body_html
    assert body.startswith("## Tagesordnung\n\nBeginn: **9 Uhr**, *pünktlich*.[^1]")
    assert "- Haushalt\n    - Nachtrag\n- Personal" in body and "1. Erstens\n2. Zweitens" in body
    assert "| Haushalt | beschlossen |" in body
    assert "Gelöschter Entwurf" not in body and "Kommentar von Anna" not in body
    assert "javascript" not in html and "und das." in body
    assert "Im Ratssaal." in html
    names = sorted(a.upload.original_filename for a in attachments.attachments_of(page))
    assert names == ["bild-1.png", "protokoll_2026.odt"]
    [image] = re.findall(r"<img [^>]*>", html)
    assert 'alt="Sitzplan"' in image
    assert re.search(r'src="/wiki/pages/\d+/files/\d+/bild-1.png\?inline=1"', image)


def test_document_without_title_is_titled_from_its_heading_or_its_name(member):
    headed = docx(para(run("Urlaubsregelung"), style="Heading1") + para(run("Text")))
    page = imported(member, "x.docx", headed)
    assert page.title == "Urlaubsregelung" and page.body.strip() == "Text"
    plain = imported(member, "Telefonliste_Bauamt.odt", odt("<text:p>0815</text:p>"))
    assert plain.title == "Telefonliste Bauamt"


def test_import_into_a_space_one_may_not_write_is_skipped(member, outsider):
    closed = make_space("Personalrat", visibility="members", members=[member])
    outcome = imports.import_document(
        outsider, "a.docx", procedure_docx(), space_id=closed.id, parent_id=None
    )
    assert outcome.page is None and outcome.reason
    assert db.session.scalar(select(Page).where(Page.space_id == closed.id)) is None


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL_ENTITY = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

HOSTILE = {
    "zip bomb": ("bomb.docx", zip_of({"word/document.xml": b"<a/>", "big.bin": bytes(60_000_000)})),
    "entity expansion": (
        "lol.docx",
        docx("", extra={"word/document.xml": BILLION_LAUGHS + f'<w:document xmlns:w="{W}"/>'}),
    ),
    "external entity": (
        "xxe.odt",
        zip_of(
            {
                "mimetype": b"application/vnd.oasis.opendocument.text",
                "content.xml": (EXTERNAL_ENTITY + "<x>&xxe;</x>").encode(),
            }
        ),
    ),
    "macros": ("makro.docx", docx(para(run("x")), extra={"word/vbaProject.bin": b"\0" * 64})),
    "not a zip": ("brief.docx", b"PK\x03\x04 this is not really a zip"),
    "old word": ("alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)),
    "empty": ("leer.odt", b""),
    "no content": ("hohl.odt", zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"})),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_are_refused_with_a_reason(member, name):
    filename, data = HOSTILE[name]
    outcome = imports.import_document(member, filename, data, space_id=None, parent_id=None)
    assert outcome.page is None and outcome.reason
    assert db.session.scalar(select(Page)) is None
    assert "/etc/passwd" not in outcome.reason and "root:" not in outcome.reason


def test_huge_and_broken_images_are_left_out_with_a_note(member):
    import PIL.Image

    big = io.BytesIO()
    PIL.Image.new("1", (8000, 6000)).save(big, "PNG")  # 48 megapixels, a few kB
    document = docx(
        para(run("Plan"), image("rBig", "riesig"), image("rBad", "kaputt"), image("rOk", "gut")),
        images={"rBig": big.getvalue(), "rBad": b"\x89PNG broken", "rOk": png()},
    )
    converted = convert_document("plan.docx", document)
    assert [name for name, _ in converted.images] == ["bild-1.png"]
    assert len(converted.notes) == 2
    page = imported(member, "plan.docx", document)
    assert page.body.count("![") == 1


def test_hostile_text_inside_a_document_reaches_the_page_only_as_text(member):
    document = docx(
        para(run('<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:a)'))
    )
    page = imported(member, "Böse.docx", document)
    assert "<script" not in page.body_html and "<img" not in page.body_html
    assert "href=" not in page.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.body_html


def test_folder_tree_is_imported_as_a_page_tree_with_a_summary(app, admin, tmp_path):
    space = make_space("Bauamt", members=[admin])
    root = tmp_path / "Bauamt_Handbuch"
    (root / "Anträge").mkdir(parents=True)
    (root / "Posteingang.docx").write_bytes(procedure_docx())
    (root / "Anträge" / "Protokoll.odt").write_bytes(minutes_odt())
    (root / "Anträge" / "notizen.txt").write_text("keine Seite")
    (root / "~$Posteingang.docx").write_bytes(b"lock")
    (root / "kaputt.docx").write_bytes(b"nonsense")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wiki", "import", str(root), "--space", space.slug])
    assert result.exit_code == 0, result.output
    assert "Imported: 2  Skipped: 2" in result.output
    # The command line speaks the default language (German).
    assert "notizen.txt: Kein .docx- oder .odt-Dokument." in result.output
    assert "kaputt.docx:" in result.output
    pages = {p.title: p for p in db.session.scalars(select(Page).where(Page.space_id == space.id))}
    folder, sub = pages["Bauamt Handbuch"], pages["Anträge"]
    assert pages["Dienstanweisung Posteingang"].parent_id == folder.id
    assert sub.parent_id == folder.id and pages["Protokoll Ratssitzung"].parent_id == sub.id

    # Again: the folders are reused, the documents already there are skipped, not doubled.
    again = runner.invoke(args=["wiki", "import", str(root), "--space", space.slug])
    assert "Imported: 0  Skipped: 4" in again.output
    assert db.session.query(Page).filter(Page.space_id == space.id).count() == 4


def test_folder_import_refuses_an_unknown_space(app, admin, tmp_path):
    result = app.test_cli_runner().invoke(args=["wiki", "import", str(tmp_path), "--space", "x"])
    assert result.exit_code != 0 and "No space" in result.output


def test_many_documents_are_imported_in_one_upload(client, member):
    space = make_space("Kasse", members=[member])
    parent = make_page("Kassenhandbuch", author=member, space=space)
    sign_in(client, member)
    token = csrf_token(client, f"/wiki/import?space_id={space.id}&parent_id={parent.id}")
    response = client.post(
        "/wiki/import",
        data={
            "csrf_token": token,
            "space_id": space.id,
            "parent_id": parent.id,
            "files": [
                (io.BytesIO(procedure_docx()), "Posteingang.docx"),
                (io.BytesIO(minutes_odt()), "Protokoll.odt"),
                (io.BytesIO(b"MZ\x90\x00"), "virus.exe"),
            ],
        },
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 documents imported" in text
    assert "virus.exe was skipped: Only Word (.docx) and LibreOffice (.odt)" in text
    children = db.session.scalars(select(Page).where(Page.parent_id == parent.id)).all()
    assert sorted(p.title for p in children) == [
        "Dienstanweisung Posteingang",
        "Protokoll Ratssitzung",
    ]


def test_upload_without_documents_shows_the_form_again(client, member):
    sign_in(client, member)
    token = csrf_token(client, "/wiki/import")
    response = client.post("/wiki/import", data={"csrf_token": token, "space_id": 0})
    assert response.status_code == 200
    assert "Choose at least one document." in response.get_data(as_text=True)


def test_space_and_page_tree_export_as_markdown_zip_with_files(client, member, outsider):
    space = make_space("Bauamt", members=[member])
    original = procedure_docx()
    top = imported(member, "Posteingang.docx", original, space)
    below = make_page("Fristen", author=member, space=space, parent=top, body="3 Tage.")
    closed = make_space("Personalrat", visibility="members", members=[member])
    make_page("Geheim", author=member, space=closed, body="intern")
    sign_in(client, member)
    response = client.get(f"/wiki/export.zip?space={space.id}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert f"{top.slug}.md" in names and f"{top.slug}/{below.slug}.md" in names
    assert {f"{top.slug}/bild-1.png", f"{top.slug}/Posteingang.docx"} <= names
    assert archive.read(f"{top.slug}/{below.slug}.md").decode() == "# Fristen\n\n3 Tage.\n"
    assert archive.read(f"{top.slug}/Posteingang.docx") == original

    subtree = zipfile.ZipFile(io.BytesIO(client.get(f"/wiki/pages/{below.id}/export.zip").data))
    assert subtree.namelist() == [f"{below.slug}.md"]
    # Outsiders learn nothing of a members-only space.
    sign_in(client, outsider)
    assert client.get(f"/wiki/export.zip?space={closed.id}").status_code == 404
    everything = zipfile.ZipFile(io.BytesIO(client.get("/wiki/export.zip").data))
    assert all("geheim" not in name for name in everything.namelist())
