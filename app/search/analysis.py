"""How text becomes index terms: German and English stemming with umlauts and ß folded,
and German compounds split into their parts (indexed beside the whole word).

Body and title are analysed twice — once per language — and queried together, so a German
word form finds its German relatives and an English one its English relatives. Folding
happens before stemming and on both sides (index and query), so "Gebühr", "gebuehren" and
"Gebuhren" all become the stem "gebuhr".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

import Stemmer
from whoosh.analysis import (
    CommaSeparatedTokenizer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.lang import stopwords_for_language

from app.search.compounds import CompoundSplitter

LANGUAGES = ("de", "en")
# The maintained C Snowball (PyStemmer): it stems "Bürgermeisterin" like "Bürgermeister".
STEMMERS = {"de": "german", "en": "english"}
# Raised whenever the terms a text becomes change: an index written with another version
# must be rebuilt (`flask search check` says so, `flask search reindex` does it).
ANALYSIS_VERSION = 4

# Each analyser remembers this many word -> stem results; stemming is the costliest step
# of indexing and a vocabulary repeats a lot.
STEM_CACHE_SIZE = 100_000
SPELLING_MIN_CHARS = 3
SPELLING_MAX_CHARS = 30

# Feminine forms the Snowball stemmer keeps apart from the masculine when no "-er" precedes:
# "Beamtin", "Stadträtin", "Kollegin", "Referentinnen". Cut before stemming, on both
# sides, so a rare false cut ("Martin") meets only its own kind.
_FEMININE = re.compile(r"(?<=.{3}[tg])in$|(?<=.{3})innen$")

_SHARP_S = str.maketrans({"ß": "ss", "ẞ": "ss"})
# The German spelling without umlauts ("Gebuehren", "Aerger", "Oeffnung"); after "q" the
# "ue" is a real u+e ("Quelle"), so it stays.
_GERMAN_DIGRAPHS = re.compile(r"ae|oe|(?<!q)ue")


def fold_accents(word: str) -> str:
    """Lowercase `word`, drop diacritics and write ß as "ss" ("Gebühr" -> "gebuhr")."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_SHARP_S))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_german(word: str) -> str:
    """Like `fold_accents`, and also read ae/oe/ue as ä/ö/ü ("gebuehren" -> "gebuhren")."""
    return _GERMAN_DIGRAPHS.sub(lambda match: match.group(0)[0], fold_accents(word))


def normalize_tag(tag: str) -> str:
    """The form a tag is indexed and queried in: no "#", case or accents."""
    return fold_german(tag.strip().lstrip("#"))


class StemFoldFilter(Filter):
    """Lowercase, fold, drop stop words and stem in one pass for one language.

    One filter instead of four saves a generator layer per token, and the cache saves the
    stemmer: indexing speed is mostly this loop. Positions are renumbered over the words
    that remain, so a phrase matches across a dropped stop word.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self._setup()

    def _setup(self) -> None:
        self.fold: Callable[[str], str] = fold_german if self.language == "de" else fold_accents
        self._stem: Callable[[str], str] = Stemmer.Stemmer(STEMMERS[self.language]).stemWord
        self._stopwords = frozenset(stopwords_for_language(self.language))
        self._cache: dict[str, str | None] = {}
        self._parts_cache: dict[str, tuple[str, ...]] = {}
        self.splitter = (
            CompoundSplitter(lambda word: self._stem(self.fold(word)))
            if self.language == "de"
            else None
        )

    # The schema is pickled into the index: keep only the language, not the cache.
    def __getstate__(self) -> dict[str, str]:
        return {"language": self.language}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.language = state["language"]
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemFoldFilter) and other.language == self.language

    def __hash__(self) -> int:
        return hash((StemFoldFilter, self.language))

    def term(self, word: str) -> str | None:
        """The index term for one word, or None for a stop word."""
        cached = self._cache.get(word, "")
        if cached != "":
            return cached
        lowered = word.lower()
        if lowered in self._stopwords:
            term = None
        elif self.language == "de":
            term = self._stem(_FEMININE.sub("", self.fold(lowered)))
        else:
            term = self._stem(self.fold(lowered))
        if len(self._cache) >= STEM_CACHE_SIZE:
            self._cache.clear()
        self._cache[word] = term
        return term

    def part_terms(self, word: str) -> tuple[str, ...]:
        """The index terms of the parts of a compound `word` (not the whole word's term)."""
        cached = self._parts_cache.get(word)
        if cached is not None:
            return cached
        parts: tuple[str, ...] = ()
        if self.splitter is not None:
            whole = self.term(word)
            terms = (self.term(part) for part in self.splitter.parts(self.fold(word.lower())))
            parts = tuple(dict.fromkeys(t for t in terms if t and t != whole))
        if len(self._parts_cache) >= STEM_CACHE_SIZE:
            self._parts_cache.clear()
        self._parts_cache[word] = parts
        return parts

    def modifier_terms(self, word: str) -> tuple[str, ...]:
        """The index terms of the specific (non-head) parts of a compound `word`."""
        if self.splitter is None:
            return ()
        whole = self.term(word)
        terms = (self.term(part) for part in self.splitter.modifiers(self.fold(word.lower())))
        return tuple(dict.fromkeys(t for t in terms if t and t != whole))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        position = 0
        for token in tokens:
            word = token.text
            term = self.term(word)
            if term is None:
                continue
            token.text = term
            if token.positions:
                token.pos = position
                position += 1
            yield token
            # A compound's parts stand at its position: phrases still see one word.
            for part in self.part_terms(word) if self.splitter is not None else ():
                token.text = part
                yield token


class TagFilter(Filter):
    """Normalise each tag with `normalize_tag`."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normalize_tag(token.text)
            if token.text:
                yield token


def text_analyzer(language: str):
    """The analyser of one language's copy of title and body."""
    return RegexTokenizer() | StemFoldFilter(language)


def tag_analyzer():
    return CommaSeparatedTokenizer() | TagFilter()


def spelling_analyzer():
    """Unstemmed words, as the reader would type them, for "did you mean"."""
    stopwords = frozenset().union(*(stopwords_for_language(lang) for lang in LANGUAGES))
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=stopwords, minsize=SPELLING_MIN_CHARS, maxsize=SPELLING_MAX_CHARS)
    )
