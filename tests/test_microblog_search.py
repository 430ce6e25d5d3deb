"""Microposts as search documents."""

from app.clock import utcnow
from app.microblog import search
from tests.factories import make_micropost, make_space


def test_document_carries_text_tags_acl_and_url(member):
    space = make_space(visibility="members", members=[member])
    post = make_micropost(member, "Neue Regeln zur **#E-Akte** im <script>x</script>", space=space)
    document = search.document_for(post)
    assert document.key == f"micro:{post.id}"
    assert document.kind == "micro"
    # Plain text: markup gone, hostile HTML kept only as the words the author typed.
    assert "E-Akte" in document.body and "**" not in document.body
    assert document.tags == ("e-akte",)
    assert document.acl == (f"space:{space.id}",)
    assert document.url == f"/stream/posts/{post.id}"
    assert document.people == (member.id,)


def test_deleted_post_leaves_the_index(member):
    post = make_micropost(member, "Weg damit", deleted_at=utcnow())
    assert search.document_for(post) is None
    kept = make_micropost(member, "Bleibt")
    assert [d.key for d in search.all_documents()] == [f"micro:{kept.id}"]


def test_a_question_in_the_stream_is_not_evidence_of_expertise(member, owner):
    from app.microblog.search import document_for
    from tests.factories import make_micropost

    question = make_micropost(member, "Wer kennt sich mit Vergaberecht aus?")
    statement = make_micropost(owner, "Vergaberecht: die Wertgrenzen steigen 2027.")
    reply = make_micropost(owner, "Frag doch die Kämmerei?", reply_to_id=question.id)
    assert document_for(question).is_question
    assert not document_for(statement).is_question
    assert not document_for(reply).is_question
