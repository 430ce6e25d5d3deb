"""Wiki API: paths, fields, status codes and the error shape of DESIGN.md."""

from tests.factories import edit_page, make_page, make_space, make_token
from tests.web import bearer


def test_create_read_update_list_and_delete(client, member):
    headers = bearer(make_token(member))
    created = client.post(
        "/api/v1/wiki/pages",
        json={"title": "Bürgerbüro – Öffnungszeiten", "body": "Mo–Fr 8–12 Uhr"},
        headers=headers,
    )
    assert created.status_code == 201
    page = created.get_json()
    assert page["slug"] == "buergerbuero-oeffnungszeiten"
    assert page["revision"] == 1
    assert page["url"] == "/wiki/global/buergerbuero-oeffnungszeiten"
    assert page["space_id"] is None and page["title"] == "Bürgerbüro – Öffnungszeiten"
    one = client.get(f"/api/v1/wiki/pages/{page['id']}", headers=headers).get_json()
    assert one["body"] == "Mo–Fr 8–12 Uhr" and "<p>" in one["html"]
    updated = client.put(
        f"/api/v1/wiki/pages/{page['id']}",
        json={"body": "Mo–Do 8–16 Uhr", "base_revision": 1},
        headers=headers,
    )
    assert updated.status_code == 200 and updated.get_json()["revision"] == 2
    listed = client.get("/api/v1/wiki/pages", headers=headers).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == page["id"]
    revisions = client.get(f"/api/v1/wiki/pages/{page['id']}/revisions", headers=headers)
    assert [r["number"] for r in revisions.get_json()["items"]] == [2, 1]
    assert client.delete(f"/api/v1/wiki/pages/{page['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/wiki/pages/{page['id']}", headers=headers).status_code == 404


def test_stale_base_revision_answers_409_with_the_error_shape(client, member, owner):
    page = make_page(author=member, body="Absatz eins\n\nAbsatz zwei\n")
    edit_page(page, owner, "Absatz eins geändert\n\nAbsatz zwei\n")
    response = client.put(
        f"/api/v1/wiki/pages/{page.id}",
        json={"body": "Absatz eins\n\nAbsatz zwei geändert\n", "base_revision": 1},
        headers=bearer(make_token(member)),
    )
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == 409 and body["status"] == "Conflict"
    assert "message" in body and "base_revision" in body["errors"]


def test_space_filter_and_members_only_pages(client, member, outsider):
    space = make_space(visibility="members", members=[member])
    hidden = make_page(author=member, space=space)
    make_page(author=member)
    mine = bearer(make_token(member))
    theirs = bearer(make_token(outsider))
    listed = client.get(f"/api/v1/wiki/pages?space_id={space.id}", headers=mine).get_json()
    assert [p["id"] for p in listed["items"]] == [hidden.id]
    listed = client.get(f"/api/v1/wiki/pages?space={space.id}", headers=mine).get_json()
    assert [p["id"] for p in listed["items"]] == [hidden.id]
    assert client.get("/api/v1/wiki/pages", headers=theirs).get_json()["total"] == 1
    assert client.get(f"/api/v1/wiki/pages/{hidden.id}", headers=theirs).status_code == 404
    response = client.put(
        f"/api/v1/wiki/pages/{hidden.id}", json={"body": "x", "base_revision": 1}, headers=theirs
    )
    assert response.status_code == 404
    assert client.delete(f"/api/v1/wiki/pages/{hidden.id}", headers=theirs).status_code == 404
    response = client.post(
        "/api/v1/wiki/pages", json={"title": "Rein", "space_id": space.id}, headers=theirs
    )
    assert response.status_code == 404


def test_bad_input_answers_422(client, member):
    headers = bearer(make_token(member))
    assert client.post("/api/v1/wiki/pages", json={}, headers=headers).status_code == 422
    assert client.post("/api/v1/wiki/pages", json={"title": ""}, headers=headers).status_code == 422
    response = client.post("/api/v1/wiki/pages", json={"title": "[[x]]"}, headers=headers)
    assert response.status_code == 422 and "title" in response.get_json()["errors"]
    page = make_page(author=member)
    response = client.put(f"/api/v1/wiki/pages/{page.id}", json={"body": "x"}, headers=headers)
    assert response.status_code == 422


def test_member_of_space_edits_but_may_not_delete_anothers_page(client, member, owner):
    space = make_space(members=[member, owner])
    page = make_page(author=owner, space=space)
    headers = bearer(make_token(member))
    response = client.put(
        f"/api/v1/wiki/pages/{page.id}",
        json={"body": "besser", "base_revision": 1},
        headers=headers,
    )
    assert response.status_code == 200
    assert client.delete(f"/api/v1/wiki/pages/{page.id}", headers=headers).status_code == 403


def test_api_needs_a_token(client):
    assert client.get("/api/v1/wiki/pages").status_code == 401
