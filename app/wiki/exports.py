"""Knowledge leaves again: a page with the pages below it, or a whole space, as a ZIP of
Markdown files in the page tree's folders, each with its attachments beside it."""

from __future__ import annotations

import tempfile
import zipfile
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.spaces import policy
from app.uploads.store import path_for
from app.wiki import service
from app.wiki.models import Attachment, Page

# Kept in memory up to this size, then in a temporary file.
SPOOL_BYTES = 10 * 1000 * 1000


def markdown_zip(actor: User, *, space_id: int | None, root: Page | None = None) -> IO[bytes]:
    """The readable pages of a space (or the global wiki), or ``root`` and the readable
    pages below it, as a ZIP file (positioned at its start)."""
    query = (
        select(Page)
        .where(policy.readable(actor, Page), Page.is_template.is_(False))
        .where(Page.space_id.is_(None) if space_id is None else Page.space_id == space_id)
        .order_by(Page.id)
    )
    pages = {page.id: page for page in db.session.scalars(query)}
    children: dict[int | None, list[Page]] = {}
    for page in pages.values():
        # A page whose parent the reader cannot see sits at the top.
        parent = page.parent_id if page.parent_id in pages else None
        children.setdefault(parent, []).append(page)
    tops = [root] if root is not None else children.get(None, [])
    files = _attachments([page.id for page in pages.values()])
    # The caller sends and closes it.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        stack = [(page, "") for page in reversed(tops)]
        while stack:  # no recursion: trees may be deep
            page, folder = stack.pop()
            name = f"{folder}{page.slug}"
            archive.writestr(f"{name}.md", service.markdown_export(page))
            for attachment in files.get(page.id, []):
                upload = attachment.upload
                archive.write(path_for(upload.sha256), f"{name}/{upload.original_filename}")
            stack.extend((child, f"{name}/") for child in reversed(children.get(page.id, [])))
    out.seek(0)
    return out


def _attachments(page_ids: list[int]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = {}
    query = (
        select(Attachment)
        .where(Attachment.page_id.in_(page_ids))
        .options(selectinload(Attachment.upload))
        .order_by(Attachment.id)
    )
    for attachment in db.session.scalars(query):
        found.setdefault(attachment.page_id, []).append(attachment)
    return found
