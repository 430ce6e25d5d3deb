"""The expertise finder on a small judged organisation."""

from datetime import UTC, datetime, timedelta

from app.search.ranking import (
    ContentHit,
    Evidence,
    ProfileEvidence,
    SkillMatch,
    SummaryPart,
    age_decay,
    rank_experts,
)

NOW = datetime(2024, 5, 1, tzinfo=UTC)
ANNA, BERND, CLARA, DIETER, EVA = 1, 2, 3, 4, 5


def hit(kind, author, *, people=(), days_old=10, is_question=False, number=1):
    return ContentHit(
        kind=kind,
        people=people or (author,),
        author=author,
        updated=NOW - timedelta(days=days_old),
        title=f"{kind} {number}",
        url=f"/{kind}/{number}",
        is_question=is_question,
    )


def judged_query():
    """Who knows about Vergaberecht: Anna (expert skill, writes the wiki), then Eva (edits
    the wiki, blogs), then Bernd (ten recent posts on it, one stale page), then Clara (one
    page; her questions do not count), then Dieter (lists it as a beginner)."""
    profiles = [
        ProfileEvidence(ANNA, "/people/anna", skills=(SkillMatch("Vergaberecht", 4, 3),)),
        ProfileEvidence(DIETER, "/people/dieter", skills=(SkillMatch("Vergaberecht", 1),)),
    ]
    content = [
        hit("wiki", ANNA, number=1),
        hit("wiki", ANNA, number=2, people=(ANNA, EVA)),
        hit("wiki", BERND, number=3, people=(BERND, EVA), days_old=5 * 365),
        hit("wiki", CLARA, number=4, people=(CLARA, EVA)),
        hit("blog", EVA, number=5),
        *(hit("micro", BERND, number=10 + n) for n in range(10)),
        *(hit("comment", CLARA, number=30 + n, is_question=True) for n in range(5)),
    ]
    return profiles, content


def test_judged_ranking_order():
    profiles, content = judged_query()
    experts = rank_experts(profiles, content, now=NOW)
    assert [expert.user_id for expert in experts] == [ANNA, EVA, BERND, CLARA, DIETER]


def test_asking_questions_is_not_expertise():
    experts = rank_experts([], [hit("comment", CLARA, is_question=True)] * 5, now=NOW)
    assert experts == []


def test_evidence_and_summary_explain_the_score():
    profiles, content = judged_query()
    anna = rank_experts(profiles, content, now=NOW)[0]
    assert anna.evidence[0] == Evidence("skill", "Vergaberecht", "/people/anna")
    assert {evidence.url for evidence in anna.evidence[1:]} == {"/wiki/1", "/wiki/2"}
    assert anna.summary == (
        SummaryPart("skill", "Vergaberecht", level=4, endorsements=3),
        SummaryPart("wiki", count=2),
    )


def test_editors_are_credited_for_wiki_pages_they_did_not_write():
    profiles, content = judged_query()
    eva = next(e for e in rank_experts(profiles, content, now=NOW) if e.user_id == EVA)
    assert SummaryPart("wiki_edit", count=3) in eva.summary


def test_older_content_weighs_less():
    fresh = rank_experts([], [hit("blog", ANNA, days_old=1)], now=NOW)[0]
    stale = rank_experts([], [hit("blog", ANNA, days_old=3 * 365)], now=NOW)[0]
    assert fresh.score > stale.score
    assert age_decay(NOW - timedelta(days=365), NOW) == 0.5


def test_endorsements_raise_a_skill():
    endorsed = ProfileEvidence(ANNA, "/a", skills=(SkillMatch("Recht", 3, 5),))
    plain = ProfileEvidence(BERND, "/b", skills=(SkillMatch("Recht", 3, 0),))
    assert [e.user_id for e in rank_experts([plain, endorsed], [], now=NOW)] == [ANNA, BERND]


def test_the_marked_answer_weighs_more_than_a_thanked_reply_and_says_so():
    def question(number, credited, answered_by=None):
        return ContentHit(
            kind="micro",
            people=(EVA,),
            author=EVA,
            updated=NOW - timedelta(days=10),
            title=f"Frage {number}?",
            url=f"/stream/posts/{number}",
            is_question=True,
            credited=credited,
            answered_by=answered_by,
        )

    # Bernd replied and was thanked; Anna replied, and her reply is the marked answer.
    experts = rank_experts([], [question(1, (BERND, ANNA, BERND), answered_by=ANNA)], now=NOW)
    assert [expert.user_id for expert in experts] == [ANNA, BERND]
    assert experts[0].summary == (SummaryPart("marked_answer", "Frage 1?"),)
    assert experts[1].summary == (SummaryPart("answer", "Frage 1?"),)
    # Without the mark Bernd, thanked, comes first; the asker gets nothing either way.
    experts = rank_experts([], [question(1, (BERND, ANNA, BERND))], now=NOW)
    assert [expert.user_id for expert in experts] == [BERND, ANNA]
