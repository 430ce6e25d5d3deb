"""Files attached to wiki pages, kept in the upload store (app/uploads)."""

from __future__ import annotations

from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.spaces import policy
from app.uploads import texts
from app.uploads.models import IMAGE_TYPES, Upload
from app.uploads.store import CONTENT_TYPES, save_upload
from app.wiki.models import Attachment, Page


def attach_file(actor: User, page: Page, stream: BinaryIO, filename: str) -> Attachment:
    """Store a file and attach it. Raises Forbidden, TooLarge, Invalid."""
    if not policy.can_edit_page(actor, page):
        raise Forbidden(_("You may not add files to this page."))
    upload = save_upload(actor, stream, filename)
    # Read in the background (never here): the text becomes searchable under the page.
    texts.request_text(upload)
    attachment = Attachment(page=page, upload=upload)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def attach_image(actor: User, page: Page, stream: BinaryIO, filename: str) -> Attachment:
    """Attach a file that must be an image (the editor shows it in the page). Raises
    Forbidden, TooLarge, Invalid."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if CONTENT_TYPES.get(extension) not in IMAGE_TYPES:
        message = _("Only images (PNG, JPEG, GIF, WebP) can be placed in the text.")
        raise Invalid(message, {"file": [message]})
    return attach_file(actor, page, stream, filename)


def attachments_of(page: Page) -> list[Attachment]:
    query = (
        select(Attachment)
        .where(Attachment.page_id == page.id)
        .options(selectinload(Attachment.upload).selectinload(Upload.text))
        .order_by(Attachment.created_at, Attachment.id)
    )
    return list(db.session.scalars(query))


def unsearchable_notes(files: list[Attachment]) -> dict[int, str]:
    """Attachment id → why search cannot find the file's text (encrypted, unreadable …),
    for the files that have such a note."""
    return {file.id: note for file in files if (note := texts.note_for(file.upload))}


def get_file(actor: User, attachment_id: int) -> Attachment:
    """An attachment of any page ``actor`` may read. Raises NotFound."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not policy.can_read(actor, attachment.page):
        raise NotFound(_("No such file."))
    return attachment


def readable_files(actor: User):
    """Condition on Attachment: the files of pages ``actor`` may read."""
    return Attachment.page_id.in_(select(Page.id).where(policy.readable(actor, Page)))


def get_attachment(actor: User, page: Page, attachment_id: int) -> Attachment:
    """An attachment of a page ``actor`` may read. Raises NotFound."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.page_id != page.id or not policy.can_read(actor, page):
        raise NotFound(_("No such file."))
    return attachment


def remove_attachment(actor: User, page: Page, attachment: Attachment) -> None:
    """Detach a file (the stored file stays for other users of the same content)."""
    if not policy.can_edit_page(actor, page):
        raise Forbidden(_("You may not remove files from this page."))
    db.session.delete(attachment)
    db.session.commit()
