"""Search and the expertise finder understand questions, compounds and abbreviations.

Two judged organisations: the first grew with this work (whole questions, compounds,
abbreviations, cross-language queries, stream threads with askers, answerers and thanks);
the second was written afterwards, with other people, topics and phrasing, and never tuned
on. Measured: the first 1.0 (threshold 0.85); the second 0.93 (its threshold is kept
below to leave room for honest changes of weights).
"""

from __future__ import annotations

import pytest

from app.search import service
from app.search.understanding import understand
from tests.search_judging import Organisation, Thread, build, scores
from tests.web import sign_in

NDCG_AT_5_THRESHOLD = 0.85
SECOND_ORGANISATION_THRESHOLD = 0.8

CITY = Organisation(
    skills={
        "anna": (("Vergaberecht", 4),),
        "bernd": (("Haushaltsrecht", 4), ("Kommunalrecht", 2)),
        "clara": (("Datenschutz", 4),),
        "dieter": (("Bebauungsplan", 3),),
        "gerda": (("Gewerbesteuer", 4),),
        "helga": (("Kindertagesstätten", 3),),
        "ida": (("Onlinezugangsgesetz", 3),),
        "jonas": (("Elektronische Akte", 3),),
        "nina": (("Tarifrecht", 4),),
        "paula": (("Friedhofswesen", 2),),
        "mia": (("Öffentlichkeitsarbeit", 3),),
    },
    pages=(
        ("anna", "Schwellenwerte", "Die EU-Schwellenwerte im Vergaberecht und die Fristen."),
        (
            "karl",
            "Haushaltsplan aufstellen",
            "Der Haushaltsplan der Gemeinde in der Doppik, wie es das Haushaltsrecht verlangt.",
        ),
        ("paula", "Friedhofsgebührensatzung", "Die Gebühren für Grabstellen und Bestattungen."),
        ("helga", "Anmeldung", "So melden Eltern ihr Kind in der Kindertagesstätte an."),
        ("dieter", "Bebauungsplan Nord", "Der Bebauungsplan für das Gewerbegebiet Nord."),
        ("jonas", "Einführung", "Die elektronische Akte ersetzt die Papierakte ab Mai."),
        ("nina", "Eingruppierung", "Eingruppierung nach TVöD und Stufenlaufzeiten."),
    ),
    threads=(
        Thread(
            ("mia", "Wer kann mir beim Datenschutz-Check für das Bürgerportal helfen?"),
            (
                ("olaf", "Schick mir die Verarbeitungsliste, ich schaue sie mir an."),
                ("rita", "Ich auch!"),
                ("mia", "Danke @olaf für die Hilfe beim Datenschutz-Check!"),
            ),
        ),
        Thread(
            ("rita", "Kennt sich jemand mit Gewerbesteuerbescheiden aus?"),
            (("gerda", "Ja, der Messbetrag kommt vom Finanzamt, ruf mich an."),),
        ),
    ),
    judgements={
        "Wer kennt sich mit Haushaltsrecht aus?": {"bernd": 3, "karl": 1},
        "Kann mir jemand beim Vergaberecht helfen?": {"anna": 3},
        "Haushaltsrechtsfragen": {"bernd": 3, "karl": 1},
        "Gewerbesteuerbescheide": {"gerda": 3},
        "B-Plan": {"dieter": 3},
        "KiTa-Anmeldung": {"helga": 3},
        "OZG": {"ida": 3},
        "data protection": {"clara": 3, "olaf": 2},
        "Who knows about procurement?": {"anna": 3},
        "Ich suche jemanden für die E-Akte": {"jonas": 3},
        "Datenschutz-Check": {"olaf": 3, "clara": 2},
        "Friedhofsverwaltung": {"paula": 3},
        "Fragen zur Eingruppierung nach TVöD": {"nina": 3},
        "Haushaltsplan Vergaberecht": {"anna": 3, "bernd": 2, "karl": 2},
        # Bernd declares Haushaltsrecht; the page about Doppik names it.
        "Doppik": {"karl": 3, "bernd": 2},
    },
)

