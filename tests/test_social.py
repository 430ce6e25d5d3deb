"""Comments with questions and answers, likes and follows — on any tool's objects (wiki
pages stand for them here: every commentable kind is read through the content registry)."""

import pytest

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.social import service
from tests.factories import make_page, make_space, make_token
from tests.web import bearer


@pytest.fixture
def items(admin):
    """Commentable items: wiki pages, the first kind declared commentable."""

    def add(space=None, author=None):
        return f"wiki_page:{make_page(author=author or admin, space=space).id}"

    return add


def test_comment_reply_question_and_answer(items, owner, member, outsider):
    target = items(author=owner)
    question = service.add_comment(
        member, service.NewComment(target, "Wann kommt die E-Akte?", is_question=True)
    )
    reply = service.add_comment(
        outsider, service.NewComment(target, "Im März.", parent_id=question.id)
    )
    # Replies to replies join the thread: one level only.
    nested = service.add_comment(member, service.NewComment(target, "Danke!", parent_id=reply.id))
    assert nested.parent_id == question.id
    page_id = int(target.partition(":")[2])
    assert service.unanswered_questions(owner, "wiki_page", [page_id]) == [question]
    with pytest.raises(Forbidden):
        service.mark_answer(member, reply.id)
    service.mark_answer(owner, reply.id)
    assert question.answer_id == reply.id
    assert service.unanswered_questions(owner, "wiki_page", [page_id]) == []
    assert [c.id for c in service.comments_on(member, target)] == [question.id]
    assert service.comment_counts("wiki_page", [page_id]) == {page_id: 3}


def test_comment_html_is_sanitised_and_mentions_link(items, member):
    target = items()
    comment = service.add_comment(
        member, service.NewComment(target, "<script>alert(1)</script> @mia **fett**")
    )
    assert "<script" not in comment.body_html
    assert "<strong>fett</strong>" in comment.body_html


@pytest.mark.parametrize("body", ["", "   ", "x" * 10_001])
def test_empty_or_huge_comments_are_refused(items, member, body):
    with pytest.raises(Invalid) as err:
        service.add_comment(member, service.NewComment(items(), body))
    assert "body" in err.value.errors


@pytest.mark.parametrize("target", ["", "micropost", "micropost:abc", "nothing:1", "micropost:-1"])
def test_malformed_targets_are_invalid(member, target):
    with pytest.raises(Invalid):
        service.add_comment(member, service.NewComment(target, "Hallo"))


def test_comment_on_invisible_or_missing_target_is_not_found(items, owner, outsider):
    closed = make_space(visibility="members", owners=[owner])
    target = items(space=closed, author=owner)
    with pytest.raises(NotFound):
        service.add_comment(outsider, service.NewComment(target, "Hallo"))
    with pytest.raises(NotFound):
        service.add_comment(outsider, service.NewComment("micropost:999", "Hallo"))


def test_comments_are_readable_exactly_when_their_target_is(items, owner, member, outsider):
    closed = make_space(visibility="members", owners=[owner], members=[member])
    comment = service.add_comment(
        member, service.NewComment(items(space=closed, author=owner), "intern")
    )
    with pytest.raises(NotFound):
        service.get_comment(outsider, comment.id)


def test_likes_once_and_counted_in_one_query(items, member, outsider):
    first, second = items(), items()
    service.like(member, first)
    service.like(outsider, first)
    service.like(member, second)
    with pytest.raises(Conflict):
        service.like(member, first)
    one, two = (int(target.partition(":")[2]) for target in (first, second))
    assert service.like_counts("wiki_page", [one, two, two + 1]) == {one: 2, two: 1}
    assert service.like_figures(outsider, "wiki_page", [one, two, two + 1]) == (
        {one: 2, two: 1},
        {one},
    )
    service.unlike(member, first)
    assert service.like_counts("wiki_page", [one]) == {one: 1}
    with pytest.raises(NotFound):
        service.unlike(member, first)


