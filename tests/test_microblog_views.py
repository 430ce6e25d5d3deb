"""Stream pages and the JSON API: wiring, status codes and error shape."""

import re

import pytest

from app.extensions import db
from app.microblog.models import Micropost
from tests.factories import make_micropost, make_space, make_token, make_user
from tests.web import bearer, csrf_token, sign_in


def send_post(client, body, **extra):
    token = csrf_token(client, "/stream/")
    return client.post("/stream/", data={"body": body, "csrf_token": token, **extra})


def test_stream_page_shows_following_and_all(client, member, owner):
    make_micropost(owner, "Grüße aus dem #Bürgerbüro")
    sign_in(client, member)
    following = client.get("/stream/?tab=following").get_data(as_text=True)
    assert "Grüße aus dem" not in following
    everything = client.get("/stream/?tab=all").get_data(as_text=True)
    assert "Grüße aus dem" in everything
    assert 'aria-current="page"' in everything


def test_a_newcomer_who_follows_nothing_starts_on_all(client, member, owner):
    from app.social import service as social

    make_micropost(owner, "Grüße aus dem #Bürgerbüro")
    sign_in(client, member)
    assert "Grüße aus dem" in client.get("/stream/").get_data(as_text=True)
    social.follow(member, "tag:ÖPNV")
    assert "Grüße aus dem" not in client.get("/stream/").get_data(as_text=True)


def test_posting_from_the_page_publishes(client, member):
    sign_in(client, member)
    response = send_post(client, "Hallo #ÖPNV")
    assert response.status_code == 302
    page = client.get("/stream/").get_data(as_text=True)
    assert "Hallo" in page and "/stream/tags/%C3%B6pnv" in page
    # My fresh post may still be edited (the editor's /static/dist/editor.js is no edit link).
    assert len(re.findall(r"/posts/\d+/edit", page)) == 1


def test_too_long_post_keeps_the_text_and_names_the_limit(app, client, member):
    app.config["MICROPOST_MAX_LENGTH"] = 5
    sign_in(client, member)
    response = send_post(client, "Viel zu lang")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Viel zu lang" in text and "5" in text


def test_flood_of_posts_is_rate_limited_and_keeps_the_text(app, client, member):
    app.config["MICROPOST_RATE_LIMIT"] = "2 per minute"
    sign_in(client, member)
    assert send_post(client, "Eins").status_code == 302
    assert send_post(client, "Zwei").status_code == 302
    response = send_post(client, "Drei bitte nicht verlieren")
    assert response.status_code == 429
    assert "Drei bitte nicht verlieren" in response.get_data(as_text=True)


def test_thread_page_shows_the_conversation(client, member, owner):
    root = make_micropost(owner, "Wer kennt das Vergaberecht?")
    make_micropost(member, "Frau Wolf!", reply_to_id=root.id, root_id=root.id)
    sign_in(client, member)
    page = client.get(f"/stream/posts/{root.id}").get_data(as_text=True)
    assert "Wer kennt das Vergaberecht?" in page and "Frau Wolf!" in page


def test_members_only_post_is_404_for_outsiders(client, member, outsider):
    secret = make_space(visibility="members", members=[member])
    hidden = make_micropost(member, "Intern", space=secret)
    sign_in(client, outsider)
    assert client.get(f"/stream/posts/{hidden.id}").status_code == 404
    assert client.get(f"/stream/spaces/{secret.slug}").status_code == 404


def test_updates_endpoint_counts_new_posts(client, member, owner):
    make_micropost(owner, "Alt")
    sign_in(client, member)
    first = client.get("/stream/updates?stream=all").get_json()
    assert first["count"] == 0 and first["newest"]
    make_micropost(owner, "Neu")
    later = client.get(f"/stream/updates?stream=all&since={first['newest']}").get_json()
    assert later["count"] == 1
    assert client.get("/stream/updates?stream=nonsense").status_code == 422


def test_mention_suggestions_by_name(client, member):
    make_user("katrin.wolf", display_name="Katrin Wolf")
    make_user("wolfgang", display_name="Wolfgang Zahl", active=False)
    sign_in(client, member)
    found = client.get("/stream/mention-suggestions?q=wol").get_json()["items"]
    assert [item["username"] for item in found] == ["katrin.wolf"]
    assert client.get("/stream/mention-suggestions?q=%25").get_json()["items"] == []


