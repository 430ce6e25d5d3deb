"""Highlighted snippets: a fragment of the stored source around the matched words."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

SNIPPET_CHARS = 240
# How much text precedes the first highlighted word, so it is read in context.
SNIPPET_LEAD_CHARS = 60
ELLIPSIS = "…"

_WORD = re.compile(r"\w+")


def snippet_html(text: str, is_match: Callable[[str], bool], width: int = SNIPPET_CHARS) -> str:
    """A fragment of `text` of about `width` characters, HTML-escaped, each word for which
    `is_match` holds wrapped in `<mark>`. The fragment is the one holding most matches."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text) if is_match(m.group())]
    start = _best_window_start(words, width) if words else 0
    start = _word_start(text, max(0, start - SNIPPET_LEAD_CHARS))
    end = _word_end(text, min(len(text), start + width))
    parts = [ELLIPSIS] if start > 0 else []
    cursor = start
    for word_start, word_end in words:
        if word_start < start or word_end > end:
            continue
        parts.append(escape(text[cursor:word_start]))
        parts.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        cursor = word_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts).strip()


def _best_window_start(words: list[tuple[int, int]], width: int) -> int:
    """The start of the matched word that begins the window with the most matches."""
    best_start, best_count, first = words[0][0], 0, 0
    for last, (_, last_end) in enumerate(words):
        while last_end - words[first][0] > width - SNIPPET_LEAD_CHARS:
            first += 1
        if last - first + 1 > best_count:
            best_start, best_count = words[first][0], last - first + 1
    return best_start


def _word_start(text: str, position: int) -> int:
    """`position` moved forward past a word it would cut."""
    if position == 0:
        return 0
    space = text.find(" ", position)
    return position if space == -1 or space - position > SNIPPET_LEAD_CHARS else space + 1


def _word_end(text: str, position: int) -> int:
    """`position` moved back before a word it would cut."""
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", 0, position)
    return position if space == -1 or position - space > SNIPPET_LEAD_CHARS else space
