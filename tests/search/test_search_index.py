"""The index: permissions inside the query, the single writer, rebuilds and recovery."""

import multiprocessing
import os
import shutil
import threading
import time

import pytest

from app.search.index import LOCK_WAIT_SECONDS, SearchIndex

READER = {"all", "user:1"}
MEMBER = {"all", "user:2", "space:5"}
WAIT_SECONDS = 30


def keys(index, query, tokens=READER):
    return {hit.key for hit in index.search(query, acl_tokens=tokens, page_size=100).hits}


# Permissions ------------------------------------------------------------------------


@pytest.fixture
def secret_index(index, make_document):
    index.apply(
        [
            make_document("wiki:1", "Haushalt", "Der Haushalt für Schulen."),
            make_document(
                "wiki:2", "Haushalt geheim", "Haushalt Geheimprojekt", acl=("space:5",), space=5
            ),
        ],
        [],
    )
    return index


def test_members_only_document_is_not_found_without_the_token(secret_index):
    page = secret_index.search("Haushalt", acl_tokens=READER)
    assert page.total == 1
    assert [hit.key for hit in page.hits] == ["wiki:1"]


def test_members_only_document_is_found_by_members(secret_index):
    assert keys(secret_index, "Haushalt", MEMBER) == {"wiki:1", "wiki:2"}


def test_suggestions_never_offer_words_only_hidden_documents_hold(secret_index):
    assert secret_index.suggest("Geheimprojeckt", READER) is None
    assert secret_index.suggest("Geheimprojeckt", MEMBER) == "geheimprojekt"


def test_suggestion_for_a_misspelling(secret_index):
    assert secret_index.suggest("Hausshalt", READER) == "haushalt"
    assert secret_index.suggest("Haushalt", READER) is None


def test_expertise_hits_are_filtered_by_acl(secret_index):
    assert [hit.url for hit in secret_index.expertise_hits("Haushalt", acl_tokens=READER)] == [
        "/wiki/1"
    ]


def test_reader_without_tokens_finds_nothing(secret_index):
    assert secret_index.search("Haushalt", acl_tokens=set()).total == 0


# Writing ----------------------------------------------------------------------------


def test_apply_replaces_and_deletes(index, make_document):
    index.apply([make_document("wiki:1", "Alt", "Apfel"), make_document("wiki:2", "", "Birne")], [])
    index.apply([make_document("wiki:1", "Neu", "Kirsche")], ["wiki:2"])
    assert keys(index, "Apfel") == set()
    assert keys(index, "Kirsche") == {"wiki:1"}
    assert keys(index, "Birne") == set()
    assert set(index.stored_keys()) == {"wiki:1"}


class PausedDocuments:
    """Documents for a rebuild that stop after `pause_after` until released (no sleeps)."""

    def __init__(self, documents, pause_after):
        self.documents, self.pause_after = documents, pause_after
        self.paused, self.release = threading.Event(), threading.Event()

    def __iter__(self):
        for number, document in enumerate(self.documents):
            if number == self.pause_after:
                self.paused.set()
                assert self.release.wait(WAIT_SECONDS)
            yield document


def test_apply_returns_false_while_another_writer_holds_the_lock(tmp_path, make_document):
    root = tmp_path / "search"
    writer, web = SearchIndex(root), SearchIndex(root)
    web.apply([make_document("wiki:1", "", "Apfel")], [])
    documents = PausedDocuments([make_document("wiki:1", "", "Apfel")] * 2, pause_after=1)
    rebuild = threading.Thread(target=writer.rebuild, args=(documents,))
    rebuild.start()
    assert documents.paused.wait(WAIT_SECONDS)

    started = time.monotonic()
    applied = web.apply([make_document("wiki:9", "", "Zitrone")], [])
    waited = time.monotonic() - started

    documents.release.set()
    rebuild.join(WAIT_SECONDS)
    assert applied is False
    assert waited < LOCK_WAIT_SECONDS / 10
    assert web.apply([make_document("wiki:9", "", "Zitrone")], [])
    assert keys(web, "Zitrone") == {"wiki:9"}


def test_searching_works_during_a_rebuild_and_sees_the_new_generation_after(
    tmp_path, make_document
):
    root = tmp_path / "search"
    writer, web = SearchIndex(root), SearchIndex(root)
    writer.apply([make_document("wiki:1", "", "Apfel")], [])
    documents = PausedDocuments(
        [make_document("wiki:2", "", "Birne"), make_document("wiki:3", "", "Birne")],
        pause_after=1,
    )
    rebuild = threading.Thread(target=writer.rebuild, args=(documents,))
    rebuild.start()
    assert documents.paused.wait(WAIT_SECONDS)
    web.refresh()
    during = keys(web, "Apfel"), keys(web, "Birne")
    documents.release.set()
    rebuild.join(WAIT_SECONDS)
    web.refresh()

    assert during == ({"wiki:1"}, set())
    assert keys(web, "Apfel") == set()
    assert keys(web, "Birne") == {"wiki:2", "wiki:3"}


