"""German and English word forms find each other; umlauts and ß are folded."""

import pytest

from app.search.analysis import fold_german

READER = {"all"}


@pytest.fixture
def index(index, make_document):
    index.apply(
        [
            make_document("wiki:1", "Gebührenordnung", "Die Gebühren steigen im Mai."),
            make_document("wiki:2", "Beschaffung", "Alle Verträge liegen im Archiv."),
            make_document("wiki:3", "Vertrag mit der Druckerei", "Gilt seit 2020."),
            make_document("blog:4", "Procurement", "We signed two contracts last year."),
            make_document("micro:5", "", "Die Straße ist gesperrt."),
            make_document("micro:6", "", "Quellen der Aerger-Statistik"),
        ],
        [],
    )
    return index


def keys(index, query):
    return {hit.key for hit in index.search(query, acl_tokens=READER).hits}


@pytest.mark.parametrize("query", ["Gebühr", "gebuehren", "Gebuhren", "GEBÜHREN"])
def test_umlaut_spellings_find_gebuehren(index, query):
    assert "wiki:1" in keys(index, query)


def test_singular_finds_plural_with_umlaut(index):
    assert keys(index, "Vertrag") == {"wiki:2", "wiki:3"}


def test_plural_with_umlaut_finds_singular(index):
    assert keys(index, "Verträge") == {"wiki:2", "wiki:3"}


def test_english_singular_finds_plural(index):
    assert keys(index, "contract") == {"blog:4"}


@pytest.mark.parametrize("query", ["Strasse", "straße", "Straßen"])
def test_sharp_s_is_folded(index, query):
    assert keys(index, query) == {"micro:5"}


def test_ue_after_q_stays_a_u_and_e(index):
    assert keys(index, "Quelle") == {"micro:6"}
    assert fold_german("Quelle") == "quelle"
    assert fold_german("Ärger") == fold_german("Aerger") == "arger"


def test_title_match_ranks_above_body_match(index, make_document):
    index.apply(
        [
            make_document("wiki:10", "Haushaltsplan", "Zahlen und Fakten"),
            make_document("wiki:11", "Zahlen", "Der Haushaltsplan steht im Anhang."),
        ],
        [],
    )
    hits = index.search("Haushaltsplan", acl_tokens=READER).hits
    assert [hit.key for hit in hits] == ["wiki:10", "wiki:11"]
