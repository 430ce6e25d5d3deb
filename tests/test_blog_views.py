"""Blog pages, feeds and API: wiring, status codes, what others never see."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import event

from app.blog import service
from app.clock import utcnow
from app.extensions import db
from app.social import service as social
from tests.factories import make_blog, make_post, make_space, make_token
from tests.web import bearer, csrf_token, render_every_page, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def project(owner, member):
    return make_space("Einführung E-Akte", owners=[owner], members=[member])


@pytest.fixture
def blog(project):
    return make_blog("E-Akte-Blog", space=project)


def test_draft_and_scheduled_posts_invisible_on_pages(client, blog, owner, outsider):
    draft = make_post(blog, owner, "Geheimer Entwurf", status="draft")
    later = make_post(blog, owner, "Späterer Beitrag", publish_at=utcnow() + timedelta(days=1))
    visible = make_post(blog, owner, "Öffentlicher Beitrag")
    sign_in(client, outsider)
    for path in ("/blog/", f"/blog/{blog.id}", "/blog/tags/e-akte"):
        page = client.get(path).get_data(as_text=True)
        assert "Öffentlicher Beitrag" in page
        assert "Geheimer Entwurf" not in page and "Späterer Beitrag" not in page
    for post in (draft, later):
        assert client.get(f"/blog/posts/{post.id}").status_code == 404
        assert client.get(f"/blog/posts/{post.id}/edit").status_code == 404
    assert client.get(f"/blog/posts/{visible.id}/{visible.slug}").status_code == 200
    assert client.get(f"/blog/posts/{visible.id}/edit").status_code == 403


def test_owner_sees_own_draft_marked(client, blog, owner):
    draft = make_post(blog, owner, "Mein Entwurf", status="draft")
    sign_in(client, owner)
    page = client.get(f"/blog/{blog.id}").get_data(as_text=True)
    assert "Mein Entwurf" in page and "draft" in page
    assert client.get(f"/blog/posts/{draft.id}").status_code == 200


def test_editor_refuses_empty_post_and_shows_the_text_again(client, blog, owner):
    sign_in(client, owner)
    path = f"/blog/{blog.id}/write"
    answer = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "title": "Mein <Titel> & mehr",
            "body": "   ",
            "status": "published",
        },
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Write the post first." in page
    assert "Mein &lt;Titel&gt; &amp; mehr" in page


def test_editor_refuses_huge_post_and_keeps_it(client, blog, owner, app):
    app.config["BLOG_POST_MAX_LENGTH"] = 100
    sign_in(client, owner)
    path = f"/blog/{blog.id}/write"
    body = "Langer Text " * 20
    answer = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "title": "T", "body": body},
    )
    assert answer.status_code == 422
    assert "at most 100 characters" in answer.get_data(as_text=True)
    assert body.strip() in answer.get_data(as_text=True)


def test_write_schedule_and_edit_through_the_editor(client, blog, owner, outsider):
    sign_in(client, owner)
    path = f"/blog/{blog.id}/write"
    answer = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "title": "Geplanter Beitrag",
            "body": "Kommt **bald**.",
            "tags": "E-Akte, Scanner",
            "status": "scheduled",
            "publish_at": "2099-01-01T09:00",
        },
    )
    assert answer.status_code == 302
    post_id = int(re.search(r"/blog/posts/(\d+)", answer.location).group(1))
    post = service.get_post(owner, post_id)
    assert post.is_scheduled and post.tags == ["e-akte", "scanner"]
    assert post.publish_at.hour == 8  # Europe/Berlin in winter is UTC+1
    sign_in(client, outsider)
    assert client.get(f"/blog/posts/{post_id}").status_code == 404


def test_member_may_not_open_the_editor(client, blog, member):
    sign_in(client, member)
    assert client.get(f"/blog/{blog.id}/write").status_code == 403


def test_post_page_with_question_and_answer(client, blog, owner, member):
    post = make_post(blog, owner, body="Alles zur **E-Akte**")
    target = f"blog_post:{post.id}"
    question = social.add_comment(
        member, social.NewComment(target, "Wer scannt die Altakten?", is_question=True)
    )
    social.add_comment(owner, social.NewComment(target, "Die Poststelle.", parent_id=question.id))
    sign_in(client, owner)
    blog_page = client.get(f"/blog/{blog.id}").get_data(as_text=True)
    assert "Wer scannt die Altakten?" in blog_page  # open questions for the authors
    page = client.get(f"/blog/posts/{post.id}").get_data(as_text=True)
    assert "<strong>E-Akte</strong>" in page
    assert "Mark as the answer" in page and "open question" in page
    assert "minute to read" in page and "edited" not in page
    service.edit_post(owner, post, service.PostDraft(post.title, "Neu", "published"))
    assert "edited" in client.get(f"/blog/posts/{post.id}").get_data(as_text=True)


def test_blog_page_queries_are_bounded(client, blog, owner, member):
    render_every_page(client)
    sign_in(client, owner)
    first = make_post(blog, owner)
    social.like(member, f"blog_post:{first.id}")
    social.add_comment(member, social.NewComment(f"blog_post:{first.id}", "?", True))

    def count_queries(path):
        statements = []

        def record(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    client.get(f"/blog/{blog.id}")  # a process's first page also reads the guidelines version
    few = count_queries(f"/blog/{blog.id}")
    for number in range(10):
        post = make_post(blog, owner, f"Beitrag {number}")
        social.like(member, f"blog_post:{post.id}")
        social.add_comment(member, social.NewComment(f"blog_post:{post.id}", "?", True))
    assert count_queries(f"/blog/{blog.id}") == few
    assert count_queries("/blog/") <= few + 2


# --- feeds ---------------------------------------------------------------------------------


def test_feed_needs_a_valid_token_and_shows_only_published_readable_posts(
    client, blog, owner, outsider
):
    make_post(blog, owner, "Veröffentlicht", body="Siehe [[Scanhandbuch]] und @otto")
    make_post(blog, owner, "Entwurf", status="draft")
    closed = make_space(visibility="members", owners=[owner])
    make_post(make_blog("Intern", space=closed), owner, "Interna")
    token = service.feed_token(outsider)

    answer = client.get(f"/blog/feeds/{token}/all.atom")  # no sign-in
    assert answer.status_code == 200
    assert answer.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(answer.data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Veröffentlicht"]
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.startswith("http://localhost/blog/posts/")
    content = feed.findtext(f"{ATOM}entry/{ATOM}content")
    assert 'href="/' not in content

    assert client.get(f"/blog/feeds/{token}/{blog.id}.atom").status_code == 200
    assert client.get(f"/blog/feeds/{token}/{closed.id}.atom").status_code == 404
    altered = token[:-1] + ("1" if token.endswith("0") else "0")
    for bad in ("nonsense", altered):
        answer = client.get(f"/blog/feeds/{bad}/all.atom")
        assert answer.status_code == 404 and "Veröffentlicht" not in answer.get_data(as_text=True)


def test_feed_token_revoked_from_the_settings_page(client, member):
    sign_in(client, member)
    page = client.get("/settings/feeds").get_data(as_text=True)
    old_url = re.search(r"http://localhost(/blog/feeds/[^<]+/all\.atom)", page).group(1)
    assert client.get(old_url).status_code == 200
    answer = client.post(
        "/settings/feeds", data={"csrf_token": csrf_token(client, "/settings/feeds")}
    )
    assert answer.status_code == 302
    assert client.get(old_url).status_code == 404
    new_page = client.get("/settings/feeds").get_data(as_text=True)
    assert old_url not in new_page


# --- API -----------------------------------------------------------------------------------


def test_api_blogs_and_posts(client, project, owner, member, outsider):
    owner_auth = bearer(make_token(owner))
    created = client.post(
        "/api/v1/blogs", json={"title": "Projektblog", "space_id": project.id}, headers=owner_auth
    )
    assert created.status_code == 201
    blog_id = created.json["id"]
    member_auth = bearer(make_token(member))
    assert (
        client.post(
            "/api/v1/blogs", json={"title": "X", "space_id": project.id}, headers=member_auth
        ).status_code
        == 403
    )

    posts = f"/api/v1/blogs/{blog_id}/posts"
    draft = client.post(
        posts,
        json={"title": "Entwurf", "body": "Noch geheim", "status": "draft"},
        headers=owner_auth,
    )
    assert draft.status_code == 201 and draft.json["url"].startswith("/blog/posts/")
    published = client.post(
        posts,
        json={"title": "Start", "body": "Los geht's", "status": "published", "tags": ["E-Akte"]},
        headers=owner_auth,
    )
    assert published.status_code == 201 and published.json["tags"] == ["e-akte"]

    outsider_auth = bearer(make_token(outsider))
    listed = client.get(posts, headers=outsider_auth).json
    assert [item["title"] for item in listed["items"]] == ["Start"] and listed["total"] == 1
    assert len(client.get(posts, headers=owner_auth).json["items"]) == 2
    draft_path = f"{posts}/{draft.json['id']}"
    assert client.get(draft_path, headers=outsider_auth).status_code == 404
    assert (
        client.put(draft_path, json={"title": "x", "body": "y"}, headers=outsider_auth).status_code
        == 404
    )

    post_path = f"{posts}/{published.json['id']}"
    assert client.get(post_path, headers=outsider_auth).status_code == 200
    refused = client.put(post_path, json={"title": "x", "body": "y"}, headers=member_auth)
    assert refused.status_code == 403 and refused.json["code"] == 403
    empty = client.put(post_path, json={"title": "Start", "body": " "}, headers=owner_auth)
    assert empty.status_code == 422 and "body" in empty.json["errors"]
    changed = client.put(
        post_path,
        json={"title": "Start", "body": "Neu", "status": "published"},
        headers=owner_auth,
    )
    assert changed.status_code == 200 and changed.json["edited_at"]
    assert (
        client.get(
            f"/api/v1/blogs/999/posts/{published.json['id']}", headers=owner_auth
        ).status_code
        == 404
    )
    assert client.delete(post_path, headers=member_auth).status_code == 403
    assert client.delete(post_path, headers=owner_auth).status_code == 204
    assert client.get(post_path, headers=owner_auth).status_code == 404

    detail = client.get(f"/api/v1/blogs/{blog_id}", headers=outsider_auth).json
    assert re.fullmatch(rf"http://localhost/blog/feeds/\w+/{blog_id}\.atom", detail["feed_url"])
    assert client.get(detail["feed_url"]).status_code == 200
    assert client.get("/api/v1/blogs", headers=outsider_auth).json["total"] == 1


def test_api_comment_on_invisible_post_is_404(client, blog, owner, outsider):
    draft = make_post(blog, owner, status="draft")
    auth = bearer(make_token(outsider))
    for target in (f"blog_post:{draft.id}", "blog_post:424242"):
        answer = client.post("/api/v1/comments", json={"target": target, "body": "?"}, headers=auth)
        assert answer.status_code == 404


def test_new_blog_page_offers_owned_spaces_only(client, project, owner, member):
    sign_in(client, member)
    assert "Einführung E-Akte" not in client.get("/blog/new").get_data(as_text=True)
    answer = client.post(
        "/blog/new",
        data={"csrf_token": csrf_token(client, "/blog/new"), "title": "X", "space_id": project.id},
    )
    assert answer.status_code == 200 and "Not a valid choice" in answer.get_data(as_text=True)
    sign_in(client, owner)
    answer = client.post(
        "/blog/new",
        data={
            "csrf_token": csrf_token(client, "/blog/new"),
            "title": "Projektblog",
            "space_id": project.id,
        },
    )
    assert answer.status_code == 302
    blog_id = int(answer.location.rsplit("/", 1)[1])
    assert service.get_blog(owner, blog_id).space == project


def test_cover_image_verified_and_served_to_readers_only(client, blog, owner, outsider, app):
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    image.seek(0)
    post = make_post(blog, owner)
    sign_in(client, owner)
    path = f"/blog/posts/{post.id}/edit"
    form = {"csrf_token": csrf_token(client, path), "title": "Mit Bild", "body": "Text"}
    for name, content in (("x.png", b"<svg onload=alert(1)>"), ("bericht.pdf", b"%PDF-1.4")):
        refused = client.post(path, data={**form, "cover": (io.BytesIO(content), name)})
        assert refused.status_code == 422
        assert 'id="cover-errors"' in refused.get_data(as_text=True)
        assert service.get_post(owner, post.id).title != "Mit Bild"  # nothing half-saved
    answer = client.post(path, data={**form, "status": "published", "cover": (image, "bild.png")})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert service.get_post(owner, post.id).cover.content_type == "image/png"
    cover = client.get(f"/blog/posts/{post.id}/cover")
    assert cover.status_code == 200 and cover.mimetype == "image/png"
    assert f'src="/blog/posts/{post.id}/cover"' in client.get(answer.location).get_data(
        as_text=True
    )
    service.edit_post(owner, service.get_post(owner, post.id), service.PostDraft("T", "B"))
    sign_in(client, outsider)  # now a draft: its cover is not shown to others
    assert client.get(f"/blog/posts/{post.id}/cover").status_code == 404


def test_index_filters_by_space_and_tag(client, blog, owner, outsider):
    other = make_blog("Anderer Blog", space=make_space("Stammtisch", owners=[owner]))
    make_post(blog, owner, "Aus dem Projekt", tags=["scannen"])
    make_post(other, owner, "Vom Stammtisch", body="Kaffee")
    sign_in(client, outsider)
    page = client.get(f"/blog/?space={blog.space_id}").get_data(as_text=True)
    assert "Aus dem Projekt" in page and "Vom Stammtisch" not in page
    page = client.get("/blog/?tag=%23Scannen").get_data(as_text=True)
    assert "Aus dem Projekt" in page and "Vom Stammtisch" not in page


def test_only_blog_owners_name_authors_on_the_page(client, blog, owner, member):
    sign_in(client, member)
    path = f"/blog/{blog.id}/authors"
    token = csrf_token(client, f"/blog/{blog.id}")
    assert client.post(path, data={"csrf_token": token, "username": "mia"}).status_code == 403
    sign_in(client, owner)
    token = csrf_token(client, f"/blog/{blog.id}")
    assert client.post(path, data={"csrf_token": token, "username": "mia"}).status_code == 302
    sign_in(client, member)
    assert client.get(f"/blog/{blog.id}/write").status_code == 200


def test_api_refuses_bad_input_and_hides_scheduled_posts(client, blog, owner, outsider):
    auth = bearer(make_token(owner))
    posts = f"/api/v1/blogs/{blog.id}/posts"
    for body in (
        {"title": "T", "body": "B", "status": "maybe"},
        {"title": "T", "body": "B", "publish_at": "tomorrow"},
        {"title": "T"},
        {"title": "T", "body": "B", "unknown": 1},
    ):
        answer = client.post(posts, json=body, headers=auth)
        assert answer.status_code == 422 and answer.json["errors"], body
    answer = client.post(posts, data="{", headers={**auth, "Content-Type": "application/json"})
    assert answer.status_code in (400, 422)
    huge = client.post(posts, json={"title": "T", "body": "x" * 100_001}, headers=auth)
    assert huge.status_code == 422 and "body" in huge.json["errors"]
    scheduled = client.post(
        posts,
        json={
            "title": "Später",
            "body": "B",
            "status": "published",
            "publish_at": "2099-05-01T10:00:00+02:00",
        },
        headers=auth,
    )
    assert scheduled.status_code == 201 and scheduled.json["draft"] is True
    assert scheduled.json["publish_at"].startswith("2099-05-01T08:00")
    outsider_auth = bearer(make_token(outsider))
    assert client.get(posts, headers=outsider_auth).json["total"] == 0
    path = f"{posts}/{scheduled.json['id']}"
    assert client.get(path, headers=outsider_auth).status_code == 404
