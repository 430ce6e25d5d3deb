"""The microblog's rules, tested at the service."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.microblog import service, streams
from app.microblog.models import PostMention, PostTag
from app.microblog.streams import Cursor, Stream
from app.social import service as social
from tests.factories import make_micropost, make_space, make_user


def post(actor, body, **kwargs):
    return service.create_post(actor, service.NewPost(body=body, **kwargs))


def test_empty_post_is_refused(member):
    with pytest.raises(Invalid) as caught:
        post(member, "   \n ")
    assert "body" in caught.value.errors


def test_too_long_post_names_the_limit(app, member):
    app.config["MICROPOST_MAX_LENGTH"] = 10
    with pytest.raises(Invalid) as caught:
        post(member, "x" * 11)
    assert "10" in caught.value.message


def test_length_counts_characters_as_seen(app, member):
    app.config["MICROPOST_MAX_LENGTH"] = 4
    # "ü" typed as u + combining diaeresis counts as one character.
    created = post(member, "Gru\u0308n")
    assert created.body == "Grün"
    with pytest.raises(Invalid):
        post(member, "Grüne")


def test_unknown_mentions_stay_plain_and_known_are_stored(member, owner):
    created = post(member, "Frage an @otto und @niemand")
    assert "/people/otto" in created.body_html
    assert "@niemand" in created.body_html
    assert "niemand</a>" not in created.body_html
    mentioned = db.session.scalars(db.select(PostMention.user_id)).all()
    assert mentioned == [owner.id]


def test_hashtags_in_many_scripts_are_stored_normalised(member):
    created = post(member, "Neu im #Bürgerbüro: Fahrplan #ÖPNV und #Δήμος")
    # casefold makes the Greek final sigma a plain one, as every tag lookup does.
    assert sorted(tag.tag for tag in created.tags) == ["bürgerbüro", "öpnv", "δήμοσ"]
    assert "/stream/tags/" in created.body_html


def test_reply_to_missing_or_invisible_post_is_not_found(member, outsider):
    secret = make_space(visibility="members", members=[member])
    hidden = post(member, "Nur für uns", space_id=secret.id)
    with pytest.raises(NotFound):
        post(outsider, "Antwort", reply_to=hidden.id)
    with pytest.raises(NotFound):
        post(outsider, "Antwort", reply_to=999_999)


def test_reply_joins_the_conversation_and_its_space(member, outsider):
    space = make_space(visibility="public", members=[member])
    root = post(member, "Wer kennt sich aus?", space_id=space.id)
    first = post(outsider, "Ich", reply_to=root.id)
    second = post(member, "Danke", reply_to=first.id)
    assert (first.root_id, second.root_id) == (root.id, root.id)
    assert second.space_id == space.id
    assert [p.id for p in service.thread(outsider, second.id)] == [root.id, first.id, second.id]


def test_posting_into_a_space_needs_membership(outsider, member):
    space = make_space(visibility="public", members=[member])
    with pytest.raises(Forbidden):
        post(outsider, "Hallo", space_id=space.id)
    secret = make_space(visibility="members", members=[member])
    with pytest.raises(NotFound):
        post(outsider, "Hallo", space_id=secret.id)


def test_edit_within_window_marks_edited(member):
    created = post(member, "Tippfeler #alt")
    edited = service.edit_post(member, created.id, "Tippfehler #neu #alt")
    assert edited.edited_at is not None
    assert sorted(tag.tag for tag in edited.tags) == ["alt", "neu"]
    assert db.session.scalar(db.select(db.func.count()).select_from(PostTag)) == 2


def test_edit_after_window_or_by_another_is_refused(member, owner):
    created = post(member, "Alt")
    with pytest.raises(Forbidden):
        service.edit_post(owner, created.id, "Fremd")
    created.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        service.edit_post(member, created.id, "Zu spät")
    assert "15" in caught.value.message


def test_owner_removes_with_reason_kept_for_author(member, owner, outsider):
    space = make_space(members=[member], owners=[owner])
    created = post(member, "Unpassend", space_id=space.id)
    with pytest.raises(Forbidden):
        service.delete_post(outsider, created.id, "weg")
    with pytest.raises(Invalid):
        service.delete_post(owner, created.id, "  ")
    service.delete_post(owner, created.id, "Bitte sachlich bleiben")
    with pytest.raises(NotFound):
        service.get_post(member, created.id)
    removed = service.removed_posts_of(member)
    assert [(p.id, p.removal_reason) for p in removed] == [(created.id, "Bitte sachlich bleiben")]


def test_author_deletes_own_post_without_reason(member):
    created = post(member, "Versehen")
    service.delete_post(member, created.id)
    assert service.removed_posts_of(member) == []
    with pytest.raises(NotFound):
        service.get_post(member, created.id)


def test_pinned_announcement_comes_first(admin, member):
    announcement = post(admin, "Rohrbruch im Rathaus")
    later = post(member, "Später")
    with pytest.raises(Forbidden):
        service.pin_post(member, announcement.id)
    service.pin_post(admin, announcement.id)
    page = streams.stream_page(member, Stream("all"))
    assert [p.id for p in page.pinned] == [announcement.id]
    assert [p.id for p in page.posts] == [later.id]  # not shown twice
    service.unpin_post(admin, announcement.id)
    assert streams.stream_page(member, Stream("all")).pinned == []


def test_space_owner_pins_in_their_space_only(owner, member):
    space = make_space(members=[member], owners=[owner])
    in_space = post(member, "Hier", space_id=space.id)
    outside = post(member, "Überall")
    service.pin_post(owner, in_space.id)
    with pytest.raises(Forbidden):
        service.pin_post(owner, outside.id)
    page = streams.stream_page(member, Stream("space", str(space.id)))
    assert [p.id for p in page.pinned] == [in_space.id]


def test_following_stream_holds_my_follows_and_my_posts(member, owner, outsider):
    space = make_space(members=[outsider])
    mine = post(member, "Meins")
    followed_person = post(owner, "Von Otto")
    in_followed_space = post(outsider, "Im Raum", space_id=space.id)
    tagged = post(outsider, "Zum #ÖPNV")
    unrelated = post(outsider, "Anderes")
    social.follow(member, "user:otto")
    social.follow(member, f"space:{space.id}")
    social.follow(member, "tag:öpnv")
    ids = {p.id for p in streams.stream_page(member, Stream("following")).posts}
    assert ids == {mine.id, followed_person.id, in_followed_space.id, tagged.id}
    all_ids = {p.id for p in streams.stream_page(member, Stream("all")).posts}
    assert unrelated.id in all_ids


def test_all_stream_hides_members_only_posts(member, outsider):
    secret = make_space(visibility="members", members=[member])
    hidden = post(member, "Intern", space_id=secret.id)
    assert hidden.id not in {p.id for p in streams.stream_page(outsider, Stream("all")).posts}
    with pytest.raises(NotFound):
        streams.stream_page(outsider, Stream("space", str(secret.id)))


def test_keyset_paging_with_equal_timestamps(member):
    moment = utcnow()
    created = [make_micropost(member, f"Post {n}", created_at=moment) for n in range(7)]
    seen, cursor = [], None
    while True:
        page = streams.stream_page(member, Stream("all"), cursor, limit=3)
        seen.extend(p.id for p in page.posts)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sorted((p.id for p in created), reverse=True)


def test_bad_cursor_is_invalid(member):
    with pytest.raises(Invalid):
        streams.stream_page(member, Stream("all"), "not-a-cursor!")


def test_new_posts_counts_what_arrived_since(member, owner):
    first = post(member, "Eins")
    since = Cursor.of(first).encode()
    post(owner, "Zwei")
    post(owner, "Drei")
    count, newest = streams.new_posts(member, Stream("all"), since)
    assert count == 2
    assert newest != since


def test_stream_page_issues_bounded_queries(member):
    people = [make_user() for _ in range(3)]

    def queries_for_page() -> int:
        statements = []

        def count(*_args):
            statements.append(1)

        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            streams.stream_page(member, Stream("all"))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    root = make_micropost(people[0], "Start")
    few = queries_for_page()
    for n in range(15):
        author = people[n % 3]
        created = make_micropost(author, f"Post {n}")
        make_micropost(author, "Antwort", reply_to_id=created.id, root_id=created.id)
        social.like(member, f"micropost:{created.id}")
    social.like(member, f"micropost:{root.id}")
    many = queries_for_page()
    assert many == few
    assert many <= 10


def test_demo_stream_has_its_announcement_pinned_first(app):
    from app.demo import microblog as demo_microblog
    from app.demo import organisation

    demo = organisation.seed("demo-password-123")
    demo_microblog.seed(demo)
    page = streams.stream_page(demo.people["julia.koch"], Stream("all"))
    assert "Rohrbruch im Rathaus" in page.pinned[0].body
    assert sum(page.reply_counts.values()) >= 5
    assert sum(page.like_counts.values()) >= 8
    assert streams.stream_page(demo.admin, Stream.parse("tag:ÖPNV")).posts


def test_mentions_and_replies_notify_once_each(member, owner, outsider):
    from app.social.models import Notification

    root = post(owner, "Wer weiß das?")
    post(member, "@otto @olga ich!", reply_to=root.id)
    told = db.session.execute(
        db.select(Notification.user_id, Notification.kind).order_by(Notification.user_id)
    ).all()
    assert sorted(told) == sorted([(owner.id, "mention"), (outsider.id, "mention")])


def test_members_only_mention_does_not_reach_outsiders(member, outsider):
    from app.social.models import Notification

    secret = make_space(visibility="members", members=[member])
    post(member, "Hallo @olga", space_id=secret.id)
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 0


def test_reply_tells_the_author_of_the_answered_post(member, owner):
    from app.social.models import Notification

    root = post(owner, "Frage")
    post(member, "Antwort", reply_to=root.id)
    told = db.session.execute(db.select(Notification.user_id, Notification.kind)).all()
    assert told == [(owner.id, "reply")]
