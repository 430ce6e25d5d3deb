"""The documents a query matches and their scores, as arrays over the searcher's documents.

Whoosh's collector scores every match in pure Python, one posting at a time: at 100,000
documents a search of two frequent words touches ~50,000 documents several times. Here a
search is one `Matcher`: a set of documents is a boolean array indexed by the searcher's
document number, a word's postings are read a block at a time into arrays, and the query
is joined as it says (Or: `|`, And: `&`, AndNot: `& ~`) and scored as Whoosh's BM25F
scores it, each word in one array operation. A phrase joins its words' positions as arrays
too (`schema.PackedPositions` stores them so they read as one array). Only prefixes, dates
and the like go through Whoosh's own matchers. The caller intersects a result with the
reader's readable documents, which also leaves out deleted documents still present in a
segment's postings.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh import formats
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length, length_to_byte

from app.search.schema import PackedPositions

# Whoosh's default weighting, BM25F(B=0.75, K1=1.2).
_B = 0.75
_K1 = 1.2
_LENGTHS = np.array([byte_to_length(value) for value in range(256)], dtype=np.float64)
_ONE = length_to_byte(1)
# Decoded postings kept per process (see SharedPostings; the app sets its
# SEARCH_POSTINGS_BYTES).
SHARED_POSTINGS_BYTES = 160 * 2**20


@dataclass(frozen=True, slots=True)
class Postings:
    """One term's postings in one segment: the documents holding it (ascending numbers
    within the segment, deletions included), its weight in each and, when read for a
    phrase, how many positions each has and all positions in that order."""

    ids: np.ndarray
    weights: np.ndarray
    counts: np.ndarray | None = None
    positions: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        held = (self.ids, self.weights, self.counts, self.positions)
        return sum(array.nbytes for array in held if array is not None)


class SharedPostings:
    """Decoded postings of segments' terms, shared by the searches of this process. A
    segment never changes once written (new documents go to new segments, merges write new
    ones, deletions are kept beside it and the readable set leaves them out), so a term's
    postings read once serve every later search: reading them (unpickling and decompressing
    blocks) is the largest cost of a search for frequent words. Least recently used terms go
    first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._terms: OrderedDict[tuple, Postings] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def limit(self, max_bytes: int) -> None:
        """Keep at most `max_bytes` from now on (least recently used go at once)."""
        with self._lock:
            self.max_bytes = max_bytes
            self._shrink()

    def _shrink(self) -> None:
        while self._size > self.max_bytes:
            _key, gone = self._terms.popitem(last=False)
            self._size -= gone.nbytes

    def get(self, key: tuple) -> Postings | None:
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
            return found

    def put(self, key: tuple, postings: Postings) -> None:
        if postings.nbytes > self.max_bytes // 4:
            return  # one huge term must not push out all others
        with self._lock:
            old = self._terms.pop(key, None)
            if old is not None:
                self._size -= old.nbytes
            self._terms[key] = postings
            self._size += postings.nbytes
            self._shrink()


SHARED_POSTINGS = SharedPostings(SHARED_POSTINGS_BYTES)


