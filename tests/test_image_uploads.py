"""Every upload route opens images through one checked helper: bombs and broken files get a
clear answer, never a 500 and never gigabytes of memory."""

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.profiles import service as profiles
from app.profiles.models import Profile
from app.uploads.models import Upload
from app.wiki import attachments
from tests.factories import make_page
from tests.web import csrf_token, sign_in

TOO_MANY_PIXELS = "too many pixels"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG of a few dozen bytes whose header claims width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + _chunk(b"IEND", b"")
    )


def real_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_bomb_is_tiny_and_claims_900_million_pixels():
    data = bomb_png()
    assert len(data) < 80
    with pytest.raises(Image.DecompressionBombError):  # what used to answer 500
        Image.open(io.BytesIO(data))


def post_wiki_file(client, page, content: bytes, name: str = "plan.png"):
    token = csrf_token(client, f"/wiki/pages/{page.id}/history")
    return client.post(
        f"/wiki/pages/{page.id}/files",
        data={"file": (io.BytesIO(content), name), "csrf_token": token},
        content_type="multipart/form-data",
    )


def post_stream(client, content: bytes, name: str = "plan.png"):
    token = csrf_token(client, "/stream/")
    return client.post(
        "/stream/",
        data={
            "body": "Mein Plan für alle",
            "csrf_token": token,
            "files": [(io.BytesIO(content), name)],
        },
        content_type="multipart/form-data",
    )


def test_wiki_file_bomb_gets_413_with_a_message(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    response = post_wiki_file(client, page, bomb_png())
    assert response.status_code == 413
    assert TOO_MANY_PIXELS in response.get_data(as_text=True)
    assert attachments.attachments_of(page) == []
    assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def test_wiki_file_just_over_the_setting_is_refused_and_under_it_kept(app, client, member):
    app.config["IMAGE_MAX_PIXELS"] = 1000
    page = make_page(author=member)
    sign_in(client, member)
    assert post_wiki_file(client, page, real_png()).status_code == 413  # 1,200 pixels
    app.config["IMAGE_MAX_PIXELS"] = 1200
    assert post_wiki_file(client, page, real_png()).status_code == 302
    assert len(attachments.attachments_of(page)) == 1


@pytest.mark.parametrize(
    "content",
    [
        real_png()[:60],  # truncated
        real_png()[:-12] + b"garbage",
        bomb_png(0, 10),
        b"\x89PNG\r\n\x1a\n" + b"\xff" * 40,
        b"GIF89a" + b"\0" * 100,
    ],
)
def test_broken_images_get_422_on_every_route(client, member, content):
    page = make_page(author=member)
    sign_in(client, member)
    assert post_wiki_file(client, page, content).status_code == 422
    response = post_stream(client, content)
    assert response.status_code == 422
    assert "Mein Plan für alle" in response.get_data(as_text=True)  # the text comes back


def test_stream_attachment_bomb_gets_413_and_keeps_the_text(client, member):
    sign_in(client, member)
    response = post_stream(client, bomb_png())
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert TOO_MANY_PIXELS in text and "Mein Plan für alle" in text
    assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def test_avatar_bomb_is_refused_with_a_message(client, app, member, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    sign_in(client, member)
    token = csrf_token(client, "/people/mia/edit")
    response = client.post(
        "/people/mia/avatar",
        data={"csrf_token": token, "avatar": (io.BytesIO(bomb_png()), "me.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert TOO_MANY_PIXELS in response.get_data(as_text=True)
    assert db.session.scalar(select(Profile.avatar_hash)) is None
    assert not list(tmp_path.rglob("*.jpg"))


def test_certificate_bomb_is_refused_with_a_message(client, app, member, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    training = profiles.TrainingEntry("VOB kompakt", "DVW")
    profiles.update_profile(member, member, profiles.ProfileEdit(trainings=(training,)))
    training_id = profiles.get_person(member, "mia").trainings[0].id
    sign_in(client, member)
    token = csrf_token(client, "/people/mia/edit")
    response = client.post(
        f"/people/mia/trainings/{training_id}/certificate",
        data={"csrf_token": token, "certificate": (io.BytesIO(bomb_png()), "zertifikat.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert TOO_MANY_PIXELS in response.get_data(as_text=True)
    assert profiles.get_person(member, "mia").trainings[0].certificate_hash is None
    assert client.get(f"/people/mia/trainings/{training_id}/certificate").status_code == 404


def test_png_certificate_is_served_as_png(client, app, member, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    training = profiles.TrainingEntry("VOB kompakt", "DVW")
    profiles.update_profile(member, member, profiles.ProfileEdit(trainings=(training,)))
    training_id = profiles.get_person(member, "mia").trainings[0].id
    sign_in(client, member)
    token = csrf_token(client, "/people/mia/edit")
    client.post(
        f"/people/mia/trainings/{training_id}/certificate",
        data={"csrf_token": token, "certificate": (io.BytesIO(real_png()), "z.png")},
        content_type="multipart/form-data",
    )
    response = client.get(f"/people/mia/trainings/{training_id}/certificate")
    assert response.status_code == 200 and response.mimetype == "image/png"
