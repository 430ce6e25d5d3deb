"""The set-based matching and scoring (app/search/matching.py) agree with Whoosh's own
matchers: same documents, same scores, over several segments and with deleted documents."""

from __future__ import annotations

import random

import pytest
from whoosh import query as wq

from app.search.matching import matching_docs, score_docs
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
