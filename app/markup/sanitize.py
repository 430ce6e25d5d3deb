"""The one HTML sanitiser: an allow-list of tags, attributes, URLs, ids and classes.

Everything that ends up in a page through `|safe` passes `sanitize()`. Swapping bleach for
another library (nh3) means rewriting this module only.
"""

import html
import re
from collections.abc import Iterator

import bleach
from bleach.html5lib_shim import Filter
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


def sanitize(html: str) -> str:
    """Return `html` reduced to our allow-list; disallowed tags come back escaped as text.

    Removes comments, event handlers, styles, unknown attributes, ids without our prefixes,
    classes we do not emit, and URLs other than http(s), mailto and our own paths. Gives
    external links rel="nofollow noopener noreferrer". Never raises on any input string.
    """
    # A Cleaner holds parser state and is not thread-safe, so each call builds its own.
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=is_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=False,
        strip_comments=True,
        filters=[_PolicyFilter],
    )
    return cleaner.clean(html)


def is_allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Say whether attribute `name="value"` may stay on `tag` (an allowed tag)."""
    if name == "title":
        return True
    if name == "id":
        return ALLOWED_ID.fullmatch(value) is not None
    if name == "class":
        return bool(value.split()) and all(c in ALLOWED_CLASSES for c in value.split())
    if name not in TAG_ATTRIBUTES.get(tag, ()):
        return False
    if name in URL_ATTRIBUTES:
        return is_safe_url(value)
    if tag == "input" and name == "type":
        return value.strip().lower() == "checkbox"
    return True


def is_safe_url(url: str) -> bool:
    """Say whether `url` (as written in an attribute) is http(s), mailto or one of our paths.

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
    """Return `url` as a browser reads its start: entities decoded, noise dropped, lower-case."""
    # bleach hands attribute values over with their character references still in them.
    return _URL_NOISE.sub("", html.unescape(url)).lower()


class _PolicyFilter(Filter):
    """Rules on whole elements that attribute checks alone cannot express."""

    def __iter__(self) -> Iterator[dict]:
        for token in super().__iter__():
            if token.get("name") == "input" and token["type"] in {"StartTag", "EmptyTag"}:
                if not _is_checkbox(token):
                    continue  # an <input> without type would be a live text field
                token["data"][(None, "disabled")] = "disabled"
            elif token.get("name") == "a" and token["type"] == "StartTag":
                _set_rel(token)
            yield token


def _is_checkbox(token: dict) -> bool:
    return token.get("data", {}).get((None, "type"), "").strip().lower() == "checkbox"


def _set_rel(token: dict) -> None:
    attributes = token.get("data", {})
    if is_external_url(attributes.get((None, "href"), "")):
        attributes[(None, "rel")] = EXTERNAL_LINK_REL
        token["data"] = attributes
