"""The query language: syntax, filters, and malformed input that never raises."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.search.query import MAX_QUERY_PARTS, FieldFilter, ParsedQuery, parse_query

READER = {"all"}
NOW = datetime(2024, 5, 1, tzinfo=UTC)


def test_parses_words_phrases_excludes_prefixes_and_filters():
    parsed = parse_query('Vergabe "öffentliche Ausschreibung" -Bau ausschr* author:anna kind:wiki')
    assert parsed == ParsedQuery(
        terms=("Vergabe",),
        phrases=("öffentliche Ausschreibung",),
        excludes=("Bau",),
        prefixes=("ausschr",),
        filters=(FieldFilter("author", "anna"), FieldFilter("kind", "wiki")),
    )


def test_excluded_phrase():
    assert parse_query('Haus -"alte Fassung"').excludes == ("alte Fassung",)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ('Haus "Garten', ("Haus", "Garten")),
        ("- Haus", ("Haus",)),
        ("* Haus", ("Haus",)),
        (": Haus", ("Haus",)),
        ("a*", ("a",)),
        ("color:blue", ("color", "blue")),
        ("author: Haus", ("author", "Haus")),
        ("Haus\x00\x1bGarten", ("Haus", "Garten")),
    ],
)
def test_malformed_syntax_falls_back_to_words(text, terms):
    assert parse_query(text).terms == terms


def test_huge_input_is_cut():
    parsed = parse_query("wort " * 100_000)
    assert len(parsed.terms) == MAX_QUERY_PARTS


@given(st.text())
def test_parsing_any_text_never_raises(text):
    parse_query(text)


SYNTAX_PIECES = ["space:", "author:", "kind:", "tag:", '"', "-", "*", ":", " ", "Haus", "١٢", "x"]
QUERY_TEXT = st.text(max_size=80) | st.lists(st.sampled_from(SYNTAX_PIECES)).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERY_TEXT)
def test_searching_any_text_never_raises(index, text):
    page = index.search(text, acl_tokens=READER)
    assert page.total >= 0
    index.suggest(text, READER)


@pytest.fixture
def index(index, make_document):
    index.apply(
        [
            make_document("wiki:1", "Ausschreibung", "Die öffentliche Ausschreibung läuft."),
            make_document("wiki:2", "Ausschreibung Bau", "Öffentliche Bauaufträge, Ausschreibung."),
            make_document("blog:3", "Neues", "Die Ausschreibung ist öffentlich.", author=7),
            make_document("micro:4", "", "Ausschreiben lernen", tags=("Vergabe",), space=5),
            make_document("micro:5", "", "Garten", tags=("Gärten",)),
        ],
        [],
    )
    return index


def keys(index, query, **filters):
    return {hit.key for hit in index.search(query, acl_tokens=READER, **filters).hits}


def test_phrase_needs_the_words_in_order(index):
    assert keys(index, '"öffentliche Ausschreibung"') == {"wiki:1"}


def test_exclude_removes_matches(index):
    assert keys(index, "Ausschreibung -Bau") == {"wiki:1", "blog:3", "micro:4"}


def test_prefix_matches_word_starts(index):
    assert keys(index, "ausschr*") == {"wiki:1", "wiki:2", "blog:3", "micro:4"}


def test_documents_with_all_words_come_first_then_those_with_some(index):
    hits = index.search("Ausschreibung Bau", acl_tokens=READER).hits
    assert hits[0].key == "wiki:2"
    assert {hit.key for hit in hits[1:]} >= {"wiki:1"}


def test_kind_filter(index):
    assert keys(index, "Ausschreibung kind:blog") == {"blog:3"}
    assert keys(index, "Ausschreibung", kinds={"wiki"}) == {"wiki:1", "wiki:2"}


def test_tag_filter_is_folded(index):
    assert keys(index, "tag:vergabe") == {"micro:4"}
    assert keys(index, "tag:Gaerten") == {"micro:5"}


def test_author_filter_uses_the_resolver(index):
    class Directory:
        def author_id(self, name):
            return {"anna": 7}.get(name)

        def space_id(self, name):
            return {"bauamt": 5}.get(name)

    assert keys(index, "Ausschreibung author:anna", resolver=Directory()) == {"blog:3"}
    assert keys(index, "author:nobody", resolver=Directory()) == set()
    assert keys(index, "space:bauamt", resolver=Directory()) == {"micro:4"}
    assert keys(index, "space:5") == {"micro:4"}


def test_filter_only_query_lists_matching_documents(index):
    assert keys(index, "kind:micro") == {"micro:4", "micro:5"}


def test_punctuation_alone_finds_nothing(index):
    assert index.search("- * :", acl_tokens=READER).total == 0


def test_newest_first(index, make_document):
    index.apply(
        [
            make_document("wiki:20", "Zebra", "Zebra", updated=NOW - timedelta(days=3)),
            make_document("wiki:21", "Zebra", "Zebra Zebra", updated=NOW),
            make_document("wiki:22", "Zebra", "Zebra Zebra Zebra", updated=NOW - timedelta(days=9)),
        ],
        [],
    )
    hits = index.search("Zebra", acl_tokens=READER, sort="newest").hits
    assert [hit.key for hit in hits] == ["wiki:21", "wiki:20", "wiki:22"]
