import io
import json
import zipfile

import pytest

from app.accounts.models import ApiToken
from app.errors import Forbidden
from app.extensions import db
from app.privacy import service
from app.privacy.archive import safe_name
from app.profiles.models import Training
from app.uploads.models import Upload
from app.uploads.store import path_for
from tests.factories import make_colleague_with_history, make_micropost, make_token, make_user
from tests.web import bearer, sign_in


def read_export(user) -> tuple[dict[str, dict], dict[str, bytes]]:
    with service.export_archive(user, user) as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }
    files = {name: archive.read(name) for name in archive.namelist() if name.startswith("files/")}
    return data, files


def test_export_holds_all_of_a_persons_data(app):
    user, what = make_colleague_with_history()

    data, files = read_export(user)

    assert data["account"]["username"] == "erika.muster"
    assert [t["name"] for t in data["account"]["api_tokens"]] == ["Auswertungsskript"]
    assert data["profile"]["profile"]["phone"] == "+49 30 1234-567"
    assert data["profile"]["skills"] == [{"name": "Vergaberecht", "level": 4, "endorsements": 1}]
    assert data["profile"]["languages"] == [{"code": "fr", "level": "B2"}]
    assert data["profile"]["trainings"][0]["title"] == "Vergabe kompakt"
    assert data["profile"]["endorsements_given"][0]["skill"] == "Haushaltsrecht"
    assert {r["title"] for r in data["wiki"]["revisions"]} == {"Vergabehandbuch", "Ansprechpartner"}
    assert [p["title"] for p in data["wiki"]["pages_created"]] == ["Vergabehandbuch"]
    assert [p["title"] for p in data["blog"]["posts"]] == ["Neue Vergabeordnung"]
    assert [p["body"] for p in data["microblog"]["posts"]] == ["Heute Schulung im Ratssaal."]
    assert [c["body"] for c in data["social"]["comments"]] == ["Gern geschehen."]
    assert data["social"]["likes"] == [
        {"on": f"blog_post:{what['other_post'].id}", "at": data["social"]["likes"][0]["at"]}
    ]
    assert {f["what"] for f in data["social"]["follows"]} == {"karl.kollege", "vergabe"}
    assert data["social"]["notification_settings"] == [{"kind": "mention", "delivery": "email"}]
    assert any(name.endswith("photo.jpg") for name in files)
    assert any(content == b"%PDF-1.4 certificate" for content in files.values())


def test_export_holds_no_token_hash_and_nothing_of_other_people(app):
    user, what = make_colleague_with_history()
    colleague = what["colleague"]
    make_micropost(colleague, "Geheimnis von Karl")
    token_hash = db.session.scalar(
        db.select(ApiToken.token_hash).where(ApiToken.user_id == user.id)
    )

    data, _files = read_export(user)

    text = json.dumps(data, ensure_ascii=False)
    assert token_hash not in text
    assert "Geheimnis von Karl" not in text
    assert colleague.email not in text
    assert "Danke an" not in text  # the colleague's post that mentions her
    assert "Klasse" not in text  # the colleague's comment on her post
    assert f'"user_id": {colleague.id}' not in text


def test_hostile_file_names_stay_inside_the_archive(app):
    from app.profiles.certificates import store_certificate

    user = make_user("hanna")
    upload_path = path_for("a" * 64)
    upload_path.parent.mkdir(parents=True, exist_ok=True)
    upload_path.write_bytes(b"content")
    certificate_hash, _name = store_certificate(b"%PDF-1.4 hostile", "ok.pdf")
    db.session.add_all(
        [
            Upload(
                sha256="a" * 64,
                size=7,
                content_type="text/plain",
                original_filename="../../../etc/passwd",
                uploader_id=user.id,
            ),
            Upload(
                sha256="a" * 64,
                size=7,
                content_type="text/plain",
                original_filename="/abs\\..\\..\\x\x1b.txt",
                uploader_id=user.id,
            ),
            Training(
                user_id=user.id,
                title="T",
                certificate_hash=certificate_hash,
                certificate_name="../../../../tmp/evil.pdf",
            ),
        ]
    )
    db.session.commit()

    _data, files = read_export(user)

    folders = sorted(name.rsplit("/", 1)[0] for name in files)
    assert folders == ["files/profile", "files/uploads", "files/uploads"]
    for name in files:
        parts = name.split("/")
        assert len(parts) == 3
        assert ".." not in parts[2] and "\\" not in parts[2] and "\x00" not in parts[2]
        assert not parts[2].startswith(("/", "."))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("../../etc/passwd", "passwd"), ("..", "file"), ("", "file"), ("a/../b.txt", "b.txt")],
)
def test_safe_name(raw, clean):
    assert safe_name(raw) == clean


def test_nobody_exports_another_persons_data(app, member, outsider):
    with pytest.raises(Forbidden):
        service.export_archive(member, outsider)


def test_settings_page_offers_the_download(client, member):
    sign_in(client, member)

    page = client.get("/settings/data")
    settings = client.get("/settings/")

    assert page.status_code == 200
    assert "Download my data" in page.get_data(as_text=True)
    assert "/settings/data" in settings.get_data(as_text=True)


def test_download_button_answers_a_zip_of_ones_own_data(client, member):
    sign_in(client, member)
    page = client.get("/settings/data").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]

    response = client.post("/settings/data/export", data={"csrf_token": token})

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "kollegium-mia-" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert json.loads(archive.read("account.json"))["username"] == "mia"


def test_api_export_of_ones_own_data(client, member):
    response = client.get("/api/v1/me/export", headers=bearer(make_token(member)))

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert json.loads(archive.read("account.json"))["email"] == member.email


def test_api_export_needs_a_token(client):
    response = client.get("/api/v1/me/export")

    assert response.status_code == 401
    assert response.is_json


def count_export_queries(user) -> int:
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        read_export(user)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_export_issues_a_fixed_number_of_queries(app):
    from tests.factories import make_blog, make_page, make_post, make_space

    user = make_user("viel")
    blog = make_blog("Blog", space=make_space(owners=[user]))
    make_page(author=user, space=make_space(members=[user]))
    make_post(blog, user)
    make_micropost(user, "eins", space=make_space(members=[user]))
    few = count_export_queries(user)
    for number in range(10):
        make_page(f"Seite {number}", author=user, space=make_space(members=[user]))
        make_post(blog, user, f"Beitrag {number}")
        make_micropost(user, f"Post {number}", space=make_space(members=[user]))

    assert count_export_queries(user) == few
