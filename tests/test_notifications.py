"""Notifications: who hears what, grouping, reading rights, the bell, API, and e-mail through
a real local SMTP server."""

import pytest
from flask_babel import force_locale

from app.accounts import service as accounts
from app.social import notifications, service
from app.social.models import Notification
from app.spaces import service as spaces
from tests.factories import make_micropost, make_space, make_token, make_user
from tests.mailbox import SmtpServer, free_port
from tests.web import bearer, post_form, sign_in


@pytest.fixture
def posts():
    """Stream posts to comment on and like (read, like every kind, through the registry)."""

    def add(author, space=None):
        return f"micropost:{make_micropost(author, 'Umzug ins neue Rathaus', space=space).id}"

    return add


def texts(user) -> list[str]:
    with force_locale("en"):
        return [notifications.describe(n) for n in notifications.notifications_for(user).items]


def test_comments_replies_mentions_and_answers_reach_the_right_people(
    posts, owner, member, outsider
):
    target = posts(owner)
    question = service.add_comment(member, service.NewComment(target, "Wann?", is_question=True))
    reply = service.add_comment(
        outsider, service.NewComment(target, "Frag @otto", parent_id=question.id)
    )
    service.mark_answer(owner, reply.id)
    assert texts(owner) == [
        "Olga Outsider mentioned you in “Umzug ins neue Rathaus”",
        "Mia Mitglied commented on “Umzug ins neue Rathaus”",
    ]
    assert texts(member) == [
        "Olga Outsider answered your question on “Umzug ins neue Rathaus”",
        "Olga Outsider replied to you on “Umzug ins neue Rathaus”",
    ]
    assert texts(outsider) == []  # never about one's own actions


def test_nobody_hears_of_what_they_may_not_read(posts, owner, member, outsider):
    closed = make_space(visibility="members", owners=[owner], members=[member])
    target = posts(owner, space=closed)
    service.add_comment(member, service.NewComment(target, "Hallo @olga und @otto"))
    assert texts(outsider) == []
    assert len(texts(owner)) == 1
    spaces.remove_member(owner, closed, "otto".replace("otto", "mia"))
    service.add_comment(owner, service.NewComment(target, "@mia?"))
    assert texts(member) == []


def test_notifications_vanish_when_the_right_to_read_ends(posts, owner, member, admin):
    closed = make_space(visibility="members", owners=[owner], members=[member])
    target = posts(member, space=closed)
    service.add_comment(owner, service.NewComment(target, "Gut gemacht"))
    assert notifications.unread_count(member) == 1
    spaces.remove_member(owner, closed, "mia")
    assert notifications.unread_count(member) == 0
    assert texts(member) == []


def test_likes_are_grouped(posts, owner, member, outsider, admin):
    target = posts(owner)
    service.like(member, target)
    service.like(outsider, target)
    service.like(admin, target)
    assert texts(owner) == ["Ada Admin and 2 others liked “Umzug ins neue Rathaus”"]
    notifications.mark_read(owner)
    service.unlike(member, target)
    service.like(member, target)
    assert texts(owner)[0] == "Mia Mitglied liked “Umzug ins neue Rathaus”"


def test_being_added_to_a_space_is_news(owner, member):
    space = make_space("Einführung E-Akte", owners=[owner])
    spaces.add_member(owner, space, "mia")
    [note] = notifications.notifications_for(member).items
    assert texts(member) == ["Otto Owner added you to Einführung E-Akte"]
    assert note.url == f"/spaces/{space.slug}"


def test_mark_one_or_all_read_but_never_someone_elses(posts, owner, member, outsider):
    service.like(member, posts(owner))
    service.like(member, posts(outsider))
    own = notifications.notifications_for(owner).items[0]
    theirs = notifications.notifications_for(outsider).items[0]
    assert notifications.mark_read(owner, [theirs.id]) == 0
    assert notifications.mark_read(owner, [own.id]) == 1
    assert notifications.unread_count(outsider) == 1
    assert notifications.mark_read(outsider) == 1


def test_bell_page_and_mark_all(client, posts, owner, member):
    service.like(member, posts(owner))
    sign_in(client, owner)
    page = client.get("/").get_data(as_text=True)
    assert 'id="unread-count">1<' in page
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Mia Mitglied liked" in page
    post_form(client, "/notifications/read", {}, token_from="/notifications/")
    assert 'id="unread-count">0<' in client.get("/").get_data(as_text=True)


def test_the_bell_is_current_after_every_change(app, client, posts, owner, member, outsider):
    closed = make_space(visibility="members", owners=[outsider], members=[owner, member])
    service.like(member, posts(owner))
    service.like(member, posts(owner, space=closed))
    sign_in(client, owner)
    assert 'id="unread-count">2<' in client.get("/").get_data(as_text=True)
    assert 'id="unread-count">2<' in client.get("/").get_data(as_text=True)  # remembered

    # The membership ends: the notification about the closed space is gone from the bell.
    spaces.remove_member(outsider, closed, owner.username)
    assert 'id="unread-count">1<' in client.get("/").get_data(as_text=True)
    service.like(outsider, posts(owner))
    assert 'id="unread-count">2<' in client.get("/").get_data(as_text=True)
    assert 'id="unread-count">2<' in client.get("/notifications/").get_data(as_text=True)
    post_form(client, "/notifications/read", {}, token_from="/notifications/")
    assert 'id="unread-count">0<' in client.get("/").get_data(as_text=True)


