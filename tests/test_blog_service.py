"""Blog rules at the service: who writes, who reads drafts and scheduled posts, limits."""

from datetime import timedelta

import pytest

from app.blog import search, service
from app.blog.service import NewBlog, PostDraft
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.social import service as social
from app.spaces import policy
from tests.factories import make_blog, make_post, make_space, make_user


@pytest.fixture
def project(owner, member):
    return make_space("Einführung E-Akte", owners=[owner], members=[member])


@pytest.fixture
def blog(project):
    return make_blog("E-Akte-Blog", space=project)


@pytest.fixture(autouse=True)
def request_context(app):
    """Search documents carry URLs: build them as a request would."""
    with app.test_request_context():
        yield


def ids(pagination):
    return [post.id for post in pagination.items]


def test_space_owners_create_blogs_members_do_not(project, owner, member):
    assert service.create_blog(owner, NewBlog("Projektblog", space_id=project.id)).space == project
    with pytest.raises(Forbidden):
        service.create_blog(member, NewBlog("Mein Blog", space_id=project.id))
    personal = service.create_blog(member, NewBlog("  Mias   Notizen "))
    assert (personal.title, personal.owner, personal.space) == ("Mias Notizen", member, None)


def test_blog_of_a_members_space_is_invisible_to_outsiders(owner, outsider):
    closed = make_space(visibility="members", owners=[owner])
    hidden = make_blog(space=closed)
    with pytest.raises(NotFound):
        service.get_blog(outsider, hidden.id)
    with pytest.raises(NotFound):
        service.create_blog(outsider, NewBlog("x", space_id=closed.id))
    assert hidden not in service.all_readable_blogs(outsider)


def test_empty_or_huge_title_refused(project, owner):
    with pytest.raises(Invalid) as err:
        service.create_blog(owner, NewBlog("   ", space_id=project.id))
    assert "title" in err.value.errors


def test_owners_and_named_authors_post_others_do_not(blog, owner, member, outsider):
    with pytest.raises(Forbidden):
        make_post(blog, member)
    with pytest.raises(Forbidden):
        service.name_author(member, blog, "olga")
    service.name_author(owner, blog, "mia")
    with pytest.raises(Conflict):
        service.name_author(owner, blog, "MIA")
    assert make_post(blog, member).author == member
    service.remove_author(owner, blog, "mia")
    with pytest.raises(Forbidden):
        make_post(blog, member)


def test_personal_blog_only_its_owner_writes(member, outsider):
    personal = make_blog("Notizen", owner=member)
    post = make_post(personal, member)
    assert post.space_id is None
    with pytest.raises(Forbidden):
        make_post(personal, outsider)
    assert service.get_post(outsider, post.id).title  # everyone reads it


def test_drafts_visible_to_author_and_blog_owners_only(blog, owner, member, outsider, admin):
    service.name_author(owner, blog, "mia")
    draft = make_post(blog, member, "Entwurf", status="draft")
    assert draft.is_draft
    for reader in (member, owner, admin):
        assert service.get_post(reader, draft.id) == draft
    with pytest.raises(NotFound):
        service.get_post(outsider, draft.id)
    assert draft.id in ids(service.list_posts(owner, blog=blog, include_drafts=True))
    assert draft.id not in ids(service.list_posts(outsider, blog=blog, include_drafts=True))
    # Indexes and feeds never show drafts, not even to their author.
    assert draft.id not in ids(service.list_posts(member))
    assert service.feed_posts(member, None, 10) == []
    assert search.document_for(draft).acl == (f"user:{member.id}",)


def test_scheduled_post_appears_by_itself_at_its_time(blog, owner, outsider, monkeypatch):
    later = utcnow() + timedelta(hours=2)
    post = make_post(blog, owner, "Geplant", publish_at=later)
    assert post.is_scheduled and post.is_draft
    with pytest.raises(NotFound):
        service.get_post(outsider, post.id)
    assert ids(service.list_posts(outsider)) == []
    assert service.feed_posts(outsider, blog, 10) == []

    future = later + timedelta(minutes=1)
    monkeypatch.setattr("app.blog.models.utcnow", lambda: future)
    assert service.get_post(outsider, post.id) == post
    assert ids(service.list_posts(outsider)) == [post.id]
    assert search.document_for(post).acl == (f"space:{blog.space_id}",)


