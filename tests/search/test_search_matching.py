"""The set-based matching and scoring (app/search/matching.py) agree with Whoosh's own
matchers: same documents, same scores, over several segments and with deleted documents."""

from __future__ import annotations

import random

import pytest
from whoosh import formats
from whoosh import query as wq

from app.search.matching import SharedPostings, matching_docs, position_decoder, score_docs
from app.search.query import acl_query, parse_query, restriction_query

WORDS = ["vertrag", "verträge", "antrag", "zuschuss", "contract", "contracts", "budget", "der"]
QUERIES = [
    "vertrag",
    "Verträge antrag",
    '"antrag zuschuss"',
    '"zuschuss antrag"',
    "contract -budget",
    'vertrag -"antrag zuschuss"',
    "zusch*",
    "kind:wiki budget",
]


@pytest.fixture
def filled(index, make_document):
    rng = random.Random(5)
    for batch in range(4):  # one segment per batch
        index.apply(
            [
                make_document(
                    f"wiki:{batch}-{number}",
                    " ".join(rng.choices(WORDS, k=3)),
                    " ".join(rng.choices(WORDS, k=6)),
                    acl=(rng.choice(["all", "space:1", "space:2"]),),
                    tags=(rng.choice(WORDS),),
                )
                for number in range(40)
            ],
            [f"wiki:{batch - 1}-{number}" for number in range(0, 40, 3)] if batch else [],
        )
    return index


@pytest.mark.parametrize("text", QUERIES)
def test_matching_and_scores_agree_with_whoosh(filled, text):
    searcher = filled._current_searcher()
    assert len(searcher.leaf_searchers()) > 1
    readable = filled._readable_docs(searcher, {"all", "space:1"})
    parsed = parse_query(text)
    plan = filled._builder.content_plan(parsed)
    # Any word may match, unless phrases or prefixes are required; exclusions never.
    query = (
        wq.And(list(plan.required))
        if plan.required
        else wq.Or([word.query() for word in plan.words])
    )
    if plan.excluded:
        query = wq.AndNot(query, wq.Or(list(plan.excluded)))
    restriction = restriction_query(parsed)
    if restriction is not None:
        query = wq.And([query, restriction])
    expected = set(searcher.docs_for_query(wq.And([query, acl_query({"all", "space:1"})])))
    memo: dict = {}
    allowed = matching_docs(searcher, query, readable, memo) & readable
    assert expected  # the case tests something
    assert allowed == expected
    assert filled.search(text, acl_tokens={"all", "space:1"}).total == len(expected)
    query = plan.scoring_query()
    scores = score_docs(searcher, query, allowed, memo)
    if "*" in text:
        assert scores is None  # prefixes are left to Whoosh
        return
    for number in allowed:
        whoosh = searcher.search(query, filter={number}, limit=1, optimize=False)
        assert scores[number] == pytest.approx(whoosh[0].score)


def test_postings_read_once_stay_right_after_deletions_updates_and_merges(index, make_document):
    """Postings are shared between searches per segment: a document deleted, replaced or
    merged into a new segment after a search is found exactly as the index now holds it."""
    index.apply([make_document("wiki:1", "Dienstplan", "Nachtdienst im Bauhof")], [])
    index.apply([make_document("wiki:2", "Urlaub", "Nachtdienst im Rathaus")], [])

    def found(text: str) -> set[str]:
        return {hit.key for hit in index.search(text, acl_tokens={"all"}).hits}

    assert found("Nachtdienst") == {"wiki:1", "wiki:2"}
    index.apply([], ["wiki:1"])
    assert found("Nachtdienst") == {"wiki:2"}
    index.apply([make_document("wiki:2", "Urlaub", "Frühdienst im Rathaus")], [])
    assert found("Nachtdienst") == set() and found("Frühdienst") == {"wiki:2"}
    index.optimize(block=True)
    assert found("Frühdienst") == {"wiki:2"} and found("Nachtdienst") == set()


def test_shared_postings_keep_within_their_budget():
    shared = SharedPostings(max_postings=100)
    shared.put(("segment", "body", "huge"), list(range(30)), [1.0] * 30)  # over a quarter
    assert shared.get(("segment", "body", "huge")) is None
    for word in "abcdef":
        shared.put(("segment", "body", word), list(range(20)), [1.0] * 20)
    assert shared._size <= 100
    assert shared.get(("segment", "body", "a")) is None  # the least recently used went
    ids, weights = shared.get(("segment", "body", "f"))
    assert list(ids) == list(range(20)) and list(weights) == [1.0] * 20


def test_positions_decode_as_whoosh_decodes_them():
    positions = formats.Positions()
    decode = position_decoder(positions)
    rng = random.Random(9)
    for size in (0, 1, 2, 50, 3_000):
        listed = sorted(rng.sample(range(100_000), size))
        encoded = positions.encode(listed)
        assert decode(encoded) == positions.decode_positions(encoded) == listed
        assert decode(encoded[:-1]) == listed  # the pickle's STOP left off, as postings keep it
