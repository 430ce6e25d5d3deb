"""Pages kept per browser (app/pagecache.py): a page seen again unchanged costs one statement,
and nothing that changed — by a page, a service, a command or a bare connection — is ever
shown from a kept copy. The registry walk (tests/test_registry.py) repeats this for every
kind of content and every change that takes an item away."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from app import content, pagecache
from app.extensions import db
from app.social import service as social
from app.wiki.models import Page
from tests.factories import make_page, make_user
from tests.web import post_form, sign_in, statements_of


@pytest.fixture(autouse=True)
def views_counted_as_in_production(app):
    """Views are buffered and written later, as in production (tests write them at once)."""
    app.config["VIEW_COUNTING"] = "buffered"
    app.config["VIEW_FLUSH_SECONDS"] = 3600.0


def seen(client, path: str) -> str:
    """The page as its second view shows it (a browser's first page notes its bell in the
    session, so that view is rendered and not kept)."""
    client.get(path)
    return client.get(path).get_data(as_text=True)


def test_a_page_seen_again_unchanged_costs_one_statement(client, member):
    page = make_page("Dienstplan", author=member, body="Früh- und Spätdienst.")
    sign_in(client, member)
    first = seen(client, page.url)
    count = len(statements_of(client, page.url))
    again = client.get(page.url).get_data(as_text=True)
    assert again == first and "Spätdienst" in again
    assert count == 1  # the browser's sign-in, which brings the data generation along


def test_every_write_shows_at_once(app, client, member, owner):
    page = make_page("Dienstplan", author=member, body="Früh- und Spätdienst.")
    sign_in(client, member)
    seen(client, page.url)

    social.add_comment(owner, social.NewComment(f"wiki_page:{page.id}", "Nachtdienst fehlt"))
    assert "Nachtdienst fehlt" in client.get(page.url).get_data(as_text=True)

    # A write that no session makes (a command, a restore) changes the generation too.
    with db.engine.begin() as connection:
        connection.execute(update(Page).where(Page.id == page.id).values(body_html="<p>Neu</p>"))
    shown = client.get(page.url).get_data(as_text=True)
    assert "<p>Neu</p>" in shown and "Spätdienst" not in shown


def test_one_browsers_page_is_never_anothers(app, member, owner):
    page = make_page("Dienstplan", author=member)
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, member)
    sign_in(theirs, owner)
    assert member.display_name in seen(mine, page.url)
    shown = seen(theirs, page.url)
    assert owner.display_name in shown and member.display_name not in shown.split("<main")[0]
    # The same colleague in a second browser gets pages rendered for that browser (its own
    # form tokens): a kept page is the browser's, not the person's.
    again = app.test_client()
    sign_in(again, member)
    count = len(statements_of(again, page.url))
    assert count > 1


def test_a_waiting_message_is_shown_not_a_kept_page(client, member):
    page = make_page("Dienstplan", author=member)
    sign_in(client, member)
    seen(client, page.url)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Gespeichert, danke!")]
    assert "Gespeichert, danke!" in client.get(page.url).get_data(as_text=True)
    assert "Gespeichert, danke!" not in client.get(page.url).get_data(as_text=True)


def test_a_kept_page_still_counts_its_view(client, member, monkeypatch):
    page = make_page("Dienstplan", author=member)
    counted = []
    monkeypatch.setattr(
        content, "count_view", lambda actor, kind, item_id, space_id: counted.append(actor.id)
    )
    sign_in(client, member)
    seen(client, page.url)
    count = len(statements_of(client, page.url))
    assert count == 1
    assert counted == [member.id] * 3


def test_what_is_never_kept(client, admin, member):
    sign_in(client, admin)
    seen(client, "/admin/users")
    count = len(statements_of(client, "/admin/users"))
    assert count > 1  # administration pages are rendered every time
    signed_out = client.application.test_client()
    assert signed_out.get("/login").status_code == 200
    kept = {key[5] for key in pagecache.store()._pages}
    assert not [path for path in kept if path.startswith(("/admin", "/login"))]


def test_switched_off(app, client, member):
    app.config["PAGE_CACHE_SECONDS"] = 0
    page = make_page("Dienstplan", author=member)
    sign_in(client, member)
    seen(client, page.url)
    count = len(statements_of(client, page.url))
    assert count > 1


def test_the_store_forgets_old_and_least_used_pages():
    store = pagecache.PageStore(max_bytes=8_000)
    later = time.monotonic() + 60

    def kept(size: int, until: float = later) -> pagecache.KeptPage:
        return pagecache.KeptPage(b"x" * size, "text/html", (), until)

    store.put(("old",), kept(10, until=time.monotonic() - 1))
    assert store.get(("old",)) is None
    store.put(("huge",), kept(2_000))  # more than an eighth of the store
    assert store.get(("huge",)) is None
    for name in ("a", "b", "c", "d"):
        store.put((name,), kept(900))
    assert store.get(("a",)) is not None  # used: kept over b
    for name in ("e", "f", "g", "h", "i"):
        store.put((name,), kept(900))
    assert store.get(("b",)) is None and store.get(("a",)) is not None
    assert store._bytes <= 8_000


def test_which_statements_change_the_data():
    assert pagecache.is_counted_write("UPDATE pages SET title = ? WHERE pages.id = ?")
    assert pagecache.is_counted_write("INSERT INTO comments (body) VALUES (?)")
    assert pagecache.is_counted_write('DELETE FROM "space_members" WHERE id = ?')
    assert pagecache.is_counted_write("CREATE TABLE later (id INTEGER)")
    assert not pagecache.is_counted_write("SELECT pages.id FROM pages")
    assert not pagecache.is_counted_write("  select 1")
    assert not pagecache.is_counted_write("INSERT INTO page_views (target_kind) VALUES (?)")
    assert not pagecache.is_counted_write("UPDATE data_generation SET token = 'x'")


def test_another_reader_of_the_same_page_adds_their_own_copy(app, member):
    page = make_page("Dienstplan", author=member)
    readers = [make_user(f"leser{number}") for number in range(3)]
    for reader in readers:
        browser = app.test_client()
        sign_in(browser, reader)
        assert reader.display_name in seen(browser, page.url)
    assert {key[1] for key in pagecache.store()._pages} == {reader.id for reader in readers}


def test_a_form_on_a_kept_page_is_sent_and_its_message_shown(client, member):
    page = make_page("Dienstplan", author=member)
    sign_in(client, member)
    seen(client, page.url)
    response = post_form(
        client,
        "/comments",
        {"target": f"wiki_page:{page.id}", "body": "Wer tauscht mit mir?", "next": page.url},
        token_from=page.url,  # the kept page's form token
    )
    assert response.status_code == 302
    shown = client.get(page.url).get_data(as_text=True)
    assert "Your comment was published." in shown and "Wer tauscht mit mir?" in shown


def test_a_browser_with_a_new_form_token_gets_pages_with_it(client, member):
    page = make_page("Dienstplan", author=member)
    sign_in(client, member)
    first = seen(client, page.url)
    with client.session_transaction() as session:
        session["csrf_token"] = "0" * 40  # as after a new session's first form
    again = client.get(page.url).get_data(as_text=True)
    assert again != first  # rendered with form tokens of the session's new one


def test_remembered_values_expire_and_make_room():
    memo = pagecache.Remembered(max_entries=2)
    memo.put(("bell", 1), 3, time.monotonic() - 1)  # the clock may change it: gone
    assert memo.get(("bell", 1)) is pagecache._MISSING
    later = time.monotonic() + 60
    for user_id in (1, 2, 3):
        memo.put(("bell", user_id), user_id, later)
    assert memo.get(("bell", 1)) is pagecache._MISSING and memo.get(("bell", 3)) == 3
