"""What a tool hands to search: one document per searchable object.

Each searchable tool has a ``search.py`` that turns its objects into ``SearchDocument``s. The
search package indexes them; nothing outside ``app/search`` imports Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SearchDocument:
    key: str  # unique across kinds: "wiki:12", "blog:3", "micro:9", "comment:4", "profile:7"
    kind: str  # wiki | blog | micro | comment | profile
    title: str
    body: str  # plain text
    tags: tuple[str, ...]
    people: tuple[int, ...]  # user ids of authors and editors (evidence of expertise)
    space: int | None
    acl: tuple[str, ...]  # who may find it: "all", "space:<id>", "user:<id>", "admin"
    created: datetime
    updated: datetime
    url: str
    snippet: str = ""  # plain text the results page shows (bounded)
    author: int | None = None  # the main author, for author: filters and display