def test_rebuild_reports_progress_and_counts(index, make_document):
    seen = []
    documents = [make_document(f"micro:{n}", "", "Wort") for n in range(250)]
    assert index.rebuild(documents, total=250, progress=seen.append) == 250
    assert seen == [100, 200, 250]
    assert index.search("Wort", acl_tokens=READER).total == 250


def test_rebuild_with_two_processes(index, make_document):
    documents = [make_document(f"micro:{n}", "", f"Wort w{n}") for n in range(300)]
    index.rebuild(iter(documents), total=None, processes=2)
    assert index.search("Wort", acl_tokens=READER).total == 300
    assert keys(index, "w299") == {"micro:299"}


def failing_documents(make_document):
    yield make_document("wiki:2", "", "Birne")
    raise RuntimeError("database went away")


def test_failed_rebuild_leaves_the_old_index_serving(index, make_document):
    index.apply([make_document("wiki:1", "", "Apfel")], [])
    with pytest.raises(RuntimeError):
        index.rebuild(failing_documents(make_document))
    assert keys(index, "Apfel") == {"wiki:1"}
    assert keys(index, "Birne") == set()
    assert len(list(index.root.glob("gen-*"))) == 1


def rebuild_until_killed(root, paused, documents):
    def stalled():
        yield from documents
        paused.set()
        threading.Event().wait()  # until the parent kills this process

    SearchIndex(root).rebuild(stalled())


def test_killed_rebuild_leaves_the_old_index_and_a_new_rebuild_succeeds(tmp_path, make_document):
    root = tmp_path / "search"
    index = SearchIndex(root)
    index.apply([make_document("wiki:1", "", "Apfel")], [])
    context = multiprocessing.get_context("fork")
    paused = context.Event()
    documents = [make_document(f"wiki:{n}", "", "Birne") for n in range(2, 50)]
    child = context.Process(target=rebuild_until_killed, args=(root, paused, documents))
    child.start()
    assert paused.wait(WAIT_SECONDS)
    os.kill(child.pid, 9)
    child.join(WAIT_SECONDS)
    assert len(list(root.glob("gen-*"))) == 2  # the killed rebuild's leftover

    index.refresh()
    assert keys(index, "Apfel") == {"wiki:1"}
    assert index.apply([make_document("wiki:60", "", "Apfel")], [])
    assert index.rebuild([make_document("wiki:70", "", "Kirsche")]) == 1
    assert keys(index, "Kirsche") == {"wiki:70"}
    assert keys(index, "Apfel") == set()
    assert len(list(root.glob("gen-*"))) == 2  # the new one and the one it replaced


# Recovery ---------------------------------------------------------------------------


def test_deleted_index_folder_answers_empty_and_is_recreated_on_apply(index, make_document):
    index.apply([make_document("wiki:1", "", "Apfel")], [])
    assert keys(index, "Apfel") == {"wiki:1"}
    shutil.rmtree(index.root)
    index.refresh()

    assert index.search("Apfel", acl_tokens=READER).total == 0
    assert index.apply([make_document("wiki:2", "", "Apfel")], [])
    assert keys(index, "Apfel") == {"wiki:2"}


def test_corrupted_index_answers_empty_and_is_replaced_on_apply(tmp_path, make_document):
    root = tmp_path / "search"
    SearchIndex(root).apply([make_document("wiki:1", "", "Apfel")], [])
    for path in root.glob("gen-*/*"):
        path.write_bytes(b"\x00garbage" * 10)
    index = SearchIndex(root)

    assert index.search("Apfel", acl_tokens=READER).total == 0
    assert index.suggest("Apfell", READER) is None
    assert index.apply([make_document("wiki:2", "", "Apfel")], [])
    assert keys(index, "Apfel") == {"wiki:2"}


def test_garbled_pointer_file_is_replaced_on_apply(index, make_document):
    index.apply([make_document("wiki:1", "", "Apfel")], [])
    (index.root / "CURRENT").write_text("../../etc")
    index.refresh()
    assert index.search("Apfel", acl_tokens=READER).total == 0
    assert index.apply([make_document("wiki:2", "", "Apfel")], [])
    assert keys(index, "Apfel") == {"wiki:2"}


def test_a_kept_searcher_sees_a_delete_only_commit(index, make_document):
    index.apply([make_document("wiki:1", "Alt", "Apfel")], [])
    assert keys(index, "Apfel") == {"wiki:1"}
    index.apply([], ["wiki:1"])
    assert keys(index, "Apfel") == set()
    assert index.stored_keys() == {}
    index.apply([make_document("wiki:2", "", "Apfel")], [])
    assert keys(index, "Apfel") == {"wiki:2"}
