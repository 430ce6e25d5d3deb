"""Images and files attached to posts (stored by app.uploads)."""

import io

import pytest
from PIL import Image

from app.errors import Invalid
from app.microblog import service
from tests.factories import make_space
from tests.web import csrf_token, sign_in


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(data, "PNG")
    data.seek(0)
    return data


def test_post_keeps_up_to_four_attachments_in_order(app, member):
    files = tuple(service.NewFile(png(), f"bild{n}.png") for n in range(4))
    post = service.create_post(member, service.NewPost("Fotos vom Rohrbruch", files=files))
    assert [a.upload.original_filename for a in post.attachments] == [
        "bild0.png",
        "bild1.png",
        "bild2.png",
        "bild3.png",
    ]
    assert post.attachments[0].upload.is_image


def test_fifth_attachment_or_a_disguised_file_is_refused(app, member):
    files = tuple(service.NewFile(png(), f"bild{n}.png") for n in range(5))
    with pytest.raises(Invalid) as caught:
        service.create_post(member, service.NewPost("Zu viele", files=files))
    assert "4" in caught.value.message
    fake = service.NewFile(io.BytesIO(b"<html>nope</html>"), "bild.png")
    with pytest.raises(Invalid):
        service.create_post(member, service.NewPost("Kein Bild", files=(fake,)))


def test_page_upload_shows_the_image_and_guards_the_download(client, member, outsider):
    secret = make_space(visibility="members", members=[member])
    sign_in(client, member)
    token = csrf_token(client, "/stream/")
    response = client.post(
        "/stream/",
        data={
            "body": "Plan",
            "space_id": str(secret.id),
            "csrf_token": token,
            "files": [(png(), "plan.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/stream/").get_data(as_text=True)
    assert 'alt="plan.png"' in page
    href = page.split('class="img-thumbnail"')[0].rsplit('<img src="', 1)[1].split('"')[0]
    href = href.replace("&amp;", "&")
    shown = client.get(href)
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    sign_in(client, outsider)
    assert client.get(href).status_code == 404
