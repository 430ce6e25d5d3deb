"""The wider demo town: more colleagues with profiles, a handbook of linked wiki pages with
files, more blogs and a busy stream — what a town hall of 20,000 people looks like after a
year with Kollegium. Runs after the other demo modules, through the services."""

from __future__ import annotations

import io
from datetime import timedelta

from app.blog import service as blog
from app.clock import utcnow
from app.demo.organisation import PEOPLE, DemoOrganisation
from app.extensions import db
from app.microblog import service as microblog
from app.profiles import service as profiles
from app.profiles.service import ProfileEdit, SkillEntry
from app.social import service as social
from app.wiki import attachments
from app.wiki import service as wiki

# username: job title, room, extension, skills (name, level)
PROFILES = {
    "claudia.fischer": (
        "Personalsachbearbeiterin",
        "Rathaus, Raum 1.20",
        "120",
        (("Tarifrecht TVöD", 4), ("Personalgewinnung", 3), ("Arbeitsrecht", 2)),
    ),
    "tobias.wagner": (
        "Systemadministrator",
        "Rathaus, Raum 0.09",
        "109",
        (("Netzwerke", 4), ("IT-Sicherheit", 3), ("Microsoft 365", 3)),
    ),
    "nina.schaefer": (
        "Pressesprecherin",
        "Rathaus, Raum 1.02",
        "102",
        (("Öffentlichkeitsarbeit", 4), ("Social Media", 3), ("Barrierefreiheit", 2)),
    ),
    "daniel.meyer": (
        "Ausbildungsleiter",
        "Rathaus, Raum 1.22",
        "122",
        (("Ausbildung", 4), ("Schulungen", 3), ("Tarifrecht TVöD", 2)),
    ),
    "fatma.arslan": (
        "Gleichstellungsbeauftragte",
        "Rathaus, Raum 1.05",
        "105",
        (("Gleichstellung", 4), ("Arbeitsrecht", 2), ("Türkisch", 4)),
    ),
    "peter.krueger": (
        "Stadtplaner",
        "Technisches Rathaus, Raum 3.01",
        "301",
        (("Bauleitplanung", 4), ("GIS", 3), ("Bürgerbeteiligung", 3)),
    ),
    "sandra.lange": (
        "Ingenieurin Tiefbau",
        "Technisches Rathaus, Raum 3.05",
        "305",
        (("Straßenbau", 4), ("Vergaberecht", 2), ("VOB", 3)),
    ),
    "markus.zimmermann": (
        "Hochbautechniker",
        "Technisches Rathaus, Raum 3.07",
        "307",
        (("Hochbau", 3), ("Energieberatung", 3), ("VOB", 2)),
    ),
    "jana.schmitt": (
        "Bauantragsprüferin",
        "Technisches Rathaus, Raum 2.03",
        "203",
        (("Baurecht", 3), ("Brandschutz", 2), ("E-Akte", 2)),
    ),
    "oliver.hartmann": (
        "Bauingenieur Bauüberwachung",
        "Technisches Rathaus, Raum 2.04",
        "204",
        (("Bauüberwachung", 4), ("Brandschutz", 3), ("Baurecht", 2)),
    ),
    "birgit.werner": (
        "Leiterin Stadtkasse",
        "Rathaus, Raum 2.01",
        "201",
        (("Kassenwesen", 4), ("Doppik", 3), ("Haushaltsrecht", 2)),
    ),
    "christian.lehmann": (
        "Steuersachbearbeiter",
        "Rathaus, Raum 2.06",
        "206",
        (("Gewerbesteuer", 4), ("Grundsteuer", 4), ("Excel", 3)),
    ),
    "sophie.krause": (
        "Controllerin",
        "Rathaus, Raum 2.08",
        "208",
        (("Controlling", 4), ("Doppik", 3), ("Excel", 4)),
    ),
    "andreas.schmid": (
        "Sachbearbeiter Haushalt",
        "Rathaus, Raum 2.09",
        "209",
        (("Haushaltsrecht", 3), ("Doppik", 2), ("Fördermittel", 3)),
    ),
    "elena.popescu": (
        "Sachbearbeiterin Bürgerbüro",
        "Bürgerbüro, Schalter 3",
        "403",
        (("Meldewesen", 4), ("Rumänisch", 4), ("Passwesen", 3)),
    ),
    "kevin.schulte": (
        "Außendienst Ordnungsamt",
        "Bürgerbüro, Raum 4.10",
        "410",
        (("Verkehrsüberwachung", 3), ("Gewerberecht", 2), ("Erste Hilfe", 3)),
    ),
    "monika.vogel": (
        "Sachbearbeiterin Gewerbe",
        "Bürgerbüro, Raum 4.12",
        "412",
        (("Gewerberecht", 4), ("Gaststättenrecht", 3), ("E-Akte", 1)),
    ),
    "ralf.keller": (
        "Leiter Bürgerbüro",
        "Bürgerbüro, Raum 4.01",
        "401",
        (("Meldewesen", 3), ("Passwesen", 4), ("Onlinezugangsgesetz", 2)),
    ),
    "ines.frank": (
        "Standesbeamtin",
        "Altes Rathaus, Trauzimmer",
        "501",
        (("Personenstandsrecht", 4), ("Namensrecht", 3), ("Englisch", 3)),
    ),
    "heike.berger": (
        "Standesbeamtin",
        "Altes Rathaus, Raum 5",
        "505",
        (("Personenstandsrecht", 3), ("Eheschließungen", 4)),
    ),
    "yusuf.kaya": (
        "Sachbearbeiter Standesamt",
        "Altes Rathaus, Raum 6",
        "506",
        (("Namensrecht", 2), ("Türkisch", 4), ("Arabisch", 3)),
    ),
    "uwe.hahn": (
        "Leiter Bauhof",
        "Bauhof, Büro",
        "601",
        (("Winterdienst", 4), ("Fuhrpark", 3), ("Arbeitssicherheit", 3)),
    ),
    "dennis.schroeder": (
        "Gärtner",
        "Bauhof, Halle 2",
        "602",
        (("Grünpflege", 4), ("Baumkontrolle", 3), ("Winterdienst", 2)),
    ),
    "marco.roth": (
        "Kfz-Mechatroniker",
        "Bauhof, Werkstatt",
        "603",
        (("Fuhrpark", 4), ("Arbeitssicherheit", 2)),
    ),
    "svenja.beck": (
        "Spielplatzprüferin",
        "Bauhof, Halle 1",
        "604",
        (("Spielplatzsicherheit", 4), ("Grünpflege", 2), ("Baumkontrolle", 2)),
    ),
    "paul.jung": (
        "Straßenwärter",
        "Bauhof, Halle 1",
        "605",
        (("Straßenbau", 2), ("Winterdienst", 3)),
    ),
    "lisa.otto": (
        "Auszubildende Verwaltungsfachangestellte",
        "Rathaus, Raum 1.23",
        "123",
        (("Microsoft 365", 2), ("Social Media", 3)),
    ),
}

