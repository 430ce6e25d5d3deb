"""What rendering returns, and what it asks of the caller to resolve links."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Rendered:
    """Sanitised HTML plus the references found in the source, for the caller to store."""

    html: str  # sanitised HTML, safe to emit with |safe
    wiki_links: tuple[str, ...]  # titles of [[links]], in order, de-duplicated, stripped
    mentions: tuple[str, ...]  # lower-case usernames the resolver knew, de-duplicated
    tags: tuple[str, ...]  # normalised hashtags (see normalize_tag), de-duplicated


class LinkResolver(Protocol):
    """Turns our syntax into URLs; the wiki, profiles and tag pages implement it."""

    def wiki_link(self, title: str) -> tuple[str, bool]:
        """Return (url, page exists) for a [[title]]."""
        ...

    def mention(self, username: str) -> str | None:
        """Return the profile URL of a lower-case username, or None if nobody has it."""
        ...

    def tag(self, tag: str) -> str:
        """Return the URL of a normalised tag's page."""
        ...
