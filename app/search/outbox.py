"""The search outbox: every change to a searchable object leaves a row in the same
transaction, and a drain carries the rows into the index.

Any model with a class attribute ``search_kind`` is searchable; its key is
``f"{search_kind}:{id}"``. A model whose changes alter *other* documents (a skill changes its
profile) may define ``search_related_keys() -> Iterable[str]``; those keys are queued too.
No service has to remember any of this: a session hook writes the rows.

The drain re-reads each queued object (the tool's ``search.py`` builds its document; a
missing object, or one its tool no longer indexes, is a delete), writes one batch to the
index and deletes the rows it delivered. When the index cannot be written (busy, missing,
broken) the rows stay, with the error, for the next drain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, delete, event, func, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.clock import utcnow
from app.extensions import db
from app.search import sources
from app.search.documents import SearchDocument
from app.search.index import SearchIndex

log = logging.getLogger(__name__)

UPSERT = "upsert"
DELETE = "delete"
# One drain delivers at most this many rows; the next drain takes the rest.
DRAIN_BATCH = 500
MAX_ERROR_CHARS = 2000
# session.info flag: this transaction queued rows, so drain after it commits.
_QUEUED = "kollegium.search.queued"


class SearchOutbox(db.Model):
    """One change waiting for the index."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    op: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits in the outbox: how many rows, and how long the oldest has waited."""

    rows: int
    oldest_age_seconds: float


def backlog() -> Backlog:
    count, oldest = db.session.execute(
        select(func.count(SearchOutbox.id), func.min(SearchOutbox.created_at))
    ).one()
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    return Backlog(rows=count, oldest_age_seconds=max(age, 0.0))


# --- writing rows ---------------------------------------------------------------------------


def search_key(obj: Any) -> str | None:
    """The document key of a searchable object: its own ``search_key`` when it defines one
    (a profile is keyed by its person), else ``f"{search_kind}:{id}"``."""
    kind = getattr(type(obj), "search_kind", None)
    own_key = getattr(obj, "search_key", None)
    if kind and isinstance(own_key, str):
        return own_key
    if not kind:
        return None
    # During the flush the identity is not assigned yet; the primary key column is.
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    if len(identity) != 1 or identity[0] is None:
        return None
    return f"{kind}:{identity[0]}"


def _related_keys(obj: Any) -> Iterable[str]:
    related = getattr(obj, "search_related_keys", None)
    return related() if callable(related) else ()


def changed_keys(session: Session) -> dict[str, str]:
    """Key → operation for every searchable object this flush adds, changes or deletes
    (called after the flush, when ids are known and the lists still show what it did).
    A tool may name the documents a row of another class changes (`sources.key_functions`:
    a skill row changes its person's profile); those keys are queued instead. The documents
    attached to a changed item (its comments) are queued with it: they follow its place."""
    key_functions = sources.key_functions()
    changes: dict[str, str] = {}
    changed = list(session.new) + [o for o in session.dirty if session.is_modified(o)]
    for obj, op in [(o, UPSERT) for o in changed] + [(o, DELETE) for o in session.deleted]:
        functions = key_functions.get(type(obj))
        if functions:
            for function in functions:
                for key in function(obj):
                    changes.setdefault(key, UPSERT)
            continue
        if (key := search_key(obj)) is not None:
            changes[key] = op
        for key in _related_keys(obj):
            changes.setdefault(key, UPSERT)
    for key in sources.attached_to(changes):
        changes.setdefault(key, UPSERT)
    return changes


def _after_flush(session: Session, _flush_context: Any) -> None:
    changes = changed_keys(session)
    if not changes:
        return
    now = utcnow()
    rows = [{"key": key, "op": op, "created_at": now, "attempts": 0} for key, op in changes.items()]
    # Executed on the flushing connection: the rows commit or roll back with the change.
    session.execute(insert(SearchOutbox), rows)
    session.info[_QUEUED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_QUEUED, False) and _on_commit:
        _on_commit[0]()


def _after_rollback(session: Session) -> None:
    session.info.pop(_QUEUED, None)


_registered = False
# What to call after a commit that queued rows (the extension's drain), set once.
_on_commit: list[Callable[[], None]] = []


def register_session_hooks(on_commit: Callable[[], None]) -> None:
    """Listen on every SQLAlchemy session, once per process; ``on_commit`` runs after a
    transaction that queued rows committed."""
    global _registered
    if _registered:
        return
    _on_commit.append(on_commit)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _registered = True


# --- draining ---------------------------------------------------------------------------------


def pending_count() -> int:
    return db.session.query(SearchOutbox).count()


def drain(index: SearchIndex, *, block: bool = False, limit: int = DRAIN_BATCH) -> int:
    """Deliver up to `limit` outbox rows into `index`; returns how many rows were delivered.
    Never raises for the index: on failure the rows stay, with the error noted."""
    rows = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.key).order_by(SearchOutbox.id).limit(limit)
    ).all()
    if not rows:
        return 0
    upserts: list[SearchDocument] = []
    deletes: list[str] = []
    failed: dict[str, str] = {}
    for key in dict.fromkeys(key for _id, key in rows):
        try:
            document = sources.document_for_key(key)
        except Exception as err:  # a bug in one tool must not hold back the others
            log.exception("cannot build the search document %s", key)
            failed[key] = _describe(err)
            continue
        if document is None:
            deletes.append(key)
        else:
            upserts.append(document)
    try:
        ok = index.apply(upserts, deletes, block=block)
        error = None if ok else "index busy"
    except Exception as err:
        log.exception("writing to the search index at %s failed; rows stay", index.root)
        ok, error = False, _describe(err)
    delivered = [row_id for row_id, key in rows if ok and key not in failed]
    if delivered:
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(delivered)))
    kept_by_error: dict[str, list[int]] = {}
    for row_id, key in rows:
        if not (ok and key not in failed):
            message = (failed.get(key) or error or "")[:MAX_ERROR_CHARS]
            kept_by_error.setdefault(message, []).append(row_id)
    for message, row_ids in kept_by_error.items():
        db.session.execute(
            update(SearchOutbox)
            .where(SearchOutbox.id.in_(row_ids))
            .values(attempts=SearchOutbox.attempts + 1, last_error=message)
        )
    kept = [row_id for row_ids in kept_by_error.values() for row_id in row_ids]
    db.session.commit()
    if not ok:
        log.warning("search outbox: %d rows wait for the index (%s)", len(kept), error)
    return len(delivered)


def drain_all(index: SearchIndex, *, block: bool = False) -> Iterator[int]:
    """Drain batch after batch until the outbox is empty or a batch delivers nothing."""
    while delivered := drain(index, block=block):
        yield delivered


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"