# Handbook pages below "Handbuch der Verwaltung": title, author, tags, body
HANDBOOK = (
    (
        "Dienstreisen",
        "claudia.fischer",
        "personal reisen",
        "Dienstreisen beantragen Sie **vor** Reiseantritt über Ihre Amtsleitung.\n\n"
        "- Fahrtkosten: Bahn 2. Klasse, Pkw nach Landesreisekostengesetz\n"
        "- Abrechnung innerhalb von sechs Monaten\n\nSiehe auch [[Urlaub und Gleitzeit]].",
    ),
    (
        "Urlaub und Gleitzeit",
        "claudia.fischer",
        "personal",
        "Urlaub tragen Sie im Zeiterfassungssystem ein. Gleitzeit gilt von 6:30 bis 19:00 Uhr, "
        "Kernzeit ist 9:00 bis 12:00 Uhr.\n\nFragen: @claudia.fischer",
    ),
    (
        "Homeoffice",
        "claudia.fischer",
        "personal",
        "Bis zu zwei Tage je Woche, wenn die Aufgabe es zulässt. Voraussetzungen: "
        "[[IT-Hilfe und Störungen]] kennen, Dienstnotebook, abschließbarer Arbeitsplatz.",
    ),
    (
        "IT-Hilfe und Störungen",
        "tobias.wagner",
        "it",
        "Störungen melden Sie an die IT-Hotline (Durchwahl 199) oder an @tobias.wagner.\n\n"
        "| Problem | zuerst versuchen |\n|---|---|\n"
        "| Drucker druckt nicht | aus- und einschalten |\n"
        "| kein Netz | Kabel prüfen, dann Hotline |\n| Passwort vergessen | Hotline |\n",
    ),
    (
        "Passwörter und Anmeldung",
        "tobias.wagner",
        "it sicherheit",
        "Mindestens zwölf Zeichen, nie mehrfach verwenden. Siehe [[IT-Hilfe und Störungen]] und "
        "[[Datenschutz im Alltag]].",
    ),
    (
        "Datenschutz im Alltag",
        "admin",
        "datenschutz",
        "- Bildschirm sperren (Windows + L)\n- keine Bürgerdaten in privaten Messengern\n"
        "- Ausdrucke mit Personenbezug in den Datenschutzbehälter\n\n"
        "Ansprechpartnerin: die Datenschutzbeauftragte im Hauptamt.",
    ),
    (
        "Telefonliste und Erreichbarkeit",
        "lisa.otto",
        "telefon",
        "Die aktuelle Telefonliste hängt als Datei an dieser Seite. Zentrale: 0 55 55 / 12-0.",
    ),
    (
        "Posteingang und Scannen",
        "anna.schmidt",
        "e-akte scannen",
        "Die Poststelle scannt alle Eingänge. Wie, steht im [[Scanhandbuch]].",
    ),
    (
        "Scanhandbuch",
        "anna.schmidt",
        "e-akte scannen",
        "1. Heftklammern entfernen\n2. Trennblatt zwischen Vorgänge\n3. Scanprofil wählen\n"
        "4. Qualität prüfen, dann in die [[Posteingang und Scannen|E-Akte]] übernehmen.",
    ),
    (
        "Corporate Design",
        "nina.schaefer",
        "presse",
        "Logo, Farben und Vorlagen für Briefe und Präsentationen. Pressekontakt: @nina.schaefer.",
    ),
    (
        "Barrierefreie Dokumente",
        "nina.schaefer",
        "barrierefreiheit",
        "Überschriften als Formatvorlagen, Alternativtexte für Bilder, Tabellen mit Kopfzeile. "
        "Siehe [[Corporate Design]].",
    ),
    (
        "Ausbildung in der Stadtverwaltung",
        "daniel.meyer",
        "ausbildung",
        "Wir bilden Verwaltungsfachangestellte, Straßenwärter und Gärtner aus. "
        "Praxisstationen plant @daniel.meyer.",
    ),
    (
        "Fördermittel beantragen",
        "andreas.schmid",
        "haushalt foerdermittel",
        "Vor jedem Antrag: Eigenanteil im Haushalt prüfen ([[Beschaffung unter 10.000 €]] gilt "
        "auch für geförderte Käufe).",
    ),
)

