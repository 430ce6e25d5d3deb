"""The one HTML sanitiser: an allow-list of tags, attributes, URLs, ids and classes.

Everything that ends up in a page through `|safe` passes `sanitize()`. The HTML is parsed
and rebuilt by nh3 (ammonia, a browser-grade parser in Rust, linear in its input); this
module defuses what that parser would spend more than linear time on, and adds what an
allow-list cannot say (rel on external links, checkboxes only).
"""

import html as html_module
import re
from itertools import accumulate

import nh3
from pygments.token import STANDARD_TYPES

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "s",
        "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul", "var",
    }
)  # fmt: skip

# Attributes beyond the global ones (title, id, class), per tag.
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "input": frozenset({"type", "disabled", "checked"}),
}

URL_ATTRIBUTES = frozenset({"href", "src"})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
EXTERNAL_LINK_REL = "nofollow noopener noreferrer"

# Only ids our renderer makes: heading anchors, footnotes and their back references
# (fnref-1, fnref2-1 for a second reference). A free id could clobber DOM globals.
HEADING_ID_PREFIX = "h-"
ALLOWED_ID = re.compile(r"(?:h|fn|fnref\d*)-\S+")

# Only classes our renderer emits; a free class could borrow our styles or scripts' hooks.
ALLOWED_CLASSES = frozenset(
    {
        "codehilite", "hll", "toc", "footnote", "footnote-ref", "footnote-backref",
        "task-list", "task-list-item", "wiki-link", "wiki-missing", "mention", "hashtag",
    }
    | {css_class for css_class in STANDARD_TYPES.values() if css_class}
)  # fmt: skip

# Browsers drop these anywhere in a URL (tabs, newlines) or at its ends (controls, space);
# we drop them everywhere, plus invisible Unicode, before reading the scheme.
_URL_NOISE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]+"
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")

# nh3 checks classes and absolute URLs itself; ids and relative URLs are checked here (a
# Python call per attribute would cost more than the whole parse).
_ATTRIBUTES = {tag: {"title", "id"} | TAG_ATTRIBUTES.get(tag, set()) for tag in ALLOWED_TAGS}
_CLASSES = {tag: set(ALLOWED_CLASSES) for tag in ALLOWED_TAGS}

# The HTML parser checks its stack of open elements at each tag, so its time grows with
# depth times tags: 20,000 nested <div> took over a second. No page needs more than this;
# deeper tags show as text.
MAX_NESTING = 100
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr", "area", "col", "embed", "source"})
# A tag as an HTML tokenizer starts one: "<" or "</", then an ASCII letter.
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")


def _alternation(words: list[str]) -> str:
    """Return a regex matching any of `words`, branching by letter (fast to reject)."""
    if words == [""]:
        return ""
    branches = []
    for first in sorted({word[0] for word in words if word}):
        rests = [word[1:] for word in words if word[:1] == first]
        branches.append(re.escape(first) + _alternation(rests))
    optional = "?" if "" in words else ""
    return f"(?:{'|'.join(branches)}){optional}"


_ALLOWED_NAME = _alternation(sorted(ALLOWED_TAGS))
_DISALLOWED_TAG = re.compile(rf"<(?=/?[A-Za-z])(?!/?(?:{_ALLOWED_NAME})(?:[\t\n\f\r />]|$))", re.I)
_ANY_TAG = re.compile(r"(</?[A-Za-z][^<>]*+>)")
_TAG_MARK = re.compile(r"<(/?)(?=[A-Za-z])(?!(?:br|hr|img|input|wbr)[\t\n\f\r />])")
_STEP = {"": 1, "/": -1}
_BARE_AMPERSAND = re.compile(r"&(?![#A-Za-z0-9])")
# The parser grows a text node piece by piece at each character reference, copying it each
# time: 200,000 "&amp;" in a row took seconds. An (empty, removed) comment after every
# REFERENCES_PER_TEXT references starts a new text node and keeps that linear.
REFERENCES_PER_TEXT = 64
_REFERENCE_RUN = re.compile(rf"(?:&[^&<]*+){{{REFERENCES_PER_TEXT}}}")
# What nh3 writes: lower-case names, every value in double quotes with " < > & escaped.
# Tags that need more than nh3 does: links, inputs, and tags with an id or an emptied class.
_CANONICAL_TAG = re.compile(
    r'<(a|input)((?: [^\s="/>]+="[^"]*")*)>|<([a-z][a-z0-9]*)((?: [^>]*)?(?: id="| class="")[^>]*)>'
)
_OUR_CHECKBOXES = (
    ('<input checked="" disabled="" type="checkbox">', '<input checked disabled type="checkbox">'),
    ('<input disabled="" type="checkbox">', '<input disabled type="checkbox">'),
)
_CANONICAL_ATTRIBUTE = re.compile(r' ([^\s="/>]+)="([^"]*)"')


