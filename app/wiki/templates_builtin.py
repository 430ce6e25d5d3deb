"""The templates every wiki starts with, in German and English. Texts are page content, not
interface strings, so they live here rather than in the catalogue."""

from __future__ import annotations

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.wiki import links
from app.wiki.models import Page, Revision, title_key

# key -> language -> (title, body)
BUILTIN = {
    "process": {
        "de": (
            "Vorlage: Prozessbeschreibung",
            "## Zweck\n\nWozu dient der Prozess?\n\n"
            "## Geltungsbereich\n\nFür wen und wann gilt er?\n\n"
            "## Rechtsgrundlagen\n\n- \n\n## Ablauf\n\n1. \n2. \n3. \n\n## Zuständigkeiten\n\n"
            "| Schritt | zuständig | Vertretung |\n|---|---|---|\n|  |  |  |\n\n"
            "## Fristen\n\n- \n\n## Vorlagen und Formulare\n\n- \n\n## Ansprechpersonen\n\n- \n",
        ),
        "en": (
            "Template: Process description",
            "## Purpose\n\nWhat is the process for?\n\n"
            "## Scope\n\nWho does it apply to, and when?\n\n"
            "## Legal basis\n\n- \n\n## Steps\n\n1. \n2. \n3. \n\n## Responsibilities\n\n"
            "| Step | responsible | deputy |\n|---|---|---|\n|  |  |  |\n\n"
            "## Deadlines\n\n- \n\n## Forms\n\n- \n\n## Contacts\n\n- \n",
        ),
    },
    "minutes": {
        "de": (
            "Vorlage: Besprechungsprotokoll",
            "- **Datum:** \n- **Ort:** \n- **Teilnehmende:** \n- **Protokoll:** \n\n"
            "## Tagesordnung\n\n1. \n\n## Ergebnisse\n\n### TOP 1\n\n\n"
            "## Aufgaben\n\n- [ ] Aufgabe – zuständig – bis\n\n## Nächster Termin\n\n",
        ),
        "en": (
            "Template: Meeting minutes",
            "- **Date:** \n- **Place:** \n- **Present:** \n- **Minutes by:** \n\n"
            "## Agenda\n\n1. \n\n## Results\n\n### Item 1\n\n\n"
            "## Tasks\n\n- [ ] Task – who – by when\n\n## Next meeting\n\n",
        ),
    },
    "agenda": {
        "de": (
            "Vorlage: Tagesordnung",
            "- **Sitzung:** \n- **Datum und Uhrzeit:** \n- **Ort:** \n\n"
            "| TOP | Thema | verantwortlich | Zeit |\n|---|---|---|---|\n"
            "| 1 | Begrüßung und Genehmigung des Protokolls |  | 5 Min. |\n"
            "| 2 |  |  |  |\n| 3 | Verschiedenes |  |  |\n",
        ),
        "en": (
            "Template: Agenda",
            "- **Meeting:** \n- **Date and time:** \n- **Place:** \n\n"
            "| Item | Topic | responsible | Time |\n|---|---|---|---|\n"
            "| 1 | Welcome and approval of the minutes |  | 5 min |\n"
            "| 2 |  |  |  |\n| 3 | Any other business |  |  |\n",
        ),
    },
    "ideas": {
        "de": (
            "Vorlage: Ideensammlung",
            "## Fragestellung\n\nWelches Problem wollen wir lösen?\n\n## Ideen\n\n"
            "| Idee | eingebracht von | Aufwand | Nutzen |\n|---|---|---|---|\n|  |  |  |  |\n\n"
            "## Bewertung\n\n## Nächste Schritte\n\n- [ ] \n",
        ),
        "en": (
            "Template: Idea collection",
            "## Question\n\nWhich problem do we want to solve?\n\n## Ideas\n\n"
            "| Idea | suggested by | effort | benefit |\n|---|---|---|---|\n|  |  |  |  |\n\n"
            "## Assessment\n\n## Next steps\n\n- [ ] \n",
        ),
    },
    "strategy": {
        "de": (
            "Vorlage: Strategiepapier",
            "## Ausgangslage\n\n## Ziele\n\n1. \n\n## Handlungsfelder\n\n## Maßnahmen\n\n"
            "| Maßnahme | Ziel | verantwortlich | bis |\n|---|---|---|---|\n|  |  |  |  |\n\n"
            "## Ressourcen\n\n## Erfolgskontrolle\n",
        ),
        "en": (
            "Template: Strategy paper",
            "## Situation\n\n## Goals\n\n1. \n\n## Fields of action\n\n## Measures\n\n"
            "| Measure | goal | responsible | by |\n|---|---|---|---|\n|  |  |  |  |\n\n"
            "## Resources\n\n## Measuring success\n",
        ),
    },
    "faq": {
        "de": (
            "Vorlage: Häufige Fragen",
            "## Frage 1?\n\nAntwort.\n\n## Frage 2?\n\nAntwort.\n\n"
            "Ihre Frage fehlt? Wenden Sie sich an: \n",
        ),
        "en": (
            "Template: FAQ",
            "## Question 1?\n\nAnswer.\n\n## Question 2?\n\nAnswer.\n\n"
            "Your question is missing? Ask: \n",
        ),
    },
}


def ensure_builtin_templates() -> None:
    """Create the built-in templates in the global wiki unless a template exists already."""
    exists = db.session.scalar(select(Page.id).where(Page.is_template.is_(True)).limit(1))
    if exists is not None:
        return
    now = utcnow()
    for key, texts in BUILTIN.items():
        for language, (title, body) in texts.items():
            page = Page(
                space=None,
                title=title,
                title_key=title_key(title),
                slug=f"{'vorlage' if language == 'de' else 'template'}-{key}",
                body=body,
                is_template=True,
                language=language,
                revision=1,
                reviewed_at=now,
                created_at=now,
                updated_at=now,
            )
            links.render_page(page)
            db.session.add(
                Revision(
                    page=page,
                    number=1,
                    title=title,
                    body=body,
                    body_html=page.body_html,
                    created_at=now,
                )
            )
    db.session.commit()
