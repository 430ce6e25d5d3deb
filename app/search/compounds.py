"""German compounds split into their parts, so "Friedhofsverwaltung" meets "Friedhofssatzung".

German writes a new concept as one word: "Haushalts|rechts|fragen". The parts are indexed
beside the whole word (at its position) and a query compound also asks for its parts, so
the skill "Haushaltsrecht" meets the question about "Haushaltsrechtsfragen".

The splitter peels heads off the end of a word, right to left: a head is a suffix whose
stem is a known word (`HEAD_WORDS`, the nouns administrative German builds its compounds
from, plus any vocabulary the caller adds: the skill names, the thesaurus). What remains
before a head is a part whatever it is — the first part of a compound is often a name
or a rare word ("Friedhof", "Gewerbe"), while the heads come from a small, stable set. The
linking "s" ("Friedhof|s|verwaltung") and plural endings are left to the stemmer.

Why not a splitter from PyPI: the statistical one (CharSplit, `compound-split`) is a 185 MB
install that takes 10 s to load per process and splits "Mitarbeiterinnen" as "Mit" +
"Arbeiterinnen"; the Rust one needs a newer Python than ours; dictionary splitters need a
word list we cannot download at run time. A head list is small, reviewed, and extended by
the organisation's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# Words shorter than this are never split.
MIN_COMPOUND_CHARS = 7
MIN_HEAD_CHARS = 3
# A remaining first part shorter than this is kept only when it is itself a known word
# ("Bau|amt"), so "Ver|antwortung" does not become "ver" + "antwortung".
MIN_MODIFIER_CHARS = 4
MAX_PARTS = 6

# Heads of administrative German (folded spelling: no umlauts, ß as ss). Their stems are
# compared, so one form of each is enough.
_HEAD_WORDS_TEXT = """
abgabe abrechnung absprache abteilung adresse akte aktion amt analyse anfrage angebot
angelegenheit anlage anmeldung anordnung anpassung anschluss anspruch antrag anweisung
anzeige arbeit archiv art arzt assistenz aufgabe aufsicht auftrag ausbildung ausgabe
auskunft ausschreibung ausschuss ausweis auszahlung bahn bau bauer bearbeiter bearbeitung
beauftragte beauftragter bedarf behorde beihilfe beirat beitrag bericht beratung bereich
bescheid beschaffung
beschluss beschwerde bestand bestattung betrieb betreuung beurteilung bewerbung bewertung
bezirk bilanz bildung brief buch budget buro burger daten datei dezernat dienst dienstleistung
dokument dokumentation eingabe einheit einkauf einnahme einrichtung einsatz einstellung
einwohner entscheidung entwicklung erklarung erlass ermittlung erstattung fach fahrzeug fall
familie feld finanzen firma flache fonds forderung form formular forderung frage frist
fuhrung garten gebaude gebuhr geld gemeinde genehmigung gericht gesetz gesellschaft
gesundheit gewerbe grenze grund grundlage gruppe gutachten hafen haus haushalt hilfe hof
information infrastruktur inhalt jahr kasse katalog kauf kind kita klage kommission
kontrolle konzept kosten kraft kreis kultur kurs land lage leistung leiter leitung liste
management markt massnahme meister meldung miete mittel modell nachweis netz nutzung
ordnung organisation ort personal plan planung platz politik portal post praxis preis
programm projekt protokoll prozess prufung rat raum recht rechnung referat regel regelung
register reinigung reise rente satz satzung schaden schule schutz sicherheit sitzung
software sozial spende stadt stand statte stelle steuer strasse struktur system tag tarif technik
teil termin test unterlage unterricht unterstutzung urlaub verband verbot verein verfahren
vergabe verhandlung verkehr verlag vermerk vermogen verordnung versammlung versicherung
versorgung vertrag vertretung verwaltung verzeichnis vorlage vorschrift wahl wald wasser
weg weiterbildung werk wesen wirtschaft wohnung zahlung zeit zentrum zeugnis ziel zulage
zulassung zuschuss zustandigkeit zweck
"""
HEAD_WORDS = frozenset(_HEAD_WORDS_TEXT.split())


class CompoundSplitter:
    """Splits folded, lowercase German words with a stemmer and a set of known words."""

    def __init__(self, stem: Callable[[str], str], words: Iterable[str] = ()) -> None:
        # `stem` folds and stems one lowercase word, as the index does.
        self._stem = stem
        self._heads = {stem(word) for word in HEAD_WORDS}
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Know these words (folded, lowercase) as heads too; longer text is split into
        its words."""
        for text in words:
            for word in text.split():
                if len(word) >= MIN_HEAD_CHARS and word.isalpha():
                    self._heads.add(self._stem(word))

    def is_known(self, word: str) -> bool:
        return self._stem(word) in self._heads

    def parts(self, word: str) -> list[str]:
        """The parts of `word` (heads and what precedes each head), longest remainder first,
        not including `word` itself; [] when it is no compound we can see."""
        found: list[str] = []
        rest = word
        while len(rest) >= MIN_COMPOUND_CHARS and len(found) < MAX_PARTS:
            cut = self._head_start(rest)
            if cut is None:
                break
            head, modifier = rest[cut:], rest[:cut]
            found.append(head)
            found.append(modifier)
            if self.is_known(modifier):
                break
            rest = modifier
        return found

    def modifiers(self, word: str) -> list[str]:
        """The parts of `word` that are not heads ("Friedhof" of "Friedhofsverwaltung"):
        the specific ones. A head ("verwaltung", "recht") is shared by many compounds that
        are about different things."""
        return self.parts(word)[1::2]

    def _head_start(self, word: str) -> int | None:
        """Where the longest known head at the end of `word` starts, or None."""
        for cut in range(1, len(word) - MIN_HEAD_CHARS + 1):
            modifier = word[:cut]
            if len(modifier) < MIN_MODIFIER_CHARS and not self.is_known(modifier):
                continue
            if not any(vowel in modifier for vowel in "aeiouy"):
                continue
            if self._stem(word[cut:]) in self._heads:
                return cut
        return None