class Matcher:
    """One search over `searcher`: which documents a query matches (`docs`) and how well
    (`scores`), as arrays indexed by the searcher's document numbers. It keeps the postings
    it read and the phrases it checked, so scoring reads nothing twice."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self._leaves = [(leaf, leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self._postings: dict[tuple, Postings] = {}
        self._phrases: dict[int, np.ndarray] = {}
        self._lengths: dict[tuple, np.ndarray] = {}

    # Sets of documents -------------------------------------------------------------------

    def none(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def of(self, numbers: Iterable[int]) -> np.ndarray:
        """The set holding `numbers` (global document numbers)."""
        docs = self.none()
        docs[np.fromiter(numbers, dtype=np.int64)] = True
        return docs

    def docs(self, query: wq.Query, within: np.ndarray | None = None) -> np.ndarray:
        """The documents `query` matches (deleted ones may be included). With `within`,
        phrases are checked only for those documents (the result may then hold others too,
        of the parts that are cheap to find: the caller intersects with `within`)."""
        kind = type(query)
        if query is wq.NullQuery:
            return self.none()
        if kind is wq.Term:
            return self._term_docs(query.fieldname, query.text)
        if kind is wq.Or:
            docs = self.none()
            for sub in query.subqueries:
                docs |= self.docs(sub, within)
            return docs
        if kind is wq.And:
            if not query.subqueries:
                return self.none()
            docs = self.docs(query.subqueries[0], within)
            for sub in query.subqueries[1:]:
                if not docs.any():
                    break
                docs &= self.docs(sub, docs if within is None else docs & within)
            return docs
        if kind is wq.AndNot:
            docs = self.docs(query.a, within)
            if docs.any():
                docs &= ~self.docs(query.b, docs)
            return docs
        if kind is wq.Phrase:
            found = self._phrase_docs(query, within)
            self._phrases[id(query)] = found
            return found.copy()
        return self.of(self.searcher.docs_for_query(query))

    def _term_docs(self, fieldname: str, text: str) -> np.ndarray:
        docs = self.none()
        for _leaf, reader, offset in self._leaves:
            ids = self._leaf_postings(reader, fieldname, text).ids
            docs[ids + offset if offset else ids] = True
        return docs

    def _phrase_docs(self, phrase: wq.Phrase, within: np.ndarray | None) -> np.ndarray:
        """Documents holding the phrase: those holding all its words (cheap), then the
        words' positions joined there (Whoosh's phrase, slop 1: the words at consecutive
        positions, in order)."""
        candidates = within.copy() if within is not None else None
        for word in phrase.words:
            docs = self._term_docs(phrase.fieldname, word)
            candidates = docs if candidates is None else candidates & docs
            if not candidates.any():
                return candidates
        found = self.none()
        for leaf, reader, offset in self._leaves:
            size = reader.doc_count_all()
            local = candidates[offset : offset + size]
            if not local.any():
                continue
            starts = self._phrase_starts(reader, phrase, local)
            if starts is not None:
                found[(starts >> 32) + offset] = True
                continue
            numbers = set(np.flatnonzero(local).tolist())
            try:
                matched = _decoded_phrase_docs(reader, phrase, numbers)
            except AttributeError:  # another codec or reader: Whoosh's own (slower) matcher
                matched = _whoosh_phrase_docs(leaf, phrase, numbers)
            found[np.fromiter(matched, dtype=np.int64) + offset] = True
        return found

    def _phrase_starts(self, reader, phrase: wq.Phrase, local: np.ndarray) -> np.ndarray | None:
        """Where the phrase starts in the segment's documents marked in `local`, as keys
        (document << 32 | position); None when the field's positions are not packed."""
        starts = None
        for step, word in enumerate(phrase.words):
            postings = self._leaf_postings(reader, phrase.fieldname, word, positions=True)
            if postings.positions is None:
                return None
            documents = np.repeat(postings.ids, postings.counts)
            chosen = local[documents]
            keys = (documents[chosen].astype(np.int64) << 32) | postings.positions[chosen]
            if starts is None:
                starts = keys
            else:
                # Each position is held once per word and document: the keys are unique.
                starts = starts[np.isin(starts + step, keys, assume_unique=True)]
            if not len(starts):
                break
        return starts

    def _leaf_postings(
        self, reader, fieldname: str, text: str, *, positions: bool = False
    ) -> Postings:
        """The term's postings in one segment (`positions`: with the positions, where the
        field's format packs them)."""
        positions = positions and _packs_positions(reader, fieldname)
        key = (id(reader), fieldname, text)
        found = self._postings.get(key)
        if found is not None and (found.counts is not None or not positions):
            return found
        shared_key = _segment_key(reader, fieldname, text)
        shared = SHARED_POSTINGS.get(shared_key) if shared_key is not None else None
        if shared is not None and (shared.counts is not None or not positions):
            found = shared
        else:
            found = _read_postings(reader, fieldname, text, positions=positions)
            if shared_key is not None:
                SHARED_POSTINGS.put(shared_key, found)
        self._postings[key] = found
        return found

    # Scores ------------------------------------------------------------------------------

    def scores(self, query: wq.Query, docs: np.ndarray) -> np.ndarray | None:
        """The relevance of each of `docs` (which all match `query`; others score 0), as
        Whoosh's BM25F scores it: a word scores BM25 in its field times its boost; Or and
        And add up the scores of the parts a document matches, AndNot keeps its first
        part's, a phrase adds up its words' scores in its field. None when `query` holds a
        part this does not score the same way (prefixes, date ranges, everything): the
        caller lets Whoosh score then."""
        scores = np.zeros(self.size, dtype=np.float64)
        if not self._add_scores(query, docs, scores, 1.0):
            return None
        return scores

    def _add_scores(
        self, query: wq.Query, docs: np.ndarray, scores: np.ndarray, boost: float
    ) -> bool:
        kind = type(query)
        if kind is wq.Term:
            self._add_term_scores(query.fieldname, query.text, boost * query.boost, docs, scores)
            return True
        if kind in (wq.Or, wq.And):
            boost *= query.boost
            return all(self._add_scores(sub, docs, scores, boost) for sub in query.subqueries)
        if kind is wq.AndNot:
            return self._add_scores(query.a, docs, scores, boost * query.boost)
        if kind is wq.Phrase and query.slop == 1:
            # Whoosh scores a phrase match as the sum of its words' scores in the field.
            found = self._phrases.get(id(query))
            inside = (found if found is not None else self._phrase_docs(query, docs)) & docs
            for word in query.words:
                self._add_term_scores(query.fieldname, word, boost * query.boost, inside, scores)
            return True
        return False

    def _add_term_scores(
        self, fieldname: str, text: str, boost: float, docs: np.ndarray, scores: np.ndarray
    ) -> None:
        searcher = self.searcher
        if fieldname not in searcher.schema or (fieldname, text) not in searcher.reader():
            return
        scorable = searcher.schema[fieldname].scorable
        if scorable:
            idf = searcher.idf(fieldname, text)
            avgfl = searcher.avg_field_length(fieldname) or 1
            # BM25's length normalisation for each of the 256 stored field lengths.
            norm = _K1 * ((1 - _B) + _B * _LENGTHS / avgfl)
            top = idf * (_K1 + 1)
        for _leaf, reader, offset in self._leaves:
            postings = self._leaf_postings(reader, fieldname, text)
            ids = postings.ids
            numbers = ids + offset if offset else ids
            # Only the readable matches are scored.
            chosen = docs[numbers]
            numbers = numbers[chosen]
            weight = postings.weights[chosen].astype(np.float64)
            if not scorable:
                scores[numbers] += weight * boost
                continue
            key = (id(reader), fieldname)
            if key not in self._lengths:
                self._lengths[key] = _length_bytes(reader, fieldname)
            lengths = self._lengths[key][ids[chosen]]
            scores[numbers] += top * weight / (weight + norm[lengths]) * boost


