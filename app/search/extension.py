"""Search inside the Flask app: one index per process, the outbox hooks and the drain.

``init_app`` (called by create_app) opens the app's `SearchIndex` once and keeps it in
``app.extensions["kollegium.search"]``; nothing opens an index per request. After a
transaction that queued outbox rows commits, the rows are drained without ever waiting for
the index's write lock, as ``SEARCH_DRAIN`` says: in a background thread ("background",
the default), at once in the committing thread ("inline"; always when testing, so a test
finds what a service call saved right after the call), or not at all ("worker": only
`flask search worker` writes the index, as on several hosts). The drain thread and the
worker also do what the tools offer as "search.prepare" (reading the text of attached
files), which no request waits for.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import Flask, current_app, has_app_context

from app.clock import utcnow
from app.content import registry
from app.search import matching, outbox, sources
from app.search.index import SearchIndex

log = logging.getLogger(__name__)

EXTENSION_KEY = "kollegium.search"
DRAIN_MODES = ("background", "inline", "worker")
# A process that starts re-indexes what became visible this long before it started.
DUE_LOOKBACK = timedelta(days=1)


class SearchState:
    """The index of one app and the thread that drains into it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.index = SearchIndex(app.config["SEARCH_INDEX_DIR"])
        # The postings are shared by every index of the process (their keys are segments').
        matching.SHARED_POSTINGS.limit(app.config["SEARCH_POSTINGS_BYTES"])
        mode = app.config["SEARCH_DRAIN"]
        if mode not in DRAIN_MODES:
            raise ValueError(f"SEARCH_DRAIN must be one of {DRAIN_MODES}, not {mode!r}")
        self.by_worker = mode == "worker"
        self.background = mode == "background" and not app.testing
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._draining = threading.local()
        self._exit_drain_registered = False
        self._due_since: datetime | None = None

    def start(self) -> None:
        """Start the background drain (it also retries rows an earlier process left)."""
        if self.background and (self._thread is None or not self._thread.is_alive()):
            self._ensure_thread()
            self._wake.set()

    def request_drain(self) -> None:
        if self.by_worker:
            return
        if self.background:
            self._ensure_thread()
            self._wake.set()
        else:
            self.drain_now()

    def drain_now(self) -> int:
        """Deliver what the outbox holds without waiting for the write lock; never raises
        (a failed drain leaves the rows for the next one)."""
        if getattr(self._draining, "active", False):
            return 0  # the drain's own commit
        self._draining.active = True
        try:
            with fresh_context(self.app):
                return sum(outbox.drain_all(self.index, block=False))
        except Exception:
            log.exception("draining the search outbox failed; rows stay for the next drain")
            return 0
        finally:
            self._draining.active = False

    def prepare(self) -> int:
        """Do the work that makes documents ready to index but is too slow for a request
        (reading the text of attached files): the tools offer it as "search.prepare"
        services, each returning how much it did. Runs in the drain thread and the worker,
        never in a request; never raises (what failed is tried again next round)."""
        try:
            with fresh_context(self.app):
                return sum(work() for work in registry().all_services("search.prepare"))
        except Exception:
            log.exception("preparing documents for the index failed; trying again later")
            return 0

    def deliver_due(self, *, block: bool = False) -> int:
        """Re-index what became visible by the clock alone (a scheduled blog post reaching
        its time changes no row): tools offer ``documents_published_between(since, until)``.
        Returns how many documents were written; on failure the same window is tried again."""
        until = utcnow()
        since = self._due_since or until - DUE_LOOKBACK
        try:
            with fresh_context(self.app):
                # The same clock tells followers of what became readable ("clock.due").
                for due in registry().all_services("clock.due"):
                    due()
                documents = [
                    document
                    for module in sources.installed().values()
                    if callable(getattr(module, "documents_published_between", None))
                    for document in module.documents_published_between(since, until)
                ]
                # Their comments were found only by the author until now: they follow.
                attached = [
                    document
                    for key in sources.attached_to(document.key for document in documents)
                    if (document := sources.document_for_key(key)) is not None
                ]
                documents += attached
                if documents and not self.index.apply(documents, [], block=block):
                    return 0
        except Exception:
            log.exception("re-indexing scheduled documents failed; trying again later")
            return 0
        self._due_since = until
        return len(documents)

    def _ensure_thread(self) -> None:
        with self._thread_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=_drain_loop,
                    args=(weakref.ref(self),),
                    name="search-drain",
                    daemon=True,
                )
                self._thread.start()
                if not self._exit_drain_registered:
                    # A command (seed-demo, users create) may end before its drain thread
                    # ran: deliver once more on the way out; what fails waits in the outbox.
                    atexit.register(_drain_at_exit, weakref.ref(self))
                    self._exit_drain_registered = True

    def close(self) -> None:
        self.index.close()


def _drain_loop(state_ref: weakref.ref[SearchState]) -> None:
    while (state := state_ref()) is not None:
        wake, interval = state._wake, state.app.config["SEARCH_DRAIN_RETRY_SECONDS"]
        del state
        # Woken by a commit, or after `interval` to retry rows an earlier drain left.
        wake.wait(timeout=interval)
        wake.clear()
        if (state := state_ref()) is None:
            return
        state.drain_now()
        state.deliver_due()
        # Its commits wake this loop again, which then indexes what it prepared.
        state.prepare()
        del state


def _drain_at_exit(state_ref: weakref.ref[SearchState]) -> None:
    if (state := state_ref()) is not None:
        state.drain_now()


@contextmanager
def fresh_context(app: Flask) -> Iterator[None]:
    """A fresh app context, so a drain works in its own database session (the tools build
    their paths with app.urls.path_for, which needs no request)."""
    with app.app_context():
        yield


def init_app(app: Flask) -> None:
    state = SearchState(app)
    app.extensions[EXTENSION_KEY] = state
    weakref.finalize(app, state.close)
    outbox.register_session_hooks(after_commit)
    # A web process that never writes still delivers rows left by others (CLI commands
    # that exited before their drain, failed drains): its drain thread starts with it.
    app.before_request(state.start)


def state() -> SearchState:
    return current_app.extensions[EXTENSION_KEY]


def get_index() -> SearchIndex:
    return state().index


def after_commit() -> None:
    """Called by the outbox hook after a transaction that queued rows committed."""
    if not has_app_context() or EXTENSION_KEY not in current_app.extensions:
        return
    state().request_drain()
