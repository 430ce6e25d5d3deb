"""Markdown to sanitised HTML: the full dialect (wiki, blogs) and the lite one (microblog)."""

import html
import re

from markdown import Markdown
from markdown.extensions import Extension

from app.markup.autolinks import BareUrlProcessor
from app.markup.blocks import BlockBreakPreprocessor
from app.markup.harvest import Findings, HarvestTreeprocessor
from app.markup.hashtags import HashtagProcessor
from app.markup.headings import SpacedHashHeaderProcessor, heading_id
from app.markup.highlight import CODE_CSS_CLASS
from app.markup.mentions import MentionProcessor
from app.markup.rendered import LinkResolver, Rendered
from app.markup.sanitize import sanitize
from app.markup.tasklists import TaskListExtension
from app.markup.wikilinks import WikiLinkProcessor

# Inline priorities, relative to Python-Markdown's: wiki links before reference links (170)
# which would read "[[x]]" as "[x]"; bare URLs, mentions and tags after code spans (190),
# links (160), autolinks (120) and raw HTML (90), so that those keep their text untouched,
# and before emphasis (60), which would eat the "_" in names.
_WIKI_LINK_PRIORITY = 175
_BARE_URL_PRIORITY = 86
_MENTION_PRIORITY = 85
_HASHTAG_PRIORITY = 84
# After fenced code (25) and raw HTML (20) are stashed away.
_BLOCK_BREAK_PRIORITY = 15
# After inline markup (20), before the table of contents (5) copies the headings.
_HARVEST_PRIORITY = 16

_FULL_EXTENSIONS = ["tables", "fenced_code", "codehilite", "toc", "footnotes", "sane_lists"]
_FULL_CONFIG = {
    "tables": {"use_align_attribute": True},  # the sanitiser drops style attributes
    "codehilite": {"css_class": CODE_CSS_CLASS, "guess_lang": False},
    "toc": {"slugify": heading_id},
    "footnotes": {"SEPARATOR": "-"},  # ids fn-1 / fnref-1, see sanitize.ALLOWED_ID
}

# The microblog keeps paragraphs, line breaks, links, code spans and emphasis.
_MICRO_DROPPED_BLOCKS = [
    "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote", "reference",
]  # fmt: skip
_MICRO_DROPPED_INLINE = [
    "reference", "image_link", "image_reference", "short_reference", "short_image_ref", "html",
]  # fmt: skip


def render_markdown(source: str, links: LinkResolver | None = None) -> Rendered:
    """Render wiki or blog Markdown to sanitised HTML and report what it links to.

    Without `links`, [[links]] and #tags render as plain text (still reported) and
    @mentions as plain text (not reported). Errors raised by `links` propagate.
    """
    findings = Findings()
    md = Markdown(
        extensions=[*_FULL_EXTENSIONS, TaskListExtension(), _OurSyntax(links, findings)],
        extension_configs=_FULL_CONFIG,
    )
    md.parser.blockprocessors.register(SpacedHashHeaderProcessor(md.parser), "hashheader", 70)
    md.preprocessors.register(BlockBreakPreprocessor(md), "block_breaks", _BLOCK_BREAK_PRIORITY)
    return findings.rendered(sanitize(_convert(md, source)))


def render_micro(source: str, links: LinkResolver | None = None) -> Rendered:
    """Render a microblog post: links, bare URLs, `code`, emphasis, line breaks, our syntax.

    Headings, lists, images, tables and raw HTML show as the text that was typed. Errors
    raised by `links` propagate.
    """
    findings = Findings()
    md = Markdown(extensions=["nl2br", _OurSyntax(links, findings)])
    md.preprocessors.deregister("html_block")
    for name in _MICRO_DROPPED_BLOCKS:
        md.parser.blockprocessors.deregister(name)
    for name in _MICRO_DROPPED_INLINE:
        md.inlinePatterns.deregister(name)
    return findings.rendered(sanitize(_convert(md, source)))


# Python-Markdown's link patterns take quadratic time in the number of "[" within one
# paragraph (Python-Markdown/markdown#798): 40,000 of them take minutes. No real paragraph
# has this many, so beyond it the brackets are escaped and show as typed.
MAX_BRACKETS_PER_PARAGRAPH = 200
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")


def defuse_brackets(source: str) -> str:
    """Escape every "[" of a paragraph that holds more than MAX_BRACKETS_PER_PARAGRAPH."""
    if source.count("[") <= MAX_BRACKETS_PER_PARAGRAPH:
        return source
    parts = _PARAGRAPH_BREAK.split(source)
    return "".join(
        part.replace("\\[", "[").replace("[", "\\[")
        if part.count("[") > MAX_BRACKETS_PER_PARAGRAPH
        else part
        for part in parts
    )


def _convert(md: Markdown, source: str) -> str:
    """Return `md`'s HTML for `source`, or the source as escaped text if it nests too deeply."""
    try:
        return md.convert(defuse_brackets(source))
    except RecursionError:
        # Python-Markdown walks its tree recursively (table of contents, nested lists), so
        # thousands of nested levels would make a page unsaveable. Keep the words instead.
        return f"<pre>{html.escape(source)}</pre>"


class _OurSyntax(Extension):
    """[[wiki links]], @mentions, #tags and bare URLs, recorded into `findings`."""

    def __init__(self, links: LinkResolver | None, findings: Findings) -> None:
        super().__init__()
        self.links = links
        self.findings = findings

    def extendMarkdown(self, md: Markdown) -> None:
        inline = md.inlinePatterns
        inline.register(WikiLinkProcessor(self.links), "wiki_link", _WIKI_LINK_PRIORITY)
        inline.register(BareUrlProcessor(), "bare_url", _BARE_URL_PRIORITY)
        inline.register(MentionProcessor(self.links), "mention", _MENTION_PRIORITY)
        inline.register(HashtagProcessor(self.links), "hashtag", _HASHTAG_PRIORITY)
        harvest = HarvestTreeprocessor(md, self.findings)
        md.treeprocessors.register(harvest, "harvest", _HARVEST_PRIORITY)
