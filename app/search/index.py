"""The Whoosh index of one installation: one writer at a time, searchers kept and refreshed.

Layout of the index folder (`root`):

    CURRENT          name of the generation that serves ("gen-<ns>-<hex>"), swapped atomically
    WRITELOCK        held by whoever writes: `apply`, `optimize`, `rebuild`
    gen-.../         one complete Whoosh index per generation

A rebuild fills a new generation aside and swaps `CURRENT`; it holds the write lock
throughout, so changes saved meanwhile stay in the caller's outbox and arrive after the
swap. Searching never waits for the lock.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import secrets
import shutil
import struct
import threading
import time
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filestore import StorageError
from whoosh.filedb.filetables import FileFormatError
from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher
from whoosh.util.filelock import FileLock, try_for
from whoosh.writing import SegmentWriter

from app.search.analysis import ANALYSIS_VERSION
from app.search.documents import SearchDocument, SearchHit, SearchPage
from app.search.matching import Matcher, best
from app.search.query import (
    PART_COVERAGE,
    SYNONYM_COVERAGE,
    ContentPlan,
    FilterResolver,
    ParsedQuery,
    QueryBuilder,
    acl_query,
    parse_query,
    restriction_query,
)
from app.search.ranking import ContentHit
from app.search.schema import build_schema, index_fields, stored_time
from app.search.snippets import snippet_html
from app.search.spelling import choose_correction

log = logging.getLogger(__name__)

POINTER_FILE = "CURRENT"
# In each generation: the analysis version its terms were written with.
FORMAT_FILE = "ANALYSIS"
WRITE_LOCK_FILE = "WRITELOCK"
GENERATION_PREFIX = "gen-"
_GENERATION_NAME = re.compile(r"gen-\d+-[0-9a-f]+")

# `block=True` writers and rebuilds wait this long for the write lock before giving up.
LOCK_WAIT_SECONDS = 10.0
LOCK_POLL_SECONDS = 0.05
# A searcher checks for a newer index at most this often (each check lists the folder).
REFRESH_INTERVAL_SECONDS = 0.5
# Small commits just add a segment; Whoosh's merge of small segments runs once there are
# this many, and `optimize()` (worker, idle time) merges everything.
SEGMENTS_BEFORE_MERGE = 8
WRITER_LIMIT_MB = 128
REBUILD_LIMIT_MB = 256
# Below this many documents starting indexing processes costs more than it saves.
MULTIPROCESS_MIN_DOCS = 5_000
PROGRESS_EVERY = 100
MAX_PAGE_SIZE = 100
MAX_PAGE = 100
SUGGEST_CANDIDATES = 8
SUGGEST_MAX_DISTANCE = 2
SORTS = ("relevance", "newest")
# The expertise finder weighs people by this many best content matches.
EXPERT_HITS = 200

# What a missing, truncated or garbled index folder raises from inside Whoosh. Searching
# answers empty on these and writing starts a fresh generation; anything else is a bug.
INDEX_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    pickle.UnpicklingError,
    whoosh_index.IndexError,
    StorageError,
    FileFormatError,
    ReaderClosed,
)


class IndexBusy(Exception):
    """Another process holds the index's write lock (a rebuild is running)."""


