"""Which skills the matching content is about (app/search/topics.py)."""

from datetime import UTC, datetime

from app.search.analysis import StemFoldFilter
from app.search.ranking import ContentHit
from app.search.topics import content_topics

NOW = datetime(2024, 5, 1, tzinfo=UTC)
GERMAN = StemFoldFilter("de")


def terms(text):
    return [term for word in text.split() if (term := GERMAN.term(word.strip(".,")))]


def hit(title, text="", author=1, kind="wiki", is_question=False):
    return ContentHit(kind, (author,), author, NOW, title, "/x", is_question, text=text)


def test_a_skill_named_in_most_matching_pages_is_their_topic():
    hits = [
        hit("Doppik", "Was das Haushaltsrecht verlangt"),
        hit("Doppik im Haushaltsrecht"),
        hit("Doppik und Sport"),
    ]
    shares = content_topics(hits, ["Haushaltsrecht", "Sport", "Vergaberecht"], {}, terms)
    assert shares == {"Haushaltsrecht": 2 / 3, "Sport": 1 / 3}


def test_skills_of_askers_say_nothing_and_rare_topics_are_left_out():
    hits = [hit("Doppik?", author=7, kind="micro", is_question=True)] + [
        hit(f"Doppik {n}", author=8) for n in range(9)
    ]
    declared = {7: ["Öffentlichkeitsarbeit"], 8: ["Kommunalfinanzen"]}
    shares = content_topics(hits, ["Öffentlichkeitsarbeit", "Kommunalfinanzen"], declared, terms)
    assert set(shares) == {"Kommunalfinanzen"}
