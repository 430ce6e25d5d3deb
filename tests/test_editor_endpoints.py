"""What the visual editor asks the server: page titles for [[links]], and images pasted into
a page. Both answer only what the reader may see and do."""

import io

from PIL import Image

from app.wiki import attachments
from tests.factories import make_page, make_space
from tests.web import csrf_token, sign_in


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def paste_image(client, page, content: bytes, filename: str, *, token: str | None = None):
    token = token or csrf_token(client, f"/wiki/pages/{page.id}/edit")
    return client.post(
        f"/wiki/pages/{page.id}/images",
        data={"file": (io.BytesIO(content), filename)},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        content_type="multipart/form-data",
    )


def test_title_suggestions_list_only_pages_the_reader_may_read(client, member, outsider):
    closed = make_space("Personalrat", visibility="members", members=[member])
    make_page("Vergabe im Personalrat", author=member, space=closed)
    make_page("Vergaberecht", author=member)
    make_page("Unterschwellenvergabe", author=member)
    sign_in(client, outsider)
    found = client.get("/wiki/title-suggestions?q=verg").get_json()["items"]
    # Titles starting with the words come first; the members-only page stays unknown.
    assert [item["title"] for item in found] == ["Vergaberecht", "Unterschwellenvergabe"]
    sign_in(client, member)
    titles = [i["title"] for i in client.get("/wiki/title-suggestions?q=VERG").get_json()["items"]]
    assert "Vergabe im Personalrat" in titles


def test_title_suggestions_take_wildcards_and_huge_input_as_text(client, member):
    make_page("100% Recycling", author=member)
    make_page("Papier", author=member)
    sign_in(client, member)
    found = client.get("/wiki/title-suggestions?q=%25").get_json()["items"]
    assert [item["title"] for item in found] == ["100% Recycling"]
    assert client.get("/wiki/title-suggestions?q=" + "x" * 10_000).get_json() == {"items": []}
    assert client.get("/wiki/title-suggestions").get_json() == {"items": []}


def test_pasted_image_is_attached_and_answered_with_its_address(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    response = paste_image(client, page, png_bytes(), "Lageplan Rathaus.png")
    assert response.status_code == 201
    [attachment] = attachments.attachments_of(page)
    assert response.get_json() == {
        "url": f"/wiki/pages/{page.id}/files/{attachment.id}/Lageplan%20Rathaus.png?inline=1",
        "name": "Lageplan Rathaus.png",
    }
    assert client.get(response.get_json()["url"]).data == png_bytes()


def test_pasted_file_that_is_no_image_is_refused_in_json(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    response = paste_image(client, page, b"%PDF-1.4\n", "vertrag.pdf")
    assert response.status_code == 422 and "Only images" in response.get_json()["message"]
    disguised = paste_image(client, page, b"<svg onload=alert(1)>", "bild.png")
    assert disguised.status_code == 422 and disguised.get_json()["message"]
    missing = client.post(
        f"/wiki/pages/{page.id}/images",
        headers={"X-CSRFToken": csrf_token(client, f"/wiki/pages/{page.id}/edit")},
    )
    assert missing.status_code == 400
    assert attachments.attachments_of(page) == []


def test_images_cannot_be_pasted_into_a_page_one_may_not_edit_or_read(client, member, outsider):
    closed = make_space("Personalrat", visibility="members", members=[member])
    secret = make_page("Intern", author=member, space=closed)
    readable = make_page("Offen", author=member, space=make_space("Presse", members=[member]))
    sign_in(client, outsider)
    token = csrf_token(client, f"/wiki/pages/{readable.id}/history")
    assert paste_image(client, secret, png_bytes(), "a.png", token=token).status_code == 404
    assert paste_image(client, readable, png_bytes(), "a.png", token=token).status_code == 403
    assert attachments.attachments_of(readable) == []


def test_pasting_without_the_csrf_token_is_refused(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    response = client.post(
        f"/wiki/pages/{page.id}/images",
        data={"file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert attachments.attachments_of(page) == []
