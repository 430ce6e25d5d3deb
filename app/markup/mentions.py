"""`@username`: a link to a colleague's profile."""

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from app.markup.harvest import MENTION, mark
from app.markup.rendered import LinkResolver

# Letters, digits, ".", "_", "-", ending on a letter or digit so that "@anna." keeps its
# full stop and "_@anna_" its emphasis. The look-behind keeps e-mail addresses and URL
# paths out.
MENTION_RE = r"(?<![^\W_]|[.@/+\-])@(\w(?:[\w.\-]*[^\W_])?)"
MENTION_CLASS = "mention"


class MentionProcessor(InlineProcessor):
    """Links @username when the resolver knows the user; anything else stays text."""

    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self, links: LinkResolver | None) -> None:
        super().__init__(MENTION_RE)
        self.links = links

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        username = m.group(1).lower()
        url = self.links.mention(username) if self.links is not None else None
        if url is None:
            return None, None, None
        element = etree.Element("a", href=url, attrib={"class": MENTION_CLASS})
        element.text = AtomicString(m.group(0))
        return mark(element, MENTION, username), m.start(0), m.end(0)
