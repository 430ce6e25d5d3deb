"""Search wired into Kollegium: the outbox, the drain, the commands, the page and the API."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.search import outbox, service, sources
from app.search.extension import get_index, state
from app.search.index import SearchIndex
from app.search.outbox import SearchOutbox
from app.social.models import Comment
from app.spaces.models import Visibility
from tests import search_memo
from tests.factories import make_space, make_token
from tests.search_memo import Memo, MemoBase, make_memo, use_as_search_source
from tests.web import bearer, render_every_page, sign_in

WAIT_SECONDS = 10


@pytest.fixture
def memo_tool(app, monkeypatch):
    """The test-only "wiki" tool (tests/search_memo.py) in place of the real one."""
    MemoBase.metadata.create_all(db.engine)
    use_as_search_source(app, monkeypatch, "wiki", search_memo)
    yield
    db.session.remove()
    MemoBase.metadata.drop_all(db.engine)


def keys_found(actor, query: str, **filters) -> list[str]:
    found = service.search(actor, query, service.Filters(**filters))
    return [result.hit.key for result in found.results]


def outbox_keys() -> list[str]:
    return list(db.session.scalars(select(SearchOutbox.key).order_by(SearchOutbox.id)))


def run(app, *args):
    return app.test_cli_runner().invoke(args=["search", *args])


# --- the outbox ---------------------------------------------------------------------------


def test_a_save_writes_an_outbox_row_in_its_own_transaction(memo_tool, member):
    memo = Memo(title="Hundesteuer", author_id=member.id)
    db.session.add(memo)
    db.session.flush()
    assert outbox_keys() == [f"wiki:{memo.id}"]
    db.session.rollback()
    assert outbox_keys() == []

    saved = make_memo(member, "Hundesteuer", "Die Steuer für Hunde")
    # Drained after the commit: delivered, and findable at once.
    assert outbox_keys() == []
    assert keys_found(member, "Hundesteuer") == [f"wiki:{saved.id}"]


def test_changes_and_deletes_reach_the_index(memo_tool, member):
    memo = make_memo(member, "Parkausweis", "Anwohnerparken beantragen")
    memo.title = "Bewohnerparkausweis"
    db.session.commit()
    assert keys_found(member, "Bewohnerparkausweis") == [f"wiki:{memo.id}"]
    memo.deleted_at = memo.updated_at
    db.session.commit()
    assert keys_found(member, "Bewohnerparkausweis") == []
    make_memo(member, "Anderes")
    db.session.delete(db.session.get(Memo, memo.id))
    db.session.commit()
    assert outbox_keys() == []


def test_an_unchanged_object_queues_nothing(memo_tool, member):
    memo = make_memo(member, "Wahlhelfer")
    db.session.get(Memo, memo.id).title  # noqa: B018 (read only)
    db.session.flush()
    assert outbox_keys() == []


def test_a_comment_is_found_titled_and_linked_by_its_target(memo_tool, member, outsider):
    memo = make_memo(member, "Sperrmüll abholen")
    comment = Comment(
        target_kind="wiki_page",
        target_id=memo.id,
        author_id=outsider.id,
        body="Wie melde ich Elektroschrott an?",
        body_html="<p>Wie melde ich Elektroschrott an?</p>",
        is_question=True,
    )
    db.session.add(comment)
    db.session.commit()
    (result,) = service.search(member, "Elektroschrott").results
    assert result.hit.key == f"comment:{comment.id}"
    assert result.hit.title == "Sperrmüll abholen"
    assert result.hit.url == f"/memos/{memo.id}#comment-{comment.id}"
    # A question is interest, not expertise.
    assert service.find_experts(member, "Elektroschrott") == []


def test_a_broken_index_folder_never_fails_a_save_and_the_row_arrives_later(
    memo_tool, app, member, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index folder should be")
    state().index = SearchIndex(blocker / "search")

    memo = make_memo(member, "Friedhofsgebühren", "Die Satzung über Gebühren")

    assert db.session.get(Memo, memo.id) is not None
    (row,) = db.session.scalars(select(SearchOutbox)).all()
    assert (row.key, row.attempts) == (f"wiki:{memo.id}", 1)
    assert "Error" in row.last_error
    assert keys_found(member, "Friedhofsgebühren") == []

    blocker.unlink()  # repaired
    assert state().drain_now() == 1
    assert outbox_keys() == []
    assert keys_found(member, "Friedhofsgebühren") == [f"wiki:{memo.id}"]


def test_a_busy_index_leaves_rows_for_the_worker(memo_tool, app, member, monkeypatch):
    monkeypatch.setattr(SearchIndex, "apply", lambda self, *a, **k: False)
    memo = make_memo(member, "Baumfällung")
    assert outbox_keys() == [f"wiki:{memo.id}"]
    monkeypatch.undo()
    use_as_search_source(app, monkeypatch, "wiki", search_memo)

    result = run(app, "worker", "--once")

    assert result.exit_code == 0, result.output
    assert outbox_keys() == []
    assert keys_found(member, "Baumfällung") == [f"wiki:{memo.id}"]


def test_a_broken_tool_keeps_only_its_own_rows(memo_tool, member, monkeypatch):
    monkeypatch.setattr("tests.search_memo.document_for", lambda memo: 1 / 0)
    make_memo(member, "Kaputt")
    (row,) = db.session.scalars(select(SearchOutbox)).all()
    assert "ZeroDivisionError" in row.last_error


# --- the commands -----------------------------------------------------------------------------


def test_reindex_then_check_agree_and_check_names_drift(memo_tool, app, member):
    memos = [make_memo(member, f"Seite {n}", "Straßenreinigung") for n in range(3)]
    result = run(app, "reindex")
    assert result.exit_code == 0, result.output
    assert "Indexed 4 documents" in result.output  # three memos, the member's profile
    assert run(app, "check").exit_code == 0

    get_index().apply([], [f"wiki:{memos[1].id}"], block=True)
    result = run(app, "check")
    assert result.exit_code == 1
    assert f"missing from the index: wiki:{memos[1].id}" in result.output

    stray = sources.document_for_key(f"wiki:{memos[0].id}")
    get_index().apply([stray.__class__(**{**_fields(stray), "key": "wiki:999999"})], [])
    result = run(app, "check")
    assert "not in the database: wiki:999999" in result.output


def test_check_finds_an_index_written_by_an_older_analysis_and_reindex_mends_it(
    memo_tool, app, member
):
    make_memo(member, "Friedhofsgebührensatzung", "Gebühren des Friedhofs")
    assert run(app, "reindex").exit_code == 0
    index = get_index()
    generation = (index.root / "CURRENT").read_text().strip()
    (index.root / generation / "ANALYSIS").unlink()  # as an index from before the version
    result = run(app, "check")
    assert result.exit_code == 1
    assert "older analysis" in result.output
    assert run(app, "reindex").exit_code == 0
    assert run(app, "check").exit_code == 0


def _fields(document) -> dict:
    return {name: getattr(document, name) for name in document.__slots__}


def test_a_reindex_killed_half_way_leaves_search_working(memo_tool, app, member, monkeypatch):
    memo = make_memo(member, "Winterdienst", "Räumpflicht der Anlieger")
    real = sources.all_documents

    def dies_half_way():
        yield next(real())
        raise KeyboardInterrupt  # the process is stopped

    monkeypatch.setattr(sources, "all_documents", dies_half_way)
    assert run(app, "reindex").exit_code != 0
    assert keys_found(member, "Winterdienst") == [f"wiki:{memo.id}"]

    monkeypatch.setattr(sources, "all_documents", real)
    assert run(app, "reindex").exit_code == 0
    assert run(app, "check").exit_code == 0
    assert keys_found(member, "Räumpflicht") == [f"wiki:{memo.id}"]


# --- permissions --------------------------------------------------------------------------------


@pytest.fixture
def hidden_world(memo_tool, owner, member):
    """A public memo, one in a members-only space, and a draft, all about Vergaberecht."""
    closed = make_space(owners=[owner], visibility=Visibility.MEMBERS.value)
    public = make_memo(owner, "Vergaberecht öffentlich", "Schwellenwerte im Vergaberecht")
    secret = make_memo(
        owner, "Vergaberecht intern", "Geheimklausel Quorumzauber Vergaberecht", space_id=closed.id
    )
    draft = make_memo(member, "Vergaberecht Entwurf", "Entwurfsnotiz Vergaberecht", is_draft=True)
    return public, secret, draft


def test_members_only_and_drafts_never_reach_others(hidden_world, outsider, owner, member):
    public, secret, draft = hidden_world
    found = service.search(outsider, "Vergaberecht")
    assert [r.hit.key for r in found.results] == [f"wiki:{public.id}"]
    assert found.page.total == 1
    assert "Geheimklausel" not in str([r.hit.snippet_html for r in found.results])
    assert keys_found(outsider, "Quorumzauber") == []
    assert service.search(outsider, "Quorumzaubr").suggestion is None
    experts = service.find_experts(outsider, "Vergaberecht")
    assert [e.user.username for e in experts] == [owner.username]
    assert [item.url for item in experts[0].evidence] == [f"/memos/{public.id}"]

    assert set(keys_found(owner, "Vergaberecht")) == {f"wiki:{public.id}", f"wiki:{secret.id}"}
    assert service.search(owner, "Quorumzaubr").suggestion == "quorumzauber"
    assert f"wiki:{draft.id}" in keys_found(member, "Vergaberecht")


def test_the_page_hides_what_the_reader_may_not_see(hidden_world, client, outsider):
    sign_in(client, outsider)
    page = client.get("/search?q=Vergaberecht").get_data(as_text=True)
    assert "Vergaberecht öffentlich" in page
    assert "intern" not in page and "Entwurf" not in page
    assert "1 result" in page


# --- the page ---------------------------------------------------------------------------------


def test_the_page_finds_german_and_english_word_forms(memo_tool, client, member):
    make_memo(member, "Gebühren und Verträge", "Gebühren für Verträge: our contracts")
    sign_in(client, member)
    for query in ("gebuehren", "Gebuhren", "Vertrag", "contract"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert "Gebühren und Verträge" in page, query
        assert "<mark>" in page


def test_the_page_filters_sorts_and_pages(memo_tool, client, member, owner):
    space = make_space(members=[member])
    for n in range(25):
        make_memo(member if n % 2 else owner, f"Melderecht {n}", "Meldebescheinigung")
    make_memo(member, "Melderecht im Raum", "Meldebescheinigung", space_id=space.id, tags="melde")
    sign_in(client, member)
    page = client.get("/search?q=Meldebescheinigung&sort=newest").get_data(as_text=True)
    assert "26 results" in page and 'aria-current="page">1<' in page
    assert "page=2" in page and "sort=newest" in page
    assert client.get("/search?q=Meldebescheinigung&page=2").status_code == 200
    page = client.get(f"/search?q=Meldebescheinigung&space={space.id}").get_data(as_text=True)
    assert "1 result" in page and "Melderecht im Raum" in page
    page = client.get("/search?q=Meldebescheinigung&author=otto&kind=wiki").get_data(as_text=True)
    assert "13 results" in page
    page = client.get("/search?q=Meldebescheinigung&author=nobody").get_data(as_text=True)
    assert "0 results" in page
    page = client.get("/search?tag=melde").get_data(as_text=True)
    assert "Melderecht im Raum" in page
    page = client.get("/search?q=Meldebescheinigung&from=2999-01-01").get_data(as_text=True)
    assert "0 results" in page


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "author:", "-", "*", "a" * 5000, "<script>alert(1)</script>", "\u202e\u0007"],
)
def test_malformed_queries_never_error(memo_tool, client, member, query):
    sign_in(client, member)
    assert client.get("/search", query_string={"q": query, "page": "x"}).status_code == 200
    response = client.get("/search", query_string={"q": query, "from": "nonsense"})
    assert "<script>alert" not in response.get_data(as_text=True)


def test_a_nul_character_is_refused_like_everywhere_else(memo_tool, client, member):
    sign_in(client, member)
    response = client.get("/search", query_string={"q": "Melde\x00recht"})
    assert response.status_code == 400


def test_the_page_shows_did_you_mean_and_people(memo_tool, client, member, owner):
    make_memo(owner, "Gewerbeanmeldung", "Gewerbeanmeldung online")
    sign_in(client, member)
    page = client.get("/search?q=Gewerbeanmeldnug").get_data(as_text=True)
    assert "Did you mean" in page and "q=gewerbeanmeldung" in page
    page = client.get("/search?q=Gewerbeanmeldung").get_data(as_text=True)
    assert "People" in page and "Otto Owner" in page and "wrote 1 wiki page" in page


def test_a_former_colleague_is_marked_not_hidden(memo_tool, client, member, former):
    make_memo(former, "Archivordnung", "Aktenplan")
    sign_in(client, member)
    page = client.get("/search?q=Aktenplan").get_data(as_text=True)
    assert "Fritz Former" in page and "former colleague" in page


def test_the_page_answers_in_german(memo_tool, client, member):
    make_memo(member, "Gebühren", "Gebühren")
    sign_in(client, member)
    page = client.get("/search?q=Gebühren", headers={"Accept-Language": "de"})
    assert "1 Ergebnis" in page.get_data(as_text=True)


# --- the API ----------------------------------------------------------------------------------


def test_api_search_answers_the_designed_shape(hidden_world, client, outsider):
    public = hidden_world[0]
    response = client.get("/api/v1/search?q=Vergaberecht", headers=bearer(make_token(outsider)))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1
    (result,) = body["results"]
    assert set(result) == {"kind", "id", "title", "url", "snippet", "score"}
    assert (result["kind"], result["id"], result["url"]) == (
        "wiki",
        public.id,
        f"/memos/{public.id}",
    )
    assert "<mark>" in result["snippet"]


def test_api_search_filters_and_rejects_bad_arguments(hidden_world, client, owner):
    headers = bearer(make_token(owner))
    body = client.get("/api/v1/search?q=Vergaberecht&kind=comment", headers=headers).get_json()
    assert body == {"total": 0, "results": [], "understood": ""}
    assert client.get("/api/v1/search?q=x&kind=nope", headers=headers).status_code == 422
    assert client.get("/api/v1/search?q=x&page=0", headers=headers).status_code == 422
    assert client.get('/api/v1/search?q="&page=1', headers=headers).status_code == 200
    assert client.get("/api/v1/search?q=x").status_code == 401


def test_api_experts_answers_the_designed_shape(hidden_world, client, outsider, owner):
    response = client.get(
        "/api/v1/experts?q=Vergaberecht&limit=3", headers=bearer(make_token(outsider))
    )
    assert response.status_code == 200
    (expert,) = response.get_json()["experts"]
    assert set(expert) == {"username", "display_name", "score", "evidence"}
    assert expert["username"] == owner.username
    assert expert["evidence"] == [
        {"kind": "wiki", "title": "Vergaberecht öffentlich", "url": f"/memos/{hidden_world[0].id}"}
    ]
    headers = bearer(make_token(outsider, name="second"))
    assert client.get("/api/v1/experts?q=&limit=0", headers=headers).status_code == 422
    assert client.get("/api/v1/experts?q=", headers=headers).get_json() == {"experts": []}


def test_drain_is_harmless_when_nothing_waits(app):
    assert outbox.drain(get_index()) == 0


def test_in_production_a_save_does_not_wait_for_the_index(memo_tool, member, monkeypatch):
    from app.search.extension import SearchState

    release, delivered = threading.Event(), threading.Event()
    real_apply, real_drain = SearchIndex.apply, SearchState.drain_now

    def slow_apply(self, *args, **kwargs):
        assert release.wait(WAIT_SECONDS)
        return real_apply(self, *args, **kwargs)

    def drain_now(self):
        count = real_drain(self)
        if count:
            delivered.set()
        return count

    monkeypatch.setattr(SearchIndex, "apply", slow_apply)
    monkeypatch.setattr(SearchState, "drain_now", drain_now)
    state().background = True

    memo = make_memo(member, "Straßenlaternen")  # returns while the index is held up

    assert not delivered.is_set()
    release.set()
    assert delivered.wait(WAIT_SECONDS)
    assert keys_found(member, "Straßenlaternen") == [f"wiki:{memo.id}"]


def count_queries(client, path: str) -> int:
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_the_page_queries_do_not_grow_with_results(memo_tool, client, member):
    render_every_page(client)
    from tests.factories import make_user

    space = make_space(members=[member])
    for n in range(3):
        make_memo(make_user(), f"Abfallkalender {n}", "Abfallkalender", space_id=space.id)
    sign_in(client, member)
    client.get("/search?q=Abfallkalender")  # the first page also reads the guidelines version
    few = count_queries(client, "/search?q=Abfallkalender")
    for n in range(15):
        make_memo(make_user(), f"Abfallkalender mehr {n}", "Abfallkalender", space_id=space.id)
    assert count_queries(client, "/search?q=Abfallkalender") == few


def test_with_a_worker_the_web_process_leaves_the_rows(memo_tool, app, member):
    state().by_worker = True
    memo = make_memo(member, "Glasfaserausbau")
    assert outbox_keys() == [f"wiki:{memo.id}"]
    assert run(app, "worker", "--once").exit_code == 0
    assert keys_found(member, "Glasfaserausbau") == [f"wiki:{memo.id}"]


def test_an_unknown_drain_mode_is_refused(database_uri, tmp_path):
    from app import create_app
    from tests.conftest import test_settings

    settings = {**test_settings(database_uri), "SEARCH_DRAIN": "sometimes"}
    with pytest.raises(ValueError, match="SEARCH_DRAIN"):
        create_app(settings, instance_path=str(tmp_path / "instance"))


def test_the_memory_for_postings_is_a_setting(database_uri, tmp_path):
    from app import create_app
    from app.search import matching
    from tests.conftest import test_settings

    before = matching.SHARED_POSTINGS.max_bytes
    try:
        settings = {**test_settings(database_uri), "SEARCH_POSTINGS_BYTES": 1024}
        create_app(settings, instance_path=str(tmp_path / "small"))
        assert matching.SHARED_POSTINGS.max_bytes == 1024
        assert matching.SHARED_POSTINGS._size <= 1024
        for wrong in (-1, "lots", 1.5, True):
            settings = {**test_settings(database_uri), "SEARCH_POSTINGS_BYTES": wrong}
            with pytest.raises(RuntimeError, match="SEARCH_POSTINGS_BYTES"):
                create_app(settings, instance_path=str(tmp_path / "wrong"))
    finally:
        matching.SHARED_POSTINGS.limit(before)
