"""The reader's query language, parsed into a `ParsedQuery` and turned into Whoosh queries.

Syntax: words, "phrases", -exclude, prefix*, author:NAME, tag:NAME, space:ID-or-slug,
kind:wiki. Parsing never raises: whatever it cannot read becomes plain words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from whoosh import query as wq

from app.inputs import id_or_none
from app.search.analysis import LANGUAGES, StemFoldFilter, fold_german, normalize_tag
from app.search.schema import index_time, text_field

MAX_QUERY_CHARS = 500
MAX_QUERY_PARTS = 32
# Shorter prefixes expand to a large part of the vocabulary; they count as words.
PREFIX_MIN_CHARS = 2
TITLE_BOOST = 3.0
TAG_BOOST = 2.0
# A word's other names (thesaurus) and a compound's parts count less than the word typed.
SYNONYM_BOOST = 0.6
PART_BOOST = 0.5
# How much of a word a document holds that has it only by another name (for "all words
# first": the word as typed outranks its synonyms) or only by its parts.
SYNONYM_COVERAGE = 0.8
PART_COVERAGE = 0.5
FILTER_NAMES = ("author", "tag", "space", "kind")

_PART = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")
# "B-Plan", "E-Akte", "Datenschutz-Check": one term (a phrase of its words, or its parts).
_TERM = re.compile(r"\w+(?:-\w+)*")


@dataclass(frozen=True, slots=True)
class FieldFilter:
    """One `name:value` of the query, as typed (author and space names are unresolved)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    filters: tuple[FieldFilter, ...] = ()
    # Each term's other names from the thesaurus, (term, names); not part of the syntax.
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def values(self, name: str) -> tuple[str, ...]:
        """The values of every `name:` filter in the query."""
        return tuple(f.value for f in self.filters if f.name == name)

    @property
    def asks_nothing(self) -> bool:
        """True when nothing readable was typed (empty, or only punctuation)."""
        return not (self.has_text or self.excludes or self.filters)

    @property
    def has_text(self) -> bool:
        """True when the query asks for words, not only filters or exclusions."""
        return bool(self.terms or self.phrases or self.prefixes)

    def replace_terms(self, terms: tuple[str, ...]) -> ParsedQuery:
        return ParsedQuery(terms, self.phrases, self.excludes, self.prefixes, self.filters)

    def with_synonyms(self, synonyms_of: Callable[[str], list[str]]) -> ParsedQuery:
        """This query with each term's and phrase's other names (`synonyms_of(text)`)."""
        found = tuple(
            (text, tuple(names))
            for text in (*self.terms, *self.phrases)
            if (names := synonyms_of(text))
        )
        return ParsedQuery(
            self.terms, self.phrases, self.excludes, self.prefixes, self.filters, found
        )

    def synonyms_of(self, text: str) -> tuple[str, ...]:
        return next((names for term, names in self.synonyms if term == text), ())

    def to_text(self) -> str:
        """The query written back in its syntax (for "did you mean" links)."""
        parts = [*self.terms, *(f'"{p}"' for p in self.phrases)]
        parts += [f"{p}*" for p in self.prefixes]
        parts += [f"-{e}" if " " not in e else f'-"{e}"' for e in self.excludes]
        parts += [f"{f.name}:{f.value}" for f in self.filters]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class WordClause:
    """One word of the query: `exact` matches it as typed, `synonyms` by another name of it,
    `weak` by its specific parts alone (a document holding only "Friedhof" for
    "Friedhofsverwaltung"). A document counts the word once, as the best of these."""

    exact: wq.Query
    synonyms: wq.Query | None = None
    weak: wq.Query | None = None

    @property
    def is_empty(self) -> bool:
        return self.exact is wq.NullQuery and self.synonyms is None and self.weak is None

    @property
    def strong(self) -> wq.Query:
        """It as typed or by another name."""
        parts = [part for part in (self.exact, self.synonyms) if part not in (None, wq.NullQuery)]
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def query(self) -> wq.Query:
        parts = [
            part
            for part in (self.exact, self.synonyms, self.weak)
            if part not in (None, wq.NullQuery)
        ]
        return parts[0] if len(parts) == 1 else wq.Or(parts)


