"""Fixtures of the search engine tests: an index in a temporary folder, a document factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.search.documents import SearchDocument
from app.search.index import SearchIndex

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

MakeDocument = Callable[..., SearchDocument]


def build_document(
    key: str,
    title: str = "",
    body: str = "",
    *,
    acl: tuple[str, ...] = ("all",),
    tags: tuple[str, ...] = (),
    people: tuple[int, ...] = (1,),
    space: int | None = None,
    author: int | None = 1,
    updated: datetime = NOW,
) -> SearchDocument:
    return SearchDocument(
        key=key,
        kind=key.partition(":")[0],
        title=title,
        body=body,
        tags=tags,
        people=people,
        space=space,
        acl=acl,
        created=updated,
        updated=updated,
        url=f"/{key.replace(':', '/')}",
        author=author,
    )


@pytest.fixture
def make_document() -> MakeDocument:
    return build_document


@pytest.fixture
def index(tmp_path) -> SearchIndex:
    search_index = SearchIndex(tmp_path / "search")
    yield search_index
    search_index.close()