# Pages of department spaces: space key, title, author, body
DEPARTMENT_PAGES = (
    (
        "bauhof",
        "Winterdienst – Räumplan",
        "uwe.hahn",
        "## Touren\n\n| Tour | Straßen | Fahrzeug | Beginn |\n|---|---|---|---|\n"
        "| 1 | Innenstadt, Marktplatz | Unimog 1 | 4:00 Uhr |\n| 2 | Gewerbegebiet | Unimog 2 | "
        "4:30 Uhr |\n| 3 | Schulwege, Radwege | Multicar | 5:00 Uhr |\n\n"
        "Bereitschaft: siehe [[Bereitschaftsplan Bauhof]]. #winterdienst",
    ),
    (
        "bauhof",
        "Bereitschaftsplan Bauhof",
        "uwe.hahn",
        "Die Bereitschaft wechselt montags. Telefon der Bereitschaft: 0 55 55 / 12-699.",
    ),
    (
        "bauhof",
        "Spielplätze – Prüfintervalle",
        "svenja.beck",
        "Sichtkontrolle wöchentlich, Funktionskontrolle alle drei Monate, Hauptuntersuchung "
        "jährlich nach DIN EN 1176. #spielplatz",
    ),
    (
        "kaemmerei",
        "Haushaltsplanung 2027",
        "birgit.werner",
        "Fristen: Anmeldungen bis 30. Juni, Beratung im Rat im November. "
        "Siehe [[Fördermittel beantragen]]. #haushalt",
    ),
    (
        "kaemmerei",
        "Gewerbesteuer – häufige Fragen",
        "christian.lehmann",
        "Vorauszahlungen sind am 15. Februar, Mai, August und November fällig. #steuern",
    ),
    (
        "ordnungsamt",
        "Bürgerbüro – Terminvergabe",
        "ralf.keller",
        "Termine vergeben wir online und am Telefon. Notfälle (verlorener Pass vor der Reise) "
        "bekommen am selben Tag einen Termin. #bürgerbüro",
    ),
    (
        "ordnungsamt",
        "Veranstaltungen genehmigen",
        "monika.vogel",
        "Straßenfeste brauchen eine Sondernutzungserlaubnis; Anträge acht Wochen vorher.",
    ),
    (
        "standesamt",
        "Trautermine im Alten Rathaus",
        "ines.frank",
        "Trauungen freitags und an einem Samstag im Monat. Anmeldung der Eheschließung bis "
        "sechs Monate vorher.",
    ),
    (
        "bauamt",
        "Bebauungsplan Am Mühlbach",
        "peter.krueger",
        "Stand: Offenlage abgeschlossen, Abwägung läuft. Nächster Schritt: Satzungsbeschluss. "
        "#bauleitplanung",
    ),
    (
        "bauaufsicht",
        "Vollständigkeitsprüfung Bauantrag",
        "jana.schmitt",
        "- Lageplan\n- Bauzeichnungen\n- Baubeschreibung\n- Standsicherheitsnachweis\n\n"
        "Die Checkliste hängt als Datei an.",
    ),
    (
        "hauptamt",
        "Neue Kolleginnen und Kollegen – erste Woche",
        "claudia.fischer",
        "Tag 1: Ausweis, Schlüssel, Notebook. Tag 2: [[IT-Hilfe und Störungen]]. "
        "Ab Tag 3: Einarbeitung im Amt. Und: Profil in Kollegium ausfüllen!",
    ),
)

