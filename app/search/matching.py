"""The set of documents a query matches, found without scoring them.

Counting a search's readable total through Whoosh's collector scores every match in pure
Python, one posting at a time. Here a word's postings are read a block at a time into a set
and the sets are joined as the query says (Or: union, And: intersection, AndNot:
difference); only the parts that need positions or ranges (phrases, prefixes, dates) go
through Whoosh's own matchers. The caller intersects the result with the reader's readable
documents, which also leaves out deleted documents still present in a segment's postings.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from pickle import loads

from whoosh import formats
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length, length_to_byte


def matching_docs(
    searcher: Searcher,
    query: wq.Query,
    within: set[int] | None = None,
    memo: dict | None = None,
) -> set[int]:
    """Global numbers of the documents `query` matches (deleted ones may be included).
    With `within`, phrases are checked only for those documents (the result may then hold
    others too, of the parts that are cheap to find: the caller intersects with `within`).
    `memo` keeps the postings read and the phrase matches found, for `score_docs`."""
    kind = type(query)
    if query is wq.NullQuery:
        return set()
    if kind is wq.Term:
        return _term_docs(searcher, query.fieldname, query.text, memo)
    if kind is wq.Or:
        docs: set[int] = set()
        for sub in query.subqueries:
            docs |= matching_docs(searcher, sub, within, memo)
        return docs
    if kind is wq.And:
        parts = sorted(
            (matching_docs(searcher, sub, within, memo) for sub in query.subqueries), key=len
        )
        if not parts:
            return set()
        docs = parts[0]
        for part in parts[1:]:
            if not docs:
                break
            docs &= part
        return docs
    if kind is wq.AndNot:
        docs = matching_docs(searcher, query.a, within, memo)
        if docs:
            docs -= matching_docs(searcher, query.b, docs, memo)
        return docs
    if kind is wq.Phrase:
        docs = _phrase_docs(searcher, query, within, memo)
        if memo is not None:
            memo["phrase", id(query)] = docs
        return set(docs)
    return set(searcher.docs_for_query(query))


def _phrase_docs(
    searcher: Searcher, phrase: wq.Phrase, within: set[int] | None, memo: dict | None
) -> set[int]:
    """Documents holding the phrase: those holding all its words (cheap), then the words'
    positions checked only there (Whoosh's phrase matcher, skipping to each candidate)."""
    candidates: set[int] | None = within
    for word in phrase.words:
        docs = _term_docs(searcher, phrase.fieldname, word, memo)
        candidates = docs if candidates is None else candidates & docs
        if not candidates:
            return set()
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        size = reader.doc_count_all()
        local = {number - offset for number in candidates if 0 <= number - offset < size}
        if not local:
            continue
        try:
            held = [
                _leaf_positions(reader, phrase.fieldname, word, local, memo)
                for word in phrase.words
            ]
        except AttributeError:  # another codec or reader: Whoosh's own (slower) matcher
            found |= _whoosh_phrase_docs(leaf, offset, phrase, local)
            continue
        first, later = held[0], held[1:]
        for number in first.keys() & local:
            # Whoosh's phrase (slop 1): the words at consecutive positions, in order; the
            # starts that the next words' positions (shifted back) still allow.
            starts = set(first[number])
            for step, positions in enumerate(later, 1):
                found_positions = positions.get(number)
                if found_positions is None:
                    starts = set()
                    break
                starts.intersection_update([position - step for position in found_positions])
                if not starts:
                    break
            if starts:
                found.add(number + offset)
    return found


def _leaf_positions(
    reader, fieldname: str, word: str, docs: set[int], memo: dict | None
) -> dict[int, list[int]]:
    """The positions of `word` in `fieldname` of each of `docs` (one segment's numbers) that
    holds it, from the postings `memo` holds or read from the raw postings."""
    positions: dict[int, list[int]] = {}
    if (fieldname, word) not in reader:
        return positions
    field = reader.schema[fieldname]
    held = memo.get(("values", id(reader), fieldname, word)) if memo is not None else None
    if held is not None:
        encoded = dict(zip(*held, strict=True))
        decode = position_decoder(field.format)
        for number in encoded.keys() & docs:
            positions[number] = decode(encoded[number])
        return positions
    matcher = reader._terms.matcher(fieldname, field.to_bytes(word), field.format)
    decode = position_decoder(field.format)
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        ids, values = matcher._data[0], matcher._data[2]
        if not matcher._byteids:
            ids = accumulate(ids)
        block = dict(zip(ids, values, strict=True))
        for number in block.keys() & docs:
            positions[number] = decode(block[number])
        matcher._next_block()
    return positions


def position_decoder(format_: formats.Format) -> Callable[[bytes], list[int]]:
    """Whoosh's ``decode_positions``; for its plain Positions format the same in C speed
    (the value is the count, then a pickled list of gaps): phrases decode one value for
    every candidate document, tens of thousands for two frequent words."""
    if type(format_) is not formats.Positions:
        return format_.decode_positions

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):  # as Whoosh stores it: the pickle's STOP left off
            value += b"."
        return list(accumulate(loads(value[_INT_SIZE:])))

    return decode