def test_a_colleague_deactivated_after_the_bell_was_counted_is_signed_out(
    client, posts, admin, owner, member
):
    service.like(member, posts(owner))
    sign_in(client, owner)
    assert 'id="unread-count">1<' in client.get("/").get_data(as_text=True)
    accounts.set_active(admin, owner, False)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_api_lists_and_marks_read(client, posts, owner, member):
    service.like(member, posts(owner))
    token = make_token(owner)
    body = client.get("/api/v1/notifications?unread=true", headers=bearer(token)).get_json()
    assert body["unread"] == 1
    assert body["total"] == 1
    item = body["items"][0]
    assert set(item) >= {"id", "kind", "actor", "text", "url", "read", "created"}
    assert (item["kind"], item["actor"], item["read"]) == ("like", "mia", False)
    response = client.post(
        "/api/v1/notifications/read", json={"ids": [item["id"]]}, headers=bearer(token)
    )
    assert response.status_code == 204
    assert client.get("/api/v1/notifications", headers=bearer(token)).get_json()["unread"] == 0
    bad = client.post("/api/v1/notifications/read", json={"ids": ["x"]}, headers=bearer(token))
    assert bad.status_code == 422


def test_settings_page_saves_choices_and_refuses_nonsense(client, member):
    sign_in(client, member)
    post_form(
        client,
        "/settings/notifications",
        {"mention": "email", "like": "digest"},
        token_from="/settings/notifications",
    )
    chosen = notifications.deliveries(member)
    assert (chosen["mention"], chosen["like"], chosen["reply"]) == ("email", "digest", "app")
    response = post_form(
        client,
        "/settings/notifications",
        {"mention": "pigeon"},
        token_from="/settings/notifications",
    )
    assert "not possible" in response.get_data(as_text=True)


def test_email_at_once_arrives_in_the_readers_language(app, posts, owner, member):
    owner.locale = "de"
    notifications.set_deliveries(owner, {"like": "email"})
    with SmtpServer() as smtp:
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, PUBLIC_URL="https://k.example"
        )
        target = posts(owner)
        service.like(member, target)
        [message] = smtp.messages
    assert message["To"] == owner.email
    assert "Mia Mitglied gefällt „Umzug ins neue Rathaus“" in message["Subject"]
    post_id = target.split(":")[1]
    assert f"https://k.example/stream/posts/{post_id}" in message.get_content().split()


def test_a_failing_mail_server_never_breaks_the_action(app, posts, owner, member):
    notifications.set_deliveries(owner, {"like": "email"})
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    target = posts(owner)
    service.like(member, target)
    post_id = int(target.split(":")[1])
    assert service.like_counts("micropost", [post_id]) == {post_id: 1}
    [note] = notifications.notifications_for(owner).items
    assert note.emailed_at is None


def test_daily_digest_collects_unread_news_once(app, posts, owner, member, outsider):
    notifications.set_deliveries(owner, {"like": "digest", "comment": "digest"})
    target = posts(owner)
    service.like(member, target)
    service.add_comment(outsider, service.NewComment(target, "Schön"))
    runner = app.test_cli_runner()
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        assert "Sent 1 digest" in runner.invoke(args=["notify", "digest"]).output
        assert "Sent 0 digest" in runner.invoke(args=["notify", "digest"]).output
        [message] = smtp.messages
    body = message.get_content()
    assert "Mia Mitglied" in body and "Olga Outsider" in body
    assert all(n.emailed_at for n in Notification.query.filter_by(user_id=owner.id))


def test_former_colleagues_are_not_notified(posts, owner, member):
    gone = make_user("gone", active=False)
    service.add_comment(member, service.NewComment(posts(gone), "Hallo @gone"))
    assert notifications.notifications_for(gone).total == 0


def test_an_endorsement_is_news_for_the_endorsed(owner, member):
    from app.profiles.endorsements import endorse
    from tests.factories import give_skill

    give_skill(member, "Vergaberecht", 4)
    endorse(owner, member, "Vergaberecht")
    assert texts(member) == ["Otto Owner endorsed your skill Vergaberecht"]


def test_watchers_hear_of_a_page_change_with_a_link_to_the_diff(owner, member, outsider):
    from app.wiki import service as wiki
    from tests.factories import edit_page, make_page

    page = make_page("Dienstanweisung Reisekosten", author=owner)
    wiki.set_watch(member, page, True)
    edit_page(page, outsider, "Neue Sätze ab 2027.")
    [note] = notifications.notifications_for(member).items
    assert texts(member) == [
        "Olga Outsider changed “Dienstanweisung Reisekosten”, a page you watch"
    ]
    assert note.url == f"/wiki/pages/{page.id}/compare?from=1&to=2"
    assert texts(outsider) == []  # the editor is not told of their own change


def test_mentions_in_wiki_pages_and_blog_posts_are_news(owner, member, outsider):
    from tests.factories import edit_page, make_blog, make_page, make_post

    page = make_page("Protokoll", author=owner, body="Aufgabe für @mia")
    edit_page(page, owner, "Aufgabe für @mia und @olga")
    assert texts(member) == ["Otto Owner mentioned you in “Protokoll”"]  # once, not again
    assert texts(outsider) == ["Otto Owner mentioned you in “Protokoll”"]
    blog = make_blog(owner=owner)
    make_post(blog, owner, "Neuigkeiten", body="Danke an @mia!")
    assert texts(member)[0] == "Otto Owner mentioned you in “Neuigkeiten”"


def test_a_closed_page_change_is_not_news_for_those_who_lost_access(owner, member):
    from app.spaces import service as spaces_service
    from app.wiki import service as wiki
    from tests.factories import edit_page, make_page

    closed = make_space(visibility="members", owners=[owner], members=[member])
    page = make_page("Intern", author=owner, space=closed)
    wiki.set_watch(member, page, True)
    spaces_service.remove_member(owner, closed, "mia")
    edit_page(page, owner, "Geheim")
    assert texts(member) == []
