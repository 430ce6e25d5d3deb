"""The expertise finder wired to the index and profiles, judged on a small organisation.

Who truly knows what is written down below (graded 0–3); the finder's top five for each
query are scored with nDCG@5 and must stay at or above the measured level.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from app.clock import utcnow
from app.extensions import db
from app.search import service
from app.social.models import Comment
from app.spaces.models import Visibility
from tests import search_memo, search_people
from tests.factories import make_space, make_user
from tests.search_memo import MemoBase, make_memo, make_profile, use_as_search_source

# Measured 0.967 (Datenschutz 0.83: Eva's advanced skill outranks Clara's training and
# page; every other query 1.0).
NDCG_AT_5_THRESHOLD = 0.95

JUDGEMENTS = {
    "Vergaberecht": {"anna": 3, "eva": 2, "dieter": 1, "bernd": 1},
    "Datenschutz": {"clara": 3, "eva": 2},
    "Haushaltsrecht": {"bernd": 3},
    "Baugenehmigung": {"dieter": 3, "fritz": 2},
    "procurement": {"anna": 3},
}


@pytest.fixture
def organisation(app, monkeypatch):
    MemoBase.metadata.create_all(db.engine)
    use_as_search_source(app, monkeypatch, "wiki", search_memo)
    use_as_search_source(app, monkeypatch, "profile", search_people)
    people = {
        name: make_user(name, display_name=name.title())
        for name in ("anna", "bernd", "clara", "dieter", "eva", "ida", "mia")
    }
    people["fritz"] = make_user("fritz", display_name="Fritz", active=False)
    p = people
    now, years = utcnow(), timedelta(days=365)
    closed = make_space(owners=[p["ida"]], visibility=Visibility.MEMBERS.value)

    make_profile(p["anna"], skills="Vergaberecht|4|3")
    make_profile(p["bernd"], skills="Haushaltsrecht|4|5")
    make_profile(p["clara"], trainings="Datenschutzbeauftragte")
    make_profile(p["dieter"], skills="Vergaberecht|1|0", ask_me_about="Baugenehmigung, Bauantrag")
    make_profile(p["eva"], skills="Datenschutz|3|0")
    make_profile(p["mia"], projects="Bürgerportal")

    editors = f"{p['eva'].id}"
    vergabe_1 = make_memo(
        p["anna"], "Vergaberecht Schwellenwerte", "Vergaberecht", editor_ids=editors
    )
    make_memo(p["anna"], "Vergaberecht Fristen", "Fristen im Vergaberecht", editor_ids=editors)
    make_memo(p["anna"], "Procurement law", "Thresholds of procurement for EU tenders")
    stale = now - 5 * years
    make_memo(p["bernd"], "Vergaberecht alt", "Vergaberecht 2019", updated_at=stale)
    make_memo(p["bernd"], "Haushaltsrecht Überblick", "Haushaltsrecht der Gemeinde")
    make_memo(p["clara"], "Datenschutz im Amt", "Datenschutz bei Bürgerdaten")
    make_memo(p["dieter"], "Baugenehmigung beantragen", "Baugenehmigung Schritte")
    for n in range(3):
        make_memo(p["fritz"], f"Baugenehmigung {n}", "Baugenehmigung", updated_at=now - years)
    # Ida's knowledge is in a space the reader may not see: it must not count.
    for n in range(4):
        make_memo(p["ida"], f"Datenschutz intern {n}", "Datenschutz", space_id=closed.id)
    for n in range(3):
        question = Comment(
            target_kind="wiki_page",
            target_id=vergabe_1.id,
            author_id=p["clara"].id,
            body=f"Frage {n} zum Vergaberecht?",
            body_html=f"<p>Frage {n} zum Vergaberecht?</p>",
            is_question=True,
        )
        db.session.add(question)
    db.session.commit()
    yield people
    db.session.remove()
    MemoBase.metadata.drop_all(db.engine)


def ndcg_at_5(ranked: list[str], judged: dict[str, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains[:5]))

    ideal = dcg(sorted(judged.values(), reverse=True))
    return dcg([judged.get(name, 0) for name in ranked]) / ideal


def test_the_finder_ranks_the_judged_organisation_well(organisation):
    reader = organisation["mia"]
    scores = {}
    for query, judged in JUDGEMENTS.items():
        ranked = [e.user.username for e in service.find_experts(reader, query, limit=5)]
        scores[query] = ndcg_at_5(ranked, judged)
    mean = sum(scores.values()) / len(scores)
    assert mean >= NDCG_AT_5_THRESHOLD, scores


def test_the_finder_explains_itself_with_visible_evidence_only(organisation):
    reader = organisation["mia"]
    (anna, eva, *rest) = service.find_experts(reader, "Vergaberecht")
    assert anna.user.username == "anna"
    kinds = [part.kind for part in anna.summary]
    assert kinds == ["skill", "wiki"]
    assert (anna.summary[0].label, anna.summary[0].level, anna.summary[0].endorsements) == (
        "Vergaberecht",
        4,
        3,
    )
    assert anna.evidence[0].url == f"/people/{organisation['anna'].id}"
    assert eva.user.username == "eva"
    assert [part.kind for part in eva.summary] == ["wiki_edit"]
    assert "clara" not in [expert.user.username for expert in rest]  # questions only

    ranked = [e.user.username for e in service.find_experts(reader, "Datenschutz")]
    assert "ida" not in ranked
    owner_view = [e.user.username for e in service.find_experts(organisation["ida"], "Datenschutz")]
    assert owner_view[0] == "ida"


def test_the_people_section_words_the_evidence(organisation, client):
    from tests.web import sign_in

    # The third page is "Procurement law": the thesaurus links it to Vergaberecht.
    sign_in(client, organisation["mia"])
    page = client.get("/search?q=Vergaberecht").get_data(as_text=True)
    assert "lists Vergaberecht (expert, 3 endorsements) · wrote 3 wiki pages" in page
    assert "edited 2 wiki pages" in page
    page = client.get("/search?q=Baugenehmigung").get_data(as_text=True)
    assert "Fritz" in page and "former colleague" in page
    german = client.get("/search?q=Vergaberecht", headers={"Accept-Language": "de"})
    text = german.get_data(as_text=True)
    assert (
        "nennt Vergaberecht (Expertin/Experte, 3 Bestätigungen) · hat 3 Wikiseiten geschrieben"
        in text
    )


def test_the_directory_answers_who_knows_about_a_topic(client, member, owner):
    from tests.factories import give_skill
    from tests.web import sign_in

    give_skill(owner, "Vergaberecht", 4)
    sign_in(client, member)
    page = client.get("/people/?q=Vergaberecht").get_data(as_text=True)
    assert "Who knows about “Vergaberecht”?" in page
    assert "Otto Owner" in page