# (space key, title, author, minutes: (date, place, present, by, results))
MINUTES = (
    (
        "bauhof",
        "Dienstbesprechung Bauhof Oktober",
        "uwe.hahn",
        (
            "2. Oktober",
            "Bauhof, Pausenraum",
            "Uwe Hahn, Dennis Schröder, Marco Roth, Paul Jung",
            "Paul Jung",
            "Streusalz bestellt; Winterreifen bis 15. Oktober.",
        ),
    ),
    (
        "kaemmerei",
        "Dienstbesprechung Kämmerei November",
        "birgit.werner",
        (
            "6. November",
            "Rathaus, Raum 2.01",
            "Birgit Werner, Sophie Krause, Andreas Schmid",
            "Sophie Krause",
            "Jahresabschluss-Zeitplan steht; Inventur am 20. Dezember.",
        ),
    ),
)

BLOGS = (
    (
        "hauptamt",
        "Aus dem Rathaus",
        "Neuigkeiten aus der Verwaltung für alle Kolleginnen und Kollegen.",
        ("nina.schaefer", "claudia.fischer"),
    ),
    ("bauhof", "Bauhof aktuell", "Was draußen in der Stadt passiert.", ("uwe.hahn",)),
    ("kaemmerei", "Zahlen, bitte!", "Haushalt verständlich erklärt.", ("sophie.krause",)),
)

