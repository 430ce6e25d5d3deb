"""The demo wiki: linked pages, a tree, revisions."""

from sqlalchemy import select

from app.extensions import db
from app.wiki.models import Page


def test_seed_demo_creates_a_linked_wiki_with_history(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    procurement = db.session.scalar(select(Page).where(Page.slug == "beschaffung-unter-10-000"))
    assert procurement.revision == 2 and procurement.parent is not None
    assert "wiki-missing" not in procurement.body_html
    assert 'href="/wiki/global/vergaberecht-ueberblick"' in procurement.body_html
    minutes = db.session.scalar(select(Page).where(Page.title.like("Protokoll%")))
    assert minutes.space is not None and "wiki-missing" not in minutes.body_html