class SearchIndex:
    """The index in folder `root`. Open one per process and keep it: it holds a searcher
    that it refreshes, so a search costs no file opening."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._schema = build_schema()
        self._builder = QueryBuilder()
        # Whoosh searchers are not safe to share between threads; searching is CPU-bound
        # pure Python, so serialising the searches of one process costs little.
        self._lock = threading.RLock()
        self._generation: str | None = None
        self._searcher: Searcher | None = None
        self._index: whoosh_index.Index | None = None
        self._checked_at = 0.0
        self._acl_docs: dict[str, np.ndarray] = {}

    def close(self) -> None:
        with self._lock:
            self._drop_searcher()

    # Searching -------------------------------------------------------------------------

    def search(
        self,
        query: str | ParsedQuery,
        *,
        acl_tokens: Collection[str],
        kinds: Collection[str] | None = None,
        space: int | None = None,
        author: int | None = None,
        tag: str | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = 20,
        resolver: FilterResolver | None = None,
    ) -> SearchPage:
        """One page of the documents matching `query` that a reader holding `acl_tokens`
        may see. Names in `author:`/`space:` are translated by `resolver` (digits are ids).
        Never raises for a broken index: it answers empty and logs."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
        page = min(max(1, page), MAX_PAGE)
        page_size = min(max(1, page_size), MAX_PAGE_SIZE)
        empty = SearchPage(total=0, hits=(), page=page, page_size=page_size)
        if not acl_tokens:
            return empty
        plan = self._builder.content_plan(parsed)
        restriction = restriction_query(
            parsed,
            resolver,
            kinds=kinds,
            space=space,
            author=author,
            tag=tag,
            date_from=date_from,
            date_to=date_to,
        )
        if restriction is None and parsed.asks_nothing:
            return empty
        is_match = self._builder.highlight_matcher(parsed)
        with self._lock:
            try:
                searcher = self._current_searcher()
                if searcher is None:
                    return empty
                # The exact readable total comes from sets of document numbers (cheap);
                # only the readable matches are scored.
                matcher = Matcher(searcher)
                readable = self._readable_docs(matcher, acl_tokens)
                allowed, coverage = _plan_docs(matcher, plan, restriction, readable)
                total = int(allowed.sum())
                hits: tuple[SearchHit, ...] = ()
                scoring = plan.scoring_query()
                scores = (
                    matcher.scores(scoring, allowed)
                    if sort == "relevance" and total > (page - 1) * page_size
                    else None
                )
                if scores is not None:
                    # All words first, then most words; within, higher score, then the lower
                    # document number (Whoosh's order).
                    hits = tuple(
                        _hit(searcher.stored_fields(number), float(scores[number]), is_match)
                        for number in best(allowed, scores, coverage, page * page_size)[
                            (page - 1) * page_size :
                        ]
                    )
                elif total > (page - 1) * page_size:
                    results = searcher.search(
                        scoring,
                        limit=None if sort == "relevance" else page * page_size,
                        filter=set(np.flatnonzero(allowed).tolist()),
                        sortedby="updated" if sort == "newest" else None,
                        reverse=sort == "newest",
                    )
                    found = list(results)
                    if sort == "relevance":
                        found.sort(key=lambda hit: -coverage[hit.docnum])
                    hits = tuple(
                        _hit(hit.fields(), hit.score, is_match)
                        for hit in found[(page - 1) * page_size : page * page_size]
                    )
            except INDEX_ERRORS:
                log.exception("search index at %s cannot be read; answering empty", self.root)
                self._drop_searcher()
                return empty
        return SearchPage(total=total, hits=hits, page=page, page_size=page_size)

    def expertise_hits(
        self, query: str | ParsedQuery, *, acl_tokens: Collection[str], limit: int = EXPERT_HITS
    ) -> list[ContentHit]:
        """The best `limit` content matches the reader may see, as evidence for
        `ranking.rank_experts` (profiles are left out: they count through profile evidence)."""
        parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
        if not parsed.has_text or not acl_tokens:
            return []
        plan = self._builder.content_plan(parsed)
        if plan.is_empty:
            return []
        not_profiles = wq.Not(wq.Term("kind", "profile"))
        with self._lock:
            try:
                searcher = self._current_searcher()
                if searcher is None:
                    return []
                matcher = Matcher(searcher)
                readable = self._readable_docs(matcher, acl_tokens)
                readable &= ~matcher.docs(wq.Term("kind", "profile"))
                allowed, coverage = _plan_docs(matcher, plan, None, readable)
                scoring = plan.scoring_query()
                scores = matcher.scores(scoring, allowed)
                words = max(1, len(plan.words))

                def share(number: int) -> float:
                    # A match of required parts only (a phrase) holds all that was asked.
                    return float(coverage[number] or words) / words

                if scores is None:
                    results = searcher.search(
                        wq.And([scoring, not_profiles]),
                        limit=None,
                        filter=set(np.flatnonzero(allowed).tolist()),
                    )
                    found = sorted(results, key=lambda hit: -coverage[hit.docnum])
                    return [_content_hit(hit.fields(), share(hit.docnum)) for hit in found[:limit]]
                return [
                    _content_hit(searcher.stored_fields(number), share(number))
                    for number in best(allowed, scores, coverage, limit)
                ]
            except INDEX_ERRORS:
                log.exception("search index at %s cannot be read; no experts", self.root)
                self._drop_searcher()
                return []

    def text_matcher(self, query: str | ParsedQuery) -> Callable[[str], float]:
        """How strongly a text is about what the query asks (0 not at all, 1 it holds a
        word of the query), with the index's stemming, folding, compounds and synonyms: the
        caller uses it to pick and weigh the matching skills of a profile."""
        parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
        return self._builder.topic_strength(parsed)

    def highlighter(self, query: str | ParsedQuery) -> Callable[[str], bool]:
        """Whether a word is one the query matched (the words a snippet marks)."""
        parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
        return self._builder.highlight_matcher(parsed)

    def suggest(self, text: str, acl_tokens: Collection[str]) -> str | None:
        """A corrected query ("did you mean") or None. A correction is offered only when
        the reader may see documents holding it, so it never reveals hidden words."""
        parsed = parse_query(text)
        if not parsed.terms or not acl_tokens:
            return None
        with self._lock:
            try:
                searcher = self._current_searcher()
                if searcher is None:
                    return None
                matcher = Matcher(searcher)
                allowed = self._readable_docs(matcher, acl_tokens)
                corrector = searcher.corrector("spelling")

                def readable_count(words: str) -> int:
                    query = self._builder.content_query(parse_query(words))
                    return int((matcher.docs(query, allowed) & allowed).sum())

                terms = list(parsed.terms)
                for position, word in enumerate(terms):
                    if readable_count(word):
                        continue
                    candidates = corrector.suggest(
                        word.lower(), limit=SUGGEST_CANDIDATES, maxdist=SUGGEST_MAX_DISTANCE
                    )
                    correction = choose_correction(word, {c: readable_count(c) for c in candidates})
                    if correction is not None:
                        terms[position] = correction
                if terms == list(parsed.terms):
                    return None
                corrected = parsed.replace_terms(tuple(terms))
                if not readable_count(corrected.to_text()):
                    return None
                return corrected.to_text()
            except INDEX_ERRORS:
                log.exception("search index at %s cannot be read; no suggestion", self.root)
                self._drop_searcher()
                return None

    def refresh(self) -> None:
        """Make changes committed by any process visible to this one's next search now."""
        with self._lock:
            self._checked_at = 0.0

    def stored_keys(self) -> dict[str, datetime]:
        """Every indexed key with its `updated` time (for comparing with the database).
        Unlike searching, this lets a broken index raise: a consistency check must see it."""
        with self._lock:
            self._checked_at = 0.0
            searcher = self._current_searcher()
            if searcher is None:
                return {}
            return {
                fields["key"]: stored_time(fields["updated"])
                for fields in searcher.all_stored_fields()
            }

    def is_current_format(self) -> bool:
        """False when the serving index was written by an older analysis (other stems or
        no compound parts): it must be rebuilt. An index that does not exist yet is current."""
        generation = self._read_pointer()
        return generation is None or self._written_by_this_analysis(generation)

    def _open(self, generation: str) -> whoosh_index.Index:
        """The Whoosh index of `generation`; one written by an older analysis with the
        schema it was written with (its positions are stored another way), so it serves
        and takes changes as before until it is rebuilt."""
        schema = self._schema if self._written_by_this_analysis(generation) else None
        return whoosh_index.open_dir(str(self.root / generation), schema=schema)

    def _written_by_this_analysis(self, generation: str) -> bool:
        try:
            written = (self.root / generation / FORMAT_FILE).read_text(encoding="ascii")
        except OSError:
            return False
        return written.strip() == str(ANALYSIS_VERSION)

    def _current_searcher(self) -> Searcher | None:
        """The searcher of the serving generation, refreshed when it may be stale."""
        now = time.monotonic()
        if self._searcher is not None and now - self._checked_at < REFRESH_INTERVAL_SECONDS:
            return self._searcher
        generation = self._read_pointer()
        if generation is None:
            self._drop_searcher()
            return None
        if generation != self._generation or self._searcher is None:
            self._drop_searcher()
            index = self._open(generation)
            self._searcher = index.searcher()
            self._index = index
            self._generation = generation
        elif self._index is not None and (
            self._index.latest_generation() != self._searcher.reader().generation()
        ):
            # A fresh reader, not Searcher.refresh(): Whoosh's reader reuse keeps a segment's
            # old deletions (and segments merged away), so deleted documents would linger.
            fresh = self._index.searcher()
            self._searcher.close()
            self._searcher = fresh
            self._acl_docs.clear()
        self._checked_at = now
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except INDEX_ERRORS:
                log.warning("closing the searcher of %s failed", self.root, exc_info=True)
        self._searcher = None
        self._index = None
        self._generation = None
        self._acl_docs.clear()

    def _readable_docs(self, matcher: Matcher, acl_tokens: Collection[str]) -> np.ndarray:
        """The documents a reader with `acl_tokens` may see. The numbers per token are
        kept until the searcher changes, so most searches only join a few arrays."""
        readable = matcher.none()
        for token in acl_tokens:
            numbers = self._acl_docs.get(token)
            if numbers is None:
                numbers = np.fromiter(
                    matcher.searcher.docs_for_query(acl_query([token])), dtype=np.int32
                )
                self._acl_docs[token] = numbers
            readable[numbers] = True
        return readable

    # Writing ---------------------------------------------------------------------------

    def apply(
        self, upserts: Iterable[SearchDocument], deletes: Iterable[str], *, block: bool = False
    ) -> bool:
        """Write one batch (add or replace `upserts`, remove the keys in `deletes`; a key in
        both ends deleted) in one commit. Returns False at once, writing nothing, when
        another writer holds the lock (with `block`, after LOCK_WAIT_SECONDS): the caller
        keeps the batch and retries. A missing or broken index is replaced by an empty one."""
        upserts, deletes = list(upserts), list(deletes)
        if not upserts and not deletes:
            return True
        with self._write_lock(block) as locked:
            if not locked:
                return False
            try:
                self._write(self._writable_generation(), upserts, deletes)
            except INDEX_ERRORS:
                log.exception("search index at %s is broken; starting an empty one", self.root)
                self._write(self._start_empty_generation(), upserts, deletes)
        self.refresh()
        return True

    def optimize(self, *, block: bool = False) -> bool:
        """Merge all segments into one (faster searches); for the worker's idle time.
        Returns False when another writer holds the lock."""
        with self._write_lock(block) as locked:
            if not locked:
                return False
            generation = self._read_pointer()
            if generation is not None:
                self._open(generation).optimize()
        self.refresh()
        return True

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        *,
        total: int | None = None,
        progress: Callable[[int], None] | None = None,
        processes: int = 1,
    ) -> int:
        """Index `documents` into a new generation and swap it in; returns their number.

        Searches keep using the current generation until the swap. `progress` is called
        with the number of documents indexed so far. If `documents` raises (or the process
        dies), the current generation keeps serving and the next rebuild removes the
        leftover. Raises IndexBusy when the write lock stays held for LOCK_WAIT_SECONDS."""
        with self._write_lock(block=True) as locked:
            if not locked:
                raise IndexBusy(f"search index at {self.root} is being written")
            current = self._read_pointer()
            self._remove_generations(keep={current})
            generation = self._create_generation()
            try:
                count = self._fill(generation, documents, total, progress, processes)
            except BaseException:
                shutil.rmtree(self.root / generation)
                raise
            self._swap(generation)
        self.refresh()
        log.info("search index rebuilt with %d documents in %s", count, generation)
        return count

    def _write(self, generation: str, upserts: list[SearchDocument], deletes: list[str]) -> None:
        index = self._open(generation)
        writer = index.writer(limitmb=WRITER_LIMIT_MB)
        try:
            for document in upserts:
                writer.update_document(**index_fields(document))
            for key in deletes:
                writer.delete_by_term("key", key)
            writer.commit(merge=len(writer.segments) >= SEGMENTS_BEFORE_MERGE)
        except BaseException:
            _cancel(writer)
            raise

    def _fill(
        self,
        generation: str,
        documents: Iterable[SearchDocument],
        total: int | None,
        progress: Callable[[int], None] | None,
        processes: int,
    ) -> int:
        index = self._open(generation)
        if processes > 1 and (total is None or total >= MULTIPROCESS_MIN_DOCS):
            # Each process writes its own segment; merging them is left to optimize().
            writer = index.writer(procs=processes, limitmb=REBUILD_LIMIT_MB, multisegment=True)
        else:
            writer = index.writer(limitmb=REBUILD_LIMIT_MB)
        count = 0
        try:
            for document in documents:
                writer.add_document(**index_fields(document))
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        if progress is not None:
            progress(count)
        return count

    def _writable_generation(self) -> str:
        """The serving generation, or a new empty one when there is none or it is broken.
        Call with the write lock held."""
        generation = self._read_pointer()
        if generation is None and not (self.root / POINTER_FILE).exists():
            log.info("creating the search index at %s", self.root)
            return self._start_empty_generation()
        if generation is None or not whoosh_index.exists_in(str(self.root / generation)):
            log.error("search index at %s is missing; starting an empty one", self.root)
            return self._start_empty_generation()
        return generation

    def _start_empty_generation(self) -> str:
        generation = self._create_generation()
        self._swap(generation)
        self._remove_generations(keep={generation})
        return generation

    def _create_generation(self) -> str:
        generation = f"{GENERATION_PREFIX}{time.time_ns()}-{secrets.token_hex(4)}"
        path = self.root / generation
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), self._schema)
        (path / FORMAT_FILE).write_text(str(ANALYSIS_VERSION), encoding="ascii")
        return generation

    def _swap(self, generation: str) -> None:
        """Point CURRENT at `generation` in one atomic step."""
        temporary = self.root / f"{POINTER_FILE}.{secrets.token_hex(4)}"
        with open(temporary, "w", encoding="ascii") as pointer:
            pointer.write(generation)
            pointer.flush()
            os.fsync(pointer.fileno())
        os.replace(temporary, self.root / POINTER_FILE)

    def _read_pointer(self) -> str | None:
        try:
            generation = (self.root / POINTER_FILE).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return generation if _GENERATION_NAME.fullmatch(generation) else None

    def _remove_generations(self, keep: set[str | None]) -> None:
        """Delete generation folders not in `keep` (left by killed rebuilds or replaced).
        The replaced generation is kept until the next swap for processes still reading it."""
        for path in self.root.glob(f"{GENERATION_PREFIX}*"):
            if path.name not in keep and path.is_dir():
                shutil.rmtree(path)

    def _write_lock(self, block: bool) -> _WriteLock:
        self.root.mkdir(parents=True, exist_ok=True)
        return _WriteLock(self.root / WRITE_LOCK_FILE, block)