# blog index, author, title, days ago, tags, body
BLOG_POSTS = (
    (
        0,
        "nina.schaefer",
        "Neues Corporate Design ab Januar",
        35,
        ("presse",),
        "Ab Januar nutzen wir die neuen Brief- und Präsentationsvorlagen. Alles dazu im Wiki: "
        "[[Corporate Design]].",
    ),
    (
        0,
        "claudia.fischer",
        "Willkommen an Bord: zwölf neue Kolleginnen und Kollegen",
        28,
        ("personal",),
        "Im Herbst haben zwölf Menschen bei uns angefangen. Schauen Sie in ihre "
        "Profile und sagen Sie Hallo!",
    ),
    (
        0,
        "nina.schaefer",
        "Tag der offenen Tür im Rathaus",
        21,
        ("veranstaltung",),
        "Am 14. September öffnen wir alle Türen. Wer hilft am Infostand? Bitte melden.",
    ),
    (
        0,
        "claudia.fischer",
        "Betriebliches Gesundheitsmanagement: Rückenkurs",
        14,
        ("gesundheit",),
        "Dienstags 16 Uhr im Sitzungssaal. Anmeldung bei @claudia.fischer.",
    ),
    (
        0,
        "nina.schaefer",
        "Weihnachtsfeier: Termin steht",
        9,
        ("veranstaltung",),
        "Wir feiern am 18. Dezember im Bürgerhaus. Für Essen ist gesorgt.",
    ),
    (
        0,
        "claudia.fischer",
        "Neue Dienstvereinbarung Homeoffice",
        4,
        ("personal",),
        "Die Dienstvereinbarung ist unterschrieben. Was sich ändert: [[Homeoffice]].",
    ),
    (
        1,
        "uwe.hahn",
        "Der Winter kann kommen",
        30,
        ("winterdienst",),
        "400 Tonnen Streusalz liegen im Lager, alle Fahrzeuge sind geprüft. Räumplan: "
        "[[Winterdienst – Räumplan]].",
    ),
    (
        1,
        "uwe.hahn",
        "Neue Bäume für die Lindenallee",
        24,
        ("grün",),
        "Wir pflanzen 18 Winterlinden nach. Die Allee ist dafür zwei Tage gesperrt.",
    ),
    (
        1,
        "uwe.hahn",
        "Spielplatz am Stadtpark wieder offen",
        17,
        ("spielplatz",),
        "Nach der Sanierung ist der Spielplatz wieder geöffnet — mit neuer Seilbahn.",
    ),
    (
        1,
        "uwe.hahn",
        "Laub: Sammeltermine im November",
        11,
        ("grün",),
        "Die Laubsäcke holen wir an vier Samstagen ab. Termine stehen auf der Website.",
    ),
    (
        1,
        "uwe.hahn",
        "Fuhrpark: der erste E-Transporter",
        6,
        ("fuhrpark",),
        "Seit Montag fährt unser erster elektrischer Transporter. Erste Bilanz: leise und sparsam.",
    ),
    (
        2,
        "sophie.krause",
        "Was ist eigentlich Doppik?",
        33,
        ("haushalt",),
        "Doppik heißt: Wir buchen wie ein Unternehmen, mit Ergebnis- und Finanzhaushalt. "
        "Eine Einführung in fünf Minuten.",
    ),
    (
        2,
        "sophie.krause",
        "Der Haushalt 2027 in Zahlen",
        19,
        ("haushalt",),
        "68 Millionen Euro Aufwand, davon 41 % Personal und Transfers. Die Details: "
        "[[Haushaltsplanung 2027]].",
    ),
    (
        2,
        "sophie.krause",
        "Kassenschluss zum Jahresende",
        8,
        ("kasse",),
        "Letzte Auszahlungen am 20. Dezember. Bitte Rechnungen rechtzeitig freigeben.",
    ),
    (
        2,
        "sophie.krause",
        "Fördermittel: drei Programme, die Sie kennen sollten",
        2,
        ("foerdermittel",),
        "Städtebauförderung, Digitalpakt, Klimaschutz. Was sie fördern und "
        "wie: [[Fördermittel beantragen]].",
    ),
    (
        0,
        "nina.schaefer",
        "Kollegium: ein Jahr Intranet",
        40,
        ("kollegium",),
        "Vor einem Jahr ist Kollegium gestartet: über tausend Wikiseiten, viele Blogs, jeden Tag "
        "Fragen und Antworten im Stream. Danke fürs Mitmachen!",
    ),
    (
        0,
        "claudia.fischer",
        "Personalversammlung am 12. März",
        3,
        ("personal",),
        "Die Personalversammlung findet im Bürgerhaus statt. Die Tagesordnung folgt.",
    ),
    (
        1,
        "uwe.hahn",
        "Straßenschäden melden: so geht's",
        15,
        ("straßen",),
        "Schlaglöcher melden Bürgerinnen und Bürger online; intern genügt eine Nachricht an den "
        "Bauhof. Wir sind meist in zwei Tagen vor Ort.",
    ),
    (
        2,
        "sophie.krause",
        "Budgetberichte jetzt monatlich",
        26,
        ("controlling",),
        "Ab sofort bekommen alle Amtsleitungen einen monatlichen Budgetbericht.",
    ),
    (
        1,
        "uwe.hahn",
        "Neue Streufahrzeuge im Test",
        1,
        ("winterdienst",),
        "Zwei Hersteller stellen uns im Dezember Streufahrzeuge zum Test zur Verfügung.",
    ),
    (2, "sophie.krause", "Entwurf: Nachtragshaushalt", 1, ("haushalt",), "Noch in Arbeit."),
)