def best(docs: np.ndarray, scores: np.ndarray, coverage: np.ndarray, limit: int) -> list[int]:
    """The `limit` best of `docs`: those matching more of the query's words first, then
    higher score first, then the lower document number (Whoosh's order)."""
    if limit < 1:
        return []
    numbers = np.flatnonzero(docs)
    if len(numbers) > limit:
        # Only those at least as good as the limit-th can be among them: all that match
        # more words than it, and of those matching as many, the best scores.
        words = coverage[numbers]
        cut = np.partition(words, len(words) - limit)[len(words) - limit]
        kept = words > cut
        tied = np.flatnonzero(words == cut)
        room = limit - int(kept.sum())
        tied_scores = scores[numbers[tied]]
        score_cut = np.partition(tied_scores, len(tied) - room)[len(tied) - room]
        kept[tied[tied_scores >= score_cut]] = True
        numbers = numbers[kept]
    order = np.lexsort((numbers, -scores[numbers], -coverage[numbers]))
    return numbers[order[:limit]].tolist()


def position_decoder(format_: formats.Format) -> Callable[[bytes], list[int]]:
    """Whoosh's ``decode_positions``; for its plain Positions format (indexes written before
    `PackedPositions`) the same in C speed (the value is the count, then a pickled list of
    gaps)."""
    if type(format_) is not formats.Positions:
        return format_.decode_positions

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):  # as Whoosh stores it: the pickle's STOP left off
            value += b"."
        return list(accumulate(loads(value[_INT_SIZE:])))

    return decode


def _decoded_phrase_docs(reader, phrase: wq.Phrase, numbers: set[int]) -> set[int]:
    """Those of `numbers` (one segment's) holding the phrase, each document's positions
    decoded one at a time: for fields whose positions are not packed."""
    held = [_raw_positions(reader, phrase.fieldname, word, numbers) for word in phrase.words]
    first, later = held[0], held[1:]
    found: set[int] = set()
    for number in first.keys() & numbers:
        # The starts that the next words' positions (shifted back) still allow.
        starts = set(first[number])
        for step, positions in enumerate(later, 1):
            starts.intersection_update(position - step for position in positions.get(number, ()))
            if not starts:
                break
        if starts:
            found.add(number)
    return found


