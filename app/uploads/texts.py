"""The searchable text of attached documents: asked for when a tool attaches a file, read in
the background, and handed to the tools' search documents.

A tool that wants a file found (a wiki page's file, a stream post's attachment) calls
``request_text`` in the transaction that attaches it; that writes a ``pending`` row, the
queue of the reader. ``extract_pending`` reads waiting files outside any request (the search
drain thread and ``flask search worker`` call it through the registry's "search.prepare"),
each in a child process within the limits of ``EXTRACT_*`` (see ``extraction``). Setting
the text changes the row, which queues the file's search documents through the tools'
``CHANGES``; ``file_document`` builds one under the item the file is attached to, so it is
readable exactly as that item is now.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update

from app.clock import utcnow
from app.extensions import db
from app.search.documents import FILE_KIND, SearchDocument
from app.uploads import extraction
from app.uploads.models import Upload, UploadText
from app.uploads.store import path_for

log = logging.getLogger(__name__)

PENDING = "pending"
# Claimed by one reader; another takes it over when that reader died mid-way.
READING = "reading"
DONE = extraction.DONE
SKIPPED = extraction.SKIPPED
# One call reads at most this many files, so a drain round stays short.
EXTRACT_BATCH = 10
# A claim older than this many timeouts belongs to a reader that is gone.
STALE_CLAIM_TIMEOUTS = 5
# What the file list tells the page's editors about a file whose text search cannot find.
NOTES = {
    extraction.ENCRYPTED: _l("Text not searchable: the file is encrypted."),
    extraction.UNREADABLE: _l("Text not searchable: the file could not be read."),
    extraction.TIMEOUT: _l("Text not searchable: reading the file took too long."),
    extraction.TOO_LARGE: _l("Text not searchable: the file is too large to read."),
}


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def request_text(upload: Upload) -> None:
    """Have the text of `upload` read in the background, when its type has text."""
    if extension_of(upload.original_filename) in extraction.EXTRACTABLE and upload.text is None:
        upload.text = UploadText(status=PENDING, text="", note="")


def extract_pending(limit: int = EXTRACT_BATCH) -> int:
    """Read the text of up to `limit` waiting files, oldest first; return how many were read.
    Each file commits on its own, so a reader that dies loses at most one."""
    config = current_app.config
    timeout = config["EXTRACT_TIMEOUT_SECONDS"]
    read = 0
    for upload_id in db.session.scalars(
        select(UploadText.upload_id)
        .where(_waiting(timeout))
        .order_by(UploadText.requested_at, UploadText.upload_id)
        .limit(limit)
    ).all():
        if not _claim(upload_id, timeout):
            continue  # another reader took it
        row = db.session.get(UploadText, upload_id)
        upload = row.upload
        found = extraction.extract_text(
            path_for(upload.sha256),
            extension_of(upload.original_filename),
            max_bytes=config["EXTRACT_MAX_BYTES"],
            max_chars=config["EXTRACT_MAX_CHARS"],
            timeout=timeout,
        )
        if found.status == SKIPPED:
            log.warning(
                "the text of upload %s (%s) is not searchable: %s",
                upload.id,
                upload.original_filename,
                found.note,
            )
        row.status, row.text, row.note = found.status, found.text, found.note
        row.extracted_at = utcnow()
        db.session.commit()
        read += 1
    return read


def _waiting(timeout: float):
    stale = utcnow() - timedelta(seconds=timeout * STALE_CLAIM_TIMEOUTS)
    return or_(
        UploadText.status == PENDING,
        and_(UploadText.status == READING, UploadText.extracted_at < stale),
    )


def _claim(upload_id: int, timeout: float) -> bool:
    """Mark the row as being read by this process; False when another was first."""
    claimed = db.session.execute(
        update(UploadText)
        .where(UploadText.upload_id == upload_id, _waiting(timeout))
        .values(status=READING, extracted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def pending_count() -> int:
    return db.session.query(UploadText).where(UploadText.status.in_((PENDING, READING))).count()


def note_for(upload: Upload) -> str:
    """Why the text of `upload` cannot be found by search ("" when it can, or has none)."""
    text = upload.text
    if text is None or text.status != SKIPPED:
        return ""
    return str(NOTES.get(text.note, NOTES[extraction.UNREADABLE]))


def file_document(
    key: str, upload: Upload, item: SearchDocument | None, file_url: str
) -> SearchDocument | None:
    """The search document of an attached file's text, found under `item` (the search
    document of the page or post it is attached to, built now) and readable exactly as that
    is. None while the text is unread or unreadable, or when the item is not indexed."""
    text = upload.text
    if item is None or text is None or text.status != DONE or not text.text:
        return None
    return SearchDocument(
        key=key,
        kind=FILE_KIND,
        title=item.title,
        body=text.text,
        tags=(),
        # Attaching a file shows no expertise in what it says: no people, no evidence.
        people=(),
        space=item.space,
        acl=item.acl,
        created=upload.created_at,
        updated=text.extracted_at or upload.created_at,
        url=item.url,
        author=upload.uploader_id,
        file_name=upload.original_filename,
        file_url=file_url,
    )