# Written after the finder was built; not tuned on.
COUNTY = Organisation(
    skills={
        "achim": (("Brandschutz", 4),),
        "bea": (("Ausländerrecht", 3),),
        "cem": (("Straßenverkehrsrecht", 3), ("Bußgeldverfahren", 2)),
        "dora": (("Beihilfe", 4),),
        "emil": (("Winterdienst", 2),),
        "fatma": (("Personalvertretungsrecht", 3),),
        "gero": (("Zuwendungsrecht", 4),),
    },
    pages=(
        ("hanna", "Räumpläne", "Die Räumpläne für den Winterdienst auf Kreisstraßen."),
        ("cem", "Bußgeldbescheide", "Wie wir Bußgeldbescheide nach der StVO erlassen."),
        ("bea", "Aufenthaltstitel verlängern", "Unterlagen für die Verlängerung."),
        ("gero", "Förderprogramme", "Zuwendungsbescheide und Verwendungsnachweise prüfen."),
    ),
    threads=(
        Thread(
            ("ivo", "Does anyone have experience with fire safety inspections?"),
            (
                ("achim", "Yes - the Brandschau checklist is in the wiki, ping me."),
                ("ivo", "Thanks @achim, that helped a lot!"),
            ),
        ),
        Thread(
            ("jana", "Hat jemand Erfahrung mit Beihilfeanträgen für Versorgungsempfänger?"),
            (("dora", "Ja, die Beihilfestelle braucht die Belege im Original."),),
        ),
    ),
    judgements={
        "Any experts on fire protection?": {"achim": 3},
        "Hat jemand Erfahrung mit Winterdienstplänen?": {"emil": 3, "hanna": 2},
        "Fragen zur Beihilfe": {"dora": 3},
        "residence permit": {"bea": 3},
        "Bußgeldbescheide": {"cem": 3},
        "Wer hilft bei Fördermitteln?": {"gero": 3},
        "Personalrat": {"fatma": 3},
        "Beihilfeanträge": {"dora": 3},
    },
)


@pytest.fixture
def city(app):
    return build(CITY)


def test_the_finder_ranks_the_city_as_colleagues_ask(city):
    found = scores(CITY, city)
    assert sum(found.values()) / len(found) >= NDCG_AT_5_THRESHOLD, found


def test_the_finder_ranks_a_county_it_was_not_tuned_on(app):
    people = build(COUNTY)
    found = scores(COUNTY, people)
    assert sum(found.values()) / len(found) >= SECOND_ORGANISATION_THRESHOLD, found


def test_a_declared_expert_is_found_for_the_words_of_the_topics_content(city):
    names = [expert.user.username for expert in service.find_experts(city["reader"], "Doppik")]
    assert names[:2] == ["karl", "bernd"]


def test_the_asker_and_the_one_who_agrees_are_no_experts_but_the_one_thanked_is(city):
    experts = service.find_experts(city["reader"], "Datenschutz-Check")
    names = [expert.user.username for expert in experts]
    assert names[0] == "olaf"
    assert "mia" not in names and "rita" not in names
    summary = [part for part in experts[0].summary if part.kind == "answer"]
    assert summary and summary[0].label.startswith("Wer kann mir beim Datenschutz-Check")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wer kennt sich mit Haushaltsrecht aus?", "Haushaltsrecht"),
        ("Kann mir jemand beim Vergaberecht helfen?", "Vergaberecht"),
        ("Ich suche jemanden für die E-Akte", "E-Akte"),
        ("Who knows about procurement?", "procurement"),
        ("Can anyone help with GDPR, please?", "GDPR"),
        ("Hat jemand Erfahrung mit Doppik?", "Doppik"),
    ],
)
def test_question_phrasing_is_removed(question, topic):
    assert understand(question).topic == topic


def test_syntax_and_queries_of_only_request_words_are_kept():
    understood = understand('Wer kennt "öffentliche Ausschreibung" -Bau kind:wiki aus?')
    assert understood.query == '"öffentliche Ausschreibung" -Bau kind:wiki'
    assert understand("Hilfe").query == "Hilfe"
    assert understand("Haushaltsrecht").topic == ""


def test_content_search_answers_a_whole_question_and_says_what_it_searched(city, client):
    sign_in(client, city["reader"])
    page = client.get("/search?q=Wer+kennt+sich+mit+Haushaltsplänen+aus%3F").get_data(as_text=True)
    assert "Searched for: Haushaltsplänen" in page
    assert "Haushaltsplan aufstellen" in page
    german = client.get(
        "/search?q=Wer+kennt+sich+mit+Haushaltsplänen+aus%3F",
        headers={"Accept-Language": "de"},
    ).get_data(as_text=True)
    assert "Gesucht: Haushaltsplänen" in german


