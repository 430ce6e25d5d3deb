"""The array-based matching and scoring (app/search/matching.py) agree with Whoosh's own
matchers: same documents, same scores, over several segments and with deleted documents;
phrases joined from packed positions are exactly those Whoosh's phrase matcher finds."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import formats
from whoosh import query as wq
from whoosh.fields import TEXT

from app.search import index as index_module
from app.search import schema
from app.search.index import SearchIndex
from app.search.matching import Matcher, Postings, SharedPostings, best, position_decoder
from app.search.query import acl_query, parse_query, restriction_query

WORDS = [
    "vertrag",
    "verträge",
    "antrag",
    "zuschuss",
    "contract",
    "contracts",
    "budget",
    "der",
    "Zuschussantrag",
    "Vertragsprüfung",
]
QUERIES = [
    "vertrag",
    "Verträge antrag",
    '"antrag zuschuss"',
    '"zuschuss antrag"',
    '"zuschuss der antrag"',  # a stop word between: the words stand next to each other
    '"antrag zuschuss vertrag"',
    '"antrag antrag"',
    '"zuschussantrag vertrag"',
    '"antrag vertrag"',  # "Zuschussantrag" holds the part "antrag" at its place
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
    matcher = Matcher(searcher)
    readable = filled._readable_docs(matcher, {"all", "space:1"})
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
    allowed = matcher.docs(query, readable) & readable
    assert expected  # the case tests something
    assert set(np.flatnonzero(allowed).tolist()) == expected
    assert filled.search(text, acl_tokens={"all", "space:1"}).total == len(expected)
    query = plan.scoring_query()
    scores = matcher.scores(query, allowed)
    if "*" in text:
        assert scores is None  # prefixes are left to Whoosh
        return
    for number in expected:
        whoosh = searcher.search(query, filter={number}, limit=1, optimize=False)
        assert scores[number] == pytest.approx(whoosh[0].score)


def test_best_orders_by_words_then_score_then_number():
    rng = random.Random(4)
    size = 2_000
    docs = np.array([rng.random() < 0.7 for _ in range(size)])
    coverage = np.array([rng.choice([0.0, 0.5, 1.0, 1.3, 1.8, 2.0]) for _ in range(size)])
    scores = np.array([rng.choice([0.5, 1.25, 2.0, rng.random() * 9]) for _ in range(size)])
    expected = sorted(
        (number for number in range(size) if docs[number]),
        key=lambda number: (-coverage[number], -scores[number], number),
    )
    for limit in (1, 7, 20, 100, len(expected), len(expected) + 5):
        assert best(docs, scores, coverage, limit) == expected[:limit]
    assert best(docs, scores, coverage, 0) == []


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
    def postings(size: int) -> Postings:  # 8 bytes a posting
        return Postings(np.arange(size, dtype=np.int32), np.ones(size, dtype=np.float32))

    shared = SharedPostings(max_bytes=800)
    shared.put(("segment", "body", "huge"), postings(30))  # over a quarter
    assert shared.get(("segment", "body", "huge")) is None
    for word in "abcdef":
        shared.put(("segment", "body", word), postings(20))
    assert shared._size <= 800
    assert shared.get(("segment", "body", "a")) is None  # the least recently used went
    found = shared.get(("segment", "body", "f"))
    assert list(found.ids) == list(range(20)) and list(found.weights) == [1.0] * 20
    # Read again with positions, a term replaces its entry and is counted once.
    shared.put(("segment", "body", "f"), postings(20))
    assert shared._size == sum(entry.nbytes for entry in shared._terms.values())


def test_an_index_written_before_packed_positions_serves_until_rebuilt(
    tmp_path, make_document, monkeypatch
):
    """An index of the previous analysis keeps its own schema: its phrases are still found
    (positions decoded the old way), changes still go in, and `is_current_format` says that
    it must be rebuilt."""
    monkeypatch.setattr(schema, "text_type", lambda analyzer: TEXT(analyzer=analyzer))
    monkeypatch.setattr(index_module, "ANALYSIS_VERSION", 3)
    old = SearchIndex(tmp_path / "search")
    old.apply([make_document("wiki:1", "Dienstplan", "Der Antrag auf Zuschuss liegt vor")], [])
    monkeypatch.undo()
    index = SearchIndex(tmp_path / "search")
    assert not index.is_current_format()
    field = index._current_searcher().schema["body_de"]
    assert type(field.format) is formats.Positions
    index.apply([make_document("wiki:2", "Urlaub", "Zuschuss Antrag, umgekehrt")], [])
    assert [hit.key for hit in index.search('"Antrag auf Zuschuss"', acl_tokens={"all"}).hits] == [
        "wiki:1"
    ]
    assert index.search('"Zuschuss Antrag"', acl_tokens={"all"}).total == 1


def test_positions_decode_as_whoosh_decodes_them():
    positions = formats.Positions()
    decode = position_decoder(positions)
    rng = random.Random(9)
    for size in (0, 1, 2, 50, 3_000):
        listed = sorted(rng.sample(range(100_000), size))
        encoded = positions.encode(listed)
        assert decode(encoded) == positions.decode_positions(encoded) == listed
        assert decode(encoded[:-1]) == listed  # the pickle's STOP left off, as postings keep it
