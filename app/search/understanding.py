"""What a question asks about: the phrasing of questions and requests removed before matching.

Colleagues ask as they would ask a person: "Wer kennt sich mit Haushaltsrecht aus?", "Kann
mir jemand beim Vergaberecht helfen?", "Who knows about procurement?". Matching every word
of that finds only the colleague who asked the same question. The words that only make it a
question or a request (question words, "kennt sich … aus", "suche jemanden", "help with",
greetings and polite filler) are dropped; stop words go as the index drops them; what is
left is the topic, shown to the reader as "Gesucht: Haushaltsrecht".

Only bare words are read this way: phrases, -exclusions, prefixes and field filters stay as
typed. A query made only of such words keeps them all (someone may search for "Hilfe").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.lang import stopwords_for_language

from app.search.analysis import LANGUAGES, fold_german
from app.search.query import FILTER_NAMES, clean_query_text

# Folded (no umlauts, ß as ss), lowercase.
_REQUEST_WORDS_TEXT = """
wer wen wem wessen was wie wo wann warum weshalb wieso welche welcher welches jemand
jemanden jemandem jemands irgendwer irgendjemand irgendwen niemand kennt kennen kenne
kennst auskennen auskennt auskenne auskennst aus weiss wisst wissen weisst helfen hilft
helfe hilf weiterhelfen weiterhilft helfen unterstutzen unterstutzt suche suchen sucht
gesucht brauche brauchen braucht benotige benotigen benotigt frage fragen fragt gefragt
erfahrung erfahrungen erfahren experte experten expertin expertinnen expertise fachmann
fachfrau fachleute ansprechpartner ansprechpartnerin ansprechpartnerinnen ansprechperson
zustandig bitte danke dank vielen lieben liebe hallo hi moin servus gruss grusse
kollegen kolleginnen kollege kollegin leute jemandem gibt gibts tipp tipps rat hinweis
hinweise idee ideen moglich vielleicht eventuell kurz kurze schnell mal eigentlich genau
who whom whose what which where when why how anyone anybody someone somebody knows know
knowing knowledgeable familiar expert experts experienced experience help helps helping
need needs needed looking look find finding question questions please thanks thank hello
hey hi colleagues tips tip advice any
"""
REQUEST_WORDS = frozenset(_REQUEST_WORDS_TEXT.split())
# Words with no topic the index's stop lists lack (German contractions, English fillers).
_FUNCTION_WORDS_TEXT = """
beim zum zur vom im am ins ans ums uber fur mit ohne bei von zu nach einen einem einer
eines etwas jemand dazu damit davon hier da es gerne gern sich mir mich uns euch
does do did have has had about anything something some there get
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

_BARE = re.compile(r"^[^\w\"*:-]*([\w-]+)[^\w]*$")


@dataclass(frozen=True, slots=True)
class Understanding:
    """`query`: the query matched (request phrasing removed); `topic`: its words as the
    reader sees them ("Haushaltsrecht"), empty when nothing was removed."""

    query: str
    topic: str = ""


def understand(text: str) -> Understanding:
    """The query without the words of asking. Never raises."""
    cleaned = clean_query_text(text or "").strip()
    parts = cleaned.split()
    stopwords = frozenset().union(*(stopwords_for_language(lang) for lang in LANGUAGES))
    kept: list[str] = []
    topic: list[str] = []
    asked = False
    for part in parts:
        bare = _BARE.match(part)
        word = bare.group(1) if bare and not _is_syntax(part) else None
        if word is None:
            kept.append(part)
            continue
        folded = fold_german(word)
        if folded in REQUEST_WORDS:
            asked = True
            continue
        if word.lower() in stopwords or folded in FUNCTION_WORDS:
            continue
        kept.append(word)
        topic.append(word)
    if not asked or not kept:
        return Understanding(cleaned)
    return Understanding(" ".join(kept), " ".join(topic))


def _is_syntax(part: str) -> bool:
    """A phrase, exclusion, prefix or field filter: kept as typed."""
    name, colon, _value = part.partition(":")
    return (
        '"' in part
        or part.startswith("-")
        or part.endswith("*")
        or bool(colon and name.lower() in FILTER_NAMES)
    )
