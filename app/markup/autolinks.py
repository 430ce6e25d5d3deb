"""Bare URLs (`https://…`, `www.…`) in running text become links."""

import html
import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

# Control characters are excluded because Python-Markdown's placeholders use them.
BARE_URL_RE = r"(?<![\w/@.:+\-])(?:https?://|www\.)[^\s<>\"'`\x00-\x1f\x7f]+"
# Punctuation that ends a sentence rather than the URL.
_TRAILING = ".,:;!?*_~'\"]"


class BareUrlProcessor(InlineProcessor):
    """Links a bare URL; runs after code, links and raw HTML, so those stay untouched."""

    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self) -> None:
        super().__init__(BARE_URL_RE)

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        written = trim_url(m.group(0))
        if written.endswith(("://", "www.")):
            return None, None, None
        url = html.unescape(written)
        href = url if "://" in url else f"https://{url}"
        element = etree.Element("a", href=href)
        element.text = AtomicString(url)
        return element, m.start(0), m.start(0) + len(written)


def trim_url(candidate: str) -> str:
    """Drop trailing punctuation, and a closing parenthesis the URL did not open."""
    while candidate:
        unopened = candidate[-1] == ")" and candidate.count(")") > candidate.count("(")
        if candidate[-1] not in _TRAILING and not unopened:
            break
        candidate = candidate[:-1]
    return candidate