@dataclass(frozen=True, slots=True)
class ContentPlan:
    """A query's text as Whoosh queries: `words` each count once toward coordination."""

    words: tuple[WordClause, ...] = ()
    required: tuple[wq.Query, ...] = ()
    excluded: tuple[wq.Query, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.required)

    def scoring_query(self) -> wq.Query:
        """Everything that adds to a document's score (any part may match)."""
        parts = [*(word.query() for word in self.words), *self.required]
        if not parts:
            return wq.Every()
        return parts[0] if len(parts) == 1 else wq.Or(parts)


class FilterResolver(Protocol):
    """Translates names the reader typed into ids; the caller knows users and spaces."""

    def author_id(self, name: str) -> int | None: ...

    def space_id(self, name: str) -> int | None: ...


def clean_query_text(text: str) -> str:
    """Cut to MAX_QUERY_CHARS and turn control and format characters into spaces."""
    text = text[:MAX_QUERY_CHARS]
    return "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} else char
        for char in text
    )


def parse_query(text: str) -> ParsedQuery:
    """Parse the reader's query. Never raises; unreadable syntax becomes plain words."""
    terms: list[str] = []
    phrases: list[str] = []
    excludes: list[str] = []
    prefixes: list[str] = []
    filters: list[FieldFilter] = []
    # An unbalanced quote is dropped rather than swallowing the rest of the query.
    cleaned = clean_query_text(text)
    if cleaned.count('"') % 2:
        cleaned = cleaned[::-1].replace('"', " ", 1)[::-1]
    for match in list(_PART.finditer(cleaned))[:MAX_QUERY_PARTS]:
        negated, quoted, bare = match.groups()
        if quoted is not None:
            words = " ".join(_WORD.findall(quoted))
            if words:
                (excludes if negated else phrases).append(words)
            continue
        name, colon, value = bare.partition(":")
        if colon and name.lower() in FILTER_NAMES and _WORD.search(value):
            filters.append(FieldFilter(name.lower(), value))
        elif bare.startswith("-") and _WORD.search(bare):
            excludes.append(" ".join(_WORD.findall(bare)))
        elif (
            bare.endswith("*")
            and len(stem := bare.rstrip("*")) >= PREFIX_MIN_CHARS
            and (_WORD.fullmatch(stem))
        ):
            prefixes.append(stem)
        else:
            terms.extend(_TERM.findall(bare))
    return ParsedQuery(
        tuple(terms), tuple(phrases), tuple(excludes), tuple(prefixes), tuple(filters)
    )


