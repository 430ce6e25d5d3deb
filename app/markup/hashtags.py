"""`#tag` in any script, and the one normalisation every tag goes through."""

import re
import unicodedata
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from app.markup.harvest import TAG, mark, plain_finding
from app.markup.rendered import LinkResolver

# A tag starts with a letter, so "#1" (an issue number) and "&#123;" are no tags; the
# look-behind keeps out entities, URL fragments (page#part, /#part) and "##", but lets
# "_#tag_" (emphasis) through.
HASHTAG_START_RE = r"(?<![^\W_]|[&#/\\.:@=?~+\-])#(?=[^\W\d_])"
HASHTAG_CLASS = "hashtag"
# Joiners are part of words in Persian and Indic scripts.
_JOINERS = "\u200c\u200d"


def normalize_tag(raw: str) -> str:
    """Return the canonical form of a tag: without "#" and outer spaces, NFC, casefolded.

    "#ÖPNV", " öpnv " and "ÖPNV" written decomposed all become "öpnv". Returns "" for an
    empty tag.
    """
    # Composing after casefolding also covers input written decomposed (O + U+0308).
    return unicodedata.normalize("NFC", raw.strip().lstrip("#").strip().casefold())


def is_tag_character(char: str) -> bool:
    """Say whether `char` continues a tag: a letter, mark, digit, "_", "-" or joiner."""
    return char in "-_" or char in _JOINERS or unicodedata.category(char)[0] in "LMN"


class HashtagProcessor(InlineProcessor):
    """Links #tag to its tag page, or leaves it as text without a resolver."""

    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self, links: LinkResolver | None) -> None:
        super().__init__(HASHTAG_START_RE)
        self.links = links

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        # A regex class cannot name "letters and marks of any script", so scan by category.
        end = m.end(0)
        while end < len(data) and is_tag_character(data[end]):
            end += 1
        written = data[m.end(0) : end].rstrip("-_")  # "#tag-" ends at the word
        end = m.end(0) + len(written)
        tag = normalize_tag(written)
        if self.links is None:
            element = plain_finding(TAG, tag)
        else:
            element = mark(
                etree.Element("a", href=self.links.tag(tag), attrib={"class": HASHTAG_CLASS}),
                TAG,
                tag,
            )
        element.text = AtomicString(f"#{written}")
        return element, m.start(0), end
