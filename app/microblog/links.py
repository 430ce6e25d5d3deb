"""How mentions, tags and links in posts become links."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.social.links import ContentLinks


class StreamLinks(ContentLinks):
    """ContentLinks, with mentions pointing at the person's posts until profiles exist (a
    known colleague is still mentioned, and told, without a profile page)."""

    def mention(self, username: str) -> str | None:
        url = super().mention(username)
        if url is not None:
            return url
        known = db.session.scalar(select(User.username).where(User.username == username.lower()))
        return url_for("microblog.person_stream", username=known) if known else None


def url_context() -> AbstractContextManager:
    """A request context for building links while rendering outside a request (the
    command line, the demo seed): relative URLs need no server name."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/")