def test_members_only_posts_hidden_from_outsiders(owner, outsider):
    closed = make_space(visibility="members", owners=[owner])
    post = make_post(make_blog(space=closed), owner)
    with pytest.raises(NotFound):
        service.get_post(outsider, post.id)
    assert ids(service.list_posts(outsider)) == []


def test_empty_and_huge_posts_refused_with_a_message(blog, owner, app):
    with pytest.raises(Invalid) as err:
        make_post(blog, owner, body="  \n ")
    assert err.value.errors["body"]
    app.config["BLOG_POST_MAX_LENGTH"] = 50
    with pytest.raises(Invalid) as err:
        make_post(blog, owner, body="x" * 51)
    assert "50" in err.value.errors["body"][0]
    with pytest.raises(Invalid) as err:
        make_post(blog, owner, title="")
    assert err.value.errors["title"]


def test_hostile_html_is_sanitised_and_tags_normalised(blog, owner):
    post = make_post(
        blog,
        owner,
        body="<script>alert(1)</script><img src=x onerror=alert(1)> Hallo #Bürgerbüro",
        tags=["#ÖPNV", "öpnv", ""],
    )
    assert "<script" not in post.body_html and "onerror" not in post.body_html
    assert post.tags == ["öpnv", "bürgerbüro"]
    assert 'href="/blog/tags/b%C3%BCrgerb%C3%BCro"' in post.body_html
    with pytest.raises(Invalid):
        make_post(blog, owner, tags=["x" * 41])


def test_non_author_edit_is_forbidden_and_edits_show_edited(blog, owner, member):
    service.name_author(owner, blog, "mia")
    post = make_post(blog, owner)
    change = PostDraft("Neuer Titel", "Neuer Text", "published")
    with pytest.raises(Forbidden):
        service.edit_post(member, post, change)
    with pytest.raises(Forbidden):
        service.delete_post(member, post)
    assert post.edited_at is None
    service.edit_post(owner, post, change)
    assert post.edited_at is not None and post.title == "Neuer Titel"


def test_deleted_post_gone_everywhere(blog, owner, member, admin):
    post = make_post(blog, owner)
    service.delete_post(owner, post)
    for reader in (member, owner, admin):
        with pytest.raises(NotFound):
            service.get_post(reader, post.id)
    assert search.document_for(post) is None
    assert list(search.all_documents()) == []


def test_comment_on_missing_or_invisible_post_is_not_found(blog, owner, outsider):
    draft = make_post(blog, owner, status="draft")
    for target in (f"blog_post:{draft.id}", "blog_post:999999"):
        with pytest.raises(NotFound):
            social.add_comment(outsider, social.NewComment(target, "Hallo?"))


def test_question_answer_flow(blog, owner, member, outsider):
    post = make_post(blog, owner)
    target = f"blog_post:{post.id}"
    question = social.add_comment(
        member, social.NewComment(target, "Wann kommt der Scanner?", is_question=True)
    )
    assert social.unanswered_questions(owner, "blog_post", [post.id]) == [question]
    reply = social.add_comment(owner, social.NewComment(target, "Im März.", parent_id=question.id))
    with pytest.raises(Forbidden):
        social.mark_answer(outsider, reply.id)
    social.mark_answer(owner, reply.id)
    assert question.is_answered
    assert social.unanswered_questions(owner, "blog_post", [post.id]) == []


def test_archive_by_month_and_tag_lists(blog, owner, outsider):
    first = make_post(blog, owner, "Januar", publish_at=utcnow().replace(year=2025, month=1))
    second = make_post(blog, owner, "März", publish_at=utcnow().replace(year=2025, month=3))
    assert service.archive_months(outsider, blog) == [(2025, 3, 1), (2025, 1, 1)]
    assert service.posts_of_month(outsider, blog, 2025, 1) == [first]
    with pytest.raises(NotFound):
        service.posts_of_month(outsider, blog, 2025, 13)
    assert ids(service.list_posts(outsider, tag="#E-Akte")) == [second.id, first.id]
    assert ids(service.list_posts(outsider, tag="%")) == []


