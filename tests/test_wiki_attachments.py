"""Attachments through the upload store: limits, types, content checks, safe serving."""

import io
from pathlib import Path

import pytest
from PIL import Image

from app.errors import Forbidden, Invalid, TooLarge
from app.uploads.store import clean_filename, path_for
from app.wiki import attachments
from tests.factories import make_page, make_space
from tests.web import csrf_token, sign_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, page, content: bytes, filename: str):
    token = csrf_token(client, f"/wiki/pages/{page.id}/history")
    return client.post(
        f"/wiki/pages/{page.id}/files",
        data={"file": (io.BytesIO(content), filename), "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_pdf_is_stored_by_hash_and_downloaded_with_safe_headers(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    assert upload(client, page, PDF, "Vergabe – Checkliste.pdf").status_code == 302
    [attachment] = attachments.attachments_of(page)
    stored = attachment.upload
    assert path_for(stored.sha256).read_bytes() == PDF
    assert stored.size == len(PDF) and stored.uploader_id == member.id
    text = client.get(f"/wiki/global/{page.slug}").get_data(as_text=True)
    href = f"/wiki/pages/{page.id}/files/{attachment.id}/"
    assert href in text
    response = client.get(f"{href}x.pdf?inline=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Vergabe%20%E2%80%93%20Checkliste.pdf" in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_image_is_shown_inline(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    upload(client, page, png_bytes(), "plan.png")
    [attachment] = attachments.attachments_of(page)
    assert '<img class="figure-img' in client.get(f"/wiki/global/{page.slug}").get_data(
        as_text=True
    )
    response = client.get(f"/wiki/pages/{page.id}/files/{attachment.id}/plan.png?inline=1")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")


def test_too_large_file_gets_a_clear_413(app, client, member):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    page = make_page(author=member)
    sign_in(client, member)
    response = upload(client, page, b"%PDF-" + b"x" * 2000, "big.pdf")
    assert response.status_code == 413
    assert "at most 0.001 MB" in response.get_data(as_text=True)
    assert attachments.attachments_of(page) == []
    assert not list(Path(app.config["UPLOAD_DIR"]).rglob("*")) or all(
        p.is_dir() for p in Path(app.config["UPLOAD_DIR"]).rglob("*")
    )


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"<script>alert(1)</script>", "page.html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "bild.svg"),
        (b"MZ\x90\x00", "tool.exe"),
        (b"<html><script>alert(1)</script></html>", "fake.png"),
        (png_bytes(), "renamed.jpg"),
        (b"not a pdf at all", "bericht.pdf"),
        (b"", "leer.txt"),
        (b"plain", "no-extension"),
    ],
)
def test_wrong_type_or_content_is_refused(client, member, content, filename):
    page = make_page(author=member)
    sign_in(client, member)
    response = upload(client, page, content, filename)
    assert response.status_code == 422
    assert attachments.attachments_of(page) == []


def test_outsider_gets_404_for_files_of_a_members_page(client, member, outsider):
    space = make_space(visibility="members", members=[member])
    page = make_page(author=member, space=space)
    attachment = attachments.attach_file(member, page, io.BytesIO(PDF), "geheim.pdf")
    sign_in(client, outsider)
    path = f"/wiki/pages/{page.id}/files/{attachment.id}/geheim.pdf"
    assert client.get(path).status_code == 404
    other = make_page(author=outsider)
    assert client.get(f"/wiki/pages/{other.id}/files/{attachment.id}/x.pdf").status_code == 404


def test_reader_who_may_not_edit_cannot_attach(member, outsider):
    space = make_space(members=[member])
    page = make_page(author=member, space=space)
    with pytest.raises(Forbidden):
        attachments.attach_file(outsider, page, io.BytesIO(PDF), "x.pdf")


def test_store_rules_at_the_service(app, member):
    page = make_page(author=member)
    app.config["UPLOAD_MAX_BYTES"] = 10
    with pytest.raises(TooLarge):
        attachments.attach_file(member, page, io.BytesIO(b"%PDF-" + b"1" * 20), "a.pdf")
    app.config["UPLOAD_MAX_BYTES"] = 10_000
    with pytest.raises(Invalid):
        attachments.attach_file(member, page, io.BytesIO(b"GIF89a-not-really"), "a.gif")
    first = attachments.attach_file(member, page, io.BytesIO(b"same"), "a.txt")
    second = attachments.attach_file(member, page, io.BytesIO(b"same"), "b.txt")
    assert first.upload.sha256 == second.upload.sha256
    assert first.upload.id != second.upload.id  # two rows, one file on disk
    assert path_for(first.upload.sha256).read_bytes() == b"same"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\x\\Bericht.pdf", "Bericht.pdf"),
        ("Zeile\nneu.txt", "Zeileneu.txt"),
        ("Übersicht.pdf", "Übersicht.pdf"),
    ],
)
def test_file_names_lose_paths_and_control_characters(raw, clean):
    assert clean_filename(raw) == clean


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("notiz.txt", "text/plain; charset=utf-8"), ("liste.csv", "text/csv; charset=utf-8")],
)
def test_text_files_are_served_with_one_charset(client, member, name, content_type):
    page = make_page(author=member)
    sign_in(client, member)
    assert upload(client, page, "Grüße\n".encode(), name).status_code == 302
    [attachment] = attachments.attachments_of(page)
    response = client.get(f"/wiki/pages/{page.id}/files/{attachment.id}/{name}")
    assert response.headers["Content-Type"] == content_type
    assert response.data.decode("utf-8") == "Grüße\n"
