"""The JSON API's wiring: bearer tokens, error shape, status codes, pagination."""

import pytest

from app.spaces import policy
from tests.factories import make_space, make_token
from tests.web import bearer


@pytest.fixture
def member_token(member):
    return make_token(member)


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str)
    assert isinstance(body["message"], str)
    return body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer kol_wrong"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
    ],
)
def test_missing_or_bad_token_is_401_json_never_a_redirect(client, headers):
    response = client.get("/api/v1/spaces", headers=headers)
    assert_error_shape(response, 401)


def test_session_cookie_alone_does_not_open_the_api(client, member):
    from tests.web import sign_in

    sign_in(client, member)
    assert client.get("/api/v1/spaces").status_code == 401


def test_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert "/api/v1/spaces" in paths
    assert "/api/v1/users" in paths
    assert "/api/v1/spaces/{space_id}/members/{username}" in paths


def test_unknown_api_path_is_json_404(client, member_token):
    assert_error_shape(client.get("/api/v1/nothing", headers=bearer(member_token)), 404)


def test_create_and_get_space(client, member, member_token):
    response = client.post(
        "/api/v1/spaces",
        json={"name": "Projekt Ü", "kind": "project", "visibility": "members"},
        headers=bearer(member_token),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert {"id", "slug", "name", "kind", "visibility", "url"} <= set(body)
    response = client.get(f"/api/v1/spaces/{body['id']}", headers=bearer(member_token))
    assert response.get_json()["name"] == "Projekt Ü"


def test_invalid_json_and_fields_are_4xx_with_errors(client, member_token):
    response = client.post(
        "/api/v1/spaces",
        data="{not json",
        content_type="application/json",
        headers=bearer(member_token),
    )
    assert_error_shape(response, 400)
    response = client.post(
        "/api/v1/spaces", json={"name": "x" * 500, "kind": "club"}, headers=bearer(member_token)
    )
    body = assert_error_shape(response, 422)
    assert {"name", "kind"} <= set(body["errors"]["json"])


def test_domain_rules_answer_in_the_error_shape(client, member_token):
    response = client.post(
        "/api/v1/spaces", json={"name": "Amt", "kind": "department"}, headers=bearer(member_token)
    )
    assert_error_shape(response, 403)


def test_members_space_is_404_to_outsiders(client, owner, outsider):
    space = make_space(visibility="members", owners=[owner])
    response = client.get(f"/api/v1/spaces/{space.id}", headers=bearer(make_token(outsider)))
    assert_error_shape(response, 404)


def test_list_is_paginated(client, member, member_token):
    for number in range(5):
        make_space(f"Space {number}")
    response = client.get("/api/v1/spaces?per_page=2&page=2", headers=bearer(member_token))
    body = response.get_json()
    assert body["total"] == 5
    assert body["page"] == 2
    assert len(body["items"]) == 2
    assert client.get("/api/v1/spaces?per_page=0", headers=bearer(member_token)).status_code == 422


def test_members_are_added_and_removed(client, owner, outsider):
    space = make_space(owners=[owner])
    token = make_token(owner)
    response = client.post(
        f"/api/v1/spaces/{space.id}/members", json={"username": "olga"}, headers=bearer(token)
    )
    assert response.status_code == 201
    assert response.get_json()["username"] == "olga"
    assert policy.is_member(outsider, space)
    again = client.post(
        f"/api/v1/spaces/{space.id}/members", json={"username": "olga"}, headers=bearer(token)
    )
    assert_error_shape(again, 409)
    response = client.delete(f"/api/v1/spaces/{space.id}/members/olga", headers=bearer(token))
    assert response.status_code == 204
    assert not policy.is_member(outsider, space)


def test_outsider_cannot_change_members(client, owner, outsider):
    space = make_space(owners=[owner])
    response = client.post(
        f"/api/v1/spaces/{space.id}/members",
        json={"username": "olga"},
        headers=bearer(make_token(outsider)),
    )
    assert_error_shape(response, 403)


def test_only_admins_create_users(client, admin, member_token):
    payload = {
        "username": "neu",
        "email": "neu@example.org",
        "display_name": "Nele Neu",
        "password": "long enough",
    }
    assert_error_shape(
        client.post("/api/v1/users", json=payload, headers=bearer(member_token)), 403
    )
    response = client.post("/api/v1/users", json=payload, headers=bearer(make_token(admin)))
    assert response.status_code == 201
    assert "password" not in response.get_json()
    again = client.post("/api/v1/users", json=payload, headers=bearer(make_token(admin)))
    assert_error_shape(again, 409)