def test_feed_tokens_are_hashed_and_revocable(member):
    token = service.feed_token(member)
    assert service.feed_token(member) == token
    assert service.user_for_feed_token(token) == member
    from app.blog.models import FeedToken
    from app.extensions import db

    stored = db.session.scalars(db.select(FeedToken)).one()
    assert token not in (stored.token_hash, stored.nonce)
    new = service.new_feed_token(member)
    assert new != token
    with pytest.raises(NotFound):
        service.user_for_feed_token(token)
    assert service.user_for_feed_token(new) == member


def test_former_colleagues_feed_token_stops(app):
    person = make_user("paula")
    token = service.feed_token(person)
    person.active = False
    with pytest.raises(NotFound):
        service.user_for_feed_token(token)
    with pytest.raises(NotFound):
        service.user_for_feed_token("")


def test_followers_hear_of_published_posts_only(blog, owner, member, outsider):
    from app.social import notifications

    social.follow(member, f"blog:{blog.id}")
    social.follow(outsider, f"blog:{blog.id}")
    draft = make_post(blog, owner, "Entwurf", status="draft")
    assert notifications.unread_count(member) == 0
    service.edit_post(owner, draft, PostDraft("Jetzt öffentlich", "Text", "published"))
    listed = notifications.notifications_for(member).items
    assert [(item.kind, item.url) for item in listed] == [("blog_post", draft.url)]
    service.edit_post(owner, draft, PostDraft("Jetzt öffentlich", "Korrigiert", "published"))
    assert notifications.unread_count(member) == 1  # an edit is no new post
    assert draft.url == f"/blog/posts/{draft.id}/jetzt-oeffentlich"


def test_search_finds_drafts_for_their_author_only(blog, owner, member, outsider, tmp_path):
    from app.search.index import SearchIndex

    service.name_author(owner, blog, "mia")
    draft = make_post(blog, member, "Vergaberecht Entwurf", body="Vergaberecht im Entwurf")
    service.edit_post(member, draft, PostDraft(draft.title, draft.body, "draft"))
    make_post(blog, owner, "Vergaberecht öffentlich", body="Vergaberecht für alle")
    index = SearchIndex(tmp_path / "search")
    assert index.apply(list(search.all_documents()), [], block=True)

    def found(reader):
        page = index.search("Vergaberecht", acl_tokens=policy.acl_tokens(reader))
        return sorted(hit.title for hit in page.hits)

    assert found(outsider) == ["Vergaberecht öffentlich"]
    assert found(member) == ["Vergaberecht Entwurf", "Vergaberecht öffentlich"]
    index.close()


def test_scheduled_posts_due_for_reindexing(blog, owner, monkeypatch):
    now = utcnow()
    due = make_post(blog, owner, "Fällig", publish_at=now + timedelta(minutes=5))
    make_post(blog, owner, "Später", publish_at=now + timedelta(days=5))
    make_post(blog, owner, "Schon da")
    monkeypatch.setattr("app.blog.models.utcnow", lambda: now + timedelta(minutes=10))
    window = list(
        search.documents_published_between(now + timedelta(minutes=1), now + timedelta(minutes=10))
    )
    assert [(document.key, document.acl) for document in window] == [
        (f"blog:{due.id}", (f"space:{blog.space_id}",))
    ]


def test_a_named_author_marks_the_answer_on_a_colleagues_post(owner, member, outsider):
    from app.blog import service as blog_service
    from app.social import service as social
    from tests.factories import make_blog, make_post, make_space

    space = make_space(owners=[owner], members=[member, outsider])
    blog = make_blog(space=space)
    blog_service.name_author(owner, blog, "mia")
    post = make_post(blog, owner)
    question = social.add_comment(
        outsider, social.NewComment(f"blog_post:{post.id}", "Wann?", is_question=True)
    )
    reply = social.add_comment(
        member, social.NewComment(f"blog_post:{post.id}", "Im Mai.", parent_id=question.id)
    )
    with pytest.raises(Forbidden):
        social.mark_answer(outsider, reply.id)
    assert social.mark_answer(member, reply.id).answer_id == reply.id