def test_an_abbreviation_and_an_english_word_find_german_pages(city):
    def titles(query):
        return [r.hit.title for r in service.search(city["reader"], query).results]

    assert "Bebauungsplan Nord" in titles("B-Plan")
    assert "Einführung" in titles("eAkte")
    assert "Anmeldung" in titles("KiTa")
    # The word typed outranks its synonym: the page naming TVöD comes first.
    assert titles("TVöD")[0] == "Eingruppierung"


def test_a_query_with_an_extra_word_still_finds_what_one_word_matches(city):
    results = service.search(city["reader"], "Schwellenwerte einrichten Zeugnis").results
    assert [r.hit.title for r in results] == ["Schwellenwerte"]


def test_an_expert_card_shows_job_title_and_how_to_reach_them(city, client):
    from app.profiles import service as profiles

    bernd = city["bernd"]
    edit = profiles.ProfileEdit(job_title="Kämmerer", phone="+49 621 293 1234")
    profiles.update_profile(bernd, bernd, edit)
    sign_in(client, city["reader"])
    page = client.get("/search?q=Haushaltsrecht").get_data(as_text=True)
    card = page[page.index('class="d-flex gap-3 expert-card"') :]
    assert "Kämmerer" in card[:2000]
    assert f'href="mailto:{bernd.email}"' in card[:2000]
    assert 'href="tel:+496212931234"' in card[:2000]


def test_when_nobody_is_found_the_reader_can_ask_in_the_stream_or_try_a_close_skill(city, client):
    sign_in(client, city["reader"])
    page = client.get("/search?q=Wer+kennt+sich+mit+Tarfirecht+aus%3F").get_data(as_text=True)
    assert "Nobody found who knows about this yet" in page
    assert "text=Wer+kennt+sich+mit+Tarfirecht+aus?+%23Tarfirecht" in page
    assert '<a href="/search?q=Tarifrecht">Tarifrecht</a>' in page
    stream = client.get("/stream/?tab=all&text=Wer+kennt+sich+mit+Tarfirecht+aus%3F+%23Tarfirecht")
    assert "Wer kennt sich mit Tarfirecht aus? #Tarfirecht</textarea>" in stream.get_data(
        as_text=True
    )


def test_an_administrator_adds_synonyms_that_the_search_then_uses(city, client, admin):
    wiki_page = ("Wasserzweckverband", "Beiträge an den Wasserzweckverband")
    from app.wiki import service as wiki

    wiki.create_page(city["anna"], wiki.NewPage(*wiki_page))
    assert service.search(city["reader"], "WZV").results == []
    sign_in(client, admin)
    page = client.get("/admin/synonyms").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    refused = client.post("/admin/synonyms", data={"names": "WZV", "csrf_token": token})
    assert refused.status_code == 422
    assert "at least two names" in refused.get_data(as_text=True)
    assert "WZV</textarea>" in refused.get_data(as_text=True)  # the text comes back
    hostile = "<script>alert(1)</script>, WZV"
    response = client.post("/admin/synonyms", data={"names": hostile, "csrf_token": token})
    assert response.status_code == 302
    assert "<script>alert" not in client.get("/admin/synonyms").get_data(as_text=True)
    client.post("/admin/synonyms", data={"names": "WZV, Wasserzweckverband", "csrf_token": token})
    assert [r.hit.title for r in service.search(city["reader"], "WZV").results] == [
        "Wasserzweckverband"
    ]


def test_only_administrators_reach_the_synonyms_and_only_with_a_csrf_token(city, client, admin):
    sign_in(client, city["reader"])
    assert client.get("/admin/synonyms").status_code == 403
    stream = client.get("/stream/?tab=all").get_data(as_text=True)
    token = stream.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"names": "a, b", "csrf_token": token}
    assert client.post("/admin/synonyms", data=data).status_code == 403
    sign_in(client, admin)
    assert client.post("/admin/synonyms", data={"names": "a, b"}).status_code == 400
    assert service.thesaurus().synonyms("a") == []


def test_the_api_says_what_it_searched_for(city, client):
    from tests.factories import make_token
    from tests.web import bearer

    token = make_token(city["reader"])
    answer = client.get(
        "/api/v1/search?q=Kann+mir+jemand+beim+Vergaberecht+helfen%3F", headers=bearer(token)
    ).get_json()
    assert answer["understood"] == "Vergaberecht"
    assert "Schwellenwerte" in [result["title"] for result in answer["results"]]
