"""`[[Page title]]` and `[[Page title|label]]`: links between wiki pages."""

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from app.markup.harvest import WIKI_LINK, mark, plain_finding
from app.markup.rendered import LinkResolver

# \x02 and \x03 delimit Python-Markdown's placeholders for code spans and escapes.
WIKI_LINK_RE = r"\[\[([^\[\]|\n\x02\x03]+)(?:\|([^\[\]\n\x02\x03]+))?\]\]"
WIKI_LINK_CLASS = "wiki-link"
MISSING_PAGE_CLASS = "wiki-missing"


class WikiLinkProcessor(InlineProcessor):
    """Turns [[…]] into a link to the page (or to creating it), or plain text without links."""

    ANCESTOR_EXCLUDES = ("a",)  # no link inside a link

    def __init__(self, links: LinkResolver | None) -> None:
        super().__init__(WIKI_LINK_RE)
        self.links = links

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        title = m.group(1).strip()
        if not title:
            return None, None, None
        label = (m.group(2) or "").strip() or title
        if self.links is None:
            element = plain_finding(WIKI_LINK, title)
        else:
            url, exists = self.links.wiki_link(title)
            css_class = WIKI_LINK_CLASS if exists else f"{WIKI_LINK_CLASS} {MISSING_PAGE_CLASS}"
            element = mark(
                etree.Element("a", href=url, attrib={"class": css_class}), WIKI_LINK, title
            )
        element.text = AtomicString(label)
        return element, m.start(0), m.end(0)