# A busy stream: (author, space key or None, hours ago, text, replies [(author, text)], likers)
STREAM = (
    (
        "peter.krueger",
        None,
        1,
        "Wer war schon auf der Fachtagung #Bauleitplanung in Hannover? Lohnt sich das?",
        [("sandra.lange", "Ja, vor allem die Workshops."), ("peter.krueger", "Danke!")],
        ("markus.zimmermann",),
    ),
    (
        "julia.koch",
        "stammtisch",
        15,
        "Mein Lieblingskürzel: Strg + Umschalt + T öffnet den zuletzt geschlossenen Tab. #Tipps",
        [("lukas.braun", "Kannte ich nicht, danke!")],
        ("mehmet.yilmaz", "lena.hoffmann", "anna.schmidt"),
    ),
    (
        "frank.neumann",
        "ordnungsamt",
        48,
        "Fundsachen der Woche: drei Fahrräder und ein Saxophon. #Bürgerbüro",
        [],
        ("elena.popescu", "aylin.demir", "nina.schaefer"),
    ),
    (
        "nina.schaefer",
        None,
        2,
        "Die Pressemitteilung zum #Haushalt ist raus. Danke an @sophie.krause für die Zahlen!",
        [("sophie.krause", "Gern geschehen!")],
        ("birgit.werner", "admin", "andreas.schmid"),
    ),
    (
        "tobias.wagner",
        None,
        3,
        "Heute ab 17 Uhr Wartung am Mailserver, etwa eine Stunde. #IT",
        [("lisa.otto", "Gilt das auch für das Handy?"), ("tobias.wagner", "Ja, auch dort.")],
        ("jonas.weber",),
    ),
    (
        "uwe.hahn",
        "bauhof",
        5,
        "Erster Frost heute Nacht: Tour 1 und 2 waren ab 4 Uhr unterwegs. #Winterdienst",
        [("paul.jung", "Gewerbegebiet ist frei.")],
        ("dennis.schroeder", "marco.roth", "svenja.beck", "peter.krueger"),
    ),
    (
        "elena.popescu",
        "ordnungsamt",
        6,
        "Ab Montag gibt es im #Bürgerbüro wieder Abendtermine bis 19 Uhr.",
        [],
        ("ralf.keller", "kevin.schulte"),
    ),
    (
        "daniel.meyer",
        None,
        8,
        "Unsere Azubis suchen ein Projekt für ihre Projektwoche. Ideen? #Ausbildung",
        [
            ("nina.schaefer", "Ein Video über das Bürgerbüro?"),
            ("ralf.keller", "Gern, wir machen mit."),
        ],
        ("lisa.otto", "fatma.arslan"),
    ),
    (
        "ines.frank",
        "standesamt",
        10,
        "Rekord: 14 Trauungen an einem Samstag im Alten Rathaus.",
        [("heike.berger", "Und alle pünktlich!")],
        ("yusuf.kaya", "nina.schaefer"),
    ),
    (
        "peter.krueger",
        "bauamt",
        12,
        "Die Bürgerversammlung zum Bebauungsplan Am Mühlbach war "
        "gut besucht. Protokoll folgt. #Bauleitplanung",
        [],
        ("sandra.lange", "mehmet.yilmaz"),
    ),
    (
        "christian.lehmann",
        "kaemmerei",
        20,
        "Erinnerung: Gewerbesteuer-Vorauszahlung am 15.11. #Steuern",
        [],
        ("birgit.werner",),
    ),
    (
        "svenja.beck",
        "bauhof",
        22,
        "Spielplatz Stadtpark: Seilbahn abgenommen, alles sicher. #Spielplatz",
        [("uwe.hahn", "Danke, Svenja!")],
        ("dennis.schroeder", "paul.jung"),
    ),
    (
        "fatma.arslan",
        None,
        26,
        "Am 8. März laden wir alle Kolleginnen und Kollegen zum Frühstück ein. #Gleichstellung",
        [],
        ("claudia.fischer", "nina.schaefer", "lisa.otto"),
    ),
    (
        "jana.schmitt",
        "bauaufsicht",
        30,
        "Kennt jemand eine gute Vorlage für Nachforderungen bei Bauanträgen? @thomas.becker",
        [("thomas.becker", "Ja, im Wiki unter Vollständigkeitsprüfung Bauantrag.")],
        ("oliver.hartmann",),
    ),
    (
        "marco.roth",
        "bauhof",
        34,
        "Der neue E-Transporter hat die ersten 500 km hinter sich.",
        [],
        ("uwe.hahn",),
    ),
    (
        "lisa.otto",
        None,
        40,
        "Mein erster Monat im Rathaus: danke für den freundlichen Empfang! #Ausbildung",
        [("daniel.meyer", "Schön, dass Sie da sind!"), ("claudia.fischer", "Willkommen!")],
        ("daniel.meyer", "anna.schmidt", "maria.klein"),
    ),
    (
        "sophie.krause",
        "kaemmerei",
        46,
        "Excel-Tipp: SVERWEIS war gestern, XVERWEIS kann mehr. #Tipps",
        [("mehmet.yilmaz", "Zeigen Sie das beim Digital-Stammtisch?"), ("sophie.krause", "Gern!")],
        ("christian.lehmann", "julia.koch"),
    ),
    (
        "ralf.keller",
        "ordnungsamt",
        52,
        "Reisepässe: Die Bearbeitungszeit liegt wieder bei drei Wochen.",
        [],
        ("elena.popescu",),
    ),
    (
        "kevin.schulte",
        "ordnungsamt",
        60,
        "Marktplatz am Samstag ab 6 Uhr gesperrt (Wochenmarkt und Stadtfest).",
        [],
        (),
    ),
    (
        "markus.zimmermann",
        "bauamt",
        70,
        "Energieberatung für die Grundschule Nord: Fenstertausch lohnt sich. #Klimaschutz",
        [
            ("sandra.lange", "Förderung schon geprüft?"),
            ("andreas.schmid", "Ja, Klimaschutzprogramm."),
        ],
        ("peter.krueger",),
    ),
    (
        "nina.schaefer",
        None,
        80,
        "Wer hat Fotos vom Tag der offenen Tür? Bitte an mich. #Presse",
        [],
        ("daniel.meyer",),
    ),
    (
        "yusuf.kaya",
        "standesamt",
        90,
        "Neues Formular für Namenserklärungen ist online.",
        [],
        ("ines.frank",),
    ),
    (
        "dennis.schroeder",
        "bauhof",
        100,
        "Die Linden in der Allee sind gepflanzt. #grün",
        [("uwe.hahn", "Gute Arbeit, Team!")],
        ("svenja.beck", "paul.jung", "marco.roth"),
    ),
    (
        "andreas.schmid",
        "kaemmerei",
        110,
        "Fördermittel-Frist für den Digitalpakt: 31. Januar.",
        [],
        ("sophie.krause",),
    ),
    ("heike.berger", "standesamt", 130, "Das Trauzimmer hat neue Stühle bekommen.", [], ()),
    (
        "oliver.hartmann",
        "bauaufsicht",
        150,
        "Baustellenkontrolle Am Mühlbach: alles nach Plan.",
        [],
        ("jana.schmitt",),
    ),
    (
        "claudia.fischer",
        None,
        170,
        "Die Stellenausschreibung für die IT ist online — bitte teilen! #Personal",
        [("tobias.wagner", "Endlich Verstärkung!")],
        ("tobias.wagner", "jonas.weber", "nina.schaefer"),
    ),
    (
        "birgit.werner",
        "kaemmerei",
        190,
        "Die Stadtkasse ist am Freitag ab 12 Uhr geschlossen.",
        [],
        (),
    ),
    (
        "monika.vogel",
        "ordnungsamt",
        210,
        "Neue Gaststättenerlaubnisse jetzt komplett in der #E-Akte.",
        [("anna.schmidt", "Super, das ging schnell!")],
        ("anna.schmidt",),
    ),
)

