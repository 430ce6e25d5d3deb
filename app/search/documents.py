"""The values that travel between the tools and the search engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# "file": the text of a file attached to a page or post (app.uploads.search).
FILE_KIND = "file"
KINDS = ("wiki", "blog", "micro", "comment", "profile", FILE_KIND)


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable object as a tool describes it to the index.

    `acl` holds the tokens of everyone who may read it ("all", "space:<id>", "user:<id>",
    "admin"); a reader finds it only when one of the reader's tokens is among them.
    Times are UTC (a naive datetime is taken as UTC); the index answers aware UTC times.
    """

    key: str  # unique, "wiki:12", "blog:3", "micro:9", "comment:4", "profile:7", "wiki_file:5"
    kind: str  # one of KINDS
    title: str
    body: str  # plain text
    tags: tuple[str, ...]
    people: tuple[int, ...]  # user ids of authors/editors (expertise evidence)
    space: int | None
    acl: tuple[str, ...]
    created: datetime
    updated: datetime
    url: str
    snippet: str = ""  # stored source for snippets; the body's start when empty
    author: int | None = None  # main author (for author: filter and display)
    is_question: bool = False  # a comment that only asks: not evidence of expertise
    # People whose expertise it shows though they did not write it: those who answered a
    # question (on the question's document; named twice when the asker thanked them), or
    # those a thank-you names. Its author gets no credit when `is_question` is set.
    credited: tuple[int, ...] = ()
    # On a question's document: who wrote the reply its asker marked as the answer.
    answered_by: int | None = None
    # A document of an attached file's text (kind "file"): the file's name and address; its
    # title and url are those of the page or post it is attached to.
    file_name: str = ""
    file_url: str = ""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result as the results page shows it. `snippet_html` is escaped HTML whose only
    tags are `<mark>` around matched words."""

    key: str
    kind: str
    title: str
    url: str
    snippet_html: str
    score: float
    space: int | None
    author: int | None
    created: datetime
    updated: datetime
    # Set when the words were found in a file attached to the page or post (kind "file").
    file_name: str = ""
    file_url: str = ""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results; `total` counts every match the reader may see."""

    total: int
    hits: tuple[SearchHit, ...]
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))
