"""Preview cards for links to Kollegium's own wiki pages and blog posts, taken at save time.

Only same-host links count and nothing is fetched: the tool's reader (through
``app.social.targets``) finds the object, so a card never shows what the author cannot read.
A card is made only when every reader of the post may read the target too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.accounts.models import User
from app.errors import Invalid, NotFound
from app.markup import excerpt
from app.social import targets
from app.spaces.models import Space
from app.urls import is_own_host

EXCERPT_LENGTH = 160
HREF = re.compile(r'href="([^"]+)"')
# Path shapes of the tools' pages: /wiki/pages/12…, /blog/<blog>/posts/34…
TARGET_PATHS = (
    ("wiki_page", re.compile(r"^/wiki/pages/(\d{1,18})(?:[/?#]|$)")),
    ("blog_post", re.compile(r"^/blog/(?:[^?#]+/)?posts/(\d{1,18})(?:[/?#]|$)")),
)


@dataclass(frozen=True, slots=True)
class Preview:
    url: str
    title: str
    space: str | None
    excerpt: str


def find_preview(actor: User, html: str, space: Space | None) -> Preview | None:
    """The card for the first link in ``html`` to a wiki page or blog post that ``actor``
    and every reader of a post in ``space`` may read; None when there is none."""
    for href in HREF.findall(html):
        target_key = target_of(href)
        if target_key is None:
            continue
        try:
            target = targets.resolve(actor, target_key)
        except (NotFound, Invalid):  # missing, unreadable, or that tool is not installed
            continue
        if not _readable_by_all_readers(target.obj, space):
            continue
        obj = target.obj
        target_space = getattr(obj, "space", None)
        return Preview(
            url=href[:500],
            title=str(getattr(obj, "title", ""))[:300],
            space=target_space.name[:200] if target_space is not None else None,
            excerpt=excerpt(getattr(obj, "body_html", "") or "", EXCERPT_LENGTH)[:400],
        )
    return None


def target_of(href: str) -> str | None:
    """ "wiki_page:12" for a same-host link to a wiki page, and so on; None for others."""
    parts = urlsplit(href.replace("&amp;", "&"))
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc and not is_own_host(parts.netloc):
        return None
    for kind, pattern in TARGET_PATHS:
        match = pattern.match(parts.path)
        if match:
            return f"{kind}:{match.group(1)}"
    return None


def _readable_by_all_readers(obj, space: Space | None) -> bool:
    if getattr(obj, "is_draft", False) or getattr(obj, "deleted_at", None) is not None:
        return False
    target_space = getattr(obj, "space", None)
    if target_space is None or target_space.is_public:
        return True
    return space is not None and target_space.id == space.id
