"""Our syntax in running text: [[wiki links]], @mentions, #tags and bare URLs.

One pattern finds all four in a piece of text, left to right, so a URL keeps the "#" and
"@" it contains. Each match becomes a link (or, without a resolver, stays text) and is
recorded into the Findings.
"""

import html
import re

from app.markup.harvest import MENTION, TAG, WIKI_LINK, Findings
from app.markup.hashtags import HASHTAG_CLASS, is_tag_character, normalize_tag
from app.markup.rendered import LinkResolver
from app.markup.sanitize import is_safe_url

WIKI_LINK_CLASS = "wiki-link"
MISSING_PAGE_CLASS = "wiki-missing"
MENTION_CLASS = "mention"

_WIKI_LINK = r"\[\[(?P<title>[^\[\]|\n]+)(?:\|(?P<label>[^\[\]\n]+))?\]\]"
# Control characters end a URL: they are no part of one as people write it.
_BARE_URL = r"(?<![\w/@.:+\-])(?P<url>(?:https?://|www\.)[^\s<>\"'`\x00-\x1f\x7f]+)"
# Letters, digits, ".", "_", "-", ending on a letter or digit so that "@anna." keeps its
# full stop and "_@anna_" its emphasis. The look-behind keeps e-mail addresses and URL
# paths out.
_MENTION = r"(?<![^\W_]|[.@/+\-])@(?P<user>\w(?:[\w.\-]*[^\W_])?)"
# A tag starts with a letter, so "#1" (an issue number) is no tag; the look-behind keeps
# out URL fragments (page#part, /#part) and "##", but lets "_#tag_" (emphasis) through.
_HASHTAG = r"(?<![^\W_]|[&#/\\.:@=?~+\-])(?P<tag>#)(?=[^\W\d_])"
_OUR_SYNTAX = re.compile("|".join([_WIKI_LINK, _BARE_URL, _MENTION, _HASHTAG]))
# Cheap test whether a piece of text can hold any of it.
_MAYBE = re.compile(r"\[\[|[@#]|://|www\.")
# Punctuation that ends a sentence rather than the URL.
_TRAILING = ".,:;!?*_~'\"]"


def has_syntax(escaped_text: str) -> bool:
    """Say whether HTML-escaped text may contain our syntax (a cheap first test)."""
    return _MAYBE.search(escaped_text) is not None


def link_syntax(escaped_text: str, links: LinkResolver | None, findings: Findings) -> str:
    """Return HTML-escaped text with our syntax turned into links, recording findings."""
    text = html.unescape(escaped_text)
    pieces: list[str] = []
    done = 0
    for match in _OUR_SYNTAX.finditer(text):
        if match.start() < done:
            continue  # inside a tag that ran past the pattern's match
        replaced = _replace(match, text, links, findings)
        if replaced is None:
            continue
        markup, end = replaced
        pieces.append(html.escape(text[done : match.start()], quote=False))
        pieces.append(markup)
        done = end
    pieces.append(html.escape(text[done:], quote=False))
    return "".join(pieces)


def _replace(
    match: re.Match[str], text: str, links: LinkResolver | None, findings: Findings
) -> tuple[str, int] | None:
    kind = match.lastgroup
    if kind in {"title", "label"}:
        return _wiki_link(match, links, findings)
    if kind == "url":
        return _bare_url(match)
    if kind == "user":
        return _mention(match, links, findings)
    return _hashtag(match, text, links, findings)


def _link(url: str | None, css_class: str, text: str) -> str:
    # A careless resolver could hand back any URL; ours pass, others lose their href.
    href = f' href="{html.escape(url)}"' if url is not None and is_safe_url(url) else ""
    class_attribute = f' class="{css_class}"' if css_class else ""
    return f"<a{class_attribute}{href}>{html.escape(text, quote=False)}</a>"


def _wiki_link(
    match: re.Match[str], links: LinkResolver | None, findings: Findings
) -> tuple[str, int] | None:
    title = match.group("title").strip()
    if not title:
        return None
    label = (match.group("label") or "").strip() or title
    findings.record(WIKI_LINK, title)
    if links is None:
        return html.escape(label, quote=False), match.end()
    url, exists = links.wiki_link(title)
    css_class = WIKI_LINK_CLASS if exists else f"{WIKI_LINK_CLASS} {MISSING_PAGE_CLASS}"
    return _link(url, css_class, label), match.end()


def _bare_url(match: re.Match[str]) -> tuple[str, int] | None:
    written = trim_url(match.group("url"))
    if written.endswith(("://", "www.")):
        return None
    href = written if "://" in written else f"https://{written}"
    return _link(href, "", written), match.start() + len(written)


def trim_url(candidate: str) -> str:
    """Drop trailing punctuation, and a closing parenthesis the URL did not open."""
    opened = candidate.count("(")
    closed = candidate.count(")")
    while candidate:
        unopened = candidate[-1] == ")" and closed > opened
        if candidate[-1] not in _TRAILING and not unopened:
            break
        closed -= candidate[-1] == ")"
        candidate = candidate[:-1]
    return candidate


def _mention(
    match: re.Match[str], links: LinkResolver | None, findings: Findings
) -> tuple[str, int] | None:
    username = match.group("user").lower()
    url = links.mention(username) if links is not None else None
    if url is None:
        return None
    findings.record(MENTION, username)
    return _link(url, MENTION_CLASS, match.group(0)), match.end()


def _hashtag(
    match: re.Match[str], text: str, links: LinkResolver | None, findings: Findings
) -> tuple[str, int]:
    # A regex class cannot name "letters and marks of any script", so scan by category.
    end = match.end()
    while end < len(text) and is_tag_character(text[end]):
        end += 1
    written = text[match.end() : end].rstrip("-_")  # "#tag-" ends at the word
    end = match.end() + len(written)
    tag = normalize_tag(written)
    findings.record(TAG, tag)
    if links is None:
        return html.escape(f"#{written}", quote=False), end
    return _link(links.tag(tag), HASHTAG_CLASS, f"#{written}"), end
