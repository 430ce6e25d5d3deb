"""Profiles of the demo town: overlapping skills, languages, trainings and endorsements."""

from __future__ import annotations

from datetime import date

from app.demo.organisation import PEOPLE, DemoOrganisation
from app.profiles import endorsements, service
from app.profiles.service import LanguageEntry, ProfileEdit, SkillEntry, TrainingEntry

# username: job title, room, phone extension, about, ask me about, skills, languages,
# trainings (title, provider, completed), projects
PROFILES = {
    "admin": (
        "Leitung Hauptamt",
        "Rathaus, Raum 1.01",
        "100",
        "Ich leite das Hauptamt und kümmere mich um Organisation und IT.",
        "Organisation, Kollegium",
        (("Projektmanagement", 3), ("Datenschutz", 3), ("E-Akte", 2)),
        (("en", "B2"),),
        (("Führen in der Verwaltung", "Kommunale Akademie", date(2023, 5, 12)),),
        ("Verwaltungsmodernisierung 2030",),
    ),
    "anna.schmidt": (
        "Sachbearbeiterin Organisation",
        "Rathaus, Raum 1.12",
        "112",
        "Ich betreue die **Einführung der E-Akte** und schule Kolleginnen und Kollegen.",
        "E-Akte, Scannen, Aktenplan",
        (("E-Akte", 4), ("Projektmanagement", 3), ("Datenschutz", 2), ("Schulungen", 3)),
        (("en", "C1"), ("fr", "A2")),
        (
            ("Zertifizierte Projektmanagerin (IPMA Level D)", "GPM", date(2022, 11, 3)),
            ("E-Akte in der Praxis", "Kommunale Akademie", date(2024, 2, 20)),
        ),
        (),
    ),
    "jonas.weber": (
        "IT-Koordinator",
        "Rathaus, Raum 0.08",
        "108",
        "Netzwerk, Fachverfahren und alles, was einen Stecker hat.",
        "Fachverfahren, OZG, Drucker",
        (("E-Akte", 3), ("Onlinezugangsgesetz", 4), ("Datenschutz", 3), ("GIS", 2)),
        (("en", "C1"), ("es", "B1")),
        (("IT-Grundschutz-Praktiker", "BSI-Schulungspartner", date(2023, 9, 1)),),
        ("Serverraum-Umzug",),
    ),
    "mehmet.yilmaz": (
        "Stadtplaner",
        "Technisches Rathaus, Raum 3.04",
        "304",
        "Bebauungspläne, Flächennutzung und Geodaten.",
        "Bebauungsplan, QGIS",
        (("GIS", 4), ("Baurecht", 3), ("Stadtplanung", 4), ("Bürgerbeteiligung", 3)),
        (("tr", "native"), ("fr", "B2"), ("en", "B2")),
        (("QGIS für Fortgeschrittene", "FOSSGIS", date(2024, 3, 15)),),
        ("Bebauungsplan Nr. 47 „Am Mühlbach“",),
    ),
    "sabine.mueller": (
        "Leiterin Hochbau",
        "Technisches Rathaus, Raum 3.10",
        "310",
        "Schulen, Kitas, Feuerwehrhäuser: von der Planung bis zur Abnahme.",
        "Ausschreibungen Bau, VOB",
        (("Vergaberecht", 3), ("Baurecht", 3), ("Projektmanagement", 4), ("Haushaltsrecht", 2)),
        (("fr", "C1"), ("en", "B1")),
        (("VOB/A und VOB/B aktuell", "Bauindustrieverband", date(2024, 6, 6)),),
        ("Neubau Grundschule Süd",),
    ),
    "thomas.becker": (
        "Bauaufsicht, Sachgebietsleiter",
        "Technisches Rathaus, Raum 2.02",
        "202",
        "Baugenehmigungen und Bauüberwachung.",
        "Bauantrag, Brandschutz",
        (("Baurecht", 4), ("Brandschutz", 3), ("E-Akte", 2)),
        (("fr", "B2"), ("en", "A2")),
        (("Vorbeugender Brandschutz", "Landesfeuerwehrschule", date(2021, 10, 8)),),
        (),
    ),
    "lena.hoffmann": (
        "Sachbearbeiterin Bauaufsicht",
        "Technisches Rathaus, Raum 2.05",
        "205",
        "Ich prüfe Bauanträge und berate Bauherren.",
        "Bauantrag, Denkmalschutz",
        (("Baurecht", 3), ("Denkmalschutz", 3), ("GIS", 2), ("Bürgerservice", 2)),
        (("en", "B2"), ("it", "B1")),
        (),
        (),
    ),
    "katrin.wolf": (
        "Kämmerin",
        "Rathaus, Raum 2.01",
        "201",
        "Haushalt, Finanzplanung und Fördermittel.",
        "Haushalt, Fördermittel, Doppik",
        (("Haushaltsrecht", 4), ("Vergaberecht", 2), ("Fördermittel", 4), ("Projektmanagement", 2)),
        (("en", "B2"),),
        (("Kommunale Doppik", "Studieninstitut", date(2020, 4, 1)),),
        (),
    ),
    "michael.schulz": (
        "Zentrale Vergabestelle",
        "Rathaus, Raum 2.08",
        "208",
        "Ich begleite Ausschreibungen von der Bedarfsmeldung bis zum Zuschlag.",
        "UVgO, VgV, Vergabeplattform",
        (("Vergaberecht", 4), ("Haushaltsrecht", 3), ("E-Vergabe", 4)),
        (("en", "B1"), ("pl", "native")),
        (("Vergaberecht kompakt", "Deutsches Vergabenetzwerk", date(2024, 9, 19)),),
        ("Einführung E-Vergabe",),
    ),
    "julia.koch": (
        "Stadtkasse",
        "Rathaus, Raum 2.12",
        "212",
        "Zahlungsverkehr, Mahnwesen, Vollstreckung.",
        "Mahnungen, SEPA",
        (("Haushaltsrecht", 2), ("Kassenwesen", 4), ("Bürgerservice", 2)),
        (("en", "B2"), ("fr", "B1")),
        (),
        (),
    ),
    "stefan.richter": (
        "Leiter Ordnungsamt",
        "Bürgerhaus, Raum 1.01",
        "401",
        "Öffentliche Sicherheit und Ordnung, Gewerbe und Veranstaltungen.",
        "Veranstaltungen, Sondernutzung",
        (("Ordnungsrecht", 4), ("Datenschutz", 2), ("E-Akte", 2), ("Projektmanagement", 2)),
        (("en", "B1"),),
        (("Datenschutz für Führungskräfte", "Kommunale Akademie", date(2022, 3, 3)),),
        (),
    ),
    "aylin.demir": (
        "Bürgerbüro",
        "Bürgerhaus, Erdgeschoss",
        "410",
        "Pässe, Ausweise, Meldewesen – und die Online-Terminvergabe.",
        "Meldewesen, Online-Termine",
        (("Bürgerservice", 4), ("Onlinezugangsgesetz", 3), ("Datenschutz", 2)),
        (("tr", "native"), ("en", "C1"), ("ar", "A2")),
        (("Interkulturelle Kompetenz", "VHS Musterstadt", date(2023, 11, 23)),),
        (),
    ),
    "frank.neumann": (
        "Gewerbeangelegenheiten",
        "Bürgerhaus, Raum 1.07",
        "407",
        "Gewerbeanmeldungen, Gaststätten, Märkte.",
        "Gewerbe, Gaststättenrecht",
        (("Ordnungsrecht", 3), ("Gewerberecht", 4), ("Bürgerservice", 3)),
        (("en", "A2"),),
        (),
        (),
    ),
    "maria.klein": (
        "Personalsachbearbeiterin",
        "Rathaus, Raum 1.15",
        "115",
        "Personalverwaltung, Ausbildung und Fortbildung.",
        "Fortbildungen, Ausbildung",
        (("Personalwesen", 4), ("Datenschutz", 3), ("Bürgerservice", 2)),
        (("en", "B2"), ("fr", "B2")),
        (("Tarifrecht TVöD", "Kommunaler Arbeitgeberverband", date(2024, 1, 17)),),
        ("Ausbildungsmesse 2027",),
    ),
    "lukas.braun": (
        "Tiefbauingenieur",
        "Technisches Rathaus, Raum 3.12",
        "312",
        "Straßen, Kanäle und Brücken.",
        "Straßenbau, Kanalnetz",
        (
            ("Geoinformationssysteme", 3),
            ("Vergaberecht", 2),
            ("Baurecht", 2),
            ("Projektmanagement", 3),
        ),
        (("fr", "B2"), ("en", "C1")),
        (("GIS im Tiefbau", "FOSSGIS", date(2022, 8, 30)),),
        ("Sanierung Mühlbachbrücke",),
    ),
}

