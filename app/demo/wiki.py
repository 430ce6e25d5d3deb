"""The demo town's wiki: a procurement process, minutes and an agenda, a page tree, links
between pages and a few revisions."""

from __future__ import annotations

from app.demo.organisation import DemoOrganisation
from app.wiki import service as wiki
from app.wiki.templates_builtin import ensure_builtin_templates

PROCUREMENT = """\
## Zweck

Diese Seite beschreibt, wie wir Lieferungen und Leistungen **unter 10.000 € netto** beschaffen.
Darüber gilt [[Vergaberecht – Überblick]].

## Ablauf

1. Bedarf mit der Amtsleitung abstimmen und im Haushalt prüfen (#haushalt).
2. Bis 1.000 € netto: Direktauftrag, Angebot formlos einholen.
3. Ab 1.000 € netto: mindestens **drei Vergleichsangebote** einholen und dokumentieren.
4. Vergabevermerk mit der Vorlage der Kämmerei anlegen.
5. Auftrag erteilen, Rechnung sachlich und rechnerisch prüfen.

## Zuständigkeiten

| Schritt | zuständig | Vertretung |
|---|---|---|
| Bedarf | Fachamt | Amtsleitung |
| Vergleichsangebote | Fachamt | Zentrale Vergabestelle |
| Rechnungsprüfung | Kämmerei | Kasse |

## Fragen

Bei Fragen hilft @katrin.wolf aus der Kämmerei. #vergabe
"""

LAW = """\
Für Aufträge unterhalb der EU-Schwellenwerte gelten die **Unterschwellenvergabeordnung (UVgO)**
und die Vergabebestimmungen des Landes.

- [[Beschaffung unter 10.000 €]]
- Wertgrenzen werden jährlich von der Kämmerei geprüft.

#vergabe #recht
"""

AGENDA = """\
- **Sitzung:** Projektgruppe E-Akte
- **Datum und Uhrzeit:** Donnerstag, 9:00–10:30 Uhr
- **Ort:** Rathaus, Raum 2.14

| TOP | Thema | verantwortlich | Zeit |
|---|---|---|---|
| 1 | Begrüßung und Genehmigung des Protokolls | Anna Schmidt | 5 Min. |
| 2 | Stand Aktenplan | Jonas Weber | 20 Min. |
| 3 | Schulungskonzept | Katrin Wolf | 20 Min. |
| 4 | Verschiedenes | alle | 10 Min. |
"""

MINUTES = """\
- **Teilnehmende:** Anna Schmidt, Jonas Weber, Katrin Wolf, Thomas Becker
- **Protokoll:** Jonas Weber

## Ergebnisse

### TOP 2: Stand Aktenplan

Der Aktenplan für das Hauptamt ist fertig. Bauaufsicht und Kämmerei folgen bis Ende des Quartals.

### TOP 3: Schulungskonzept

Wir schulen in kleinen Gruppen zu je acht Personen. Siehe [[Tagesordnung Projektgruppe E-Akte]].

## Aufgaben

- [x] Aktenplan Hauptamt abstimmen – Jonas Weber
- [ ] Schulungstermine festlegen – Katrin Wolf – bis Monatsende
- [ ] Rückmeldung Bauaufsicht einholen – Thomas Becker
"""


def seed(demo: DemoOrganisation) -> None:
    """Create the demo wiki pages through the service."""
    ensure_builtin_templates()
    people, spaces = demo.people, demo.spaces
    katrin, anna, jonas = people["katrin.wolf"], people["anna.schmidt"], people["jonas.weber"]

    handbook = wiki.create_page(
        anna,
        wiki.NewPage(
            title="Handbuch der Verwaltung",
            body="Hier sammeln wir, wie wir arbeiten.\n\n- [[Beschaffung unter 10.000 €]]\n",
        ),
    )
    procurement = wiki.create_page(
        katrin,
        wiki.NewPage(
            title="Beschaffung unter 10.000 €",
            body=PROCUREMENT.replace("mindestens **drei", "mindestens **zwei"),
            parent_id=handbook.id,
            tags="beschaffung",
        ),
    )
    _edit(procurement, katrin, PROCUREMENT, "Drei Vergleichsangebote ab 1.000 € (Ratsbeschluss)")
    wiki.create_page(
        people["michael.schulz"],
        wiki.NewPage(title="Vergaberecht – Überblick", body=LAW, parent_id=handbook.id),
    )
    project = spaces["e-akte"]
    wiki.create_page(
        anna,
        wiki.NewPage(title="Tagesordnung Projektgruppe E-Akte", body=AGENDA, space_id=project.id),
    )
    minutes = wiki.create_page(
        jonas,
        wiki.NewPage(
            title="Protokoll Projektgruppe E-Akte",
            body=MINUTES.replace("Thomas Becker\n**Protokoll", "\n**Protokoll"),
            space_id=project.id,
            tags="protokoll e-akte",
        ),
    )
    _edit(minutes, jonas, MINUTES, "Teilnehmerliste ergänzt")


def _edit(page, editor, body: str, comment: str) -> None:
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
            comment=comment,
        ),
    )