def _whoosh_phrase_docs(
    leaf: Searcher, offset: int, phrase: wq.Phrase, local: set[int]
) -> set[int]:
    found: set[int] = set()
    matcher = phrase.matcher(leaf)
    for number in sorted(local):
        if not matcher.is_active():
            break
        matcher.skip_to(number)
        if not matcher.is_active():
            break
        if matcher.id() == number:
            found.add(number + offset)
    return found


def _term_docs(searcher: Searcher, fieldname: str, text: str, memo: dict | None) -> set[int]:
    docs: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        postings = _leaf_postings(leaf.reader(), fieldname, text, memo)
        if offset:
            docs.update(number + offset for number in postings)
        else:
            docs.update(postings)
    return docs


class SharedPostings:
    """Decoded postings (ids and weights) of segments' terms, shared by the searches of this
    process. A segment never changes once written (new documents go to new segments, merges
    write new ones, deletions are kept beside it and the readable set leaves them out), so a
    term's postings read once serve every later search: reading them (unpickling and
    decompressing blocks) is the largest cost of a search for frequent words. Least recently
    used terms go first beyond ``max_postings`` (12 bytes each)."""

    def __init__(self, max_postings: int) -> None:
        self.max_postings = max_postings
        self._terms: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[array, array] | None:
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
            return found

    def put(self, key: tuple, ids: list[int], weights: list[float]) -> None:
        if len(ids) > self.max_postings // 4:
            return  # one huge term must not push out all others
        with self._lock:
            if key in self._terms:
                return
            self._terms[key] = (array("l", ids), array("d", weights))
            self._size += len(ids)
            while self._size > self.max_postings:
                _key, (old_ids, _weights) = self._terms.popitem(last=False)
                self._size -= len(old_ids)


SHARED_POSTINGS = SharedPostings(max_postings=3_000_000)


def _segment_key(reader, fieldname: str, text: str) -> tuple | None:
    try:
        segment = reader.segment()
        return (segment.segment_id(), fieldname, text) if segment is not None else None
    except AttributeError:
        return None


def _leaf_postings(reader, fieldname: str, text: str, memo: dict | None) -> dict[int, float]:
    """The weight of the term in each document of one segment's postings, by document
    number, deletions included (the caller's intersection with the readable set removes
    those)."""
    key = ("postings", id(reader), fieldname, text)
    if memo is not None and key in memo:
        return memo[key]
    shared_key = _segment_key(reader, fieldname, text)
    shared = SHARED_POSTINGS.get(shared_key) if shared_key is not None else None
    if shared is not None:
        postings = dict(zip(*shared, strict=True))
        if memo is not None:
            memo[key] = postings  # positions, for phrases, are read where needed
        return postings
    ids: list[int] = []
    weights: list[float] = []
    values: list | None = []  # the encoded positions, kept for phrases
    if fieldname in reader.schema and (fieldname, text) in reader:
        field = reader.schema[fieldname]
        try:
            # The raw postings, a block at a time (Whoosh's W3 codec): ids are stored as
            # deltas, which `accumulate` decodes at C speed.
            matcher = reader._terms.matcher(fieldname, field.to_bytes(text), field.format)
            while not matcher._atend:
                if matcher._data is None:
                    matcher._read_data()
                block_ids, block_weights = matcher._data[0], matcher._data[1]
                start = len(ids)
                ids.extend(block_ids if matcher._byteids else accumulate(block_ids))
                if block_weights is None or isinstance(block_weights, float):
                    weight = 1.0 if block_weights is None else block_weights
                    weights.extend([weight] * (len(ids) - start))
                else:
                    weights.extend(block_weights)
                block_values = matcher._data[2]
                if values is not None and isinstance(block_values, list | tuple):
                    values.extend(block_values)
                else:
                    values = None
                matcher._next_block()
        except AttributeError:  # another codec or reader: Whoosh's own (slower) way
            ids, weights, values = [], [], None
            postings = reader.postings(fieldname, text)
            while postings.is_active():
                ids.append(postings.id())
                weights.append(postings.weight())
                postings.next()
    postings = dict(zip(ids, weights, strict=True))
    if shared_key is not None:
        SHARED_POSTINGS.put(shared_key, ids, weights)
    if memo is not None:
        memo[key] = postings
        if values is not None and len(values) == len(ids):
            memo["values", id(reader), fieldname, text] = (ids, values)
    return postings


