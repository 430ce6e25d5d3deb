"""What the wiki declares in the registry of content kinds: its pages, and what it offers
the add-ons (the home page's blocks, FAQ pages)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from app.content import ContentKind, Registry
from app.spaces import policy
from app.wiki import attachments, file_search, listings, privacy, search, service
from app.wiki.models import Attachment, Page


def declare(registry: Registry) -> None:
    registry.declare(
        ContentKind(
            name="wiki_page",
            model=Page,
            get=service.get_page,
            readable=lambda actor: policy.readable(actor, Page),
            title=lambda page: page.title,
            url=lambda page: page.url,
            label="wiki",
            search_kind=Page.search_kind,
            search=search,
            commentable=True,
            likeable=True,
            counted=True,
        )
    )
    # The files of pages: their text is found by search under the page, readable as it is.
    registry.declare(
        ContentKind(
            name="wiki_file",
            model=Attachment,
            get=attachments.get_file,
            readable=attachments.readable_files,
            title=lambda attachment: attachment.upload.original_filename,
            url=file_search.file_url,
            search_kind=Attachment.search_kind,
            search=file_search.FILES,
        )
    )
    registry.attached_keys.append(_file_keys)
    registry.add_privacy("wiki", privacy)
    registry.offer("home.changed_pages", listings.changed_near)
    registry.offer("home.outdated_pages", listings.outdated_pages)
    registry.offer("insights.outdated_pages", listings.outdated_in_space)
    registry.offer("insights.contributions", listings.contributions_since)
    registry.offer("insights.new_pages", listings.created_since)
    registry.offer("knowledge.create_page", service.create_numbered_page)


def _file_keys(kind: str, ids: Collection[int]) -> Iterable[str]:
    """A page's files follow it when it moves, closes or goes."""
    return file_search.FILES.keys_of_items(ids) if kind == "wiki_page" else ()
