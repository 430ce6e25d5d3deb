"""Heading anchors and the table of contents that `[TOC]` asks for."""

import html
import re

from app.markup.sanitize import HEADING_ID_PREFIX

TOC_CLASS = "toc"
# Anchors and contents entries for the first this many headings of a document; later ones
# are plain headings. No page needs more, and each anchor costs the sanitiser a check.
MAX_ANCHORED_HEADINGS = 1_000
_NOT_IN_SLUG = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")


def slugify(text: str) -> str:
    """Return `text` as an anchor: word characters of any script, lower-case, "-" between."""
    return _SEPARATORS.sub("-", _NOT_IN_SLUG.sub("", text).strip().lower())


class Anchors:
    """Unique heading ids for one document (h-ziele, h-ziele_1, …) and its contents."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.headings: list[tuple[int, str, str]] = []  # level, id, text

    def add(self, level: int, text: str) -> str | None:
        """Return a new id for a heading of `level` with plain `text` and remember it, or
        None past MAX_ANCHORED_HEADINGS."""
        if len(self.headings) >= MAX_ANCHORED_HEADINGS:
            return None
        base = f"{HEADING_ID_PREFIX}{slugify(text) or 'section'}"
        anchor = base
        # A counter per base keeps thousands of equal headings linear.
        while anchor in self.used:
            suffix = self.next_suffix.get(base, 1)
            self.next_suffix[base] = suffix + 1
            anchor = f"{base}_{suffix}"
        self.used.add(anchor)
        self.headings.append((level, anchor, text))
        return anchor

    def is_full(self) -> bool:
        """Say whether no more headings get anchors."""
        return len(self.headings) >= MAX_ANCHORED_HEADINGS

    def contents(self) -> str:
        """Return the table of contents: nested lists of links to the headings."""
        lines = [f'<div class="{TOC_CLASS}">']
        levels: list[int] = []
        for level, anchor, text in self.headings:
            if levels and level > levels[-1]:
                lines.append("<ul>")
                levels.append(level)
            else:
                while levels and level < levels[-1]:
                    lines.append("</li>\n</ul>")
                    levels.pop()
                if levels:
                    lines.append("</li>")
                else:
                    lines.append("<ul>")
                    levels.append(level)
            lines.append(f'<li><a href="#{anchor}">{html.escape(text)}</a>')
        lines.extend("</li>\n</ul>" for _ in levels)
        lines.append("</div>")
        return "\n".join(lines)