CSV_PHONE_LIST = (
    "Name;Amt;Durchwahl\nPetra Administratorin;Hauptamt;100\nAnna Schmidt;Hauptamt;112\n"
    "Uwe Hahn;Bauhof;601\nBirgit Werner;Kämmerei;201\nRalf Keller;Bürgerbüro;401\n"
)
CHECKLIST = (
    "Vollständigkeitsprüfung Bauantrag\n\n[ ] Lageplan\n[ ] Bauzeichnungen\n"
    "[ ] Baubeschreibung\n[ ] Standsicherheitsnachweis\n"
)


def seed(demo: DemoOrganisation) -> None:
    """Fill the wider town through the services."""
    _profiles(demo)
    _wiki(demo)
    _blogs(demo)
    _stream(demo)


def _profiles(demo: DemoOrganisation) -> None:
    departments = {username: department for username, _name, department in PEOPLE}
    for username, (title, room, extension, skills) in PROFILES.items():
        person = demo.people[username]
        profiles.update_profile(
            person,
            person,
            ProfileEdit(
                job_title=title,
                department_id=demo.spaces[departments[username]].id,
                location=room,
                phone=f"+49 5555 12-{extension}",
                skills=tuple(SkillEntry(name, level) for name, level in skills),
            ),
        )


def _wiki(demo: DemoOrganisation) -> None:
    people, spaces = demo.people, demo.spaces
    handbook = wiki.page_for_link(demo.admin, "Handbuch der Verwaltung", None)
    created = {}
    for title, author, tags, body in HANDBOOK:
        created[title] = wiki.create_page(
            people[author],
            wiki.NewPage(title=title, body=body, parent_id=handbook.id, tags=tags),
        )
    # The handbook's front page links to everything below it.
    links = "\n".join(f"- [[{title}]]" for title in ("Beschaffung unter 10.000 €", *created))
    _edit(handbook, people["anna.schmidt"], f"Hier sammeln wir, wie wir arbeiten.\n\n{links}\n")
    for space_key, title, author, body in DEPARTMENT_PAGES:
        created[title] = wiki.create_page(
            people[author], wiki.NewPage(title=title, body=body, space_id=spaces[space_key].id)
        )
    for space_key, title, author, (day, place, present, by, results) in MINUTES:
        body = (
            f"- **Datum:** {day}\n- **Ort:** {place}\n- **Teilnehmende:** {present}\n"
            f"- **Protokoll:** {by}\n\n## Ergebnisse\n\n{results}\n\n## Aufgaben\n\n"
            "- [ ] Protokoll verteilen\n"
        )
        wiki.create_page(
            people[author],
            wiki.NewPage(title=title, body=body, space_id=spaces[space_key].id, tags="protokoll"),
        )
    files = (
        ("Telefonliste und Erreichbarkeit", "lisa.otto", "telefonliste.csv", CSV_PHONE_LIST),
        (
            "Vollständigkeitsprüfung Bauantrag",
            "jana.schmitt",
            "checkliste-bauantrag.txt",
            CHECKLIST,
        ),
    )
    for title, author, filename, text in files:
        stream = io.BytesIO(text.encode())
        attachments.attach_file(people[author], created[title], stream, filename)