def test_follow_people_spaces_and_tags(member, outsider, owner):
    space = make_space(owners=[owner])
    service.follow(member, "user:OLGA")
    service.follow(member, f"space:{space.id}")
    service.follow(member, "tag:#Bürgerbüro")
    assert service.follows_of(member, "user") == {"olga"}
    assert service.follows_of(member, "tag") == {"bürgerbüro"}
    assert service.follower_ids("space", str(space.id)) == [member.id]
    with pytest.raises(Conflict):
        service.follow(member, "tag:bürgerbüro")
    service.unfollow(member, "tag:BÜRGERBÜRO")
    assert service.follows_of(member, "tag") == set()


def test_bad_follows_are_refused(member, owner):
    closed = make_space(visibility="members", owners=[owner])
    with pytest.raises(Invalid):
        service.follow(member, "user:mia")
    with pytest.raises(NotFound):
        service.follow(member, "user:nobody")
    with pytest.raises(NotFound):
        service.follow(member, f"space:{closed.id}")
    with pytest.raises(Invalid):
        service.follow(member, "planet:mars")


def test_api_comments_likes_and_follows(client, items, member, outsider):
    token = make_token(member)
    target = items()
    response = client.post(
        "/api/v1/comments",
        json={"target": target, "body": "Frage?", "is_question": True},
        headers=bearer(token),
    )
    assert response.status_code == 201
    assert response.get_json()["is_question"] is True
    assert (
        client.post("/api/v1/likes", json={"target": target}, headers=bearer(token)).status_code
        == 201
    )
    again = client.post("/api/v1/likes", json={"target": target}, headers=bearer(token))
    assert again.status_code == 409
    assert client.delete(f"/api/v1/likes?target={target}", headers=bearer(token)).status_code == 204
    assert (
        client.post("/api/v1/likes", json={"target": target}, headers=bearer(token)).status_code
        == 201
    )
    assert (
        client.delete("/api/v1/likes", json={"target": target}, headers=bearer(token)).status_code
        == 204
    )
    assert client.delete("/api/v1/likes", headers=bearer(token)).status_code == 422
    response = client.post("/api/v1/follows", json={"target": "user:olga"}, headers=bearer(token))
    assert response.status_code == 201
    assert (
        client.delete("/api/v1/follows?target=user:olga", headers=bearer(token)).status_code == 204
    )
    missing = client.post(
        "/api/v1/comments", json={"target": "micropost:99", "body": "x"}, headers=bearer(token)
    )
    assert missing.status_code == 404
    assert missing.get_json()["code"] == 404


def test_rejected_comment_form_shows_the_text_again(client, items, member):
    from tests.web import post_form, sign_in

    sign_in(client, member)
    target = items()
    response = post_form(client, "/comments", {"target": target, "body": "x" * 10_001, "next": "/"})
    assert response.status_code == 422
    assert "x" * 10_001 in response.get_data(as_text=True)


def test_wiki_page_shows_its_comments_and_likes_and_its_owner_marks_answers(client, owner, member):
    from tests.factories import make_page
    from tests.web import post_form, sign_in

    page = make_page("Beschaffung unter 10.000 €", author=owner)
    question = service.add_comment(
        member,
        service.NewComment(f"wiki_page:{page.id}", "Gilt das auch für Rahmenverträge?", True),
    )
    reply = service.add_comment(
        owner,
        service.NewComment(f"wiki_page:{page.id}", "Ja, mit Ausnahmen.", parent_id=question.id),
    )
    service.like(member, f"wiki_page:{page.id}")
    sign_in(client, owner)
    html = client.get(page.url).get_data(as_text=True)
    assert "Gilt das auch für Rahmenverträge?" in html
    assert "open question" in html
    assert "Mark as the answer" in html
    response = post_form(
        client, f"/comments/{reply.id}/answer", {"next": page.url}, token_from=page.url
    )
    assert response.status_code == 302
    assert "answered question" in client.get(page.url).get_data(as_text=True)


def test_comment_wiki_links_lead_through_the_wiki(app, member):
    from tests.factories import make_page

    page = make_page("Dienstanweisung", author=member)
    comment = service.add_comment(
        member, service.NewComment(f"wiki_page:{page.id}", "Siehe [[Dienstanweisung]]")
    )
    assert 'href="/wiki/link?title=Dienstanweisung"' in comment.body_html
