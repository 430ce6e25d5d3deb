"""What the wiki declares in the registry of content kinds: its pages, and what it offers
the add-ons (the home page's blocks, FAQ pages)."""

from __future__ import annotations

from app.content import ContentKind, Registry
from app.spaces import policy
from app.wiki import listings, privacy, search, service
from app.wiki.models import Page


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
    registry.add_privacy("wiki", privacy)
    registry.offer("home.changed_pages", listings.changed_near)
    registry.offer("home.outdated_pages", listings.outdated_pages)
    registry.offer("insights.outdated_pages", listings.outdated_in_space)
    registry.offer("insights.contributions", listings.contributions_since)
    registry.offer("insights.new_pages", listings.created_since)
    registry.offer("knowledge.create_page", service.create_numbered_page)
