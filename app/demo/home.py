"""Demo for the home page: published usage guidelines (every demo colleague has accepted
them, so the demo is usable at once), announcements that ask for a read confirmation, and
some page views for the insights."""

from __future__ import annotations

from sqlalchemy import select

from app.blog.models import Post
from app.confirmations import service as confirmations
from app.demo.organisation import DemoOrganisation
from app.extensions import db
from app.guidelines import service as guidelines
from app.insights.counter import record_view
from app.microblog.models import Micropost
from app.wiki import service as wiki
from app.wiki.models import Page

GUIDELINES = """Kollegium ist das Intranet der Stadtverwaltung Musterstadt. Damit es allen
nützt, gelten diese Regeln.

## Miteinander

- Wir schreiben sachlich und freundlich, auch wenn wir anderer Meinung sind.
- Fragen sind willkommen: Es gibt keine dummen Fragen.

## Inhalte

- Personenbezogene Daten von Bürgerinnen und Bürgern gehören nicht ins Intranet, sondern in
  die Fachverfahren.
- Vertrauliches gehört in geschlossene Bereiche.
- Wiki-Seiten haben eine verantwortliche Person, die sie aktuell hält.

## Datenschutz

Auswertungen zeigen nur Zahlen. Niemand kann sehen, wer was gelesen hat. Die
Dienstvereinbarung mit dem Personalrat regelt die Einzelheiten.
"""


def seed(demo: DemoOrganisation) -> None:
    admin = demo.admin
    page = wiki.create_page(admin, wiki.NewPage(title="Nutzungsrichtlinien", body=GUIDELINES))
    release = guidelines.publish(admin, page.id)
    for person in demo.people.values():
        guidelines.accept(person, release.version)

    pinned = db.session.scalar(
        select(Micropost).where(Micropost.pinned_at.is_not(None)).order_by(Micropost.id).limit(1)
    )
    if pinned is not None:
        target = f"micropost:{pinned.id}"
        confirmations.request_confirmation(admin, target)
        for username in ("anna.schmidt", "jonas.weber", "katrin.wolf"):
            confirmations.confirm(demo.people[username], target)

    training = db.session.scalar(select(Post).where(Post.title == "Schulungstermine im Frühjahr"))
    if training is not None:
        target = f"blog_post:{training.id}"
        confirmations.request_confirmation(demo.people["anna.schmidt"], target)
        confirmations.confirm(demo.people["thomas.becker"], target)

    # Some reading, so the insights have figures to show.
    pages = list(db.session.scalars(select(Page).where(Page.is_template.is_(False)).limit(6)))
    posts = list(db.session.scalars(select(Post).limit(3)))
    people = list(demo.people.values())
    for index, item in enumerate([*pages, *posts]):
        kind = "wiki_page" if isinstance(item, Page) else "blog_post"
        for reader in people[: max(len(people) - 2 * index, 2)]:
            record_view(reader, kind, item.id, item.space_id)