def test_mention_suggestions_pick_up_skills(client, member):
    from tests.factories import give_skill

    expert = make_user("katrin", display_name="Katrin Wolf")
    give_skill(expert, "Vergaberecht", level=4)
    give_skill(make_user("gone", active=False), "Vergaberecht")
    sign_in(client, member)
    found = client.get("/stream/mention-suggestions?q=vergab").get_json()["items"]
    assert [(item["username"], item["skill"]) for item in found] == [("katrin", "Vergaberecht")]


def test_space_page_links_to_its_stream(client, member):
    space = make_space(members=[member])
    sign_in(client, member)
    page = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert f"/stream/spaces/{space.slug}" in page


# --- API ------------------------------------------------------------------------------------


@pytest.fixture
def api_headers(member):
    return bearer(make_token(member))


def test_api_create_list_get_patch_delete(client, member, api_headers):
    created = client.post("/api/v1/microposts", json={"body": "Hallo #E-Akte"}, headers=api_headers)
    assert created.status_code == 201
    post_id = created.get_json()["id"]
    assert created.get_json()["url"] == f"/stream/posts/{post_id}"
    reply = client.post(
        "/api/v1/microposts", json={"body": "Antwort", "reply_to": post_id}, headers=api_headers
    )
    assert reply.status_code == 201
    listed = client.get("/api/v1/microposts?stream=all", headers=api_headers).get_json()
    assert [item["id"] for item in listed["items"]] == [post_id]
    assert listed["next_cursor"] is None
    one = client.get(f"/api/v1/microposts/{post_id}", headers=api_headers).get_json()
    assert [r["body"] for r in one["replies"]] == ["Antwort"]
    patched = client.patch(
        f"/api/v1/microposts/{post_id}", json={"body": "Hallo!"}, headers=api_headers
    )
    assert patched.status_code == 200 and patched.get_json()["edited"]
    assert client.delete(f"/api/v1/microposts/{post_id}", headers=api_headers).status_code == 204
    assert client.get(f"/api/v1/microposts/{post_id}", headers=api_headers).status_code == 404


def test_api_errors_have_the_json_shape(app, client, member, outsider, api_headers):
    app.config["MICROPOST_MAX_LENGTH"] = 5
    too_long = client.post("/api/v1/microposts", json={"body": "x" * 6}, headers=api_headers)
    assert too_long.status_code == 422
    assert "5" in too_long.get_json()["message"]
    space = make_space(members=[outsider])
    forbidden = client.post(
        "/api/v1/microposts", json={"body": "Hi", "space_id": space.id}, headers=api_headers
    )
    assert forbidden.status_code == 403
    missing = client.post(
        "/api/v1/microposts", json={"body": "Hi", "reply_to": 99999}, headers=api_headers
    )
    assert missing.status_code == 404
    assert missing.get_json()["code"] == 404


def test_api_flood_gets_429(app, client, api_headers):
    app.config["MICROPOST_RATE_LIMIT"] = "1 per minute"
    assert (
        client.post("/api/v1/microposts", json={"body": "a"}, headers=api_headers).status_code
        == 201
    )
    flood = client.post("/api/v1/microposts", json={"body": "b"}, headers=api_headers)
    assert flood.status_code == 429
    assert flood.get_json()["status"] == "Too Many Requests"


def test_api_edit_after_window_is_409(client, member, api_headers):
    from datetime import timedelta

    from app.clock import utcnow

    old = make_micropost(member, "Alt", created_at=utcnow() - timedelta(hours=1))
    response = client.patch(f"/api/v1/microposts/{old.id}", json={"body": "x"}, headers=api_headers)
    assert response.status_code == 409
    assert db.session.get(Micropost, old.id).body == "Alt"


