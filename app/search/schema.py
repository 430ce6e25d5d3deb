"""The one Whoosh schema for every kind of document, and how a document fills it."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from app.search.analysis import LANGUAGES, spelling_analyzer, tag_analyzer, text_analyzer
from app.search.documents import SearchDocument

# The stored snippet source is cut to this many characters: the results page shows a
# fragment of it, and every stored byte is read back for each hit.
SNIPPET_SOURCE_CHARS = 1_000
# Only the words of the body's start feed the spelling dictionary ("did you mean").
SPELLING_SOURCE_CHARS = 2_000


def text_field(name: str, language: str) -> str:
    """The indexed field holding `name` ("title", "body") analysed for `language`."""
    return f"{name}_{language}"


class PackedPositions(Positions):
    """Whoosh's Positions, each document's positions packed as little-endian 32-bit
    integers instead of a pickled list: a phrase reads the positions of a word's every
    document as one array (`numpy.frombuffer` of the joined values), where unpickling them
    document by document cost most of a phrase search."""

    def encode(self, poslist: list[int]) -> bytes:
        return struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(valuestring) // 4}I", valuestring))

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4


def text_type(analyzer) -> TEXT:
    """An indexed text field of `analyzer`: scored, its positions packed for phrases."""
    field = TEXT(analyzer=analyzer)
    field.format = PackedPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    """Stored: only what a results page needs. Indexed twice (de, en): title and body."""
    tags = KEYWORD(commas=True, scorable=True)
    tags.analyzer = tag_analyzer()  # folded like the text, so "tag:Gebühr" finds "gebuehr"
    fields = {
        "key": ID(stored=True, unique=True),
        "kind": ID(stored=True),
        "title": STORED(),
        "url": STORED(),
        "snippet": STORED(),
        "space": ID(stored=True),
        "author": ID(stored=True),
        "created": DATETIME(stored=True),
        "updated": DATETIME(stored=True, sortable=True),
        "tags": tags,
        "people": KEYWORD(stored=True),  # stored for the expertise finder's evidence
        "is_question": STORED(),
        "credited": STORED(),
        "answered_by": STORED(),
        "file_name": STORED(),
        "file_url": STORED(),
        "acl": KEYWORD(),
        "spelling": TEXT(analyzer=spelling_analyzer(), phrase=False),
    }
    for language in LANGUAGES:
        analyzer = text_analyzer(language)
        fields[text_field("title", language)] = text_type(analyzer)
        fields[text_field("body", language)] = text_type(analyzer)
    return Schema(**fields)


def index_fields(document: SearchDocument) -> dict[str, object]:
    """The field values Whoosh stores and indexes for `document`."""
    fields: dict[str, object] = {
        "key": document.key,
        "kind": document.kind,
        "title": document.title,
        "url": document.url,
        "snippet": (document.snippet or document.body)[:SNIPPET_SOURCE_CHARS],
        "created": index_time(document.created),
        "updated": index_time(document.updated),
        "tags": ",".join(document.tags),
        "people": " ".join(str(person) for person in document.people),
        "is_question": document.is_question,
        "credited": list(document.credited),
        "answered_by": document.answered_by,
        "acl": " ".join(document.acl),
        "spelling": f"{document.title} {document.body[:SPELLING_SOURCE_CHARS]}",
    }
    if document.file_name:
        fields["file_name"] = document.file_name
        fields["file_url"] = document.file_url
    if document.space is not None:
        fields["space"] = str(document.space)
    if document.author is not None:
        fields["author"] = str(document.author)
    for language in LANGUAGES:
        fields[text_field("title", language)] = document.title
        fields[text_field("body", language)] = document.body
    return fields


def index_time(moment: datetime) -> datetime:
    """`moment` as the index holds it: naive UTC (Whoosh drops the zone before comparing).
    A naive `moment` is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def stored_time(moment: datetime) -> datetime:
    """A time read back from the index, as an aware UTC datetime."""
    return moment.replace(tzinfo=UTC)
