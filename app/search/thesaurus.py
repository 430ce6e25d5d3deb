"""Synonyms and abbreviations: a query word also asks for the other names of its concept.

A built-in thesaurus of public administration (German and English), the synonyms the
administrators add (`app/search/synonyms.py`) and the aliases of merged skills make one
`Thesaurus`. Each group is symmetric: "B-Plan" asks for "Bebauungsplan" and the other way
round. The expansion weighs less than the word typed (`query.SYNONYM_BOOST`).

Entries are compared by their key: folded (umlauts, ß, case), without spaces or hyphens, so
"E-Akte", "eAkte" and "E Akte" are one entry; a single word is also known by its stem
("Bebauungspläne" finds the group of "Bebauungsplan").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.search.analysis import fold_german

# One group per line, names separated by "|". Abbreviations, long forms, the English name,
# and (last) broader words a colleague may use for the same field.
BUILT_IN = """
B-Plan|Bebauungsplan|Bebauungspläne|development plan|zoning plan
F-Plan|Flächennutzungsplan|land use plan
BauGB|Baugesetzbuch|Bauplanungsrecht|building code
BauO|Bauordnung|Landesbauordnung|Bauordnungsrecht
Baugenehmigung|Bauantrag|building permit|planning permission
KiTa|Kita|Kindertagesstätte|Kindertageseinrichtung|Kindergarten|daycare|day care|nursery
OZG|Onlinezugangsgesetz|Online Access Act|Onlinedienste|digitale Verwaltungsleistungen
E-Akte|eAkte|elektronische Akte|DMS|Dokumentenmanagement|electronic file|records management
E-Rechnung|XRechnung|elektronische Rechnung|e-invoice|e-invoicing
DSGVO|Datenschutz-Grundverordnung|GDPR|General Data Protection Regulation|Datenschutz
Datenschutz|data protection|privacy|DSGVO|GDPR
BDSG|Bundesdatenschutzgesetz|Datenschutz|data protection
DSB|Datenschutzbeauftragter|Datenschutzbeauftragte|data protection officer|DPO
TVöD|Tarifvertrag für den öffentlichen Dienst|Tarifrecht|Entgeltordnung
TVöD|collective agreement|collective pay|Tarifrecht
TV-L|Tarifvertrag der Länder|Tarifrecht
BAT|Bundes-Angestelltentarifvertrag|Tarifrecht
VgV|Vergabeverordnung|Vergaberecht|procurement|public procurement|tendering
GWB|Gesetz gegen Wettbewerbsbeschränkungen|Kartellvergaberecht|Vergaberecht|procurement
UVgO|Unterschwellenvergabeordnung|Vergaberecht|procurement
VOB|Vergabe- und Vertragsordnung für Bauleistungen|Vergaberecht|procurement
Ausschreibung|Vergabeverfahren|tender|call for tenders|invitation to tender
IT-Sicherheit|Informationssicherheit|ISMS|BSI-Grundschutz|IT-Grundschutz
IT-Sicherheit|information security|cyber security|cybersecurity|Informationssicherheit
KRITIS|kritische Infrastruktur|critical infrastructure
GemO|Gemeindeordnung|Kommunalverfassung|Kommunalrecht|municipal code
GemHVO|Gemeindehaushaltsverordnung|Haushaltsrecht|Kommunalhaushalt|municipal budget law
Doppik|doppelte Buchführung|NKF|neues kommunales Finanzmanagement
Doppik|kommunale Doppik|accrual accounting|double-entry bookkeeping
Haushaltsplan|Haushalt|Haushaltsrecht|Haushaltsplanung|budget|budget plan|budgeting
Kämmerei|Finanzverwaltung|Stadtkasse|treasury|finance department
VwVfG|Verwaltungsverfahrensgesetz|Verwaltungsverfahren|administrative procedure
VwGO|Verwaltungsgerichtsordnung|Widerspruchsverfahren|Widerspruch|objection|appeal
OWiG|Ordnungswidrigkeitengesetz|Ordnungswidrigkeit|Bußgeld
OWiG|Bußgeldverfahren|administrative offence|fine
SGB|Sozialgesetzbuch|Sozialrecht|social law
SGB II|Bürgergeld|Grundsicherung für Arbeitsuchende|Jobcenter|Hartz IV
SGB XII|Sozialhilfe|Grundsicherung|social assistance|welfare
SGB VIII|Kinder- und Jugendhilfe|Jugendhilfe|Jugendamt|child and youth welfare
AsylbLG|Asylbewerberleistungsgesetz|Asyl|Flüchtlinge|Geflüchtete|refugees|asylum
AufenthG|Aufenthaltsgesetz|Ausländerbehörde|Aufenthaltstitel|residence permit|immigration office
BMG|Bundesmeldegesetz|Meldewesen|Einwohnermeldeamt|Bürgeramt|residents registration|citizens office
PStG|Personenstandsgesetz|Standesamt|Personenstand|registry office
GewO|Gewerbeordnung|Gewerbeanmeldung|Gewerbeamt|trade licence|business registration
GewSt|Gewerbesteuer|trade tax|business tax
GrSt|Grundsteuer|property tax
KAG|Kommunalabgabengesetz|Gebühren|Beiträge|Abgaben|fees|charges
StVO|Straßenverkehrsordnung|Verkehrsrecht|traffic regulations
ÖPNV|öffentlicher Personennahverkehr|Nahverkehr|public transport|public transportation
ÖA|Öffentlichkeitsarbeit|Pressearbeit|Kommunikation|public relations|press office
BGM|betriebliches Gesundheitsmanagement|Gesundheitsmanagement|occupational health management
BEM|betriebliches Eingliederungsmanagement|occupational reintegration
PR|Personalrat|Personalvertretung|staff council|works council
LPVG|Landespersonalvertretungsgesetz|BPersVG|Personalvertretungsrecht|Personalrat
HR|Personal|Personalwesen|Personalabteilung|Personalverwaltung|human resources|personnel
Beihilfe|Beihilferecht|civil servant health allowance
Besoldung|Beamtenbesoldung|civil servant pay|salary
Dienstrecht|Beamtenrecht|civil service law
Homeoffice|Home-Office|Telearbeit|mobiles Arbeiten|remote work|working from home
Fortbildung|Weiterbildung|Schulung|training|further education
Ratsinformationssystem|RIS|Sitzungsdienst|Gremienarbeit|council information system|council meetings
Bürgerbeteiligung|Beteiligung|Partizipation|public participation|citizen participation
Digitalisierung|digitale Transformation|E-Government|digitization|digital transformation
Barrierefreiheit|BITV|barrierefrei|Zugänglichkeit|accessibility|WCAG
Fördermittel|Förderung|Zuwendungen|Zuschüsse|Förderprogramm|grants|funding|subsidies
Zuwendungsrecht|Zuwendung|Zuwendungsbescheid|grant law|grant notice
Vertrag|Verträge|Vertragsrecht|contract|contracts
Satzung|Ortsrecht|bylaw|statute
Friedhof|Friedhofswesen|Bestattung|Bestattungswesen|cemetery|burial
Abfall|Müll|Abfallwirtschaft|Entsorgung|waste|waste management|refuse collection
Winterdienst|Straßenreinigung|Räumpflicht|winter service|street cleaning
Brandschutz|Feuerwehr|fire protection|fire brigade|fire service
Katastrophenschutz|Bevölkerungsschutz|Zivilschutz|civil protection|disaster management
Klimaschutz|Klimaanpassung|Energiewende|climate protection|climate action
Wohngeld|housing benefit
Elterngeld|parental allowance
Kindergeld|child benefit
Steuer|Steuern|Steuerrecht|tax|taxes|taxation
Recht|Rechtsfragen|Justiziariat|Rechtsamt|legal|law|legal affairs
Personalausweis|Ausweis|ID card|identity card
Reisepass|passport
Führerschein|Fahrerlaubnis|driving licence|driver's license
Kfz-Zulassung|Zulassungsstelle|Fahrzeugzulassung|vehicle registration
""".strip()

# Names of up to this many words are recognised among a query's words.
MAX_NAME_WORDS = 4
_NOT_KEY = re.compile(r"[\W_]+")


def entry_key(text: str) -> str:
    """The form entries are compared in: folded, without spaces, hyphens or punctuation."""
    return _NOT_KEY.sub("", fold_german(text))


def built_in_groups() -> list[list[str]]:
    return [line.split("|") for line in BUILT_IN.splitlines() if line.strip()]


class Thesaurus:
    """Synonym groups, looked up by key or by the stem of a one-word entry."""

    def __init__(self, groups: Iterable[Iterable[str]], stem: Callable[[str], str | None]) -> None:
        self._stem = stem
        self._groups: list[tuple[str, ...]] = []
        self._by_key: dict[str, set[int]] = {}
        for group in groups:
            names = tuple(dict.fromkeys(name.strip() for name in group if name.strip()))
            if len(names) < 2:
                continue
            number = len(self._groups)
            self._groups.append(names)
            for name in names:
                for key in self._keys(name):
                    self._by_key.setdefault(key, set()).add(number)

    def _keys(self, text: str) -> set[str]:
        keys = {entry_key(text)}
        if len(text.split()) == 1 and "-" not in text and (stem := self._stem(text)):
            keys.add(f"stem:{stem}")
        keys.discard("")
        return keys

    def synonyms(self, text: str) -> list[str]:
        """The other names of every group `text` belongs to, in the groups' order."""
        numbers = set().union(*(self._by_key.get(key, set()) for key in self._keys(text)))
        own = self._keys(text)
        found: dict[str, str] = {}
        for number in sorted(numbers):
            for name in self._groups[number]:
                key = entry_key(name)
                if not (self._keys(name) & own) and key not in found:
                    found[key] = name
        return list(found.values())

    def knows(self, text: str) -> bool:
        return any(key in self._by_key for key in self._keys(text))

    def join_names(self, terms: Iterable[str]) -> tuple[str, ...]:
        """`terms` with consecutive words that form a known name joined into one term
        ("fire protection", "residence permit"), so that name finds its synonyms."""
        words = list(terms)
        joined: list[str] = []
        position = 0
        while position < len(words):
            for size in range(MAX_NAME_WORDS, 1, -1):
                name = " ".join(words[position : position + size])
                if position + size <= len(words) and self.knows(name):
                    joined.append(name)
                    position += size
                    break
            else:
                joined.append(words[position])
                position += 1
        return tuple(joined)

    def vocabulary(self) -> list[str]:
        """Every name of every group (the compound splitter learns them as words)."""
        return [name for group in self._groups for name in group]
