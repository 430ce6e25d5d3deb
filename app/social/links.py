"""How @mentions, #tags and [[links]] in conversation become links (see app.markup)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.urls import path_for


class ContentLinks:
    """The LinkResolver for comments and posts written in ``space_id`` (None: everywhere)."""

    def __init__(self, space_id: int | None = None) -> None:
        self.space_id = space_id

    def mention(self, username: str) -> str | None:
        known = db.session.scalar(select(User.username).where(User.username == username.lower()))
        if known is None:
            return None  # unknown people stay plain text
        return path_for("profiles.show_profile", username=known)

    def tag(self, tag: str) -> str:
        if "microblog.tag_stream" in current_app.view_functions:
            return path_for("microblog.tag_stream", tag=tag)
        if "search.results" in current_app.view_functions:
            return path_for("search.results", q=f"tag:{tag}")
        return path_for("home.index")

    def wiki_link(self, title: str) -> tuple[str, bool]:
        # The wiki decides on each visit whether the page exists (or offers to create it).
        values = (
            {"title": title} if self.space_id is None else {"title": title, "space": self.space_id}
        )
        return path_for("wiki.resolve_link", **values), True
