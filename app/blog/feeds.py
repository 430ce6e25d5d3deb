"""Atom feeds of blogs (feedgen). A feed reader cannot sign in: the reader's feed token in
the URL stands for them, and the feed carries only published posts they may read."""

from __future__ import annotations

from datetime import UTC

from feedgen.feed import FeedGenerator
from flask import Response, current_app
from flask_babel import gettext as _

from app.accounts.models import User
from app.blog import service
from app.blog.models import Blog
from app.urls import absolute_url_for


def atom_response(reader: User, blog: Blog | None) -> Response:
    posts = service.feed_posts(reader, blog, current_app.config["BLOG_FEED_SIZE"])
    feed = FeedGenerator()
    if blog is None:
        feed.id(absolute_url_for("blog.index"))
        feed.title(_("Kollegium: all blogs"))
        feed.link(href=absolute_url_for("blog.index"), rel="alternate")
    else:
        page = absolute_url_for("blog.show_blog", blog_id=blog.id)
        feed.id(page)
        feed.title(blog.title)
        feed.link(href=page, rel="alternate")
        if blog.description:
            feed.subtitle(blog.description)
    feed.language(str(reader.locale or current_app.config["BABEL_DEFAULT_LOCALE"]))
    updated = max((post.updated_at for post in posts), default=None)
    if updated is not None:
        feed.updated(updated.replace(tzinfo=UTC))
    for post in reversed(posts):  # feedgen puts the last added entry first
        url = absolute_url_for("blog.show_post", post_id=post.id, slug=post.slug)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(post.title)
        entry.link(href=url, rel="alternate")
        entry.author(name=post.author.display_name)
        entry.published(post.publish_at.replace(tzinfo=UTC))
        entry.updated(post.updated_at.replace(tzinfo=UTC))
        entry.content(_absolute(post.body_html), type="html")
        for tag in post.tags:
            entry.category(term=tag)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _absolute(html: str) -> str:
    """Links inside the stored HTML are site-relative ("/wiki/…"); a feed reader needs them
    absolute."""
    root = absolute_url_for("home.index").rstrip("/")
    return html.replace('href="/', f'href="{root}/').replace('src="/', f'src="{root}/')
