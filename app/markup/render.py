"""Markdown to sanitised HTML: the full dialect (wiki, blogs) and the lite one (microblog).

pulldown-cmark (through pyromark) parses CommonMark with tables, footnotes and task lists
in time linear in the source, whatever it holds; `finish` adds our syntax, anchors and the
rest in one more linear pass, and `sanitize` has the last word.
"""

import html
import re

import pyromark

from app.markup.finish import MAX_FOOTNOTES, finish
from app.markup.harvest import Findings
from app.markup.rendered import LinkResolver, Rendered
from app.markup.sanitize import sanitize

_FULL_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_TASKLISTS
)

# A line that opens more than this many quotes and list items at once (">>>>…", "- - - …")
# keeps the rest as text: the parser's HTML would grow 27 characters per ">", and the
# finishing pass flattens it past MAX_NESTING anyway.
MAX_MARKERS_PER_LINE = 32
_CONTAINER = r"[ \t]*+(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))"
_DEEP_LINE = re.compile(
    rf"^(?:{_CONTAINER}){{{MAX_MARKERS_PER_LINE}}}[ \t]*+\d{{0,9}}", re.MULTILINE
)

# Definitions past MAX_FOOTNOTES would get no links anyway (see finish); escaped, the parser
# reads them as one paragraph of text instead of tens of thousands of blocks to finish.
_FOOTNOTE_DEFINITION = re.compile(r"^[ \t]{0,3}(?=\[\^)", re.MULTILINE)

# The microblog keeps paragraphs, line breaks, links, code spans and emphasis: every other
# block shows as typed, so a backslash goes before what would start one at a line's start.
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_AUTOLINK = r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>|[^\s<>@]+@[^\s<>]+>"
_BLOCK_START = re.compile(
    rf"^(?=[#>=]|[-+*](?:[ \t]|$)|(?:[-*_][ \t]*){{3,}}$|```|~~~|\[[^\]\n]*\]:|<(?!{_AUTOLINK}))",
    re.MULTILINE,
)
_ORDERED_ITEM = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)
_MICRO_TAGS = {"Paragraph": "p", "Emphasis": "em", "Strong": "strong"}


def render_markdown(source: str, links: LinkResolver | None = None) -> Rendered:
    """Render wiki or blog Markdown to sanitised HTML and report what it links to.

    Without `links`, [[links]] and #tags render as plain text (still reported) and
    @mentions as plain text (not reported). Errors raised by `links` propagate.
    """
    findings = Findings()
    source = _keep_footnote_definitions(_DEEP_LINE.sub(_stop_nesting, source))
    parsed = pyromark.html(source, options=_FULL_OPTIONS)
    return findings.rendered(sanitize(finish(parsed, links, findings, full=True)).rstrip("\n"))


def _keep_footnote_definitions(source: str) -> str:
    """Escape the lines that would start footnote definition number MAX_FOOTNOTES + 1 on."""
    if source.count("[^") <= MAX_FOOTNOTES:
        return source
    seen = 0

    def escape_late(line_start: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return line_start.group(0) + ("\\" if seen > MAX_FOOTNOTES else "")

    return _FOOTNOTE_DEFINITION.sub(escape_late, source)


def _stop_nesting(line_start: re.Match[str]) -> str:
    """Escape the marker after MAX_MARKERS_PER_LINE, if one follows, so it shows as text."""
    following = line_start.string[line_start.end() : line_start.end() + 1]
    # An escaped punctuation character shows as itself, so escaping a non-marker is harmless.
    return line_start.group(0) + ("\\" if following and following in ">+*-.)" else "")


def render_micro(source: str, links: LinkResolver | None = None) -> Rendered:
    """Render a microblog post: links, bare URLs, `code`, emphasis, line breaks, our syntax.

    Headings, lists, images, tables and raw HTML show as the text that was typed. Errors
    raised by `links` propagate.
    """
    findings = Findings()
    typed = _ORDERED_ITEM.sub(r"\1\\\2", _BLOCK_START.sub("\\\\", _INDENT.sub("", source)))
    parsed = _micro_html(typed)
    return findings.rendered(sanitize(finish(parsed, links, findings, full=False)).rstrip("\n"))


def _micro_html(source: str) -> str:
    """Write the microblog's few elements; raw HTML and images come out as typed."""
    out: list[str] = []
    image: list[str] | None = None  # the alt text of the image being read
    target = ""
    for event in pyromark.events(source):
        if isinstance(event, str):  # SoftBreak, HardBreak: every line break is kept
            (out if image is None else image).append("<br>\n" if image is None else " ")
            continue
        kind, value = next(iter(event.items()))
        if kind in {"Text", "Html", "InlineHtml", "InlineMath", "DisplayMath"}:
            (out if image is None else image).append(html.escape(value, quote=False))
        elif kind == "Code":
            out.append(f"<code>{html.escape(value, quote=False)}</code>")
        elif kind == "Start":
            if isinstance(value, dict) and "Image" in value:
                image = []
                target = _image_target(value["Image"])
            elif isinstance(value, dict) and "Link" in value:
                out.append(_micro_link(value["Link"]))
            elif isinstance(value, str) and value in _MICRO_TAGS:
                out.append(f"<{_MICRO_TAGS[value]}>")
        elif kind == "End":
            if value == "Image" and image is not None:
                out.append(f"![{''.join(image)}]({html.escape(target, quote=False)})")
                image = None
            elif value == "Link":
                out.append("</a>")
            elif isinstance(value, str) and value in _MICRO_TAGS:
                out.append(f"</{_MICRO_TAGS[value]}>" + ("\n" if value == "Paragraph" else ""))
    return "".join(out)


def _image_target(image: dict) -> str:
    title = image["title"].replace('"', '\\"')
    return f'{image["dest_url"]} "{title}"' if title else image["dest_url"]


def _micro_link(link: dict) -> str:
    url = link["dest_url"]
    if link["link_type"] == "Email":
        url = f"mailto:{url}"
    title = f' title="{html.escape(link["title"])}"' if link["title"] else ""
    return f'<a href="{html.escape(url)}"{title}>'
