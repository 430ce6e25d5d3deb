"""The text of files attached to wiki pages as search documents (kind "file"), found under
their page and readable exactly as the page is now."""

from __future__ import annotations

from app.uploads.search import AttachedFiles
from app.urls import path_for
from app.wiki import search as page_search
from app.wiki.models import Attachment


def file_url(attachment: Attachment) -> str:
    return path_for(
        "wiki.download",
        page_id=attachment.page_id,
        attachment_id=attachment.id,
        name=attachment.upload.original_filename,
    )


FILES = AttachedFiles(
    model=Attachment,
    item_id=Attachment.page_id,
    item_of=lambda attachment: attachment.page,
    item_document=page_search.document_for,
    file_url=file_url,
)
