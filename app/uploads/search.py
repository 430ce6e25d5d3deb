"""The search side of a tool's files (a wiki page's files, a stream post's attachments):
each file's text is a document of kind "file", found under the item it is attached to and
readable exactly as that item is now (built from the item's own document at each drain).

A tool describes its link table once (``AttachedFiles``) and declares the object as the
``search`` of a content kind: it offers what ``app.search.sources`` asks of a search module
(``document_for``, ``all_documents``, ``count``, ``CHANGES``), ``full_text`` for snippets of
words past the stored start, and ``keys_of_items`` for the
registry's ``attached_keys`` (the files follow their item when it moves, closes or goes).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.search.documents import SearchDocument
from app.uploads import texts
from app.uploads.models import Upload, UploadText

BATCH = 500


@dataclass(frozen=True)
class AttachedFiles:
    """``model`` links an item to an upload (``id``, ``upload_id``, ``upload``, class attribute
    ``search_kind``); ``item_id`` is its column naming the item, ``item_of`` gives the item,
    ``item_document`` the item's search document (None: not indexed), ``file_url`` where
    the file downloads."""

    model: Any
    item_id: Any
    item_of: Callable[[Any], Any]
    item_document: Callable[[Any], SearchDocument | None]
    file_url: Callable[[Any], str]

    @property
    def CHANGES(self) -> dict[type, Callable[[Any], list[str]]]:  # the name a search module uses
        return {UploadText: self._keys_for_text}

    def key(self, link_id: int) -> str:
        return f"{self.model.search_kind}:{link_id}"

    def _keys_for_text(self, row: UploadText) -> list[str]:
        """An upload's text was read (or asked for): the documents of its links change."""
        query = select(self.model.id).where(self.model.upload_id == row.upload_id)
        return [self.key(link_id) for link_id in db.session.scalars(query)]

    def document_for(self, link: Any) -> SearchDocument | None:
        """The document of the file's text; None while it is unread or unreadable, or when
        its item is not indexed (deleted)."""
        item = self.item_document(self.item_of(link))
        return texts.file_document(self.key(link.id), link.upload, item, self.file_url(link))

    def full_text(self, link: Any) -> str:
        """All the text kept of the file (the index stores only its start, for snippets)."""
        text = link.upload.text
        return text.text if text is not None else ""

    def keys_of_items(self, item_ids: Collection[int]) -> Iterator[str]:
        if not item_ids:
            return
        query = select(self.model.id).where(self.item_id.in_(item_ids))
        for link_id in db.session.scalars(query):
            yield self.key(link_id)

    def _with_text(self):
        return (
            select(self.model)
            .join(UploadText, UploadText.upload_id == self.model.upload_id)
            .where(UploadText.status == texts.DONE)
        )

    def all_documents(self) -> Iterator[SearchDocument]:
        last_id = 0
        while True:
            batch = db.session.scalars(
                self._with_text()
                .where(self.model.id > last_id)
                .options(selectinload(self.model.upload).selectinload(Upload.text))
                .order_by(self.model.id)
                .limit(BATCH)
            ).all()
            if not batch:
                return
            for link in batch:
                if (document := self.document_for(link)) is not None:
                    yield document
            last_id = batch[-1].id

    def count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(self._with_text().subquery()))