def sanitize(html: str) -> str:
    """Return `html` reduced to our allow-list; disallowed tags come back escaped as text.

    Removes comments, event handlers, styles, unknown attributes, ids without our prefixes,
    classes we do not emit, and URLs other than http(s), mailto and our own paths. Gives
    external links rel="nofollow noopener noreferrer". Elements nested deeper than
    MAX_NESTING show their tags as text. Never raises on any input string; takes time
    linear in its length.
    """
    cleaned = nh3.clean(
        _defuse(html),
        tags=ALLOWED_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        strip_comments=True,
        link_rel=None,
        url_schemes=ALLOWED_PROTOCOLS,
        url_relative=_relative_url,
    )
    # The checkboxes our renderer writes, canonical already: no need to look at them one by one.
    for written, canonical in _OUR_CHECKBOXES:
        cleaned = cleaned.replace(written, canonical)
    return _CANONICAL_TAG.sub(_finish_tag, cleaned)


def is_safe_url(url: str) -> bool:
    """Say whether `url` (an attribute's value, entities decoded) is http(s), mailto or one
    of our paths.

    Our paths are `/…` and `#…`; `//host` and `/\\host` are other hosts in disguise, and
    bare relative paths are refused because they would resolve against whatever page shows
    the HTML.
    """
    normalised = _normalise_url(url)
    if normalised.startswith("#"):
        return True
    if normalised.startswith("/"):
        return not normalised.startswith(("//", "/\\"))
    scheme = _SCHEME.match(normalised)
    return scheme is not None and scheme.group(1) in ALLOWED_PROTOCOLS


def is_external_url(url: str) -> bool:
    """Say whether `url` points to another site (absolute http or https)."""
    scheme = _SCHEME.match(_normalise_url(url))
    return scheme is not None and scheme.group(1) in {"http", "https"}


def _normalise_url(url: str) -> str:
    """Return `url` as a browser reads its start: noise dropped, lower-case."""
    return _URL_NOISE.sub("", url).lower()


def _relative_url(url: str) -> str | None:
    """Keep a URL without scheme only if it is one of our paths."""
    return url if is_safe_url(url) and not _SCHEME.match(_normalise_url(url)) else None


def _defuse(html: str) -> str:
    """Escape what the HTML parser must not see: disallowed tags (so that they show as
    text), tags nested past MAX_NESTING, and long runs of character references."""
    html = _REFERENCE_RUN.sub(r"\g<0><!---->", _BARE_AMPERSAND.sub("&amp;", html))
    html = _DISALLOWED_TAG.sub("&lt;", html)
    if _nesting_bound(html) <= MAX_NESTING:
        return html
    parts = _ANY_TAG.split(html)
    depth = 0
    for index in range(1, len(parts), 2):
        tag = parts[index]
        if tag[1] == "/":
            if depth > MAX_NESTING:
                parts[index] = "&lt;" + tag[1:]
            depth = max(depth - 1, 0)
        elif tag.endswith("/>") or _tag_name(tag) in _VOID_TAGS:
            continue
        else:
            depth += 1
            if depth > MAX_NESTING:
                parts[index] = "&lt;" + tag[1:]
    return "".join(parts)


def _nesting_bound(html: str) -> int:
    """Return an upper bound of how deep the tags of `html` nest (counted in C, not Python)."""
    marks = _TAG_MARK.findall(html)
    if len(marks) <= MAX_NESTING:
        return len(marks)
    levels = list(accumulate(map(_STEP.__getitem__, marks)))
    # A surplus of end tags lowers the running sum but not the depth: subtract its minimum.
    return max(levels) - min(0, min(levels))


def _tag_name(tag: str) -> str:
    return _TAG_NAME.match(tag, 1).group(0).lower()


def _finish_tag(match: re.Match[str]) -> str:
    """Check ids, drop emptied classes, give external links their rel, and keep only
    disabled checkboxes of all inputs."""
    name = match.group(1) or match.group(3)
    written = match.group(2) if match.group(1) else match.group(4)
    attributes = dict(_CANONICAL_ATTRIBUTE.findall(written))
    if "id" in attributes and not ALLOWED_ID.fullmatch(html_module.unescape(attributes["id"])):
        del attributes["id"]
    if attributes.get("class") == "":
        del attributes["class"]
    if name == "input":
        if attributes.get("type", "").strip().lower() != "checkbox":
            return ""  # an <input> without type would be a live text field
        checked = " checked" if "checked" in attributes else ""
        return f'<input{checked} disabled type="checkbox">'
    if name == "a":
        attributes.pop("rel", None)
        if is_external_url(html_module.unescape(attributes.get("href", ""))):
            attributes["rel"] = EXTERNAL_LINK_REL
    kept = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f"<{name}{kept}>"