def _edit(page, editor, body: str) -> None:
    wiki.update_page(
        editor,
        page,
        wiki.PageEdit(
            title=page.title,
            body=body,
            base_revision=page.revision,
            tags=page.tags,
            parent_id=page.parent_id,
            space_id=page.space_id,
            comment="Alle Seiten des Handbuchs verlinkt",
        ),
    )


def _blogs(demo: DemoOrganisation) -> None:
    people, now = demo.people, utcnow()
    blogs = []
    for space_key, title, description, authors in BLOGS:
        new = blog.create_blog(
            demo.admin, blog.NewBlog(title, description, demo.spaces[space_key].id)
        )
        for username in authors:
            blog.name_author(demo.admin, new, username)
        blogs.append(new)
    posts = []
    for index, author, title, days_ago, tags, body in BLOG_POSTS:
        status = "draft" if title.startswith("Entwurf") else "published"
        when = now - timedelta(days=days_ago) if status == "published" else None
        draft = blog.PostDraft(title, body, status, when, tags)
        posts.append(blog.write_post(people[author], blogs[index], draft))
    question = social.add_comment(
        people["paul.jung"],
        social.NewComment(
            f"blog_post:{posts[6].id}", "Bekommen wir auch neue Schneeschieber?", is_question=True
        ),
    )
    answer = social.add_comment(
        people["uwe.hahn"],
        social.NewComment(
            f"blog_post:{posts[6].id}", "Ja, zehn Stück sind bestellt.", parent_id=question.id
        ),
    )
    social.mark_answer(people["uwe.hahn"], answer.id)
    social.add_comment(
        people["julia.koch"],
        social.NewComment(
            f"blog_post:{posts[12].id}", "Wo finde ich die Übersicht nach Ämtern?", is_question=True
        ),
    )
    for username in ("lisa.otto", "ralf.keller", "peter.krueger", "anna.schmidt"):
        social.like(people[username], f"blog_post:{posts[1].id}")
    for username, index in (("paul.jung", 1), ("anna.schmidt", 0), ("julia.koch", 2)):
        social.follow(people[username], f"blog:{blogs[index].id}")


def _stream(demo: DemoOrganisation) -> None:
    people, now = demo.people, utcnow()
    for author, space_key, hours_ago, text, replies, likers in STREAM:
        space = demo.spaces[space_key] if space_key else None
        post = microblog.create_post(
            people[author], microblog.NewPost(body=text, space_id=space.id if space else None)
        )
        post.created_at = now - timedelta(hours=hours_ago)
        for step, (replier, reply_text) in enumerate(replies, start=1):
            reply = microblog.create_post(
                people[replier], microblog.NewPost(body=reply_text, reply_to=post.id)
            )
            reply.created_at = post.created_at + timedelta(minutes=12 * step)
        db.session.commit()
        for username in likers:
            social.like(people[username], f"micropost:{post.id}")
