"""What moves takes its copies along: the leaks reproduced in issue #13, one test each."""

from datetime import timedelta

import pytest

from app.blog import service as blog
from app.clock import utcnow
from app.errors import NotFound
from app.extensions import db
from app.social import notifications
from app.social import service as social
from app.wiki import listings
from app.wiki import service as wiki
from tests.factories import make_blog, make_page, make_space, make_token
from tests.web import bearer


def move(page, actor, space, title=None, parent=None):
    edit = wiki.PageEdit(
        title=title or page.title,
        body=page.body,
        base_revision=page.revision,
        tags=page.tags,
        parent_id=parent.id if parent else None,
        space_id=space.id if space else None,
    )
    return wiki.update_page(actor, page, edit)


@pytest.fixture
def secret(owner):
    return make_space("Personalrat intern", visibility="members", owners=[owner])


def test_breadcrumbs_hide_a_parent_that_moved_away(owner, member, secret):
    parent = make_page("Umzug", author=owner)
    child = make_page("Umzug – Kisten", author=member, parent=parent)
    assert listings.breadcrumbs(member, child) == [parent]
    move(parent, owner, secret, "Geheime Umzugsplanung")
    assert listings.breadcrumbs(member, child) == []
    assert [page.title for page in listings.breadcrumbs(owner, child)] == ["Geheime Umzugsplanung"]


def test_an_old_title_never_links_into_a_space_the_reader_cannot_read(owner, member, secret):
    page = make_page("Dienstplan", author=owner)
    move(page, owner, secret, "Dienstplan Personalrat")
    linking = make_page("Übersicht", author=member, body="Siehe [[Dienstplan]].")
    assert "personalrat" not in linking.body_html.lower()
    preview = wiki.preview(member, "Siehe [[Dienstplan]].", None)
    assert "personalrat" not in preview.lower()
    # Inside the space its members still follow the old title.
    inside = make_page("Intern", author=owner, space=secret, body="[[Dienstplan]]")
    assert page.url in inside.body_html


def test_a_move_renders_the_linking_pages_again(owner, member, secret):
    page = make_page("Urlaubsantrag", author=owner)
    linking = make_page("Formulare", author=member, body="[[Urlaubsantrag]]")
    assert page.url in linking.body_html
    move(page, owner, secret, "Urlaubsantrag Personalrat")
    db.session.refresh(linking)
    assert "personalrat" not in linking.body_html.lower()
    assert listings.backlinks(member, page) == []


def test_export_names_no_watched_page_the_person_cannot_read(app, owner, member, secret):
    from app.privacy import service as privacy

    page = make_page("Kantine", author=member)
    wiki.set_watch(member, page, True)
    move(page, owner, secret, "Kantine Personalrat")
    handle = privacy.export_archive(member, member)
    import zipfile

    with zipfile.ZipFile(handle) as archive:
        text = archive.read("wiki.json").decode()
    assert "Personalrat" not in text and "personalrat" not in text


def test_the_trash_of_a_space_one_left_is_closed(owner, member):
    from app.spaces import service as spaces

    space = make_space("Projekt", visibility="members", owners=[owner], members=[member])
    page = make_page("Entwurf", author=member, space=space)
    wiki.delete_page(member, page)
    assert listings.trash(member) == [page]
    spaces.remove_member(owner, space, member.username)
    assert listings.trash(member) == []
    with pytest.raises(NotFound):
        wiki.restore_page(member, page.id)


def test_the_api_moves_a_page_into_a_space_under_a_parent(client, member):
    space = make_space("Bauamt", visibility="members", owners=[member])
    parent = make_page("Bauanträge", author=member, space=space)
    page = make_page("Bauantrag stellen", author=member)
    headers = bearer(make_token(member))
    moved = client.put(
        f"/api/v1/wiki/pages/{page.id}",
        json={
            "body": page.body,
            "base_revision": page.revision,
            "space_id": space.id,
            "parent_id": parent.id,
        },
        headers=headers,
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["space_id"] == space.id
    assert moved.get_json()["parent_id"] == parent.id
    back = client.put(
        f"/api/v1/wiki/pages/{page.id}",
        json={"body": page.body, "base_revision": 2, "space_id": None, "parent_id": None},
        headers=headers,
    )
    assert back.status_code == 200 and back.get_json()["space_id"] is None
    foreign = make_space("Fremd", visibility="members")
    refused = client.put(
        f"/api/v1/wiki/pages/{page.id}",
        json={"body": page.body, "base_revision": 3, "space_id": foreign.id},
        headers=headers,
    )
    assert refused.status_code in (403, 404, 422) and "message" in refused.get_json()
    wrong = client.put(
        f"/api/v1/wiki/pages/{page.id}",
        json={"body": page.body, "base_revision": 3, "space_id": "zwei"},
        headers=headers,
    )
    assert wrong.status_code == 422


def test_a_scheduled_post_is_announced_when_it_goes_live(owner, member, outsider):
    space = make_space("Presse", visibility="public", owners=[owner], members=[member])
    news = make_blog("Pressemitteilungen", space=space)
    social.follow(outsider, f"blog:{news.id}")
    later = utcnow() + timedelta(hours=2)
    draft = blog.PostDraft(
        title="Neues Bürgeramt", body="Hallo @mia", status="published", publish_at=later
    )
    post = blog.write_post(owner, news, draft)
    assert notifications.notifications_for(outsider).items == []
    assert notifications.notifications_for(member).items == []
    assert notifications.send_due() == 0
    post.publish_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert notifications.send_due() == 1
    assert notifications.send_due() == 0  # once
    [followed] = notifications.notifications_for(outsider).items
    [mentioned] = notifications.notifications_for(member).items
    assert followed.kind == "blog_post" and mentioned.kind == "mention"
    assert followed.url == post.url


def test_a_like_notification_names_its_item(owner, member):
    from tests.factories import make_micropost

    post = make_micropost(owner, "Frisch gestrichen")
    social.like(member, f"micropost:{post.id}")
    [note] = notifications.notifications_for(owner).items
    assert note.url == f"/stream/posts/{post.id}"


def test_comments_on_a_draft_are_seen_only_by_who_may_read_the_draft(owner, member, outsider):
    from app.search import service as search

    space = make_space("Presse", visibility="public", owners=[owner])
    news = make_blog("Pressemitteilungen", space=space)
    draft = blog.PostDraft(title="Entwurf Haushalt", body="noch geheim", status="draft")
    post = blog.write_post(owner, news, draft)
    comment = social.add_comment(
        owner, social.NewComment(f"blog_post:{post.id}", "Haushaltssperre bedenken")
    )
    with pytest.raises(NotFound):
        social.get_comment(outsider, comment.id)
    assert search.search(outsider, "Haushaltssperre").results == []
    assert [r.hit.key for r in search.search(owner, "Haushaltssperre").results] == [
        f"comment:{comment.id}"
    ]


def test_a_wiki_save_and_its_notifications_are_one_transaction(owner, member, monkeypatch):
    from sqlalchemy import event

    page = make_page("Telefonliste", author=owner, body="Hallo")
    wiki.set_watch(member, page, True)
    commits = []

    def listener(_session):
        commits.append(True)

    session = db.session()
    event.listen(session, "before_commit", listener)
    try:
        move(page, owner, None, "Telefonliste neu")
    finally:
        event.remove(session, "before_commit", listener)
    # One commit holds the save and its notification (no second transaction after the save).
    assert len(commits) == 1
    assert [n.kind for n in notifications.notifications_for(member).items] == ["page_change"]
