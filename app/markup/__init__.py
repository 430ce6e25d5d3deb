"""Markdown to safe HTML, and the wiki links, @mentions and #tags it contains.

A pure library: no Flask, no database. Callers pass a LinkResolver to turn our syntax into
URLs, store `Rendered.html` beside the source and emit it with `|safe`.
"""

from app.markup.hashtags import normalize_tag
from app.markup.highlight import pygments_css
from app.markup.render import render_markdown, render_micro
from app.markup.rendered import LinkResolver, Rendered
from app.markup.sanitize import sanitize
from app.markup.text import excerpt, plain_text, reading_minutes

__all__ = [
    "LinkResolver",
    "Rendered",
    "excerpt",
    "normalize_tag",
    "plain_text",
    "pygments_css",
    "reading_minutes",
    "render_markdown",
    "render_micro",
    "sanitize",
]
