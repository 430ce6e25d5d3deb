"""Insights: views counted once per reader, item and day without keeping who read what;
counts only; small departments hidden; SVG charts with tables; CSV export."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.errors import Forbidden
from app.extensions import db
from app.insights import service as insights
from app.insights.counter import record_view
from app.insights.models import ViewCount, ViewMark, ViewSalt
from app.social import service as social
from tests.factories import make_page, make_space, make_user
from tests.web import sign_in, spreadsheet_rows


def views_of(page) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(ViewCount.views), 0)).where(
            ViewCount.target_kind == "wiki_page", ViewCount.target_id == page.id
        )
    )


def test_a_view_counts_once_per_reader_and_day(member, owner):
    page = make_page(author=member)
    record_view(member, "wiki_page", page.id, None)
    record_view(member, "wiki_page", page.id, None)
    record_view(owner, "wiki_page", page.id, None)
    assert views_of(page) == 2


def test_stored_view_data_names_nobody(member):
    page = make_page(author=member)
    record_view(member, "wiki_page", page.id, None)
    marks = db.session.scalars(select(ViewMark.reader_hash)).all()
    assert marks and all(str(member.id) != mark and member.username not in mark for mark in marks)
    columns = {column.name for column in ViewCount.__table__.columns}
    assert not columns & {"user_id", "reader_id", "reader_hash", "username"}


def test_a_new_day_forgets_the_marks_of_the_days_before(member, monkeypatch):
    from app.insights import counter

    page = make_page(author=member)
    record_view(member, "wiki_page", page.id, None)
    tomorrow = counter.utcnow() + timedelta(days=1)
    monkeypatch.setattr(counter, "utcnow", lambda: tomorrow)
    record_view(member, "wiki_page", page.id, None)
    assert views_of(page) == 2
    assert db.session.scalar(select(func.count(ViewSalt.day))) == 1
    assert {mark.day for mark in db.session.scalars(select(ViewMark))} == {tomorrow.date()}


def test_opening_a_page_counts_it(client, member):
    page = make_page(author=member)
    sign_in(client, member)
    client.get(page.url)
    client.get(page.url)
    assert views_of(page) == 1


def test_only_admins_and_space_owners_see_insights(admin, owner, member):
    space = make_space(owners=[owner], members=[member])
    with pytest.raises(Forbidden):
        insights.scope_for(member, None, None)
    with pytest.raises(Forbidden):
        insights.scope_for(owner, None, None)
    with pytest.raises(Forbidden):
        insights.scope_for(member, space.id, None)
    assert insights.scope_for(owner, space.id, 7).space.id == space.id
    assert insights.scope_for(admin, None, 12345).days == insights.DEFAULT_PERIOD


def test_most_read_liked_and_discussed(admin, member, owner):
    read = make_page("Viel gelesen", author=member)
    quiet = make_page("Kaum gelesen", author=member)
    for reader in (member, owner, admin):
        record_view(reader, "wiki_page", read.id, None)
    record_view(member, "wiki_page", quiet.id, None)
    social.like(owner, f"wiki_page:{quiet.id}")
    social.add_comment(owner, social.NewComment(f"wiki_page:{read.id}", "Danke!"))
    scope = insights.scope_for(admin, None, 30)
    assert [(i.title, i.count) for i in insights.most_read(scope)] == [
        ("Viel gelesen", 3),
        ("Kaum gelesen", 1),
    ]
    assert [(i.title, i.count) for i in insights.most_liked(scope)] == [("Kaum gelesen", 1)]
    assert [(i.title, i.count) for i in insights.most_discussed(scope)] == [("Viel gelesen", 1)]


def test_space_scope_shows_only_the_space(admin, owner, member):
    space = make_space(owners=[owner], members=[member])
    inside = make_page("Drinnen", author=member, space=space)
    outside = make_page("Draußen", author=member)
    record_view(member, "wiki_page", inside.id, space.id)
    record_view(member, "wiki_page", outside.id, None)
    scope = insights.scope_for(owner, space.id, 30)
    assert [i.title for i in insights.most_read(scope)] == ["Drinnen"]


def test_small_departments_are_hidden(admin, app):
    people = [make_user() for _ in range(6)]
    big = make_space("Bauamt", kind="department", members=people[:5])
    small = make_space("Kämmerei", kind="department", members=people[5:])
    make_page(author=people[0], space=big)
    make_page(author=people[5], space=small)
    scope = insights.scope_for(admin, None, 30)
    figures = {f.name: f for f in insights.contributors_by_department(scope)}
    assert figures["Bauamt"].contributors == 1 and figures["Bauamt"].members == 5
    assert figures["Kämmerei"].contributors is None
    app.config["INSIGHTS_MIN_GROUP_SIZE"] = 1
    figures = {f.name: f for f in insights.contributors_by_department(scope)}
    assert figures["Kämmerei"].contributors == 1


def test_adoption_counts_new_content_per_week(admin, member):
    make_page(author=member)
    make_page(author=member)
    weeks = insights.adoption(insights.scope_for(admin, None, 30))
    assert len(weeks) == insights.WEEKS
    assert weeks[-1].pages == 2 and weeks[-1].active_users == 1
    assert sum(week.pages for week in weeks[:-1]) == 0


def test_page_has_svg_charts_with_tables_and_no_names(client, admin, member):
    page = make_page("Dienstplan", author=member)
    record_view(member, "wiki_page", page.id, None)
    sign_in(client, admin)
    html = client.get("/insights/").get_data(as_text=True)
    assert html.count('role="img"') >= 3
    assert "<title id=" in html and "<desc id=" in html and "<table" in html
    assert "Dienstplan" in html
    assert "Mia Mitglied" not in html  # nobody's reading is shown
    sign_in(client, member)
    assert client.get("/insights/").status_code == 403


def test_every_table_exports_as_csv(client, admin, member):
    page = make_page("=SUMME(A1)", author=member)
    record_view(member, "wiki_page", page.id, None)
    sign_in(client, admin)
    for name in insights.TABLE_NAMES:
        response = client.get(f"/insights/{name}.csv?days=7")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = spreadsheet_rows(response)
        assert rows[0]
    rows = spreadsheet_rows(client.get("/insights/most_read.csv"))
    assert rows[1][0] == "'=SUMME(A1)" and rows[1][2] == "1"
    assert client.get("/insights/nonsense.csv").status_code == 404


def test_space_owner_sees_the_space_page(client, owner, member):
    space = make_space(owners=[owner], members=[member])
    sign_in(client, owner)
    html = client.get(f"/insights/?space={space.id}").get_data(as_text=True)
    assert "fewer than 5 members" in html
    assert client.get("/insights/?space=999999").status_code == 404


def test_deleted_items_drop_out_of_the_top_lists(admin, member):
    from app.wiki import service as wiki

    gone = make_page("Gelöscht", author=member)
    kept = make_page("Bleibt", author=member)
    record_view(member, "wiki_page", gone.id, None)
    record_view(admin, "wiki_page", gone.id, None)
    record_view(member, "wiki_page", kept.id, None)
    wiki.delete_page(member, gone)
    scope = insights.scope_for(admin, None, 30)
    assert [item.title for item in insights.most_read(scope)] == ["Bleibt"]


def test_a_view_counted_meanwhile_by_another_request_is_not_an_error(member, monkeypatch):
    from app.insights import counter

    page = make_page(author=member)
    record_view(member, "wiki_page", page.id, None)
    # As if a second tab had passed the "seen?" check before the first one wrote its mark.
    monkeypatch.setattr(counter.db.session, "scalar", lambda *_args, **_kw: None)
    with monkeypatch.context() as patched:
        patched.setattr(
            counter, "_salt_of", lambda day: db.session.execute(select(ViewSalt.salt)).scalar_one()
        )
        record_view(member, "wiki_page", page.id, None)
    monkeypatch.undo()
    assert views_of(page) == 1
