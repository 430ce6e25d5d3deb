"""Plain text out of sanitised HTML: for excerpts, search documents and reading time."""

import re
from html.parser import HTMLParser

WORDS_PER_MINUTE = 200
ELLIPSIS = "…"

# Tags that do not separate words; every other tag does ("<p>a</p><p>b</p>" is "a b").
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "label", "mark", "s",
        "samp", "small", "span", "strong", "sub", "sup", "u", "var",
    }
)  # fmt: skip
# Navigation, not content: the table of contents and footnote markers.
_SKIPPED_CLASSES = frozenset({"toc", "footnote-ref", "footnote-backref"})
_SKIPPED_TAGS = frozenset({"script", "style", "template"})
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr"})
_WHITESPACE = re.compile(r"\s+")
# Punctuation that looks wrong right before the ellipsis.
_DANGLING = " \t,;:.-–—(/"


def plain_text(html: str) -> str:
    """Return the readable text of `html`, entities decoded, whitespace collapsed.

    The result is text, not HTML: escape it when emitting it into a page.
    """
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return _WHITESPACE.sub(" ", "".join(parser.parts)).strip()


def excerpt(html: str, length: int = 200) -> str:
    """Return at most `length` characters of the text of `html`, cut at a word boundary.

    A shortened text ends with "…" (counted in `length`). Raises ValueError if `length`
    is less than 1.
    """
    if length < 1:
        raise ValueError(f"excerpt length must be at least 1, not {length}")
    text = plain_text(html)
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if not text[length - 1].isspace() and " " in cut:
        cut = cut[: cut.rindex(" ")]  # the word at the limit would be cut: drop it
    return cut.rstrip(_DANGLING) + ELLIPSIS


def reading_minutes(html: str) -> int:
    """Return the reading time of `html` in whole minutes (at least 1)."""
    words = len(plain_text(html).split())
    return max(1, (words + WORDS_PER_MINUTE // 2) // WORDS_PER_MINUTE)


class _TextParser(HTMLParser):
    """Collects text, with a space where a tag separates words, skipping navigation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: str | None = None  # tag name of the skipped element
        self.depth = 0  # nesting of that tag name inside the skipped element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")
        if tag in _VOID_TAGS:
            return
        if self.skipping is not None:
            self.depth += tag == self.skipping
        elif tag in _SKIPPED_TAGS or _SKIPPED_CLASSES & set(dict(attrs).get("class", "").split()):
            self.skipping, self.depth = tag, 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")
        if tag == self.skipping:
            self.depth -= 1
            if self.depth == 0:
                self.skipping = None

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self.parts.append(data)
