"""Headings: `# Title` needs a space, so that `#Bürgerbüro` at a line's start stays a tag."""

import re

from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions.toc import slugify_unicode

from app.markup.sanitize import HEADING_ID_PREFIX

# Python-Markdown's pattern, with the space CommonMark requires after the hashes.
ATX_HEADING_RE = re.compile(
    r"(?:^|\n)(?P<level>#{1,6})[ \t]+(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"
)

# A line that ATX_HEADING_RE reads as a heading.
ATX_HEADING_LINE = re.compile(r"#{1,6}[ \t]")


class SpacedHashHeaderProcessor(HashHeaderProcessor):
    """Python-Markdown's hash headings, requiring a space after the hashes."""

    RE = ATX_HEADING_RE


def heading_id(text: str, separator: str) -> str:
    """Return the anchor id for a heading: prefixed (see sanitize.ALLOWED_ID), never empty."""
    return f"{HEADING_ID_PREFIX}{slugify_unicode(text, separator) or 'section'}"