# endorser, colleague, skill
ENDORSEMENTS = (
    ("sabine.mueller", "michael.schulz", "Vergaberecht"),
    ("katrin.wolf", "michael.schulz", "Vergaberecht"),
    ("lukas.braun", "michael.schulz", "Vergaberecht"),
    ("michael.schulz", "sabine.mueller", "Vergaberecht"),
    ("michael.schulz", "katrin.wolf", "Haushaltsrecht"),
    ("julia.koch", "katrin.wolf", "Haushaltsrecht"),
    ("lena.hoffmann", "mehmet.yilmaz", "GIS"),
    ("lukas.braun", "mehmet.yilmaz", "GIS"),
    ("lena.hoffmann", "thomas.becker", "Baurecht"),
    ("mehmet.yilmaz", "thomas.becker", "Baurecht"),
    ("jonas.weber", "anna.schmidt", "E-Akte"),
    ("thomas.becker", "anna.schmidt", "E-Akte"),
    ("stefan.richter", "anna.schmidt", "E-Akte"),
    ("maria.klein", "aylin.demir", "Bürgerservice"),
    ("anna.schmidt", "jonas.weber", "Datenschutz"),
    ("admin", "maria.klein", "Datenschutz"),
)


def seed(demo: DemoOrganisation) -> None:
    """Fill every demo colleague's profile through the service, then endorse."""
    departments = {username: department for username, _name, department in PEOPLE}
    for username, fields in PROFILES.items():
        title, room, extension, about, ask, skills, languages, trainings, projects = fields
        person = demo.people[username]
        service.update_profile(
            person,
            person,
            ProfileEdit(
                job_title=title,
                department_id=demo.spaces[departments[username]].id,
                location=room,
                phone=f"+49 5555 12-{extension}",
                about=about,
                ask_me_about=ask,
                skills=tuple(SkillEntry(name, level) for name, level in skills),
                languages=tuple(LanguageEntry(code, level) for code, level in languages),
                trainings=tuple(TrainingEntry(*training) for training in trainings),
                projects=projects,
            ),
        )
    for endorser, colleague, skill in ENDORSEMENTS:
        endorsements.endorse(demo.people[endorser], demo.people[colleague], skill)
