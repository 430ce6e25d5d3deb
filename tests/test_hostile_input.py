"""Odd input, sent as an attacker (or an unlucky colleague) would: digits of other scripts,
huge numbers, lone surrogates, text that is not UTF-8. Never a 500; a clear 4xx instead."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_micropost, make_page, make_space, make_token, make_user
from tests.web import bearer, post_form, sign_in

# Superscript two, Arabic-Indic three, fullwidth four, a number beyond any id column, a sign.
ODD_NUMBERS = ["²", "٣", "４", "99999999999999999999", "-1", "1_0", " 1"]


@pytest.fixture
def token(member):
    return make_token(member)


@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_odd_ids_in_api_targets_are_4xx(client, member, token, number):
    for path in ("/api/v1/likes", "/api/v1/follows"):
        for target in (f"micropost:{number}", f"space:{number}", f"blog:{number}"):
            response = client.post(path, json={"target": target}, headers=bearer(token))
            assert 400 <= response.status_code < 500, (path, target, response.status_code)
            assert response.get_json()["code"] == response.status_code
    response = client.post(
        "/api/v1/comments",
        json={"target": f"micropost:{number}", "body": "Hi"},
        headers=bearer(token),
    )
    assert response.status_code in (404, 422)
    response = client.delete(f"/api/v1/likes?target=micropost:{number}", headers=bearer(token))
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_odd_ids_in_pages_are_4xx_or_ignored(client, member, number):
    sign_in(client, member)
    for path in (
        f"/people/skills/{number}",
        f"/search?q=amt&page={number}&space={number}",
        f"/stream/updates?stream=space:{number}",
        f"/stream/?stream=space:{number}",
        f"/confirmations/report?target=micropost:{number}",
        f"/wiki/?page={number}&space={number}",
        f"/notifications/?page={number}",
        f"/people/?department={number}&min_level={number}&page={number}",
    ):
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("number", ["²", "٣", "99999999999999999999"])
def test_odd_ids_in_forms_keep_the_text_or_refuse_it(client, member, number):
    sign_in(client, member)
    post = make_micropost(member, "Erster Beitrag")
    response = post_form(
        client,
        "/stream/",
        {"body": "Antwort", "space_id": number, "reply_to": number},
        token_from="/stream/",
    )
    assert response.status_code < 500
    response = post_form(
        client,
        "/comments",
        {"target": f"micropost:{post.id}", "body": "Kommentar", "parent_id": number},
        token_from="/stream/",
    )
    assert response.status_code < 500
    response = post_form(client, "/notifications/read", {"id": number})
    assert response.status_code == 302


def test_an_odd_digit_never_names_a_real_item(client, member, token):
    """ "٣" reads as 3 to int(); it must not like the item with id 3."""
    make_user("x1")
    space = make_space(name="Amt", members=[member])
    page = make_page(title="Seite", author=member, space=space)
    odd = "".join(chr(0x0660 + int(digit)) for digit in str(page.id))
    response = client.post(
        "/api/v1/likes", json={"target": f"wiki_page:{odd}"}, headers=bearer(token)
    )
    assert response.status_code == 422
    assert (
        client.post(
            "/api/v1/likes", json={"target": f"wiki_page:{page.id}"}, headers=bearer(token)
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/microposts", {"body": "Hallo \ud800 Welt"}),
        ("/api/v1/wiki/pages", {"title": "T\udfff", "body": "Text"}),
        ("/api/v1/comments", {"target": "micropost:1", "body": "\ud83d"}),
        ("/api/v1/spaces", {"name": "Amt", "kind": "project", "\udc80": 1}),
    ],
)
def test_lone_surrogates_in_json_are_400_in_the_error_shape(client, token, path, body):
    raw = json.dumps(body)  # keeps "\ud800" escaped, as an attacker's client would send it
    response = client.post(path, data=raw, content_type="application/json", headers=bearer(token))
    assert response.status_code == 400
    error = response.get_json()
    assert error["code"] == 400
    assert "Unicode" in error["message"]


def test_text_that_is_not_utf8_in_a_query_is_400(client, member):
    sign_in(client, member)
    response = client.get("/search?q=%ff%fe")
    assert response.status_code == 400
