"""The profiles API: status codes, error shape, wiring."""

from sqlalchemy import select

from app.extensions import db
from app.profiles.models import Endorsement, SkillAlias
from tests.factories import give_language, give_skill, make_profile, make_space, make_token
from tests.web import bearer


def test_get_profile_includes_url_and_skills(client, member, outsider):
    give_skill(member, "Vergaberecht", 3)
    response = client.get("/api/v1/profiles/mia", headers=bearer(make_token(outsider)))
    assert response.status_code == 200
    body = response.get_json()
    assert body["url"] == "/people/mia"
    assert body["skills"][0] == {
        "id": body["skills"][0]["id"],
        "name": "Vergaberecht",
        "level": 3,
        "level_name": "advanced",
        "endorsements": 0,
        "endorsed_by": [],
    }
    assert (
        client.get("/api/v1/profiles/nobody", headers=bearer(make_token(outsider))).status_code
        == 404
    )


def test_put_own_profile(client, member):
    response = client.put(
        "/api/v1/profiles/mia",
        headers=bearer(make_token(member)),
        json={
            "title": "Vergabestelle",
            "about": "Ich helfe bei **Ausschreibungen**.",
            "ask_me_about": "VOB, UVgO",
            "skills": [{"name": "Vergaberecht", "level": 4}],
            "languages": [{"code": "fr", "level": "B2"}],
            "trainings": [{"title": "UVgO", "provider": "DVW", "completed_on": "2025-01-31"}],
            "projects": ["Rathaus-Sanierung"],
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "Vergabestelle"
    assert "<strong>Ausschreibungen</strong>" in body["about_html"]
    assert body["languages"] == [{"code": "fr", "level": "B2"}]
    assert body["trainings"][0]["completed_on"] == "2025-01-31"
    assert body["projects"] == ["Rathaus-Sanierung"]


def test_put_bad_input_is_422_naming_the_field(client, member):
    headers = bearer(make_token(member))
    cases = (
        ({"skills": [{"name": "GIS", "level": 5}]}, "skills"),
        ({"skills": [{"name": "GIS", "level": 0}]}, "skills"),
        ({"languages": [{"code": "xx", "level": "B2"}]}, "languages"),
        ({"languages": [{"code": "fr", "level": "B7"}]}, "languages"),
        ({"skills": [{"name": "x" * 200, "level": 2}]}, "skills"),
        ({"skills": [{"name": "?!.", "level": 2}]}, "skills"),
    )
    for body, field in cases:
        response = client.put("/api/v1/profiles/mia", headers=headers, json=body)
        assert response.status_code == 422, body
        error = response.get_json()
        assert error["code"] == 422 and error["status"] == "Unprocessable Entity"
        assert field in str(error["errors"]), error


def test_put_anothers_profile_is_403_unless_admin(client, member, outsider, admin):
    response = client.put(
        "/api/v1/profiles/mia", headers=bearer(make_token(outsider)), json={"title": "x"}
    )
    assert response.status_code == 403
    assert response.get_json()["code"] == 403
    response = client.put(
        "/api/v1/profiles/mia", headers=bearer(make_token(admin)), json={"title": "Amtsleitung"}
    )
    assert response.status_code == 200


def test_endorsements_201_204_and_refusals(client, member, outsider):
    give_skill(member, "GIS", 2)
    headers = bearer(make_token(outsider))
    path = "/api/v1/profiles/mia/skills/GIS/endorsements"
    assert client.post(path, headers=headers).status_code == 201
    assert client.post(path, headers=headers).status_code == 409
    own = client.post(path, headers=bearer(make_token(member)))
    assert own.status_code == 422 and "own" in own.get_json()["message"]
    assert (
        client.post(
            "/api/v1/profiles/mia/skills/Baurecht/endorsements", headers=headers
        ).status_code
        == 404
    )
    assert client.delete(path, headers=headers).status_code == 204
    assert client.delete(path, headers=headers).status_code == 404
    assert db.session.scalar(select(Endorsement.id)) is None


def test_list_profiles_with_filters(client, member, owner, former):
    bauamt = make_space("Bauamt", kind="department")
    aufsicht = make_space("Bauaufsicht", kind="department", parent=bauamt)
    make_profile(member, department=aufsicht)
    make_profile(former, department=bauamt)
    give_language(member, "fr", "C1")
    give_language(former, "fr", "C2")
    give_skill(owner, "Vergaberecht", 3)
    headers = bearer(make_token(owner))
    body = client.get(
        f"/api/v1/profiles?language=fr&min_language_level=B2&department={bauamt.id}",
        headers=headers,
    ).get_json()
    assert body["total"] == 1 and body["items"][0]["username"] == "mia"
    body = client.get("/api/v1/profiles?skill=vergaberecht&min_level=3", headers=headers).get_json()
    assert [item["username"] for item in body["items"]] == ["otto"]
    for bad in ("min_level=5", "min_language_level=X", "language=xx", f"department={10**6}"):
        response = client.get(f"/api/v1/profiles?{bad}", headers=headers)
        assert response.status_code == 422, bad
        assert response.get_json()["errors"]


def test_skills_autocomplete_and_admin_merge(client, member, admin):
    gis = give_skill(member, "GIS", 3)
    geo = give_skill(admin, "Geoinformationssysteme", 2)
    headers = bearer(make_token(member))
    body = client.get("/api/v1/skills?q=gi", headers=headers).get_json()
    assert [item["name"] for item in body["items"]] == ["GIS"]
    path = f"/api/v1/skills/{gis.id}/merge"
    assert client.post(path, headers=headers, json={"into": geo.id}).status_code == 403
    response = client.post(path, headers=bearer(make_token(admin)), json={"into": geo.id})
    assert response.status_code == 200
    assert response.get_json()["aliases"] == ["GIS"]
    assert db.session.scalar(select(SkillAlias.name)) == "GIS"
    body = client.get("/api/v1/skills?q=GIS", headers=headers).get_json()
    assert [item["name"] for item in body["items"]] == ["Geoinformationssysteme"]
    assert client.post(path, headers=bearer(make_token(admin)), json={}).status_code == 422


def test_api_needs_a_token(client):
    assert client.get("/api/v1/profiles").status_code == 401


def test_endorse_a_skill_with_a_slash_by_name_or_id(client, member, outsider):
    skill = give_skill(member, "VOB/A", 3)
    headers = bearer(make_token(outsider))
    assert (
        client.post("/api/v1/profiles/mia/skills/vob%2Fa/endorsements", headers=headers).status_code
        == 201
    )
    path = f"/api/v1/profiles/mia/skills/{skill.id}/endorsements"
    assert client.delete(path, headers=headers).status_code == 204