def test_api_pages_by_cursor(client, member, api_headers):
    for n in range(5):
        make_micropost(member, f"Post {n}")
    first = client.get("/api/v1/microposts?stream=all&limit=2", headers=api_headers).get_json()
    second = client.get(
        f"/api/v1/microposts?stream=all&limit=2&cursor={first['next_cursor']}", headers=api_headers
    ).get_json()
    assert [i["body"] for i in first["items"] + second["items"]] == [
        "Post 4",
        "Post 3",
        "Post 2",
        "Post 1",
    ]
    bad = client.get("/api/v1/microposts?cursor=%%%", headers=api_headers)
    assert bad.status_code == 422


def test_admin_pins_and_removes_from_the_page(client, admin, member):
    post = make_micropost(member, "Unpassender Witz")
    notice = make_micropost(admin, "Rohrbruch im Rathaus, Eingang B gesperrt")
    sign_in(client, admin)
    token = csrf_token(client, "/stream/?tab=all")
    page = client.get("/stream/?tab=all").get_data(as_text=True)
    assert "Pin as announcement" in page and "Reason (the author will read it)" in page
    pinned = client.post(f"/stream/posts/{notice.id}/pin", data={"csrf_token": token})
    assert pinned.status_code == 302
    page = client.get("/stream/?tab=all").get_data(as_text=True)
    assert page.index("Pinned announcement") < page.index("Unpassender Witz")
    removed = client.post(
        f"/stream/posts/{post.id}/delete", data={"csrf_token": token, "reason": "Bitte sachlich"}
    )
    assert removed.status_code == 302


def test_author_reads_the_removal_reason_on_their_posts(client, admin, member):
    from app.microblog import service

    post = make_micropost(member, "Unpassend")
    service.delete_post(admin, post.id, "Bitte sachlich bleiben")
    sign_in(client, member)
    mine = client.get("/stream/people/mia").get_data(as_text=True)
    assert "Bitte sachlich bleiben" in mine
    sign_in(client, admin)
    theirs = client.get("/stream/people/mia").get_data(as_text=True)
    assert "Bitte sachlich bleiben" not in theirs


def test_member_sees_no_moderation_buttons_on_others_posts(client, member, owner):
    make_micropost(owner, "Von Otto")
    sign_in(client, member)
    page = client.get("/stream/?tab=all").get_data(as_text=True)
    assert "Pin as announcement" not in page and "Remove post" not in page


def test_edit_page_only_for_the_author_within_the_window(client, member, owner):
    from datetime import timedelta

    from app.clock import utcnow

    fresh = make_micropost(member, "Frisch")
    old = make_micropost(member, "Alt", created_at=utcnow() - timedelta(hours=1))
    sign_in(client, owner)
    assert client.get(f"/stream/posts/{fresh.id}/edit").status_code == 403
    sign_in(client, member)
    assert client.get(f"/stream/posts/{fresh.id}/edit").status_code == 200
    assert client.get(f"/stream/posts/{old.id}/edit").status_code == 409


def test_empty_stream_still_announces_its_first_post(client, member, owner):
    sign_in(client, member)
    page = client.get("/stream/?tab=all").get_data(as_text=True)
    since = page.split('data-since="')[1].split('"')[0]
    assert since
    make_micropost(owner, "Erster Beitrag")
    assert client.get(f"/stream/updates?stream=all&since={since}").get_json()["count"] == 1


def test_tag_stream_offers_to_follow_the_tag(client, member):
    make_micropost(member, "Zum #ÖPNV")
    sign_in(client, member)
    page = client.get("/stream/tags/%C3%B6pnv").get_data(as_text=True)
    assert 'value="tag:öpnv"' in page and "Follow in my stream" in page
    assert client.get("/stream/people/mia").get_data(as_text=True).count("Follow in my") == 0


def test_hostile_html_and_huge_bodies_are_harmless(client, member):
    sign_in(client, member)
    assert (
        send_post(client, '<script>alert(1)</script><img src=x onerror="alert(2)"> hi').status_code
        == 302
    )
    page = client.get("/stream/").get_data(as_text=True)
    # Shown as the text that was typed, never as markup.
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert send_post(client, "ä" * 100_000).status_code == 422


def test_profile_links_to_the_persons_posts(client, member, owner):
    sign_in(client, member)
    page = client.get("/people/otto").get_data(as_text=True)
    assert "/stream/people/otto" in page