class _WriteLock:
    """The index's write lock as a context manager yielding whether it was acquired."""

    def __init__(self, path: Path, block: bool) -> None:
        self._lock = FileLock(str(path))
        self._block = block
        self._locked = False

    def __enter__(self) -> bool:
        if self._block:
            self._locked = try_for(
                self._lock.acquire, timeout=LOCK_WAIT_SECONDS, delay=LOCK_POLL_SECONDS
            )
        else:
            self._locked = self._lock.acquire()
        return self._locked

    def __exit__(self, *exc_info: object) -> None:
        if self._locked:
            self._lock.release()


def _cancel(writer: SegmentWriter) -> None:
    """Release a failed writer's lock and files (a failed commit leaves it open)."""
    if not writer.is_closed:
        writer.cancel()


def _plan_docs(
    matcher: Matcher,
    plan: ContentPlan,
    restriction: wq.Query | None,
    readable: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The readable documents `plan` matches (all its required parts, at least one of its
    words unless it has required parts; none of its exclusions), and how many of its words
    each holds (0 where no word matched; a word met only by another name or only by its
    parts counts less)."""

    def readable_matches(query: wq.Query | None) -> np.ndarray:
        return matcher.none() if query is None else matcher.docs(query, readable) & readable

    words = [
        (readable_matches(word.exact), readable_matches(word.synonyms), readable_matches(word.weak))
        for word in plan.words
    ]
    if plan.required:
        docs = readable_matches(wq.And(list(plan.required)))
    elif plan.words:
        docs = matcher.none()
        for exact, other, weak in words:
            docs |= exact | other | weak
    else:
        docs = readable.copy()
    if restriction is not None and docs.any():
        docs &= matcher.docs(restriction, docs)
    if plan.excluded and docs.any():
        docs &= ~matcher.docs(wq.Or(list(plan.excluded)), docs)
    coverage = np.zeros(matcher.size, dtype=np.float64)
    for exact, other, weak in words:
        coverage[exact & docs] += 1.0
        coverage[other & ~exact & docs] += SYNONYM_COVERAGE
        coverage[weak & ~exact & ~other & docs] += PART_COVERAGE
    return docs, coverage


def _content_hit(fields: dict, coverage: float = 1.0) -> ContentHit:
    author = fields.get("author")
    return ContentHit(
        coverage=coverage,
        kind=fields["kind"],
        people=tuple(int(person) for person in fields.get("people", "").split()),
        author=int(author) if author is not None else None,
        updated=stored_time(fields["updated"]),
        title=fields["title"],
        url=fields["url"],
        is_question=fields.get("is_question", False),
        credited=tuple(fields.get("credited") or ()),
        answered_by=fields.get("answered_by"),
        text=fields.get("snippet", ""),
    )


def _hit(fields: dict, score: float | None, is_match: Callable[[str], bool]) -> SearchHit:
    space, author = fields.get("space"), fields.get("author")
    return SearchHit(
        key=fields["key"],
        kind=fields["kind"],
        title=fields["title"],
        url=fields["url"],
        snippet_html=snippet_html(fields.get("snippet", ""), is_match),
        score=float(score or 0.0),
        space=int(space) if space is not None else None,
        author=int(author) if author is not None else None,
        created=stored_time(fields["created"]),
        updated=stored_time(fields["updated"]),
        file_name=fields.get("file_name", ""),
        file_url=fields.get("file_url", ""),
    )
