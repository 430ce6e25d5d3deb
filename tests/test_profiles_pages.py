"""Profile pages: wiring, forms without JavaScript, avatars, vCards."""

import io

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.profiles import avatars, service
from app.profiles.models import Endorsement, Profile, UserSkill
from app.profiles.vcard import escape, fold
from tests.factories import give_language, give_skill, make_profile, make_space
from tests.web import csrf_token, post_form, sign_in


def image_bytes(fmt="JPEG", size=(400, 300), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "red")
    if exif is not None:
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def test_profile_page_shows_skills_languages_and_endorse_button(client, member, outsider):
    skill = give_skill(member, "Vergaberecht", 4)
    give_language(member, "en", "C1")
    sign_in(client, outsider)
    page = client.get("/people/mia", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Vergaberecht" in page
    assert "Englisch – C1" in page
    assert f"/people/mia/skills/{skill.id}/endorse" in page
    post_form(client, f"/people/mia/skills/{skill.id}/endorse", {}, token_from="/people/mia")
    assert db.session.scalar(select(Endorsement.endorser_id)) == outsider.id
    page = client.get("/people/mia").get_data(as_text=True)
    assert "1 endorsement" in page and "Olga Outsider" in page


def test_own_profile_shows_completeness_hint_and_no_endorse_button(client, member):
    skill = give_skill(member, "GIS", 2)
    sign_in(client, member)
    page = client.get("/people/mia").get_data(as_text=True)
    assert "complete" in page
    assert f"/skills/{skill.id}/endorse" not in page


def test_former_colleague_is_marked(client, member, former):
    sign_in(client, member)
    assert "former colleague" in client.get("/people/fritz").get_data(as_text=True)


def test_edit_form_saves_rows_without_javascript(client, member):
    department = make_space("Bauamt", kind="department")
    sign_in(client, member)
    response = post_form(
        client,
        "/people/mia/edit",
        {
            "display_name": "Mia Mitglied",
            "email": "mia@example.org",
            "job_title": "Bauingenieurin",
            "department_id": str(department.id),
            "location": "Raum 1.02",
            "phone": "+49 30 1234",
            "about": "Ich plane *Brücken*.",
            "ask_me_about": "Statik",
            "projects": "Brücke Nord\nSchule Süd",
            "skills-0-name": "Statik",
            "skills-0-level": "4",
            "skills-1-name": "",
            "skills-1-level": "2",
            "languages-0-code": "fr",
            "languages-0-level": "B2",
            "languages-1-code": "",
            "languages-1-level": "B1",
            "trainings-0-title": "Eurocode 2",
            "trainings-0-provider": "IHK",
            "trainings-0-completed_on": "2024-05-02",
        },
        token_from="/people/mia/edit",
    )
    assert response.status_code == 302
    person = service.get_person(member, "mia")
    assert person.department == department
    assert [(s.skill.name, s.level) for s in person.skills] == [("Statik", 4)]
    assert [(lang.code, lang.level) for lang in person.languages] == [("fr", "B2")]
    assert person.trainings[0].provider == "IHK"
    page = client.get("/people/mia/edit").get_data(as_text=True)
    assert 'value="Statik"' in page and "Brücke Nord" in page


def test_rejected_edit_shows_the_text_again(client, member):
    sign_in(client, member)
    response = post_form(
        client,
        "/people/mia/edit",
        {
            "display_name": "Mia",
            "email": "mia@example.org",
            "about": "Mein <b>Text</b> bleibt",
            "skills-0-name": "!!!",
            "skills-0-level": "2",
        },
        token_from="/people/mia/edit",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least one letter or digit" in page
    assert "Mein &lt;b&gt;Text&lt;/b&gt; bleibt" in page
    assert db.session.scalar(select(Profile.id)) is None


def test_outsider_cannot_open_or_post_anothers_edit_page(client, member, outsider):
    sign_in(client, outsider)
    assert client.get("/people/mia/edit").status_code == 403
    token = csrf_token(client, "/people/olga/edit")
    response = client.post("/people/mia/edit", data={"csrf_token": token, "job_title": "x"})
    assert response.status_code == 403


def test_avatar_upload_stores_two_sizes_without_exif(client, app, member, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS
    sign_in(client, member)
    token = csrf_token(client, "/people/mia/edit")
    response = client.post(
        "/people/mia/avatar",
        data={"csrf_token": token, "avatar": (io.BytesIO(image_bytes(exif=exif)), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    avatar_hash = db.session.scalar(select(Profile.avatar_hash))
    for size in avatars.AVATAR_SIZES:
        served = client.get(f"/people/avatars/{avatar_hash}-{size}.jpg")
        assert served.status_code == 200
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        with Image.open(io.BytesIO(served.data)) as image:
            assert image.size == (size, size)
            assert not image.getexif()
    assert client.get(f"/people/avatars/{'0' * 64}-64.jpg").status_code == 404
    assert client.get("/people/avatars/..%2Fsecret-64.jpg").status_code == 404


def test_avatar_refuses_non_images_and_huge_files(client, app, member, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    sign_in(client, member)
    for content, message in (
        (b"<svg onload=alert(1)>", "not an image"),
        (b"GIF89a" + b"\0" * 100, "not an image"),
        (b"\xff\xd8\xff" + b"x" * (avatars.MAX_AVATAR_BYTES + 10), "too large"),
    ):
        token = csrf_token(client, "/people/mia/edit")
        response = client.post(
            "/people/mia/avatar",
            data={"csrf_token": token, "avatar": (io.BytesIO(content), "me.jpg")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Profile.avatar_hash)) is None


def test_avatar_initials_shown_when_none(client, member):
    sign_in(client, member)
    assert ">MM</span>" in client.get("/people/mia").get_data(as_text=True)


def test_vcard_escapes_and_folds_in_utf8(client, member, outsider):
    make_profile(member, job_title="Leiterin; Vergabe, Recht\\Ordnung", location="Raum 1\n2")
    sign_in(client, outsider)
    response = client.get("/people/mia.vcf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.data.decode("utf-8")
    assert "TITLE:Leiterin\\; Vergabe\\, Recht\\\\Ordnung\r\n" in text
    assert "Raum 1\\n2" in text
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("NOTE:" + "ü" * 60)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "NOTE:" + "ü" * 60


def test_dotted_usernames_still_reach_profile_and_vcard(client, member):
    from tests.factories import make_user

    make_user("anna.schmidt", display_name="Anna Schmidt")
    sign_in(client, member)
    assert "Anna Schmidt" in client.get("/people/anna.schmidt").get_data(as_text=True)
    assert "FN:Anna Schmidt" in client.get("/people/anna.schmidt.vcf").get_data(as_text=True)


def test_skill_suggestions_and_skill_page(client, member):
    give_skill(member, "Geoinformationssysteme", 3)
    sign_in(client, member)
    assert client.get("/people/skills.json?q=geo").get_json()[0]["name"] == (
        "Geoinformationssysteme"
    )
    page = client.get("/people/skills/geoinformationssysteme")
    assert page.status_code == 200 and "Mia Mitglied" in page.get_data(as_text=True)
    assert client.get("/people/skills/nothing-here").status_code == 404


def test_admin_merges_skills_on_the_skill_page(client, admin, member):
    gis = give_skill(member, "GIS", 3)
    geo = give_skill(admin, "Geoinformationssysteme", 2)
    sign_in(client, admin)
    response = post_form(
        client,
        f"/people/skills/{gis.id}/merge",
        {"into": str(geo.id)},
        token_from="/people/skills/gis",
    )
    assert response.status_code == 302
    assert set(db.session.scalars(select(UserSkill.skill_id))) == {geo.id}
    assert "GIS" in client.get("/people/skills/geoinformationssysteme").get_data(as_text=True)


def test_member_cannot_merge_skills(client, member):
    gis = give_skill(member, "GIS", 3)
    geo = give_skill(member, "Geo", 2)
    sign_in(client, member)
    token = csrf_token(client, "/people/mia/edit")
    response = client.post(
        f"/people/skills/{gis.id}/merge", data={"csrf_token": token, "into": geo.id}
    )
    assert response.status_code == 403


def test_directory_and_department_pages(client, member):
    department = make_space("Bauamt", kind="department")
    make_profile(member, department=department)
    sign_in(client, member)
    page = client.get(f"/people/?department={department.id}").get_data(as_text=True)
    assert "Mia Mitglied" in page
    assert "1 colleague found" in page
    bad = client.get("/people/?min_level=9").get_data(as_text=True)
    assert "Choose a level" in bad
    tree = client.get(f"/people/departments/{department.slug}")
    assert tree.status_code == 200 and "Mia Mitglied" in tree.get_data(as_text=True)


def test_when_the_directory_finds_nobody_it_offers_close_skills_and_the_stream(
    client, member, owner
):
    give_skill(owner, "Tarifrecht", 3)
    sign_in(client, member)
    page = client.get("/people/?q=Tarfirecht").get_data(as_text=True)
    assert "No colleague matches your search" in page
    assert "0 colleagues found" not in page
    assert '<a href="/people/?skill=Tarifrecht">Tarifrecht</a>' in page
    assert 'href="/stream/?tab=all&amp;text=Who+knows+about+Tarfirecht?+%23Tarfirecht"' in page
    assert 'href="/people/?former=1&amp;q=Tarfirecht">Include former colleagues' in page
    assert '<a href="/people/">Show all colleagues</a>' in page
    german = client.get("/people/?skill=Tarfirecht", headers={"Accept-Language": "de"})
    assert "Niemand passt zu Ihrer Suche" in german.get_data(as_text=True)
    # Someone found, or someone who knows about it: no empty state.
    assert "No colleague matches" not in client.get("/people/?q=Otto").get_data(as_text=True)
    found = client.get("/people/?q=Tarifrecht").get_data(as_text=True)
    assert "Otto Owner" in found and "No colleague matches" not in found


def upload_certificate(client, training_id, content, name="zertifikat.pdf"):
    token = csrf_token(client, "/people/mia/edit")
    return client.post(
        f"/people/mia/trainings/{training_id}/certificate",
        data={"csrf_token": token, "certificate": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_certificate_upload_download_and_privacy(client, app, member, outsider, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    training = service.TrainingEntry("VOB kompakt", "DVW")
    service.update_profile(member, member, service.ProfileEdit(trainings=(training,)))
    training_id = service.get_person(member, "mia").trainings[0].id
    sign_in(client, member)
    page = upload_certificate(client, training_id, b"<html><script>x</script>", "evil.pdf")
    assert "PDF, JPEG or PNG" in page.get_data(as_text=True)
    upload_certificate(client, training_id, b"%PDF-1.4 fake", "..\\..\\bad<name>.pdf")
    path = f"/people/mia/trainings/{training_id}/certificate"
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "badname.pdf" in response.headers["Content-Disposition"]
    # Saving the profile again keeps the certificate with its training.
    service.update_profile(member, member, service.ProfileEdit(trainings=(training,)))
    new_id = service.get_person(member, "mia").trainings[0].id
    assert client.get(f"/people/mia/trainings/{new_id}/certificate").status_code == 200
    sign_in(client, outsider)
    assert client.get(f"/people/mia/trainings/{new_id}/certificate").status_code == 404
    assert "Certificate:" not in client.get("/people/mia").get_data(as_text=True)