class QueryBuilder:
    """Turns parsed queries into Whoosh queries over both analyses of title and body."""

    def __init__(self) -> None:
        self._analyzers = {language: StemFoldFilter(language) for language in LANGUAGES}

    def language_terms(self, text: str, language: str) -> list[str]:
        """The index terms of `text` in the `language` copy of title and body."""
        stems = (self._analyzers[language].term(word) for word in _WORD.findall(text))
        return [stem for stem in stems if stem]

    def text_clause(self, text: str) -> wq.Query:
        """Matches `text` (one word or a phrase) in title, body or tags, in any language."""
        clauses: list[wq.Query] = []
        for language in LANGUAGES:
            stems = self.language_terms(text, language)
            for name, boost in (("title", TITLE_BOOST), ("body", 1.0)):
                fieldname = text_field(name, language)
                if len(stems) == 1:
                    clauses.append(wq.Term(fieldname, stems[0], boost=boost))
                elif stems:
                    clauses.append(wq.Phrase(fieldname, stems, boost=boost))
        if len(_WORD.findall(text)) == 1:
            clauses.append(wq.Term("tags", normalize_tag(text), boost=TAG_BOOST))
        return wq.Or(clauses) if clauses else wq.NullQuery

    def part_terms(self, text: str) -> list[str]:
        """The German index terms of the specific parts of `text`: a compound's modifiers
        ("friedhof" of "Friedhofsverwaltung"), or the words of a hyphenated term
        ("Datenschutz-Check")."""
        german = self._analyzers["de"]
        words = _WORD.findall(text)
        if len(words) > 1:
            return [term for word in words if (term := german.term(word))]
        if len(words) == 1:
            return list(german.modifier_terms(words[0]))
        return []

    def word_clause(self, text: str, synonyms: Collection[str] = ()) -> WordClause:
        """Matches `text` (a word, hyphenated term or phrase) as typed or by another name
        (with less weight), and, weaker still, by its specific parts alone."""
        others = [self.text_clause(synonym) for synonym in synonyms]
        others = [clause for clause in others if clause is not wq.NullQuery]
        parts = [
            wq.Term(text_field(name, "de"), term, boost=PART_BOOST)
            for term in (self.part_terms(text) if " " not in text else ())
            for name in ("title", "body")
        ]
        return WordClause(
            self.text_clause(text),
            wq.Or(others, boost=SYNONYM_BOOST) if others else None,
            wq.Or(parts) if parts else None,
        )

    def content_plan(self, parsed: ParsedQuery) -> ContentPlan:
        """The words (any may match; the more the better), what must match (phrases,
        prefixes) and what must not (exclusions) of `parsed`."""
        words = [self.word_clause(term, parsed.synonyms_of(term)) for term in parsed.terms]
        required = [
            self.word_clause(phrase, parsed.synonyms_of(phrase)).strong for phrase in parsed.phrases
        ]
        required += [self.prefix_clause(prefix) for prefix in parsed.prefixes]
        excluded = [self.text_clause(text) for text in parsed.excludes]
        return ContentPlan(
            words=tuple(word for word in words if not word.is_empty),
            required=tuple(clause for clause in required if clause is not wq.NullQuery),
            excluded=tuple(clause for clause in excluded if clause is not wq.NullQuery),
        )

    def prefix_clause(self, prefix: str) -> wq.Query:
        clauses: list[wq.Query] = [wq.Prefix("tags", normalize_tag(prefix))]
        for language in LANGUAGES:
            folded = self._analyzers[language].fold(prefix)
            for name in ("title", "body"):
                clauses.append(wq.Prefix(text_field(name, language), folded))
        return wq.Or(clauses)

    def highlight_matcher(self, parsed: ParsedQuery) -> Callable[[str], bool]:
        """A test for "is this word of a snippet one the query asked for?"."""
        texts = [*parsed.terms, *parsed.phrases]
        texts += [name for _text, names in parsed.synonyms for name in names if " " not in name]
        wanted = {
            language: {stem for text in texts for stem in self.language_terms(text, language)}
            for language in LANGUAGES
        }
        wanted["de"].update(term for text in texts for term in self.part_terms(text))
        prefixes = tuple(fold_german(prefix) for prefix in parsed.prefixes)

        def is_match(word: str) -> bool:
            if prefixes and fold_german(word).startswith(prefixes):
                return True
            return any(
                self._analyzers[language].term(word) in wanted[language] for language in LANGUAGES
            )

        return is_match

    def topic_strength(self, parsed: ParsedQuery) -> Callable[[str], float]:
        """How strongly a text (a skill's name, say) is what the query asks about: 1.0 when it
        holds a word or phrase of the query, SYNONYM_COVERAGE when it holds another name of
        one, PART_COVERAGE when they meet only through a compound's specific part
        ("Haushalt" and the skill "Haushaltsrecht"), else 0. Two compounds that only share
        a head ("Vergaberecht", "Haushaltsrecht") do not meet."""
        texts = [*parsed.terms, *parsed.phrases]
        others = [name for _text, names in parsed.synonyms for name in names]
        sequences = {
            language: (
                [seq for text in texts if (seq := self.language_terms(text, language))],
                [seq for text in others if (seq := self.language_terms(text, language))],
            )
            for language in LANGUAGES
        }
        whole = {seq[0] for seqs in sequences["de"] for seq in seqs if len(seq) == 1}
        asked_parts = {term for text in texts for term in self.part_terms(text)}
        german = self._analyzers["de"]

        def strength(text: str) -> float:
            best = 0.0
            for language in LANGUAGES:
                held = self.language_terms(text, language)
                asked, other = sequences[language]
                if any(_contains(held, seq) for seq in asked):
                    return 1.0
                if any(_contains(held, seq) for seq in other):
                    best = SYNONYM_COVERAGE
            if best:
                return best
            words = _WORD.findall(text)
            if any(german.term(word) in asked_parts for word in words) or any(
                part in whole for word in words for part in german.modifier_terms(word)
            ):
                return PART_COVERAGE
            return 0.0

        return strength

    def content_query(self, parsed: ParsedQuery) -> wq.Query:
        """What the words, phrases, prefixes and exclusions ask for (all of them must hold)."""
        required = [self.text_clause(text) for text in (*parsed.terms, *parsed.phrases)]
        required += [self.prefix_clause(prefix) for prefix in parsed.prefixes]
        # A word that is a stop word in every language asks for nothing.
        required = [clause for clause in required if clause is not wq.NullQuery]
        positive: wq.Query = wq.And(required) if required else wq.Every()
        excluded = [self.text_clause(text) for text in parsed.excludes]
        excluded = [clause for clause in excluded if clause is not wq.NullQuery]
        if excluded:
            return wq.AndNot(positive, wq.Or(excluded))
        return positive