def _raw_positions(reader, fieldname: str, word: str, numbers: set[int]) -> dict[int, list[int]]:
    """The positions of `word` in `fieldname` of each of `numbers` that holds it."""
    positions: dict[int, list[int]] = {}
    if fieldname not in reader.schema or (fieldname, word) not in reader:
        return positions
    field = reader.schema[fieldname]
    decode = position_decoder(field.format)
    matcher = reader._terms.matcher(fieldname, field.to_bytes(word), field.format)
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        ids, values = matcher._data[0], matcher._data[2]
        if not matcher._byteids:
            ids = accumulate(ids)
        block = dict(zip(ids, values, strict=True))
        for number in block.keys() & numbers:
            positions[number] = decode(block[number])
        matcher._next_block()
    return positions


def _whoosh_phrase_docs(leaf: Searcher, phrase: wq.Phrase, numbers: set[int]) -> set[int]:
    found: set[int] = set()
    matcher = phrase.matcher(leaf)
    for number in sorted(numbers):
        if not matcher.is_active():
            break
        matcher.skip_to(number)
        if not matcher.is_active():
            break
        if matcher.id() == number:
            found.add(number)
    return found


def _segment_key(reader, fieldname: str, text: str) -> tuple | None:
    try:
        segment = reader.segment()
        return (segment.segment_id(), fieldname, text) if segment is not None else None
    except AttributeError:
        return None


def _read_postings(reader, fieldname: str, text: str, *, positions: bool) -> Postings:
    """A term's postings in one segment, read from the raw postings a block at a time
    (Whoosh's W3 codec); with `positions`, also the positions where they are packed."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    if fieldname not in reader.schema or (fieldname, text) not in reader:
        return Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
    field = reader.schema[fieldname]
    packed = positions and _packs_positions(reader, fieldname)
    try:
        matcher = reader._terms.matcher(fieldname, field.to_bytes(text), field.format)
        while not matcher._atend:
            if matcher._data is None:
                matcher._read_data()
            block_ids, block_weights = matcher._data[0], matcher._data[1]
            start = len(ids)
            # Ids are stored as deltas, which `accumulate` decodes at C speed.
            ids.extend(block_ids if matcher._byteids else accumulate(block_ids))
            if block_weights is None or isinstance(block_weights, float):
                weight = 1.0 if block_weights is None else block_weights
                weights.extend([weight] * (len(ids) - start))
            else:
                weights.extend(block_weights)
            if packed:
                values.extend(matcher._data[2])
            matcher._next_block()
    except AttributeError:  # another codec or reader: Whoosh's own (slower) way
        ids, weights, packed = [], [], False
        postings = reader.postings(fieldname, text)
        while postings.is_active():
            ids.append(postings.id())
            weights.append(postings.weight())
            postings.next()
    found = Postings(np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32))
    if not packed:
        return found
    counts = np.fromiter(map(len, values), dtype=np.int32, count=len(values)) // 4
    flat = np.frombuffer(b"".join(values), dtype="<u4")
    return Postings(found.ids, found.weights, counts, flat)


def _packs_positions(reader, fieldname: str) -> bool:
    """Whether the segment's field stores positions packed (an index of the older analysis
    keeps them pickled: its phrases are decoded a document at a time)."""
    return fieldname in reader.schema and type(reader.schema[fieldname].format) is PackedPositions


def _length_bytes(reader, fieldname: str) -> np.ndarray:
    """The stored (one-byte) length of `fieldname` for each document of the segment; a
    missing length counts as 1, as Whoosh's scorer does."""
    size = reader.doc_count_all()
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        return np.array(
            [length_to_byte(reader.doc_field_length(n, fieldname, 1)) for n in range(size)],
            dtype=np.uint8,
        )
    lengths = np.full(max(size, len(raw)), _ONE, dtype=np.uint8)
    stored = np.frombuffer(raw, dtype=np.uint8)
    lengths[: len(stored)] = np.where(stored == 0, _ONE, stored)
    return lengths
