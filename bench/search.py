"""Benchmark of the search engine on a synthetic organisation (prints figures; not a test).

    python bench/search.py                 # 10,000 people, 100,000 documents
    python bench/search.py --docs 10000    # smaller

Prints the full rebuild time and documents per second, content search and expertise
finder latency (median, p95) for a reader in several spaces, and the time from apply()
of one document until another SearchIndex instance (a web process) finds it.

Figures on the 2-core build machine (queries are the ~100 most frequent words, the worst
case; median hits per query ~2,500 of 100,000):
    10,000 docs:  rebuild 16 s (617 docs/s); search median 19 ms, p95 56 ms
    100,000 docs: rebuild 374 s (268 docs/s, 2 processes); search median 124 ms, p95 654 ms
                  (p95 misses the 250 ms target: every match is scored to count the
                  readable total exactly); experts p95 682 ms; save-to-findable 0.66 s max
    After wiring (search-wiring branch, 100,000 docs, index merged to one segment, idle
    machine, `--reuse`): search median 189 ms, p95 1,032 ms; experts median 253 ms,
    p95 1,143 ms; save-to-findable (apply, then a second SearchIndex finds it) median
    0.94 s, max 1.40 s (apply median 486 ms). A rebuild sharing the 2 cores with the test
    suite took 735 s (136 docs/s). The content p95 still misses 250 ms: the worst queries
    (the most frequent words, ~25,000 matches) score every match for an exact total.
    After set-based matching and scoring (search-perf branch, app/search/matching.py; the
    same 100,000-document index, 1 large + several small segments, `--reuse`, the machine
    shared with another session's test run, load 1.5-2): search median 99 ms, p95 260 ms
    (before, same index and conditions: 127 ms, 725 ms); experts median 106 ms, p95 308 ms
    (before: 174 ms, 931 ms). 10,000 docs: search median 12 ms, p95 28 ms (before: 20 ms,
    91 ms); experts 17 ms, 35 ms (before: 46 ms, 113 ms). Totals
    are now exact: Whoosh's collector undercounted multi-word queries (median total
    11,938, not 2,475), and missed some matching fields' scores.
    With compound splitting, PyStemmer and marked answers (search-answers branch): the
    machine stayed busy (load 6-9 from other test runs sharing it; each bench process
    got 15-40 % of a core), so the 100,000 run was stopped during its rebuild and 20,000
    documents were measured instead: rebuild 458 s (44 docs/s, not comparable with an
    idle machine); index 84.8 MiB; compound parts are 24.5 % of the German body's postings
    (terms a document holds only as a part) and 39.1 % of its term occurrences (there is
    no switch to build without them); search median 103 ms, p95 326 ms (after the merge
    to one segment: 80 ms, 200 ms); experts median 140 ms, p95 310 ms; optimize 165 s;
    save-to-findable max 0.51 s. The 100,000-document targets (search p95 < 250 ms,
    experts p95 < 400 ms, reindex < 8 min) need a run on an idle machine.
    The same code on the idle machine, 10,000 documents: rebuild 37 s (272 docs/s, as
    before the wider matching); index 45.2 MiB; search median 24 ms, p95 58 ms (after the
    merge: 21 ms, 49 ms); experts median 33 ms, p95 74 ms — about twice the 10,000 figures
    before the wider matching; save-to-findable 0.50 s.
    100,000 documents on the idle machine (2026-12-07): rebuild 180 s (557 docs/s, 2
    processes); index 391.5 MiB; search median 134 ms, p95 307 ms; experts median 153 ms,
    p95 307 ms; optimize 217 s, then search median 122 ms, p95 280 ms; save-to-findable
    max 0.50 s. With decoded postings shared between searches per segment
    (matching.SharedPostings; `--reuse` of that merged index, the cache filling during the
    run): search median 94 ms, p95 255 ms; experts median 95 ms, p95 251 ms. The slowest
    tenth are quoted phrases of two frequent words (~25,000 candidates whose positions are
    unpickled one document at a time, 350-500 ms); right after a merge the cache is cold
    again (median 107 ms, p95 294 ms).
    Matching and scoring as numpy arrays, positions packed (schema.PackedPositions) and
    phrases joined as arrays (idle machine, 2026-12-07; the same run before the change in
    brackets): rebuild 247 s (231 s), 405 docs/s; index 391.3 MiB (391.5 MiB); content
    search median 12.6 ms (123.5), p95 171 ms (337.5); experts median 17.5 ms (149),
    p95 181 ms (350); optimize 312 s (303 s), then content median 12.5 ms (131),
    p95 181 ms (346); save-to-findable max 0.56 s (0.50). What remains of the p95 is reading
    postings not yet kept (unzipping and unpickling Whoosh's blocks): a second pass over the
    same queries, with the everyday words kept (~130 MiB), has median 9 ms, p95 16 ms.
    10,000 documents: rebuild 25 s (37 s), index 45.2 MiB (45.2), content median 4.6 ms,
    p95 21 ms (24, 58); experts median 10 ms, p95 11 ms (33, 74).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.search.analysis import text_analyzer
from app.search.documents import SearchDocument
from app.search.index import SearchIndex
from app.search.ranking import ProfileEvidence, SkillMatch, rank_experts

GERMAN = [
    "Verwaltung",
    "Gebühren",
    "Vertrag",
    "Verträge",
    "Ausschreibung",
    "Vergaberecht",
    "Haushalt",
    "Bürger",
    "Antrag",
    "Bescheid",
    "Satzung",
    "Stadtrat",
    "Ordnungsamt",
    "Bauamt",
    "Genehmigung",
    "Förderung",
    "Zuschuss",
    "Rechnung",
    "Prüfung",
    "Datenschutz",
    "Verfahren",
    "Formular",
    "Beschluss",
    "Sitzung",
    "Protokoll",
    "Personal",
    "Schulung",
    "Straße",
    "Brücke",
    "Kindergarten",
    "Schule",
    "Umwelt",
    "Abfall",
    "Wasser",
    "Energie",
    "Digitalisierung",
    "Akte",
    "Frist",
    "Widerspruch",
    "Gesetz",
    "Verordnung",
    "Haushaltsplan",
    "Kämmerei",
    "Steuer",
    "Grundsteuer",
    "Müll",
    "öffentlich",
    "zuständig",
    "dringend",
    "jährlich",
    "genehmigt",
    "beantragt",
    "geprüft",
    "erstellt",
    "neue",
    "alte",
]
ENGLISH = [
    "procurement",
    "contract",
    "contracts",
    "budget",
    "citizen",
    "application",
    "permit",
    "council",
    "meeting",
    "invoice",
    "review",
    "privacy",
    "process",
    "form",
    "decision",
    "training",
    "staff",
    "road",
    "bridge",
    "school",
    "environment",
    "waste",
    "water",
    "energy",
    "digital",
    "record",
    "deadline",
    "appeal",
    "law",
    "regulation",
    "tax",
    "public",
    "responsible",
    "urgent",
    "annual",
    "approved",
    "requested",
    "checked",
    "created",
    "new",
    "old",
    "report",
]
FILLER = [
    "der",
    "die",
    "das",
    "und",
    "mit",
    "für",
    "von",
    "auf",
    "the",
    "and",
    "of",
    "to",
    "in",
    "for",
    "with",
    "on",
    "is",
    "are",
]
KIND_SHARES = (("wiki", 0.40), ("blog", 0.15), ("comment", 0.25), ("micro", 0.10))
KIND_WORDS = {"wiki": 300, "blog": 200, "comment": 40, "micro": 25, "profile": 50}
SPACES = 200
READER_SPACES = 5
NOW = datetime(2024, 5, 1, tzinfo=UTC)
# Documents analysed again to count what compound splitting adds to the index.
COMPOUND_SAMPLE = 10_000


def vocabulary(rng: random.Random) -> list[str]:
    """Real words plus compounds, so the vocabulary is large like a real wiki's."""
    words = GERMAN + ENGLISH
    compounds = {a + b.lower() for a in GERMAN for b in rng.sample(GERMAN, 12)}
    return words + sorted(compounds)