def _contains(held: list[str], sequence: list[str]) -> bool:
    """True when `sequence` occurs in `held` as consecutive items."""
    size = len(sequence)
    return any(held[start : start + size] == sequence for start in range(len(held) - size + 1))


def restriction_query(
    parsed: ParsedQuery,
    resolver: FilterResolver | None = None,
    *,
    kinds: Collection[str] | None = None,
    space: int | None = None,
    author: int | None = None,
    tag: str | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> wq.Query | None:
    """The filters of the query and of the search form, ANDed; values of one name ORed.

    A name that does not resolve (an unknown author, space or kind) matches nothing.
    """
    clauses: list[wq.Query] = []
    if parsed.values("kind"):
        clauses.append(_any_of("kind", [v.lower() for v in parsed.values("kind")]))
    if kinds is not None:
        clauses.append(_any_of("kind", list(kinds)))
    for name, lookup in (("author", _author_id), ("space", _space_id)):
        names = parsed.values(name)
        if names:
            ids = [lookup(resolver, value) for value in names]
            clauses.append(_any_of(name, [str(i) for i in ids if i is not None]))
    if parsed.values("tag"):
        clauses.append(_any_of("tags", [normalize_tag(v) for v in parsed.values("tag")]))
    for name, value in (("space", space), ("author", author)):
        if value is not None:
            clauses.append(wq.Term(name, str(value)))
    if tag is not None:
        clauses.append(wq.Term("tags", normalize_tag(tag)))
    if date_from is not None or date_to is not None:
        clauses.append(
            wq.DateRange(
                "updated",
                index_time(date_from) if date_from is not None else None,
                index_time(date_to) if date_to is not None else None,
            )
        )
    if not clauses:
        return None
    return wq.And(clauses)


def acl_query(tokens: Collection[str]) -> wq.Query:
    """Documents readable with any of the reader's tokens."""
    return _any_of("acl", sorted(tokens))


def _any_of(fieldname: str, values: list[str]) -> wq.Query:
    if not values:
        return wq.NullQuery
    return wq.Or([wq.Term(fieldname, value) for value in values])


def _author_id(resolver: FilterResolver | None, name: str) -> int | None:
    if resolver is not None:
        return resolver.author_id(name)
    return id_or_none(name)


def _space_id(resolver: FilterResolver | None, name: str) -> int | None:
    if (space_id := id_or_none(name)) is not None:
        return space_id
    return resolver.space_id(name) if resolver is not None else None
