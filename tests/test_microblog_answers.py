"""The asker of a stream conversation marks one reply as its answer; the finder listens."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.microblog import service
from app.microblog.service import NewPost
from app.search import service as search
from app.search.views import summary_text
from tests.factories import make_space, make_token, make_user
from tests.web import bearer, post_form, sign_in


@pytest.fixture
def conversation(app):
    """Mia asks about procurement; Bernd guesses first (naming the topic), Anna answers."""
    mia, bernd, anna = make_user("mia"), make_user("bernd"), make_user("anna")
    question = service.create_post(mia, NewPost("Wer kennt sich mit Vergaberecht aus?"))
    guess = service.create_post(
        bernd, NewPost("Vergaberecht? Frag im Einkauf.", reply_to=question.id)
    )
    answer = service.create_post(
        anna, NewPost("Unter 100.000 Euro genügt ein Angebot.", reply_to=question.id)
    )
    return {"mia": mia, "bernd": bernd, "anna": anna, "question": question, "guess": guess,
            "answer": answer}  # fmt: skip


def in_english(summary) -> str:
    with force_locale("en"):
        return summary_text(summary)


def experts(reader, query="Vergaberecht"):
    return [expert.user.username for expert in search.find_experts(reader, query)]


def test_the_asker_marks_a_reply_as_the_answer_and_takes_the_mark_off(conversation):
    mia, question, answer = conversation["mia"], conversation["question"], conversation["answer"]
    service.mark_answer(mia, question.id, answer.id)
    assert service.get_post(mia, question.id).answer_id == answer.id
    service.mark_answer(mia, question.id, conversation["guess"].id)  # the mark moves
    assert service.get_post(mia, question.id).answer_id == conversation["guess"].id
    service.clear_answer(mia, question.id)
    assert service.get_post(mia, question.id).answer_id is None


def test_only_the_asker_marks_and_only_a_live_reply_of_the_conversation(conversation):
    mia, bernd, anna = conversation["mia"], conversation["bernd"], conversation["anna"]
    question, answer = conversation["question"], conversation["answer"]
    with pytest.raises(Forbidden):
        service.mark_answer(anna, question.id, answer.id)  # the answerer herself
    with pytest.raises(Forbidden):
        service.clear_answer(bernd, question.id)
    other = service.create_post(bernd, NewPost("Wo ist der Schlüssel?"))
    elsewhere = service.create_post(anna, NewPost("Beim Empfang.", reply_to=other.id))
    with pytest.raises(Invalid):
        service.mark_answer(mia, question.id, elsewhere.id)
    with pytest.raises(Invalid):
        service.mark_answer(mia, answer.id, answer.id)  # a reply has no answer
    own = service.create_post(mia, NewPost("Danke euch!", reply_to=question.id))
    with pytest.raises(Invalid):
        service.mark_answer(mia, question.id, own.id)
    service.delete_post(anna, answer.id)
    with pytest.raises(Invalid):
        service.mark_answer(mia, question.id, answer.id)
    assert service.get_post(mia, question.id).answer_id is None


def test_an_administrator_moderating_the_stream_may_mark_as_the_policy_allows(conversation, admin):
    question, answer = conversation["question"], conversation["answer"]
    service.mark_answer(admin, question.id, answer.id)
    assert service.get_post(admin, question.id).answer_id == answer.id


def test_an_outsider_cannot_learn_of_a_members_only_conversation(app):
    asker, outsider = make_user("asker"), make_user("outsider")
    space = make_space(visibility="members", members=[asker])
    question = service.create_post(asker, NewPost("Intern?", space_id=space.id))
    with pytest.raises(NotFound):
        service.mark_answer(outsider, question.id, question.id)


def test_the_api_marks_shows_and_clears_the_answer(conversation, client):
    headers = bearer(make_token(conversation["mia"]))
    question, answer = conversation["question"], conversation["answer"]
    marked = client.put(
        f"/api/v1/microposts/{question.id}/answer", json={"reply_id": answer.id}, headers=headers
    )
    assert marked.status_code == 200
    assert marked.get_json()["answer_id"] == answer.id
    shown = client.get(f"/api/v1/microposts/{question.id}", headers=headers).get_json()
    assert shown["answer_id"] == answer.id
    assert [reply["answer_id"] for reply in shown["replies"]] == [None, None]
    assert shown["body"] == "Wer kennt sich mit Vergaberecht aus?"  # the other fields stay
    listed = client.get("/api/v1/microposts?stream=all", headers=headers).get_json()
    assert listed["items"][0]["answer_id"] == answer.id
    cleared = client.delete(f"/api/v1/microposts/{question.id}/answer", headers=headers)
    assert cleared.status_code == 204
    shown = client.get(f"/api/v1/microposts/{question.id}", headers=headers).get_json()
    assert shown["answer_id"] is None


@pytest.mark.parametrize(
    "body",
    [{"reply_id": "²"}, {"reply_id": "٣"}, {"reply_id": "12"}, {"reply_id": -1},
     {"reply_id": 2**31}, {"reply_id": None}, {}],
)  # fmt: skip
def test_the_api_refuses_ids_that_are_no_ids(conversation, client, body):
    headers = bearer(make_token(conversation["mia"]))
    url = f"/api/v1/microposts/{conversation['question'].id}/answer"
    refused = client.put(url, json=body, headers=headers)
    assert refused.status_code == 422
    assert "reply_id" in refused.get_json()["errors"]["json"]


def test_the_api_refuses_attackers_with_4xx(conversation, client):
    question, answer = conversation["question"], conversation["answer"]
    anna = bearer(make_token(conversation["anna"]))
    mia = bearer(make_token(conversation["mia"]))
    url = f"/api/v1/microposts/{question.id}/answer"
    assert client.put(url, json={"reply_id": answer.id}, headers=anna).status_code == 403
    assert client.delete(url, headers=anna).status_code == 403
    other = service.create_post(conversation["bernd"], NewPost("Andere Frage?"))
    elsewhere = service.create_post(conversation["anna"], NewPost("Ja.", reply_to=other.id))
    wrong = client.put(url, json={"reply_id": elsewhere.id}, headers=mia)
    assert wrong.status_code == 422 and wrong.get_json()["errors"]["reply_id"]
    assert client.put(url, json={"reply_id": 2**31 - 1}, headers=mia).status_code == 422
    assert client.put("/api/v1/microposts/²/answer", json={}, headers=mia).status_code == 404
    missing = "/api/v1/microposts/999999/answer"
    assert client.put(missing, json={"reply_id": answer.id}, headers=mia).status_code == 404
    assert client.put(url, json={"reply_id": answer.id}).status_code == 401
    client.delete(f"/api/v1/microposts/{answer.id}", headers=anna)
    gone = client.put(url, json={"reply_id": answer.id}, headers=mia)
    assert gone.status_code == 422


def test_the_thread_shows_the_answer_below_the_question_and_the_asker_the_buttons(
    conversation, client
):
    question, answer = conversation["question"], conversation["answer"]
    guess = conversation["guess"]
    sign_in(client, conversation["mia"])
    path = f"/stream/posts/{question.id}"
    page = client.get(path).get_data(as_text=True)
    assert page.count("Mark as the answer") == 2
    marked = post_form(client, f"{path}/answer", {"reply_id": answer.id}, token_from=path)
    assert marked.status_code == 302
    page = client.get(path).get_data(as_text=True)
    # Question, then the answer with its badge, then the other replies in their order.
    assert page.index(f'id="post-{question.id}"') < page.index('id="answer"')
    assert page.index('id="answer"') < page.index(f'id="post-{answer.id}"')
    assert page.index(f'id="post-{answer.id}"') < page.index(f'id="post-{guess.id}"')
    assert page.count(f'id="post-{answer.id}"') == 1
    assert "1 other reply" in page
    assert "No longer the answer" in page and page.count("Mark as the answer") == 1
    assert "Answered" in client.get("/stream/?tab=all").get_data(as_text=True)
    refused = post_form(client, f"{path}/answer", {"reply_id": "²"}, token_from=path)
    assert refused.status_code == 422
    assert client.post(f"{path}/answer", data={"reply_id": answer.id}).status_code == 400  # CSRF
    cleared = post_form(client, f"{path}/answer/clear", {}, token_from=path)
    assert cleared.status_code == 302
    assert 'id="answer"' not in client.get(path).get_data(as_text=True)


def test_others_see_the_answer_but_no_buttons_and_cannot_mark(conversation, client):
    question, answer = conversation["question"], conversation["answer"]
    service.mark_answer(conversation["mia"], question.id, answer.id)
    sign_in(client, conversation["bernd"])
    path = f"/stream/posts/{question.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'id="answer"' in page and "Mark as the answer" not in page
    assert "No longer the answer" not in page
    refused = post_form(client, f"{path}/answer", {"reply_id": answer.id}, token_from=path)
    assert refused.status_code == 403
    assert post_form(client, f"{path}/answer/clear", {}, token_from=path).status_code == 403


def test_the_marked_answerer_outranks_the_other_replier_and_the_evidence_says_so(conversation):
    reader = make_user("reader")
    assert experts(reader)[:2] == ["bernd", "anna"]  # both replied; Bernd also named it
    service.mark_answer(conversation["mia"], conversation["question"].id, conversation["answer"].id)
    found = search.find_experts(reader, "Vergaberecht")
    assert [expert.user.username for expert in found][:2] == ["anna", "bernd"]
    assert "mia" not in experts(reader)
    assert in_english(found[0].summary) == (
        "answered a colleague's question about Wer kennt sich mit Vergaberecht aus?, "
        "marked as the answer"
    )
    assert in_english(found[1].summary).startswith("answered a colleague's question")
    assert "marked" not in in_english(found[1].summary)


def test_the_search_page_words_the_marked_answer(conversation, client):
    service.mark_answer(conversation["mia"], conversation["question"].id, conversation["answer"].id)
    sign_in(client, make_user("reader"))
    page = client.get("/search?q=Vergaberecht").get_data(as_text=True)
    assert "marked as the answer" in page
    german = client.get("/search?q=Vergaberecht", headers={"Accept-Language": "de"})
    assert "als Antwort markiert" in german.get_data(as_text=True)


def test_when_the_answer_is_deleted_the_mark_and_its_credit_go(conversation, client):
    reader = make_user("reader")
    question, answer = conversation["question"], conversation["answer"]
    service.mark_answer(conversation["mia"], question.id, answer.id)
    service.delete_post(conversation["anna"], answer.id)
    assert service.get_post(reader, question.id).answer_id is None
    assert experts(reader) == ["bernd"]
    sign_in(client, conversation["mia"])
    page = client.get(f"/stream/posts/{question.id}")
    assert page.status_code == 200 and 'id="answer"' not in page.get_data(as_text=True)


def test_when_the_answerer_leaves_the_credit_of_the_mark_goes(conversation, client):
    reader = make_user("reader")
    question, anna = conversation["question"], conversation["anna"]
    service.mark_answer(conversation["mia"], question.id, conversation["answer"].id)
    assert experts(reader)[0] == "anna"
    anna.active = False
    db.session.commit()
    found = search.find_experts(reader, "Vergaberecht")
    assert [expert.user.username for expert in found][:2] == ["bernd", "anna"]
    assert "marked" not in in_english(found[1].summary)
    sign_in(client, reader)
    assert client.get(f"/stream/posts/{question.id}").status_code == 200
    assert client.get("/search?q=Vergaberecht").status_code == 200
