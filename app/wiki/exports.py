"""Knowledge leaves again: a page with the pages below it, or a whole space, as a ZIP of
Markdown files in the page tree's folders, each with its attachments beside it; or a page
or a whole space as one Word document (``word_export``). Only what the reader may read."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.errors import NotFound
from app.extensions import db
from app.inputs import id_or_none
from app.spaces import policy
from app.uploads.store import path_for
from app.urls import absolute
from app.wiki import attachments, service
from app.wiki.models import Attachment, Page
from app.wiki.word_export import WordWriter

# Kept in memory up to this size, then in a temporary file.
SPOOL_BYTES = 10 * 1000 * 1000
# How a page shows its files: /wiki/pages/<page>/files/<attachment>/<name>.
FILE_ADDRESS = re.compile(r"/wiki/pages/(?P<page>[0-9]+)/files/(?P<attachment>[0-9]+)/")


def markdown_zip(actor: User, *, space_id: int | None, root: Page | None = None) -> IO[bytes]:
    """The readable pages of a space (or the global wiki), or ``root`` and the readable
    pages below it, as a ZIP file (positioned at its start)."""
    tree = _readable_tree(actor, space_id)
    files = _attachments(list(tree.pages))
    # The caller sends and closes it.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for page, folders in tree.walk(root):
            name = "/".join((*folders, page.slug))
            archive.writestr(f"{name}.md", service.markdown_export(page))
            for attachment in files.get(page.id, []):
                upload = attachment.upload
                archive.write(path_for(upload.sha256), f"{name}/{upload.original_filename}")
    out.seek(0)
    return out


def page_docx(actor: User, page: Page) -> IO[bytes]:
    """One page the caller found readable as a Word document."""
    writer = _word_writer(actor)
    writer.add_page(page.title, page.body_html)
    return writer.save(page.title)


def space_docx(actor: User, *, space_id: int | None, title: str) -> IO[bytes]:
    """The readable pages of a space (or the global wiki) as one Word document, in the
    order of the page tree, a subpage's title a heading one level below its parent's."""
    writer = _word_writer(actor)
    writer.document.add_heading(title, level=0)
    for page, folders in _readable_tree(actor, space_id).walk():
        writer.add_page(page.title, page.body_html, level=1 + len(folders))
    return writer.save(title)


def _word_writer(actor: User) -> WordWriter:
    def image_for(src: str) -> Path | None:
        """The stored image behind a page file's address, if ``actor`` may read its page."""
        match = FILE_ADDRESS.search(src)
        # An address the author typed may hold any number: one past the id column is no file.
        attachment_id = id_or_none(match["attachment"]) if match else None
        if attachment_id is None:
            return None
        try:
            attachment = attachments.get_file(actor, attachment_id)
        except NotFound:
            return None
        if attachment.page_id != id_or_none(match["page"]) or not attachment.upload.is_image:
            return None
        return path_for(attachment.upload.sha256)

    return WordWriter(image_for=image_for, absolute=absolute)


@dataclass(frozen=True, slots=True)
class PageTree:
    """The pages a reader may read in one space, by id, and each one's readable children."""

    pages: dict[int, Page]
    children: dict[int | None, list[Page]]

    def walk(self, root: Page | None = None) -> Iterator[tuple[Page, tuple[str, ...]]]:
        """Each page below ``root`` (or every page), parents first, with the slugs of the
        pages above it."""
        tops = [root] if root is not None else self.children.get(None, [])
        stack: list[tuple[Page, tuple[str, ...]]] = [(page, ()) for page in reversed(tops)]
        while stack:  # no recursion: trees may be deep
            page, folders = stack.pop()
            yield page, folders
            below = (*folders, page.slug)
            stack.extend((child, below) for child in reversed(self.children.get(page.id, [])))


def _readable_tree(actor: User, space_id: int | None) -> PageTree:
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
    return PageTree(pages, children)


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
