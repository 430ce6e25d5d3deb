"""From conversation to knowledge: an answered blog question becomes a wiki FAQ page."""

import pytest

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.knowledge import service as knowledge
from app.social.models import Comment
from tests.factories import make_answered_question, make_blog, make_post, make_space
from tests.web import post_form, sign_in


def answered(owner, member, visibility="members"):
    space = make_space(visibility=visibility, owners=[owner], members=[member])
    post = make_post(make_blog(space=space), owner, "Übergangsfrist")
    question = make_answered_question(f"blog_post:{post.id}", member, owner, space_id=space.id)
    return space, post, question


def test_answered_question_becomes_a_page_quoting_both_with_authors(owner, member):
    space, post, question = answered(owner, member)
    page = knowledge.faq_from_question(member, question.id)
    assert page.space_id == space.id
    assert page.title.startswith("FAQ: Wie lange gilt die Übergangsfrist?")
    assert "Mia Mitglied" in page.body and "Otto Owner" in page.body
    assert "> Wie lange gilt die Übergangsfrist?" in page.body
    assert "> Bis Ende **März**." in page.body
    assert f"{post.url}#comment-{question.id}" in page.body
    assert "<strong>März</strong>" in page.body_html
    assert knowledge.page_for(member, "comment", question.id).id == page.id
    with pytest.raises(Conflict):
        knowledge.faq_from_question(owner, question.id)


def test_unanswered_question_or_plain_comment_is_refused(owner, member):
    _space, _post, question = answered(owner, member)
    question.answer_id = None
    from app.extensions import db

    db.session.commit()
    with pytest.raises(Invalid):
        knowledge.faq_from_question(member, question.id)
    reply = db.session.query(Comment).filter(Comment.parent_id == question.id).one()
    with pytest.raises(Invalid):
        knowledge.faq_from_question(member, reply.id)


def test_outsider_cannot_see_or_convert(owner, member, outsider):
    _space, _post, question = answered(owner, member)
    with pytest.raises(NotFound):
        knowledge.faq_from_question(outsider, question.id)


def test_readers_who_may_not_write_cannot_convert(owner, member, outsider):
    _space, _post, question = answered(owner, member, visibility="public")
    with pytest.raises(Forbidden):
        knowledge.faq_from_question(outsider, question.id)


def test_hostile_question_text_stays_harmless(owner, member):
    _space, _post, question = answered(owner, member)
    question.body = "<script>alert(1)</script>\n[x](javascript:alert(1))\n> ]] [["
    from app.extensions import db

    db.session.commit()
    page = knowledge.faq_from_question(owner, question.id)
    assert "<script" not in page.body_html and "javascript:" not in page.body_html


def test_taken_title_gets_a_number(owner, member):
    from tests.factories import make_page

    space, _post, question = answered(owner, member)
    make_page("FAQ: Wie lange gilt die Übergangsfrist?", author=owner, space=space)
    page = knowledge.faq_from_question(owner, question.id)
    assert page.title == "FAQ: Wie lange gilt die Übergangsfrist? (2)"


def test_post_page_offers_the_button_then_links_the_page(client, owner, member):
    _space, post, question = answered(owner, member)
    sign_in(client, member)
    assert "Make this a wiki FAQ page" in client.get(post.url).get_data(as_text=True)
    response = post_form(client, f"/knowledge/questions/{question.id}", {}, token_from=post.url)
    assert response.status_code == 302
    page = knowledge.page_for(member, "comment", question.id)
    assert response.headers["Location"] == page.url
    shown = client.get(post.url).get_data(as_text=True)
    assert page.url in shown and "Make this a wiki FAQ page" not in shown


def test_stream_thread_becomes_a_page_and_the_thread_links_it(client, owner, member):
    from tests.factories import make_micropost

    root = make_micropost(member, "Wo finde ich das Formular für Dienstreisen?")
    make_micropost(owner, "Im Intranet unter Personal.", reply_to_id=root.id, root_id=root.id)
    sign_in(client, member)
    thread_url = f"/stream/posts/{root.id}"
    assert "Make this conversation a wiki FAQ page" in client.get(thread_url).get_data(True)
    response = post_form(client, f"/knowledge/threads/{root.id}", {}, token_from=thread_url)
    page = knowledge.page_for(member, "micropost", root.id)
    assert response.headers["Location"] == page.url
    assert "Otto Owner" in page.body and "> Im Intranet unter Personal." in page.body
    assert page.url in client.get(thread_url).get_data(as_text=True)


def test_faq_link_follows_its_page_where_the_reader_cannot(owner, member, outsider):
    from app.wiki import service as wiki

    _space, _post, question = answered(owner, member, visibility="public")
    page = knowledge.faq_from_question(owner, question.id)
    assert knowledge.page_for(outsider, "comment", question.id).id == page.id
    secret = make_space("Geheim", visibility="members", owners=[owner])
    edit = wiki.PageEdit(
        title="Geheime Antwort",
        body=page.body,
        base_revision=page.revision,
        tags=page.tags,
        parent_id=None,
        space_id=secret.id,
    )
    wiki.update_page(owner, page, edit)
    assert knowledge.page_for(outsider, "comment", question.id) is None
    assert knowledge.pages_for(outsider, "comment", [question.id]) == {}
    assert knowledge.page_for(owner, "comment", question.id).title == "Geheime Antwort"


def test_a_refused_link_leaves_no_page_behind(owner, member):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.knowledge.models import KnowledgeLink
    from app.wiki.models import Page

    _space, _post, question = answered(owner, member)
    from tests.factories import make_page

    # Someone else's click won meanwhile: the link row exists, this page must not stay.
    first = make_page("FAQ: zuerst", author=owner)
    db.session.add(KnowledgeLink(source_kind="comment", source_id=question.id, page_id=first.id))
    db.session.commit()
    pages_before = db.session.scalar(select(func.count(Page.id)))
    with pytest.raises(Conflict):
        knowledge._create(owner, "FAQ: doppelt", "Text", None, "comment", question.id)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Page.id))) == pages_before