def score_docs(
    searcher: Searcher,
    query: wq.Query,
    docs: set[int],
    memo: dict | None = None,
) -> dict[int, float] | None:
    """The relevance of each of `docs` (which all match `query`), as Whoosh's BM25F scores
    it: a word scores BM25 in its field times its boost; Or and And add up the scores of
    the parts a document matches, AndNot keeps its first part's, a phrase adds up its words'
    scores in its field. None when `query` holds a part this does not score the same way
    (prefixes, date ranges, everything): the caller lets Whoosh score then. `memo` is
    what `matching_docs` read and found (phrases: within a superset of `docs`)."""
    scores: dict[int, float] = dict.fromkeys(docs, 0.0)
    if not _add_scores(searcher, query, docs, scores, 1.0, {} if memo is None else memo):
        return None
    return scores


def _add_scores(
    searcher: Searcher,
    query: wq.Query,
    docs: set[int],
    scores: dict[int, float],
    boost: float,
    memo: dict,
) -> bool:
    kind = type(query)
    if kind is wq.Term:
        _add_term_scores(
            searcher, query.fieldname, query.text, boost * query.boost, docs, scores, memo
        )
        return True
    if kind in (wq.Or, wq.And):
        boost *= query.boost
        return all(
            _add_scores(searcher, sub, docs, scores, boost, memo) for sub in query.subqueries
        )
    if kind is wq.AndNot:
        return _add_scores(searcher, query.a, docs, scores, boost * query.boost, memo)
    if kind is wq.Phrase and query.slop == 1:
        # Whoosh scores a phrase match as the sum of its words' scores in the field.
        found = memo.get(("phrase", id(query)))
        inside = found & docs if found is not None else _phrase_docs(searcher, query, docs, memo)
        for word in query.words:
            _add_term_scores(
                searcher, query.fieldname, word, boost * query.boost, inside, scores, memo
            )
        return True
    return False


def _add_term_scores(
    searcher: Searcher,
    fieldname: str,
    text: str,
    boost: float,
    docs: set[int],
    scores: dict[int, float],
    memo: dict,
) -> None:
    if not docs:
        return
    if fieldname not in searcher.schema or (fieldname, text) not in searcher.reader():
        return
    scorable = searcher.schema[fieldname].scorable
    if scorable:
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        # BM25's length normalisation for each of the 256 stored field lengths.
        norm = [_K1 * ((1 - _B) + _B * length / avgfl) for length in _LENGTHS]
        top = idf * (_K1 + 1)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        postings = _leaf_postings(reader, fieldname, text, memo)
        # Only the readable matches are scored.
        if offset:
            common = [number for number in postings if number + offset in docs]
        else:
            common = postings.keys() & docs
        if not scorable:
            for number in common:
                scores[number + offset] += postings[number] * boost
            continue
        length_byte = _length_bytes(reader, fieldname)
        for number in common:
            weight = postings[number]
            scores[number + offset] += top * weight / (weight + norm[length_byte(number)]) * boost


def _length_bytes(reader, fieldname: str) -> Callable[[int], int]:
    """The stored (one-byte) length of `fieldname` for a document of the segment; a missing
    length counts as 1, as Whoosh's scorer does."""
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return lambda number: _ONE
        raw = column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        return lambda number: length_to_byte(reader.doc_field_length(number, fieldname, 1))
    size = len(raw)
    return lambda number: (raw[number] or _ONE) if number < size else _ONE


# Whoosh's default weighting, BM25F(B=0.75, K1=1.2).
_B = 0.75
_K1 = 1.2
_LENGTHS = [byte_to_length(value) for value in range(256)]
_ONE = length_to_byte(1)