def text(rng: random.Random, words: list[str], weights: list[float], length: int) -> str:
    picked = rng.choices(words, weights, k=length)
    for position in range(0, length, 4):
        picked[position] = rng.choice(FILLER)
    return " ".join(picked)


def organisation(people: int, documents: int, seed: int = 7) -> Iterator[SearchDocument]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(words))]  # Zipf-like
    for person in range(1, people + 1):
        yield _document(rng, f"profile:{person}", "profile", words, weights, person, None)
    kinds, shares = zip(*KIND_SHARES, strict=True)
    for number in range(1, documents - people + 1):
        kind = rng.choices(kinds, shares)[0]
        author = rng.randint(1, people)
        space = rng.randint(1, SPACES) if rng.random() < 0.5 else None
        yield _document(rng, f"{kind}:{number}", kind, words, weights, author, space)


def _document(rng, key, kind, words, weights, author, space) -> SearchDocument:
    body = text(rng, words, weights, KIND_WORDS[kind])
    updated = NOW - timedelta(days=rng.randint(0, 2000))
    people = (author,) if kind != "wiki" else (author, *rng.sample(range(1, 10_000), 2))
    return SearchDocument(
        key=key,
        kind=kind,
        title=" ".join(rng.choices(words[:60], k=4)) if kind in {"wiki", "blog"} else "",
        body=body,
        tags=tuple(rng.sample(words[:40], 2)),
        people=people,
        space=space,
        acl=(f"space:{space}",) if space else ("all",),
        created=updated,
        updated=updated,
        url=f"/{kind}/{key.partition(':')[2]}",
        author=author,
        is_question=kind == "comment" and rng.random() < 0.3,
    )


def queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    words = GERMAN + ENGLISH
    result = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            result.append(rng.choice(words))
        elif roll < 0.9:
            result.append(" ".join(rng.sample(words, 2)))
        else:
            result.append('"' + " ".join(rng.sample(words, 2)) + '"')
    return result


def compound_part_share(documents: Iterator[SearchDocument]) -> tuple[float, float]:
    """How much of the German body field compound splitting adds: the share of its postings
    (term, document) whose term stands in the document only as a compound's part, and the
    share of its token occurrences that are parts."""
    analyzer = text_analyzer("de")
    postings = part_postings = tokens = part_tokens = 0
    for document in documents:
        whole: set[str] = set()
        parts: set[str] = set()
        last_position = -1
        for token in analyzer(document.body, positions=True):
            tokens += 1
            # A compound's parts follow it at its position: the first term of a position is
            # the whole word.
            if token.pos == last_position:
                part_tokens += 1
                parts.add(token.text)
            else:
                last_position = token.pos
                whole.add(token.text)
        postings += len(whole | parts)
        part_postings += len(parts - whole)
    return part_postings / max(postings, 1), part_tokens / max(tokens, 1)


def percentiles(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=None, help="default: docs / 10")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None, help="index folder (default: temp)")
    parser.add_argument(
        "--reuse", action="store_true", help="search the index already in --dir (no rebuild)"
    )
    args = parser.parse_args()
    people = args.people or args.docs // 10
    root = args.dir or Path(tempfile.mkdtemp(prefix="kollegium-bench-")) / "search"
    print(f"{args.docs:,} documents, {people:,} people, index in {root}")

    index = SearchIndex(root)
    if not args.reuse:
        started = time.perf_counter()
        count = index.rebuild(
            organisation(people, args.docs), total=args.docs, processes=args.processes
        )
        elapsed = time.perf_counter() - started
        print(
            f"rebuild ({args.processes} processes): {elapsed:7.1f} s  {count / elapsed:7.0f} docs/s"
        )
        size = sum(path.stat().st_size for path in root.rglob("*") if path.is_file())
        print(f"index size: {size / 2**20:.1f} MiB")
        sample = min(args.docs, COMPOUND_SAMPLE)
        postings, occurrences = compound_part_share(organisation(sample // 10, sample))
        print(
            f"compound parts (German body, {sample:,} documents alike): {postings:.1%} of "
            f"postings, {occurrences:.1%} of term occurrences"
        )

    rng = random.Random(3)
    reader = {"all", f"user:{rng.randint(1, people)}"}
    reader |= {f"space:{space}" for space in rng.sample(range(1, SPACES + 1), READER_SPACES)}
    texts = queries(args.queries)
    index.search(texts[0], acl_tokens=reader)  # the first search opens the searcher
    timings, totals = [], []
    for query in texts:
        started = time.perf_counter()
        page = index.search(query, acl_tokens=reader)
        timings.append(time.perf_counter() - started)
        totals.append(page.total)
    print(f"content search:  {percentiles(timings)}   (median total {statistics.median(totals)})")

    timings = []
    for query in texts[:100]:
        started = time.perf_counter()
        hits = index.expertise_hits(query, acl_tokens=reader)
        authors = {hit.author for hit in hits if hit.author is not None}
        profiles = [
            ProfileEvidence(person, f"/people/{person}", (SkillMatch(query, 1 + person % 4),))
            for person in sorted(authors)[:20]
        ]
        rank_experts(profiles, hits, now=NOW)
        timings.append(time.perf_counter() - started)
    print(f"expert search:   {percentiles(timings)}   (engine part: hits + ranking)")

    started = time.perf_counter()
    index.optimize(block=True)
    print(f"optimize (merge to one segment): {time.perf_counter() - started:.1f} s")
    timings = []
    for query in texts:
        started = time.perf_counter()
        index.search(query, acl_tokens=reader)
        timings.append(time.perf_counter() - started)
    print(f"content search after optimize: {percentiles(timings)}")

    web = SearchIndex(root)  # another process's view of the same folder
    web.search("Verwaltung", acl_tokens=reader)
    delays, applies = [], []
    for attempt in range(5):
        key = f"wiki:new{attempt}"
        document = next(organisation(1, 1, seed=attempt))
        document = SearchDocument(
            **{
                **{f: getattr(document, f) for f in document.__slots__},
                "key": key,
                "body": f"Zyxquorum{attempt} " + document.body,
                "acl": ("all",),
            }
        )
        started = time.perf_counter()
        assert index.apply([document], [])
        applies.append(time.perf_counter() - started)
        while not web.search(f"Zyxquorum{attempt}", acl_tokens=reader).total:
            pass  # a web process searching continuously: refresh happens on its own
        delays.append(time.perf_counter() - started)
    print(
        f"save-to-findable: max {max(delays):.2f} s, median {statistics.median(delays):.2f} s"
        f"  (apply() itself: median {statistics.median(applies) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
